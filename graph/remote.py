"""Write the graph into any SPARQL 1.1 store through the Graph Store Protocol, and query one
through the SPARQL Protocol.

A build still writes the local store first (it keeps the content hashes that make rebuilds
cheap); then every named graph that changed is PUT to the remote store, replacing it there, and
every graph that left is DELETEd.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path

import httpx
import pyoxigraph as ox
from imsskg.graph.store import oxigraph, reading
from imsskg.queries import NamedQuery, Table
from rdflib import Literal, URIRef


class RemoteError(Exception):
    """The remote store answered with an error, or could not be reached."""


def push(store: Path, target: str, graphs: Iterable[str], removed: Iterable[str] = ()) -> int:
    """PUT each named graph of ``graphs`` from the local store to ``target`` (a Graph Store
    Protocol endpoint, e.g. ``http://host:7878/store``) and DELETE ``removed``; returns the
    number of graphs written."""
    written = 0
    with reading(store) as ds, httpx.Client(timeout=120) as http:
        local = oxigraph(ds)
        for graph in graphs:
            body = local.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(graph)) or b""
            response = http.put(target, params={"graph": graph}, content=body,
                                headers={"Content-Type": "application/n-triples"})  # fmt: skip
            if response.status_code >= 400:
                raise RemoteError(f"PUT {graph} to {target}: {response.status_code} {response.text[:200]}")
            written += 1
        for graph in removed:
            response = http.delete(target, params={"graph": graph})
            if response.status_code >= 400 and response.status_code != 404:
                raise RemoteError(f"DELETE {graph} at {target}: {response.status_code} {response.text[:200]}")
    return written


def bind(query: NamedQuery, values: Mapping[str, str]) -> str:
    """The query with each parameter replaced by its value, as Oxigraph's substitutions do
    (SEP-0007): in the body the variable becomes the term, in the projection ``(term AS ?var)``.
    Terms are written by rdflib, so a value can never change the query's shape.

    >>> q = NamedQuery("x", "", 'SELECT ?name ?e WHERE { ?e ?p ?name }', {"name": "x"})
    >>> print(bind(q, {"name": 'a" } DROP ALL {'}))
    SELECT ("a\\" } DROP ALL {" AS ?name) ?e WHERE { ?e ?p "a\\" } DROP ALL {" }
    """
    text = re.sub(r"(?m)^#.*$", "", query.text)  # comments may name the parameters too
    where = re.search(r"\bWHERE\s*\{", text, re.IGNORECASE)
    if not where:
        raise ValueError(f"query {query.name} has no WHERE clause to bind its parameters in")
    depth, close = 0, len(text)
    for i in range(where.end() - 1, len(text)):  # the brace that closes the WHERE clause
        depth += {"{": 1, "}": -1}.get(text[i], 0)
        if depth == 0:
            close = i + 1
            break
    head, body, tail = text[: where.start()], text[where.start() : close], text[close:]
    for name, value in {**query.params, **values}.items():
        term = (URIRef(value) if re.match(r"https?://", value) else Literal(value)).n3()
        projected = f"({term} AS ?{name})"
        head = re.sub(rf"\?{name}\b", lambda _: projected, head, count=1)  # noqa: B023 (used at once)
        body = re.sub(rf"\?{name}\b", lambda _: term, body)  # noqa: B023
        tail = re.sub(rf"(GROUP BY[^\n]*?)\?{name}\b", r"\1", tail)  # a constant is not grouped on
    return (head + body + tail).strip()


def remote_select(endpoint: str, query: NamedQuery, values: Mapping[str, str] | None = None) -> Table:
    """Run a SELECT on a remote SPARQL endpoint (SPARQL 1.1 Protocol, JSON results)."""
    try:
        response = httpx.post(
            endpoint,
            data={"query": bind(query, values or {})},
            headers={"Accept": "application/sparql-results+json"},
            timeout=120,
        )
    except httpx.HTTPError as exc:
        raise RemoteError(f"{endpoint}: {exc}") from exc
    if response.status_code >= 400:
        raise RemoteError(f"{endpoint}: {response.status_code} {response.text[:300]}")
    body = response.json()
    columns = [c for c in body["head"]["vars"] if c not in {**query.params, **(values or {})}]
    rows = [[b.get(c, {}).get("value") for c in columns] for b in body["results"]["bindings"]]
    return Table(columns, rows)
