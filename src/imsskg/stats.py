"""Counts over the built graph: documents, entities per type, relations per predicate, triples."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Dataset

from imsskg.graph.store import scalar, select

_ENTITIES = """
PREFIX ikg: <https://w3id.org/imsskg/ontology#>
SELECT ?class (COUNT(DISTINCT ?e) AS ?n) WHERE {
  GRAPH ?cg { ?cg a ikg:CorpusGraph . ?e a ?class }
  VALUES ?class { ikg:Person ikg:Organization ikg:Hospital ikg:Program ikg:State ikg:City }
} GROUP BY ?class"""
_RELATIONS = """
PREFIX ikg: <https://w3id.org/imsskg/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
SELECT ?p (COUNT(DISTINCT ?f) AS ?n) WHERE { ?f a ikg:Statement ; rdf:predicate ?p } GROUP BY ?p"""
_DOCUMENTS = """
PREFIX ikg: <https://w3id.org/imsskg/ontology#>
SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a ikg:PressRelease }"""
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
    triples: int


def graph_stats(ds: Dataset) -> Stats:
    """Count documents, entities per type, statements per predicate and distinct triples."""
    entities = {str(c).rsplit("#", 1)[-1]: int(n) for c, n in select(ds, _ENTITIES)}
    relations = {PREDICATE_NAMES.get(str(p), str(p)): int(n) for p, n in select(ds, _RELATIONS)}
    documents = scalar(ds, _DOCUMENTS)
    # statements stored, counted without the full DISTINCT scan of len(ds)
    statements = scalar(ds, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    return Stats(documents, dict(sorted(entities.items())), dict(sorted(relations.items())), statements)
