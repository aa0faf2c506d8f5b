"""Write the graph into any SPARQL 1.1 store through its Update endpoint (querying one is
:mod:`imsskg.queries.remote`), sending only what a build changed.

A build still writes the local store first (it keeps the content hashes that make rebuilds
cheap); then each document graph it wrote replaces the remote one (``DROP SILENT GRAPH`` and
``INSERT DATA``), each graph it removed is dropped, and the corpus graph gets the fold's net
changes (``DELETE DATA`` and ``INSERT DATA``: see :class:`~imsskg.graph.corpus.Journal`), or
the whole corpus graph after a full fold. Updates go in requests of at most
:data:`TRIPLES_PER_REQUEST` triples, the document graphs first: each request is all or nothing
on the server.

>>> s, p = ox.NamedNode("urn:s"), ox.NamedNode("urn:p")
>>> print(insert_data(ox.NamedNode("urn:g"), [ox.Triple(s, p, ox.Literal("x"))]))
INSERT DATA { GRAPH <urn:g> {
<urn:s> <urn:p> "x" .
} }
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pyoxigraph as ox
from imsskg.graph.corpus import CORPUS, Journal
from imsskg.graph.store import Store

#: The most triples one update request carries.
TRIPLES_PER_REQUEST = 50_000


class RemoteError(Exception):
    """The remote store answered with an error, or could not be reached."""


@dataclass
class Pushed:
    """What was sent: document graphs written and dropped, corpus-graph triples taken out and
    put in (all of them after a full fold), and the number of requests."""

    graphs: int = 0
    dropped: int = 0
    removed: int = 0
    added: int = 0
    requests: int = 0


def _triples(quads: Iterable[ox.Quad | ox.Triple]) -> str:
    return "".join(f"{q.subject} {q.predicate} {q.object} .\n" for q in quads)


def insert_data(graph: ox.NamedNode, triples: Iterable[ox.Quad | ox.Triple]) -> str:
    """``INSERT DATA`` of ``triples`` into ``graph`` (terms written by pyoxigraph)."""
    return f"INSERT DATA {{ GRAPH {graph} {{\n{_triples(triples)}}} }}"


def delete_data(graph: ox.NamedNode, triples: Iterable[ox.Quad | ox.Triple]) -> str:
    """``DELETE DATA`` of ``triples`` from ``graph``."""
    return f"DELETE DATA {{ GRAPH {graph} {{\n{_triples(triples)}}} }}"


def _chunks(quads: list[ox.Quad]) -> Iterator[list[ox.Quad]]:
    for start in range(0, len(quads), TRIPLES_PER_REQUEST):
        yield quads[start : start + TRIPLES_PER_REQUEST]


def _updates(
    local: Store, graphs: Iterable[str], dropped: Iterable[str], changes: Journal | None, pushed: Pushed
) -> Iterator[str]:
    """The update requests, in order: documents, then the corpus graph."""
    batch: list[str] = []
    size = 0
    for iri in graphs:
        graph = ox.NamedNode(iri)
        quads = list(local.quads(None, None, None, graph))
        pushed.graphs += 1
        parts = [f"DROP SILENT GRAPH {graph}"] + [insert_data(graph, chunk) for chunk in _chunks(quads)]
        if size + len(quads) > TRIPLES_PER_REQUEST and batch:
            yield " ;\n".join(batch)
            batch, size = [], 0
        batch += parts
        size += len(quads)
    for iri in dropped:
        pushed.dropped += 1
        batch.append(f"DROP SILENT GRAPH {ox.NamedNode(iri)}")
    if batch:
        yield " ;\n".join(batch)
    if changes is None:  # a full fold: the corpus graph anew
        quads = list(local.quads(None, None, None, CORPUS))
        pushed.added = len(quads)
        yield f"DROP SILENT GRAPH {CORPUS}"
        yield from (insert_data(CORPUS, chunk) for chunk in _chunks(quads))
        return
    removed, added = sorted(changes.removed, key=str), sorted(changes.added, key=str)
    pushed.removed, pushed.added = len(removed), len(added)
    yield from (delete_data(CORPUS, chunk) for chunk in _chunks(removed))
    yield from (insert_data(CORPUS, chunk) for chunk in _chunks(added))


def push(
    store: Path, target: str, graphs: Iterable[str], dropped: Iterable[str] = (), changes: Journal | None = None
) -> Pushed:
    """Send to the SPARQL 1.1 Update endpoint ``target`` (e.g. ``http://host:7878/update``)
    each named graph of ``graphs`` from the local store, a drop of each of ``dropped``, and the
    corpus graph's ``changes`` (the whole corpus graph when there are none to go by)."""
    pushed = Pushed()
    with Store.open(store) as local, httpx.Client(timeout=300) as http:
        for update in _updates(local, graphs, dropped, changes, pushed):
            try:
                response = http.post(
                    target, content=update.encode("utf-8"), headers={"Content-Type": "application/sparql-update"}
                )
            except httpx.HTTPError as exc:
                raise RemoteError(f"cannot reach {target}: {exc}") from exc
            if response.status_code >= 400:
                raise RemoteError(f"update at {target}: {response.status_code} {response.text[:200]}")
            pushed.requests += 1
    return pushed
