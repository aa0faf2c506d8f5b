"""Building the graph, above the stages: read → extract → graph, with workers, shards, merges
and removals, and the report of what was built, unchanged or skipped.

Unchanged documents (same content hash, same extractor version) are not read again; a changed
one has its named graph replaced. Documents stream through: they are read one at a time,
extracted in batches (in this process or in worker processes) and written as they come, so
memory does not grow with the corpus. Every write is all or nothing
(:func:`~imsskg.graph.store.writing`).
"""

from __future__ import annotations

import hashlib
import itertools
import logging
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from imsskg.config import settings
from imsskg.graph.corpus import Journal, folded_alike
from imsskg.graph.rdf import document_graph_iri, document_nquads, document_quads
from imsskg.graph.store import Store, writing
from imsskg.graph.writer import Writer, document_graphs, stored_documents, stored_hashes
from imsskg.hashes import FileHashes
from imsskg.model import Document
from imsskg.ontology import IKG
from imsskg.read import ReadError, iter_paths, read_document
from imsskg.stats import Stats, graph_stats

if TYPE_CHECKING:
    from spacy.language import Language

log = logging.getLogger("imsskg")

Paths = Iterable[str | os.PathLike[str]]
#: From this many files on, a build uses one extraction process per core (starting workers
#: costs a model load each).
PARALLEL_FROM = 200


@dataclass
class BuildReport:
    """What a build, merge or removal did: the documents it wrote (or removed), those unchanged,
    those skipped with the reason, and what the graph holds after it."""

    built: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    stats: Stats | None = None
    #: what changed in the corpus graph (None when it was folded anew from every document)
    changes: Journal | None = None


def read_all(
    paths: Paths, skipped: list[tuple[str, str]], *, known: Mapping[str, str] | None = None,
    unchanged: list[str] | None = None, hashes: FileHashes | None = None,
) -> Iterator[Document]:  # fmt: skip
    """Read every file, appending unreadable ones (and repeated file names) to ``skipped``.

    A file whose graph ``known`` maps to the SHA-256 of its bytes (see
    :func:`~imsskg.graph.writer.stored_hashes`) is appended to ``unchanged`` without being
    decoded or parsed; ``hashes`` remembers the hashes of files not changed since the last
    build (:class:`~imsskg.hashes.FileHashes`), so such a file is not even read.
    """
    hashes = hashes or FileHashes(None, {})
    seen: dict[str, str] = {}
    for path in iter_paths(Path(p) for p in paths):
        if path.stem in seen:
            skipped.append((str(path), f"same file name as {seen[path.stem]}"))
            continue
        if known and known.get(document_graph_iri(path.stem).value) == hashes.sha256(path):
            seen[path.stem] = str(path)
            if unchanged is not None:
                unchanged.append(path.name)
            continue
        try:
            document = read_document(path)
        except ReadError as exc:
            skipped.append((str(path), exc.reason))
            continue
        seen[document.doc_id] = str(path)
        hashes.remember(path, document.sha256)
        yield document


def parse_shard(text: str) -> tuple[int, int]:
    """``"K/N"`` as ``(K, N)``, 1 <= K <= N.

    >>> parse_shard("2/3")
    (2, 3)
    >>> parse_shard("4/3")
    Traceback (most recent call last):
    ...
    ValueError: a shard is K/N with 1 <= K <= N, not '4/3'
    """
    k, _, n = text.partition("/")
    if not (k.isdigit() and n.isdigit() and 1 <= int(k) <= int(n)):
        raise ValueError(f"a shard is K/N with 1 <= K <= N, not {text!r}")
    return int(k), int(n)


def in_shard(path: Path, shard: tuple[int, int]) -> bool:
    """Whether a file belongs to shard ``k`` of ``n`` (1-based), by a hash of its name alone,
    so that every machine splits a corpus the same way.

    >>> sorted(in_shard(Path(f"{i}.txt"), (1, 2)) for i in range(6)).count(True) in range(1, 6)
    True
    """
    k, n = shard
    return int(hashlib.sha1(path.name.encode("utf-8")).hexdigest(), 16) % n == k - 1


def default_processes(paths: Paths) -> int:
    """One extraction process per core for :data:`PARALLEL_FROM` files or more, else one."""
    many = sum(1 for _ in itertools.islice(iter_paths(Path(p) for p in paths), PARALLEL_FROM)) >= PARALLEL_FROM
    return (os.cpu_count() or 1) if many else 1


def _stats(store: Store, report: BuildReport) -> BuildReport:
    report.stats = graph_stats(store)
    return report


def build(
    paths: Paths,
    store: Path,
    *,
    nlp: Language | None = None,
    model: str | None = None,
    force: bool = False,
    verify: bool = False,
    processes: int = 1,
    shard: tuple[int, int] | None = None,
    scheduler: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> BuildReport:
    """Read, extract and write ``paths`` into the store folder ``store``; all or nothing.

    Extraction runs in this process with ``nlp`` (or the pipeline ``model``), in ``processes``
    worker processes when ``nlp`` is not given, or on the Dask cluster at ``scheduler``
    (``tcp://HOST:PORT``, or ``local:N`` for N local workers: see
    :mod:`imsskg.extract.distributed`); this process folds what the workers send. ``progress``
    is called with the name of each document written.
    """
    report = BuildReport()
    existing: dict[str, str] = {}
    pipeline = str(nlp.meta.get("imsskg_pipeline", "custom")) if nlp is not None else model or settings.model
    refold = False
    if store.exists():
        with Store.open(store) as current:
            existing = stored_hashes(current, pipeline)
            refold = not folded_alike(current)
    if shard:
        paths = [p for p in iter_paths(Path(p) for p in paths) if in_shard(p, shard)]
    hashes = FileHashes.beside(store, verify=verify)
    pending = read_all(
        paths, report.skipped, known=None if force else existing, unchanged=report.unchanged, hashes=hashes
    )
    first = next(pending, None)
    log.info("%s: %d documents stored, extracting with pipeline %r", store, len(existing), pipeline)
    if first is None and refold:  # nothing to read again, but a corpus graph of an older fold
        with writing(store) as staging:
            Writer(staging, full=True).close()
            _stats(staging, report)
        hashes.save()
        return report
    if first is None:  # nothing changed: no pipeline to load, no copy of the store to write
        log.info("nothing changed: %d unchanged, %d skipped", len(report.unchanged), len(report.skipped))
        if store.exists():
            hashes.save()
            with Store.open(store) as current:
                _stats(current, report)
        return report
    from imsskg.extract.pipeline import extract, extract_parallel, load_pipeline

    stream = itertools.chain([first], pending)

    def built(source: str) -> None:
        report.built.append(source)
        if progress:
            progress(source)

    with writing(store) as staging:
        writer = Writer(staging, full=force or not existing)
        if scheduler:
            from imsskg.extract.distributed import connect, extract_on_cluster

            with connect(scheduler) as client:
                for nquads in extract_on_cluster(stream, document_nquads, client, model=model):
                    writer.put_nquads(nquads.doc_id, nquads.data)
                    built(nquads.source)
        elif processes > 1 and nlp is None:
            # the workers extract and write N-Quads; this process only loads and folds them
            for nquads in extract_parallel(stream, document_nquads, processes=processes, model=model):
                writer.put_nquads(nquads.doc_id, nquads.data)
                built(nquads.source)
        else:
            for x in extract(stream, nlp or load_pipeline(model)):
                writer.put(document_quads(x), document_graph_iri(x.document.doc_id))
                built(x.document.source)
        log.info("%d documents extracted; folding the corpus graph", len(report.built))
        writer.close()
        report.changes = writer.journal
        _stats(staging, report)
    hashes.save()  # once the new graph is in place
    return report


def build_in(store: Store, paths: Paths, *, nlp: Language | None = None, model: str | None = None) -> BuildReport:
    """Read, extract and write ``paths`` into an open store (one in memory, say)."""
    from imsskg.extract.pipeline import extract, load_pipeline

    report = BuildReport()
    writer = Writer(store, full=next(document_graphs(store), None) is None)
    for x in extract(read_all(paths, report.skipped), nlp or load_pipeline(model)):
        writer.put(document_quads(x), document_graph_iri(x.document.doc_id))
        report.built.append(x.document.source)
    writer.close()
    return _stats(store, report)


def merge(sources: Iterable[Path], store: Path) -> BuildReport:
    """Copy the document graphs of several stores (the shards of one corpus) into ``store`` and
    fold its corpus graph: the same graph as one build of the whole corpus. A source that is
    not a store is reported as skipped."""
    report = BuildReport()
    with writing(store) as staging:
        writer = Writer(staging, full=next(document_graphs(staging), None) is None)
        for source in sources:
            if not source.exists():
                report.skipped.append((str(source), "no store there"))
                continue
            with Store.open(source) as shard:
                for file, graph in sorted(stored_documents(shard).items()):
                    writer.put(list(shard.quads(None, None, None, graph)), graph)
                    report.built.append(file)
        writer.close()
        return _stats(staging, report)


def remove(names: Iterable[str], store: Path) -> BuildReport:
    """Remove documents (by file name) and their facts; an entity goes only when no remaining
    document names it. ``built`` lists the documents removed, ``skipped`` those not found."""
    report = BuildReport()
    names = list(names)
    Store.open(store).close()  # no graph there is an error, not a new empty graph
    with writing(store) as staging:
        # a document's graph is named after its file: look each name up, not every document
        graphs = {
            name: graph
            for name in names
            if staging.has_graph(graph := document_graph_iri(Path(name).stem))
            and ox.Literal(name) in {q.object for q in staging.quads(None, IKG.sourceFile, None, graph)}
        }
        report.built = [name for name in names if name in graphs]
        report.skipped = [(name, "no such document in the graph") for name in names if name not in graphs]
        writer = Writer(staging)
        writer.remove(graphs[name] for name in report.built)
        report.changes = writer.journal
        return _stats(staging, report)
