"""Counts over the built graph: documents, entities per type, facts per predicate, statements.

Every count but the statements is an index scan of the corpus graph (or of one predicate), not
a query over every statement, so the summary of a build stays cheap on large graphs.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import Dataset

from imsskg.graph.store import oxigraph
from imsskg.model import ENTITY_TYPES

_IKG = "https://w3id.org/imsskg/ontology#"
_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_GraphName = ox.NamedNode | ox.BlankNode | ox.DefaultGraph
PREDICATE_NAMES = {
    "http://www.w3.org/ns/org#holds": "holdsPost",
    "https://w3id.org/imsskg/ontology#represents": "represents",
    "https://schema.org/containedInPlace": "locatedIn",
    "https://w3id.org/imsskg/ontology#operatesIn": "operatesIn",
    "https://w3id.org/imsskg/ontology#partOf": "partOf",
}


@dataclass(frozen=True)
class Stats:
    """What the graph holds."""

    documents: int
    entities: dict[str, int]
    relations: dict[str, int]


def _count(store: ox.Store, p: ox.NamedNode, o: ox.NamedNode | None, g: _GraphName | None) -> int:
    return sum(1 for _ in store.quads_for_pattern(None, p, o, g))


def _corpus_graphs(store: ox.Store) -> list[_GraphName]:
    marks = store.quads_for_pattern(None, _TYPE, ox.NamedNode(_IKG + "CorpusGraph"))
    return [q.graph_name for q in marks if q.subject == q.graph_name]


def entity_counts(store: ox.Store) -> dict[str, int]:
    """Entities per type (``Person``, ``Hospital``…), from the corpus graph."""
    corpus = _corpus_graphs(store)
    counts = {name: sum(_count(store, _TYPE, ox.NamedNode(_IKG + name), g) for g in corpus) for name in ENTITY_TYPES}
    return {k: v for k, v in counts.items() if v}


def document_count(store: ox.Store) -> int:
    """Press releases in the graph."""
    return _count(store, _TYPE, ox.NamedNode(_IKG + "PressRelease"), None)


def graph_stats(ds: Dataset) -> Stats:
    """Count documents, entities per type and distinct facts per predicate."""
    store = oxigraph(ds)
    corpus = _corpus_graphs(store)
    relations = {
        name: sum(_count(store, ox.NamedNode(iri), None, g) for g in corpus) for iri, name in PREDICATE_NAMES.items()
    }
    return Stats(document_count(store), entity_counts(store), {k: v for k, v in sorted(relations.items()) if v})


def statements(ds: Dataset) -> int:
    """Statements stored (a triple in two named graphs counts twice): a scan of the store."""
    return len(oxigraph(ds))
