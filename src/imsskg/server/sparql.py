"""The SPARQL 1.1 Protocol over a read-only Oxigraph store, with a time and a size limit.

Results are written here (not by Oxigraph) so that the size limit can stop reading early.

>>> store = Store.memory()
>>> result = execute(store, "SELECT ?x WHERE { VALUES ?x { 1 } }", limits=Limits())
>>> serialize(result, "application/sparql-results+json")[0].decode().split()[0]
'{"head":'
"""

from __future__ import annotations

import csv
import io
import json
import re
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from imsskg.graph.corpus import CORPUS
from imsskg.graph.store import Store, code_of, declares_dataset
from imsskg.ontology import XSD
from imsskg.queries import parameter

SELECT_TYPES = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
GRAPH_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}


class QueryError(Exception):
    """A query that cannot be answered; ``status`` is the HTTP status to reply with."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Limits:
    """How long a query may run (seconds), how many results it may return, and how much memory
    the process that evaluates it may hold (MiB)."""

    timeout: float = 10.0
    max_results: int = 10_000
    memory_mib: int = 512


@dataclass(frozen=True)
class Result:
    """What a query returned: a SELECT table, an ASK answer, or triples."""

    kind: str  # "select", "ask" or "graph"
    variables: tuple[str, ...] = ()
    rows: tuple[tuple[ox.NamedNode | ox.BlankNode | ox.Literal | None, ...], ...] = ()
    boolean: bool = False
    triples: tuple[ox.Triple, ...] = ()


def bounded(items: Iterable[Any], limits: Limits, started: float) -> tuple[list[Any], QueryError | None]:
    """Read results within the limits. Errors are returned, not raised: an exception would keep
    Oxigraph's result iterator alive, and it must be dropped on the thread that made it."""
    out: list[Any] = []
    for item in items:
        if len(out) >= limits.max_results:
            return out, QueryError(422, f"the result has more than {limits.max_results} rows: add a LIMIT")
        if time.monotonic() - started > limits.timeout:
            return out, QueryError(503, f"the query ran longer than {limits.timeout:g} s")
        out.append(item)
    return out, None


_SERVICE = re.compile(r"\bSERVICE\b", re.IGNORECASE)


def refuse_service(query: str) -> None:
    """Refuse a query that asks another SPARQL service (``SERVICE``): the endpoint never sends a
    request anywhere because of a query.

    >>> refuse_service('SELECT * WHERE { ?s ?p "SERVICE" }  # a SERVICE in a comment')
    >>> refuse_service("SELECT * WHERE { service <http://127.0.0.1:9/> { ?s ?p ?o } }")
    Traceback (most recent call last):
    ...
    imsskg.server.sparql.QueryError: SERVICE is refused: this endpoint answers from its own graph only
    """
    if _SERVICE.search(code_of(query)):
        raise QueryError(400, "SERVICE is refused: this endpoint answers from its own graph only")


def execute(
    store: Store, query: str, *, limits: Limits, bindings: dict[str, str] | None = None,
    dataset: tuple[list[str], list[str]] | None = None,
) -> Result:  # fmt: skip
    """Run a query within ``limits``; ``bindings`` are substituted for variables (a value
    starting with http(s):// as an IRI, others as strings). The dataset is the protocol's
    ``dataset`` (default and named graph IRIs) when given, else the query's ``FROM`` / ``FROM
    NAMED``, else the endpoint's: the corpus graph as default graph (each entity, post and fact
    once) and every graph, the corpus graph and one per press release, as named graphs."""
    started = time.monotonic()
    refuse_service(query)
    graphs: dict[str, list[ox.NamedNode]] = {}
    if dataset is None and not declares_dataset(query):
        graphs = {"default_graphs": [CORPUS]}  # each entity and fact once; every graph named
    elif dataset is not None:
        try:
            graphs = {"default_graphs": [ox.NamedNode(g) for g in dataset[0]]}
            graphs["named_graphs"] = [ox.NamedNode(g) for g in dataset[1]]
        except ValueError as exc:
            raise QueryError(400, f"not a graph IRI: {exc}") from exc
        if not dataset[1]:
            del graphs["named_graphs"]  # only default graphs given: every named graph stays
    try:
        answer = store.solutions(query, bindings={k: parameter(v) for k, v in (bindings or {}).items()}, **graphs)
    except SyntaxError as exc:
        raise QueryError(400, f"malformed query: {exc}") from exc
    except (OSError, ValueError, RuntimeError) as exc:
        raise QueryError(400, f"query failed: {exc}") from exc
    if isinstance(answer, ox.QueryBoolean):
        return Result("ask", boolean=bool(answer))
    variables = tuple(v.value for v in answer.variables) if isinstance(answer, ox.QuerySolutions) else ()
    items, problem = bounded(answer, limits, started)
    del answer
    if problem:
        raise problem
    if variables:
        return Result("select", variables, tuple(tuple(s[v] for v in variables) for s in items))
    return Result("graph", triples=tuple(items))


def negotiate(accept: str, offered: Sequence[str], default: str) -> str | None:
    """The first offered media type the Accept header allows (by q-value), or ``None``."""
    if not accept.strip():
        return default
    ranked = []
    for position, part in enumerate(accept.split(",")):
        media, *params = (p.strip() for p in part.split(";"))
        q = next((float(p[2:]) for p in params if p.startswith("q=") and p[2:].replace(".", "", 1).isdigit()), 1.0)
        ranked.append((-q, position, media.lower()))
    for _, _, media in sorted(ranked):
        if media in ("*/*", "application/*", "text/*"):
            return default if media == "*/*" else next((o for o in offered if o.startswith(media[:-1])), None)
        if media in offered:
            return media
    return None


def _json_term(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype != XSD.string:
        out["datatype"] = term.datatype.value
    return out


def _xml_term(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
    if term.datatype != XSD.string:
        return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
    return f"<literal>{escape(term.value)}</literal>"


def serialize(result: Result, media: str) -> tuple[bytes, str]:
    """The body and content type of a result in ``media`` (a type this module offers)."""
    if result.kind == "graph":
        return ox.serialize(result.triples, format=GRAPH_TYPES[media]) or b"", media
    style = SELECT_TYPES[media]
    if style == "json":
        if result.kind == "ask":
            body = {"head": {}, "boolean": result.boolean}
        else:
            bindings = [
                {v: _json_term(t) for v, t in zip(result.variables, row, strict=True) if t is not None}
                for row in result.rows
            ]
            body = {"head": {"vars": list(result.variables)}, "results": {"bindings": bindings}}
        return json.dumps(body, ensure_ascii=False).encode(), "application/sparql-results+json"
    if style == "xml":
        head = "".join(f"<variable name={quoteattr(v)}/>" for v in result.variables)
        if result.kind == "ask":
            inner = f"<boolean>{'true' if result.boolean else 'false'}</boolean>"
        else:
            inner = (
                "<results>"
                + "".join(
                    "<result>"
                    + "".join(
                        f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                        for v, t in zip(result.variables, row, strict=True)
                        if t is not None
                    )
                    + "</result>"
                    for row in result.rows
                )
                + "</results>"
            )
        xml = f'<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>{head}</head>{inner}</sparql>'
        return xml.encode(), "application/sparql-results+xml"
    if result.kind == "ask":
        raise QueryError(406, "an ASK answer has no CSV or TSV form: ask for JSON or XML")
    out = io.StringIO()
    if style == "csv":
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(result.variables)
        writer.writerows([["" if t is None else t.value for t in row] for row in result.rows])
        return out.getvalue().encode(), "text/csv; charset=utf-8"
    out.write("\t".join(f"?{v}" for v in result.variables) + "\n")
    for row in result.rows:
        out.write("\t".join("" if t is None else str(t) for t in row) + "\n")
    return out.getvalue().encode(), "text/tab-separated-values; charset=utf-8"
