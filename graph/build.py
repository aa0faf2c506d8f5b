"""Build the knowledge graph: read → extract → resolve → write, one named graph per document.

Unchanged documents (same content hash, same extractor version) are not extracted again;
a changed one has its named graph replaced; the entities graph is recomputed from all of them.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from imsskg.extract.pipeline import extract, extract_parallel, load_pipeline
from imsskg.graph.iri import mint
from imsskg.graph.rdf import (
    CLASS_TYPE,
    CORPUS_GRAPH,
    corpus_graph,
    corpus_memberships,
    document_graph,
    document_graph_iri,
)
from imsskg.graph.store import oxigraph, reading, scalar, select, to_oxigraph, writing
from rdflib import Dataset, Graph
from spacy.language import Language

from imsskg.config import settings
from imsskg.model import Document, Extraction
from imsskg.read import ReadError, iter_paths, read_document
from imsskg.resolve import Resolved, resolve_names

# The corpus graph is recomputed from the document graphs only: each query below names a
# PressRelease inside the graph it reads, so the corpus graph never feeds itself.
_EXISTING = """
PREFIX ikg: <https://w3id.org/imsskg/ontology#>
SELECT ?g ?file ?hash ?version WHERE {
  GRAPH ?g { ?d a ikg:PressRelease ; ikg:sourceFile ?file ; ikg:contentHash ?hash ; ikg:extractorVersion ?version }
}"""
_FACTS = """
PREFIX ikg: <https://w3id.org/imsskg/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
SELECT DISTINCT ?s ?p ?o WHERE {
  GRAPH ?g { ?f a ikg:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o }
}"""
_POSTS = """
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?post ?role ?label ?org WHERE {
  GRAPH ?g {
    ?doc a <https://w3id.org/imsskg/ontology#PressRelease> .
    ?post a org:Post ; org:role ?role . ?role rdfs:label ?label OPTIONAL { ?post org:postIn ?org }
  }
}"""
_MEMBERSHIPS = """
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX schema: <https://schema.org/>
SELECT ?person ?role ?org ?d ?date WHERE {
  GRAPH ?g { ?d a <https://w3id.org/imsskg/ontology#PressRelease> .
             ?m a org:Membership ; org:member ?person ; org:role ?role ; prov:wasDerivedFrom ?d .
             OPTIONAL { ?m org:organization ?org } OPTIONAL { ?d schema:datePublished ?date } }
}"""
_ENTITY_COUNT = """
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {{ GRAPH <{corpus}> {{ ?e skos:prefLabel ?l }} }}"""
_ENTITY_ROWS = """
PREFIX ikg: <https://w3id.org/imsskg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
SELECT ?e ?type ?name ?anchor WHERE {
  GRAPH ?g { ?d a ikg:PressRelease . ?e a ?type ; rdfs:label ?name . ?m ikg:denotes ?e ; nif:anchorOf ?anchor }
}"""


@dataclass
class BuildReport:
    """What a build did, for the summary and the exit code."""

    built: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    triples: int = 0  # statements stored (a triple in two graphs counts twice)
    entities: int = 0
    graphs: int = 0


def read_all(paths: Iterable[Path], report: BuildReport) -> Iterator[Document]:
    """Read every file, recording unreadable ones (and repeated file names) in ``report``."""
    seen: dict[str, str] = {}
    for path in iter_paths(paths):
        try:
            document = read_document(path)
        except ReadError as exc:
            report.skipped.append((str(path), exc.reason))
            continue
        if document.doc_id in seen:
            report.skipped.append((str(path), f"same file name as {seen[document.doc_id]}"))
            continue
        seen[document.doc_id] = str(path)
        yield document


def _existing(ds: Dataset) -> dict[str, tuple[str, str]]:
    return {str(file): (str(sha), str(version)) for _, file, sha, version in select(ds, _EXISTING)}


class _Writer:
    """Puts graphs in place of the named graphs of the same name, bulk-loading their quads in
    large batches: one bulk load per document would write a file per document.

    Bulk loading skips transactions: safe here, in the staging copy that is swapped in only
    when the whole build succeeds. (oxrdflib's own addN would also index every quad in
    rdflib's event layer.)
    """

    def __init__(self, ds: Dataset, batch: int = 200_000) -> None:
        self.store = oxigraph(ds)
        self.batch = batch
        self.quads: list[ox.Quad] = []
        self.nquads: list[bytes] = []
        self.pending = 0

    def replace(self, graph: Graph) -> None:
        name = ox.NamedNode(str(graph.identifier))
        if self.store.contains_named_graph(name):
            self.store.remove_graph(name)
        self.quads += [ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), name) for s, p, o in graph]  # type: ignore[arg-type]
        if len(self.quads) >= self.batch:
            self.flush()

    def replace_nquads(self, graph: str, nquads: bytes) -> None:
        """Like :meth:`replace`, for a graph already written as N-Quads."""
        name = ox.NamedNode(graph)
        if self.store.contains_named_graph(name):
            self.store.remove_graph(name)
        self.nquads.append(nquads)
        self.pending += nquads.count(b"\n")
        if self.pending >= self.batch:
            self.flush()

    def flush(self) -> None:
        if self.quads:
            self.store.bulk_extend(self.quads)
            self.quads = []
        if self.nquads:
            self.store.bulk_load(b"".join(self.nquads), format=ox.RdfFormat.N_QUADS)
            self.nquads, self.pending = [], 0


def _replace(ds: Dataset, graph: Graph) -> None:
    """Put ``graph`` in place of the named graph of the same name, at once."""
    writer = _Writer(ds)
    writer.replace(graph)
    writer.flush()


def corpus_entities(ds: Dataset) -> list[Resolved]:
    """Resolve the entities of every document graph in the store.

    The rows (one per mention) stream from Oxigraph: memory grows with the entities and their
    distinct labels, not with the mentions.
    """
    base = settings.base_iri
    classes = {str(c): CLASS_TYPE[c] for c in CLASS_TYPE}
    rows = oxigraph(ds).query(_ENTITY_ROWS)
    assert isinstance(rows, ox.QuerySolutions)
    return list(
        resolve_names(
            (entity.value[len(base) :], classes[kind.value], name.value, anchor.value)
            for entity, kind, name, anchor in rows
            if kind.value in classes and entity.value.startswith(base)
        ).values()
    )


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
    existing: dict[str, tuple[str, str]] = {}
    if store.exists():
        with reading(store) as ds:
            existing = _existing(ds)

    if shard:
        paths = [p for p in iter_paths(paths) if in_shard(p, shard)]

    def changed() -> Iterator[Document]:
        for document in read_all(paths, report):
            if not force and existing.get(document.source) == (document.sha256, settings.extractor_version):
                report.unchanged.append(document.source)
            else:
                yield document

    pending = changed()
    first = next(pending, None)
    if first is None:  # nothing changed: no pipeline to load, no copy of the store to write
        if store.exists():
            with reading(store) as ds:
                _count(ds, report)
        return report
    stream = itertools.chain([first], pending)
    with writing(store) as ds:
        writer = _Writer(ds)
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
        writer.flush()
        _refresh_corpus(ds)
        _count(ds, report)
    return report


def merge(sources: Iterable[Path], store: Path) -> BuildReport:
    """Copy the document graphs of several stores (the shards of one corpus) into ``store`` and
    recompute its corpus graph: the same graph as one build of the whole corpus."""
    report = BuildReport()
    with writing(store) as ds:
        writer = _Writer(ds)
        for source in sources:
            if not source.exists():  # a shard that held no document wrote no store
                report.skipped.append((str(source), "no store there"))
                continue
            with reading(source) as src:
                inner = oxigraph(src)
                for graph, file, _, _ in select(src, _EXISTING):
                    name = ox.NamedNode(str(graph))
                    if writer.store.contains_named_graph(name):
                        writer.store.remove_graph(name)
                    writer.quads += list(inner.quads_for_pattern(None, None, None, name))
                    report.built.append(str(file))
                    if len(writer.quads) >= writer.batch:
                        writer.flush()
        writer.flush()
        _refresh_corpus(ds)
        _count(ds, report)
    return report


def _refresh_corpus(ds: Dataset) -> None:
    """Recompute the corpus graph from the document graphs."""
    posts = [(p, r, str(label), o) for p, r, label, o in select(ds, _POSTS)]
    memberships = corpus_memberships(select(ds, _MEMBERSHIPS))
    _replace(ds, corpus_graph(corpus_entities(ds), select(ds, _FACTS), posts, memberships))


def _count(ds: Dataset, report: BuildReport) -> None:
    report.entities = scalar(ds, _ENTITY_COUNT.format(corpus=mint(CORPUS_GRAPH)))
    report.triples = scalar(ds, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    report.graphs = scalar(ds, "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")


def remove(names: Iterable[str], store: Path) -> BuildReport:
    """Remove documents (by file name) and their facts; an entity goes only when no remaining
    document names it. ``built`` lists the documents removed, ``skipped`` those not found."""
    report = BuildReport()
    with writing(store) as ds:
        graphs = {str(file): graph for graph, file, _, _ in select(ds, _EXISTING)}
        for name in names:
            if name in graphs:
                oxigraph(ds).remove_graph(ox.NamedNode(str(graphs[name])))
                report.built.append(name)
            else:
                report.skipped.append((name, "no such document in the graph"))
        if report.built:
            _refresh_corpus(ds)
        _count(ds, report)
    return report
