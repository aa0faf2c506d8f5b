"""Write document graphs into a store and keep its corpus graph up to date.

:class:`Writer` puts each document's named graph in place of the old one, bulk-loading quads
in large batches (one bulk load per document would write a file per document), and at the end
folds what changed into the corpus graph (:mod:`imsskg.graph.corpus`). Bulk loading skips
transactions: safe in the staging copy that :func:`~imsskg.graph.store.writing` swaps in only
when the whole write succeeds.

>>> from imsskg.graph.store import Store
>>> from imsskg.graph.rdf import document_quads
>>> from imsskg.model import Document, Extraction
>>> store = Store.memory()
>>> writer = Writer(store)
>>> writer.put(document_quads(Extraction(Document("a", "a.txt", "Texto.", "0" * 64, "utf-8"), ())))
>>> writer.close()
>>> sorted(stored_documents(store))
['a.txt']
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor

import pyoxigraph as ox
from imsskg.graph import corpus
from imsskg.graph.rdf import document_graph_iri
from imsskg.graph.store import Store
from imsskg.ontology import IKG

from imsskg.config import settings

#: Quads per batch: each batch is bulk-loaded and folded while the next is gathered.
BATCH = 200_000


def stored_documents(store: Store) -> dict[str, ox.NamedNode]:
    """The documents in ``store``: their file names and graphs."""
    return {q.object.value: q.graph_name for q in store.quads(None, IKG.sourceFile, None)}  # type: ignore[misc,union-attr]


def stored_hashes(store: Store, pipeline: str = "none") -> dict[str, str]:
    """The SHA-256 of each document in ``store`` read by this extractor version with this spaCy
    ``pipeline``, by the IRI of its graph: two index scans."""
    hashes = {(q.graph_name, q.subject): q.object for q in store.quads(None, IKG.contentHash, None)}
    current = ox.Literal(settings.extracted_by(pipeline))
    return {
        graph.value: sha.value  # type: ignore[union-attr]
        for q in store.quads(None, IKG.extractorVersion, current)
        if (sha := hashes.get((graph := q.graph_name, q.subject))) is not None
    }


def document_graphs(store: Store) -> Iterator[ox.NamedNode]:
    """The named graphs of the documents (every named graph but the corpus graph)."""
    return (g for g in store.graphs() if g != corpus.CORPUS)


class Writer:
    """Puts document graphs in place of the named graphs of the same name, and folds them into
    the corpus graph batch by batch, in a thread, while the next batch is gathered.

    Before each batch is folded, what the graphs it replaced spoke of is taken out of the corpus
    graph where no document still supports it; with ``full``, the corpus graph is folded anew
    from every document graph (those of the batches, then at :meth:`close` any others).
    """

    def __init__(self, store: Store, *, full: bool = False, batch: int | None = None) -> None:
        self.store = store
        self.full = full or not corpus.folded_alike(store)  # an older fold: fold anew
        self.batch = batch or BATCH
        self.quads: list[ox.Quad] = []
        self.nquads: list[bytes] = []
        self.pending = 0
        self.graphs: list[ox.NamedNode] = []  # of the batch being gathered
        self.written: list[ox.NamedNode] = []
        self.stale = corpus.Keys()
        self.touched: set[ox.NamedNode] = set()  # the entities folded, to count their documents
        #: what the fold changed in the corpus graph (None after a full fold: all of it)
        self.journal: corpus.Journal | None = None if self.full else corpus.Journal()
        if self.full:
            self.store.remove_graph(corpus.CORPUS)
        # one batch loads and folds in a thread while the next is extracted (pyoxigraph
        # releases the GIL while it loads)
        self._loader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="imsskg-load")
        self._loading: Future[None] | None = None

    def put(self, quads: Sequence[ox.Quad], name: ox.NamedNode | None = None) -> None:
        """Put ``quads`` in place of their named graph (or of ``name``)."""
        if not quads and name is None:
            return
        self._make_room(name or quads[0].graph_name)  # type: ignore[arg-type]
        self.quads.extend(quads)
        if len(self.quads) >= self.batch:
            self.flush()

    def put_nquads(self, doc_id: str, nquads: bytes) -> None:
        """Like :meth:`put`, for the graph of document ``doc_id`` already written as N-Quads."""
        self._make_room(document_graph_iri(doc_id))
        self.nquads.append(nquads)
        self.pending += nquads.count(b"\n")
        if self.pending >= self.batch:
            self.flush()

    def _make_room(self, name: ox.NamedNode) -> None:
        if self.store.has_graph(name):
            if not self.full:
                self.stale = self.stale | corpus.forget(self.store, [name])
            self.store.remove_graph(name)
        self.graphs.append(name)

    def flush(self) -> None:
        """Start loading and folding what is pending, once the batch before it is done: at most
        two batches are held, one loading while the next is gathered."""
        self._wait()
        quads, nquads, graphs, stale = self.quads, self.nquads, self.graphs, self.stale
        self.quads, self.nquads, self.graphs, self.stale, self.pending = [], [], [], corpus.Keys(), 0
        if graphs:
            self.written += graphs
            self._loading = self._loader.submit(self._load, quads, nquads, graphs, stale)

    def _load(self, quads: list[ox.Quad], nquads: list[bytes], graphs: list[ox.NamedNode], stale: corpus.Keys) -> None:
        if quads:
            self.store.bulk_extend(quads)
        if nquads:
            self.store.load(b"".join(nquads), format=ox.RdfFormat.N_QUADS, bulk=True)
        if not self.full:
            corpus.remove(self.store, stale, self.journal)  # what only the replaced versions said
        self.touched |= corpus.add(self.store, graphs, self.journal, recount=False)

    def _wait(self) -> None:
        """Wait for the batch loading, if any (its error, if any, is raised here)."""
        if self._loading is not None:
            loading, self._loading = self._loading, None
            loading.result()

    def close(self) -> None:
        """Write and fold what is pending and finish the corpus graph: the documents of each
        entity folded, and the counts of each state."""
        self.flush()
        self._wait()
        self._loader.shutdown()
        if self.full:  # the document graphs this writer did not write
            written = set(self.written)
            rest = [g for g in document_graphs(self.store) if g not in written]
            self.touched |= corpus.add(self.store, rest, recount=False)
        corpus.count_documents(self.store, self.touched, self.journal)
        corpus.count_states(self.store, self.journal)  # once the corpus graph is whole
        corpus.rank_pairs(self.store, self.journal)

    def remove(self, graphs: Iterable[ox.NamedNode]) -> None:
        """Remove document graphs now and, of what they spoke of, what no other document supports."""
        gone = list(graphs)
        if self.full:
            for graph in gone:
                self.store.remove_graph(graph)
            corpus.add(self.store, list(document_graphs(self.store)))
            corpus.count_states(self.store)
            corpus.rank_pairs(self.store)
            return
        stale = corpus.forget(self.store, gone)
        for graph in gone:
            self.store.remove_graph(graph)
        corpus.remove(self.store, stale, self.journal)
        corpus.count_states(self.store, self.journal)
        corpus.rank_pairs(self.store, self.journal)
