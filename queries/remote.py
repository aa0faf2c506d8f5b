"""Run named queries on a remote SPARQL endpoint (SPARQL 1.1 Protocol, JSON results), their
parameters written into the text as RDF terms.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import httpx
import pyoxigraph as ox
from imsskg.graph.remote import RemoteError
from imsskg.graph.store import Rows, Value, value
from imsskg.graph.store import term as store_term
from imsskg.queries import NamedQuery, checked, parameter, where_clause


def bind(query: NamedQuery, values: Mapping[str, str]) -> str:
    """The query with each parameter replaced by its value, as Oxigraph's substitutions do
    (SEP-0007): in the body the variable becomes the term, in the projection ``(term AS ?var)``.
    Terms are written by pyoxigraph, so a value can never change the query's shape.

    >>> q = NamedQuery("x", "", 'SELECT ?name ?e WHERE { ?e ?p ?name }', {"name": "x"})
    >>> print(bind(q, {"name": 'a" } DROP ALL {'}))
    SELECT ("a\\" } DROP ALL {" AS ?name) ?e WHERE { ?e ?p "a\\" } DROP ALL {" }
    """
    text = re.sub(r"(?m)^#.*$", "", query.sparql)  # comments may name the parameters too
    try:
        start, close = where_clause(text)
    except ValueError as exc:
        raise ValueError(f"query {query.name}: {exc}") from exc
    head, body, tail = text[:start], text[start:close], text[close:]
    for name, given in checked(query, values).items():
        term = str(store_term(parameter(given)))
        projected = f"({term} AS ?{name})"
        head = re.sub(rf"\?{name}\b", lambda _: projected, head, count=1)  # noqa: B023 (used at once)
        body = re.sub(rf"\?{name}\b", lambda _: term, body)  # noqa: B023
        tail = re.sub(rf"(GROUP BY[^\n]*?)\?{name}\b", r"\1", tail)  # a constant is not grouped on
    return (head + body + tail).strip()


def remote_select(endpoint: str, query: NamedQuery, values: Mapping[str, str] | None = None) -> Rows:
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
    columns = tuple(c for c in body["head"]["vars"] if c not in {**query.params, **(values or {})})
    rows = tuple(tuple(_value(b.get(c)) for c in columns) for b in body["results"]["bindings"])
    return Rows(columns, rows)


def _value(binding: dict[str, str] | None) -> Value:
    """A value of SPARQL JSON results, typed as the local store types it."""
    if binding is None:
        return None
    if binding["type"] == "uri":
        return value(ox.NamedNode(binding["value"]))
    if binding["type"] == "bnode":
        return binding["value"]
    if "datatype" in binding:
        return value(ox.Literal(binding["value"], datatype=ox.NamedNode(binding["datatype"])))
    return binding["value"]
