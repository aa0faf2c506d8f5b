"""Counts over the built graph: documents, entities per type, facts per predicate, statements."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import Dataset

from imsskg.graph.store import oxigraph, select

_ENTITIES = """
PREFIX ikg: <https://w3id.org/imsskg/ontology#>
SELECT ?class (COUNT(DISTINCT ?e) AS ?n) WHERE {
  GRAPH ?cg { ?cg a ikg:CorpusGraph . ?e a ?class }
  VALUES ?class { ikg:Person ikg:Organization ikg:Hospital ikg:Program ikg:State ikg:City }
} GROUP BY ?class"""
_RELATIONS = """
PREFIX ikg: <https://w3id.org/imsskg/ontology#>
SELECT ?p (COUNT(*) AS ?n) WHERE {
  GRAPH ?cg { ?cg a ikg:CorpusGraph . ?s ?p ?o }
  VALUES ?p { %s }
} GROUP BY ?p"""
PREDICATE_NAMES = {
    "http://www.w3.org/ns/org#holds": "holdsPost",
    "https://w3id.org/imsskg/ontology#represents": "represents",
    "https://schema.org/containedInPlace": "locatedIn",
    "https://w3id.org/imsskg/ontology#operatesIn": "operatesIn",
    "https://w3id.org/imsskg/ontology#partOf": "partOf",
}
_PRESS_RELEASE = ox.NamedNode("https://w3id.org/imsskg/ontology#PressRelease")
_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


@dataclass(frozen=True)
class Stats:
    """What the graph holds."""

    documents: int
    entities: dict[str, int]
    relations: dict[str, int]


def graph_stats(ds: Dataset) -> Stats:
    """Count documents, entities per type and distinct facts per predicate.

    Every count reads the corpus graph or an index, never all the statements, so it stays
    cheap on large graphs.
    """
    entities = {str(c).rsplit("#", 1)[-1]: int(n) for c, n in select(ds, _ENTITIES)}
    values = " ".join(f"<{p}>" for p in PREDICATE_NAMES)
    relations = {PREDICATE_NAMES[str(p)]: int(n) for p, n in select(ds, _RELATIONS % values)}
    documents = sum(1 for _ in oxigraph(ds).quads_for_pattern(None, _TYPE, _PRESS_RELEASE, None))
    return Stats(documents, dict(sorted(entities.items())), dict(sorted(relations.items())))


def statements(ds: Dataset) -> int:
    """Statements stored (a triple in two named graphs counts twice): a scan of the store."""
    return len(oxigraph(ds))
