"""Build the knowledge graph: read → extract → resolve → write, one named graph per document.

Unchanged documents (same content hash, same extractor version) are not extracted again; a
changed one has its named graph replaced. The corpus graph (:mod:`imsskg.graph.corpus`) takes
in what the new documents say and keeps, of what the replaced or removed ones spoke of, only
what the remaining documents support.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from imsskg.extract.pipeline import extract, extract_parallel, load_pipeline
from imsskg.graph import corpus
from imsskg.graph.rdf import document_graph, document_graph_iri
from imsskg.graph.store import oxigraph, reading, to_oxigraph, writing
from rdflib import Dataset, Graph
from spacy.language import Language

from imsskg.config import settings
from imsskg.model import Document, Extraction
from imsskg.read import ReadError, iter_paths, read_document
from imsskg.stats import Stats, graph_stats

_IKG = "https://w3id.org/imsskg/ontology#"
_SOURCE, _HASH, _VERSION = (ox.NamedNode(_IKG + p) for p in ("sourceFile", "contentHash", "extractorVersion"))


@dataclass
class BuildReport:
    """What a build did, for the summary and the exit code."""

    built: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    stats: Stats | None = None  # what the graph holds after the build


def read_all(
    paths: Iterable[Path], report: BuildReport, *, known: Mapping[str, str] | None = None
) -> Iterator[Document]:
    """Read every file, recording unreadable ones (and repeated file names) in ``report``.

    A file whose graph ``known`` maps to the SHA-256 of its bytes (see :func:`stored_hashes`)
    is recorded as unchanged without being decoded or parsed.
    """
    seen: dict[str, str] = {}
    for path in iter_paths(paths):
        if path.stem in seen:
            report.skipped.append((str(path), f"same file name as {seen[path.stem]}"))
            continue
        if known and known.get(str(document_graph_iri(path.stem))) == _sha256(path):
            seen[path.stem] = str(path)
            report.unchanged.append(path.name)
            continue
        try:
            document = read_document(path)
        except ReadError as exc:
            report.skipped.append((str(path), exc.reason))
            continue
        seen[document.doc_id] = str(path)
        yield document


def _sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None  # read_document says why


def stored_documents(store: ox.Store) -> dict[str, ox.NamedNode]:
    """The documents in ``store``: their file names and graphs."""
    return {q.object.value: q.graph_name for q in store.quads_for_pattern(None, _SOURCE, None)}  # type: ignore[misc,union-attr]


def stored_hashes(store: ox.Store) -> dict[str, str]:
    """The SHA-256 of each document in ``store`` built by this extractor version, by the IRI of
    its graph: two index scans."""
    hashes = {(q.graph_name, q.subject): q.object for q in store.quads_for_pattern(None, _HASH, None)}
    current = ox.Literal(settings.extractor_version)
    return {
        graph.value: sha.value  # type: ignore[union-attr]
        for q in store.quads_for_pattern(None, _VERSION, current)
        if (sha := hashes.get((graph := q.graph_name, q.subject))) is not None
    }


class _Writer:
    """Puts graphs in place of the named graphs of the same name, bulk-loading their quads in
    large batches: one bulk load per document would write a file per document.

    Bulk loading skips transactions: safe here, in the staging copy that is swapped in only
    when the whole build succeeds. (oxrdflib's own addN would also index every quad in
    rdflib's event layer.) The writer remembers the graphs it wrote and what the graphs it
    replaced spoke of (``stale``), for the corpus graph; with ``full`` it remembers nothing,
    the corpus graph being folded anew from every document graph.
    """

    def __init__(self, ds: Dataset, *, full: bool = False, batch: int = 200_000) -> None:
        self.store = oxigraph(ds)
        self.full = full
        self.batch = batch
        self.quads: list[ox.Quad] = []
        self.nquads: list[bytes] = []
        self.pending = 0
        self.written: list[ox.NamedNode] = []
        self.stale = corpus.Keys()

    def put(self, name: ox.NamedNode, quads: Iterable[ox.Quad]) -> None:
        """Put ``quads`` in place of the named graph ``name``."""
        self._make_room(name)
        self.quads.extend(quads)
        if len(self.quads) >= self.batch:
            self.flush()

    def replace(self, graph: Graph) -> None:
        """Put an rdflib graph in place of the named graph of the same name."""
        name = ox.NamedNode(str(graph.identifier))
        self.put(name, (ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), name) for s, p, o in graph))  # type: ignore[arg-type]

    def replace_nquads(self, graph: str, nquads: bytes) -> None:
        """Like :meth:`replace`, for a graph already written as N-Quads."""
        self._make_room(ox.NamedNode(graph))
        self.nquads.append(nquads)
        self.pending += nquads.count(b"\n")
        if self.pending >= self.batch:
            self.flush()

    def _make_room(self, name: ox.NamedNode) -> None:
        if self.store.contains_named_graph(name):
            if not self.full:
                self.stale = self.stale | corpus.forget(self.store, [name])
            self.store.remove_graph(name)
        self.written.append(name)

    def flush(self) -> None:
        if self.quads:
            self.store.bulk_extend(self.quads)
            self.quads = []
        if self.nquads:
            self.store.bulk_load(b"".join(self.nquads), format=ox.RdfFormat.N_QUADS)
            self.nquads, self.pending = [], 0

    def close(self) -> None:
        """Write what is pending and bring the corpus graph up to date."""
        self.flush()
        if self.full:
            self.store.remove_graph(corpus.CORPUS)
            corpus.add(self.store, list(_document_graphs(self.store)))
        else:
            corpus.remove(self.store, self.stale)  # what only the replaced versions said
            corpus.add(self.store, self.written)


def _document_graphs(store: ox.Store) -> Iterator[ox.NamedNode]:
    for name in store.named_graphs():
        if isinstance(name, ox.NamedNode) and name != corpus.CORPUS:
            yield name


def document_nquads(x: Extraction) -> bytes:
    """The named graph of one extraction as N-Quads (run in extraction workers)."""
    graph = document_graph(x)
    name = ox.NamedNode(str(graph.identifier))
    quads = (ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), name) for s, p, o in graph)  # type: ignore[arg-type]
    return ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b""


def in_shard(path: Path, shard: tuple[int, int]) -> bool:
    """Whether a file belongs to shard ``k`` of ``n`` (1-based), by a hash of its name alone,
    so that every machine splits a corpus the same way.

    >>> sorted(in_shard(Path(f"{i}.txt"), (1, 2)) for i in range(6)).count(True) in range(1, 6)
    True
    """
    k, n = shard
    return int(hashlib.sha1(path.name.encode("utf-8")).hexdigest(), 16) % n == k - 1


def build(
    paths: Iterable[Path],
    store: Path,
    *,
    nlp: Language | None = None,
    force: bool = False,
    processes: int = 1,
    shard: tuple[int, int] | None = None,
    progress: Callable[[Extraction], None] | None = None,
) -> BuildReport:
    """Read, extract and write ``paths`` into the store at ``store``; all or nothing.

    Documents stream through: they are read one at a time, extracted in batches (by ``nlp``,
    or by ``processes`` worker processes) and written as they come, so memory does not grow
    with the corpus.
    """
    report = BuildReport()
    existing: dict[str, str] = {}
    if store.exists():
        with reading(store) as ds:
            existing = stored_hashes(oxigraph(ds))

    if shard:
        paths = [p for p in iter_paths(paths) if in_shard(p, shard)]

    # documents built from the same bytes by the same extractor are not read again
    pending = read_all(paths, report, known=None if force else existing)
    first = next(pending, None)
    if first is None:  # nothing changed: no pipeline to load, no copy of the store to write
        if store.exists():
            with reading(store) as ds:
                _count(ds, report)
        return report
    stream = itertools.chain([first], pending)
    with writing(store) as ds:
        writer = _Writer(ds, full=force or not existing)
        if processes > 1 and nlp is None:
            # the workers extract and write N-Quads; this process only loads them
            for x, nquads in extract_parallel(stream, document_nquads, processes=processes):
                writer.replace_nquads(str(document_graph_iri(x.document.doc_id)), nquads)
                report.built.append(x.document.source)
                if progress:
                    progress(x)
        else:
            for x in extract(stream, nlp or load_pipeline()):
                writer.replace(document_graph(x))
                report.built.append(x.document.source)
                if progress:
                    progress(x)
        writer.close()
        _count(ds, report)
    return report


def merge(sources: Iterable[Path], store: Path) -> BuildReport:
    """Copy the document graphs of several stores (the shards of one corpus) into ``store`` and
    recompute its corpus graph: the same graph as one build of the whole corpus."""
    report = BuildReport()
    with writing(store) as ds:
        writer = _Writer(ds, full=next(_document_graphs(oxigraph(ds)), None) is None)
        for source in sources:
            if not source.exists():  # a shard that held no document wrote no store
                report.skipped.append((str(source), "no store there"))
                continue
            with reading(source) as src:
                inner = oxigraph(src)
                for file, graph in sorted(stored_documents(inner).items()):
                    writer.put(graph, inner.quads_for_pattern(None, None, None, graph))
                    report.built.append(file)
        writer.close()
        _count(ds, report)
    return report


def _count(ds: Dataset, report: BuildReport) -> None:
    report.stats = graph_stats(ds)


def remove(names: Iterable[str], store: Path) -> BuildReport:
    """Remove documents (by file name) and their facts; an entity goes only when no remaining
    document names it. ``built`` lists the documents removed, ``skipped`` those not found."""
    report = BuildReport()
    with writing(store) as ds:
        db = oxigraph(ds)
        # a document's graph is named after its file: look each name up, not every document
        graphs = {
            name: graph
            for name in names
            if db.contains_named_graph(graph := ox.NamedNode(str(document_graph_iri(Path(name).stem))))
            and ox.Literal(name) in {q.object for q in db.quads_for_pattern(None, _SOURCE, None, graph)}
        }
        gone = [graphs[name] for name in names if name in graphs]
        report.built = [name for name in names if name in graphs]
        report.skipped = [(name, "no such document in the graph") for name in names if name not in graphs]
        stale = corpus.forget(db, gone)
        for graph in gone:
            db.remove_graph(graph)
        corpus.remove(db, stale)
        _count(ds, report)
    return report
