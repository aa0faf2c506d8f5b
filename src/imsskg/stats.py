"""Counts over the built graph: documents, entities per type, facts per predicate, statements.

Every count but the statements is an index scan of the corpus graph (or of one predicate), not
a query over every statement, so the summary of a build stays cheap on large graphs.

>>> from imsskg.graph.store import Store
>>> graph_stats(Store.memory())
Stats(documents=0, entities={}, relations={})
"""

from __future__ import annotations

from dataclasses import dataclass

from imsskg.graph.corpus import CORPUS
from imsskg.graph.store import Store
from imsskg.ontology import CLASSES, IKG, PREDICATES, RDF


@dataclass(frozen=True)
class Stats:
    """What the graph holds."""

    documents: int
    entities: dict[str, int]
    relations: dict[str, int]


def entity_counts(store: Store) -> dict[str, int]:
    """Entities per type (``Person``, ``Hospital``…), from the corpus graph."""
    counts = {name: store.count(None, RDF.type, klass, CORPUS) for name, klass in CLASSES.items()}
    return {k: v for k, v in counts.items() if v}


def document_count(store: Store) -> int:
    """Press releases in the graph."""
    return store.count(None, RDF.type, IKG.PressRelease, None)


def graph_stats(store: Store) -> Stats:
    """Count documents, entities per type and distinct facts per predicate."""
    relations = {name: store.count(None, p, None, CORPUS) for name, p in PREDICATES.items()}
    return Stats(document_count(store), entity_counts(store), {k: v for k, v in sorted(relations.items()) if v})


def statements(store: Store) -> int:
    """Statements stored (a triple in two named graphs counts twice): a scan of the store."""
    return len(store)
