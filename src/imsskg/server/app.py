"""The Starlette application behind ``imsskg serve``.

Routes: ``/`` query page, ``/sparql`` SPARQL 1.1 Protocol, ``/id/...`` entity pages (HTML,
Turtle, JSON-LD, N-Triples by ``Accept`` or by suffix), ``/search``, ``/network``,
``/.well-known/void``, ``/dump.ttl|nq|jsonld``, ``/static/...``.
"""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import Iterator
from functools import cached_property
from importlib.resources import files
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, unquote

import networkx as nx
import pyoxigraph as ox
from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response, StreamingResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from imsskg.config import settings
from imsskg.graph.export import Format, export
from imsskg.graph.store import Store
from imsskg.network.analysis import entity_network
from imsskg.network.html import embed_json, render
from imsskg.queries import named_queries
from imsskg.server import pages
from imsskg.server.sparql import GRAPH_TYPES, SELECT_TYPES, Limits, QueryError, execute, negotiate, serialize

_SUFFIXES = {".ttl": "text/turtle", ".jsonld": "application/ld+json", ".nt": "application/n-triples"}
_TYPES = ("Person", "Organization", "Hospital", "Program", "State", "City")  # in the order the filters show


class Graph:
    """The store the build wrote, opened read-only once, and what the pages derive from it."""

    def __init__(self, path: Path, base_iri: str) -> None:
        self.path = path
        self.base_iri = base_iri
        self.store = Store.open(path)

    @cached_property
    def labels(self) -> list[pages.Label]:
        return pages.labels(self.store)

    @cached_property
    def preferred(self) -> dict[str, str]:
        return {str(n): d["label"] for n, d in self.network.nodes(data=True)}

    @cached_property
    def network(self) -> nx.Graph:
        """The whole entity network, built once; views annotate the part they show."""
        return entity_network(self.store)

    @cached_property
    def documents(self) -> list[dict[str, str | None]]:
        return pages.rows(
            self.store,
            "SELECT ?d ?file ?date WHERE { ?d a ikg:PressRelease ; ikg:sourceFile ?file "
            "OPTIONAL { ?d schema:datePublished ?date } } ORDER BY ?file",
        )

    def local(self, iri: str) -> str | None:
        """The path on this server of an IRI minted by the build."""
        return "/id/" + quote(iri[len(self.base_iri) :]) if iri.startswith(self.base_iri) else None


def create_app(store: Path, *, base_iri: str | None = None, limits: Limits | None = None) -> Starlette:
    """The web application over the store at ``store`` (read-only)."""
    graph = Graph(store, base_iri or settings.base_iri)
    limits = limits or Limits()
    env = Environment(loader=PackageLoader("imsskg.server", "templates"), autoescape=select_autoescape(["html"]))
    env.globals["local"] = graph.local

    def page(name: str, status: int = 200, **context: Any) -> HTMLResponse:
        return HTMLResponse(env.get_template(name).render(**context), status_code=status)

    async def home(request: Request) -> Response:
        library = [
            {"name": q.name, "description": q.description, "text": q.text, "params": q.params}
            for q in named_queries().values()
        ]
        # embed_json escapes <, > and & so that the JSON cannot close its <script> element
        return page("home.html", queries=library, queries_json=embed_json(library))

    async def sparql(request: Request) -> Response:
        query: str | None = request.query_params.get("query")
        if request.method == "POST":
            content_type = request.headers.get("content-type", "").split(";")[0].strip()
            if content_type == "application/sparql-query":
                query = (await request.body()).decode("utf-8")
            elif content_type == "application/sparql-update":
                return PlainTextResponse("this endpoint is read-only: updates are refused", status_code=403)
            elif content_type in ("application/x-www-form-urlencoded", ""):
                form = parse_qs((await request.body()).decode("utf-8"))
                if "update" in form:
                    return PlainTextResponse("this endpoint is read-only: updates are refused", status_code=403)
                query = (form.get("query") or [""])[0] or query
            else:
                return PlainTextResponse(f"unsupported content type {content_type!r}", status_code=415)
        if "update" in request.query_params:
            return PlainTextResponse("this endpoint is read-only: updates are refused", status_code=403)
        if not query:
            return PlainTextResponse("give a SPARQL query as ?query=, a form field or an application/sparql-query body",
                                     status_code=400)  # fmt: skip
        try:
            result = await asyncio.wait_for(
                run_in_threadpool(execute, graph.store, query, limits=limits), timeout=limits.timeout + 1
            )
        except QueryError as exc:
            return PlainTextResponse(str(exc), status_code=exc.status)
        except TimeoutError:
            return PlainTextResponse(f"the query ran longer than {limits.timeout:g} s", status_code=503)
        offered = list(GRAPH_TYPES) if result.kind == "graph" else list(SELECT_TYPES)
        default = "text/turtle" if result.kind == "graph" else "application/sparql-results+json"
        media = negotiate(request.headers.get("accept", ""), offered, default)
        if media is None:
            return PlainTextResponse(f"cannot answer in the accepted types; offered: {', '.join(offered)}",
                                     status_code=406)  # fmt: skip
        try:
            body, content_type = serialize(result, media)
        except QueryError as exc:
            return PlainTextResponse(str(exc), status_code=exc.status)
        return Response(body, media_type=content_type, headers={"Vary": "Accept"})

    async def named(request: Request) -> Response:
        """A named query run with its parameters bound (defaults, overridden by the URL's)."""
        library = named_queries()
        name = request.path_params["name"]
        if name not in library:
            return PlainTextResponse(f"no query named {name!r}", status_code=404)
        query = library[name]
        values = {k: request.query_params.get(k, v) for k, v in query.params.items()}
        try:
            result = await asyncio.wait_for(
                run_in_threadpool(execute, graph.store, query.text, limits=limits, bindings=values),
                timeout=limits.timeout + 1,
            )
        except QueryError as exc:
            return PlainTextResponse(str(exc), status_code=exc.status)
        except TimeoutError:
            return PlainTextResponse(f"the query ran longer than {limits.timeout:g} s", status_code=503)
        body, content_type = serialize(result, "application/sparql-results+json")
        return Response(body, media_type=content_type)

    async def entity(request: Request) -> Response:
        path = unquote(request.path_params["path"])
        media = None
        for suffix, suffix_media in _SUFFIXES.items():
            if path.endswith(suffix):
                path, media = path[: -len(suffix)], suffix_media
        iri = graph.base_iri + path
        offered = ["text/html", *GRAPH_TYPES]
        media = media or negotiate(request.headers.get("accept", ""), offered, "text/html")
        if media is None:
            return PlainTextResponse(f"offered: {', '.join(offered)}", status_code=406)
        if media != "text/html":
            body = await run_in_threadpool(pages.entity_rdf, graph.store, iri, GRAPH_TYPES[media])
            if not body.strip():
                return PlainTextResponse(f"no entity {iri}", status_code=404)
            return Response(body, media_type=media, headers={"Vary": "Accept"})
        data = await run_in_threadpool(pages.entity_page, graph.store, iri)
        if data is None:
            return page("missing.html", status=404, iri=iri)
        return page("entity.html", e=data, path=quote(path), network_src=f"/network?focus={quote(iri, safe='')}")

    async def search(request: Request) -> Response:
        hits = pages.search(graph.labels, graph.preferred, request.query_params.get("q", ""))
        for hit in hits:
            hit["page"] = graph.local(hit["iri"]) or ""
        return JSONResponse(hits)

    async def network(request: Request) -> Response:
        params = request.query_params
        try:
            g = await run_in_threadpool(_filtered, graph, params, limits)
        except QueryError as exc:
            return PlainTextResponse(str(exc), status_code=exc.status)
        toolbar = env.get_template("network_filters.html").render(
            types=_TYPES, documents=graph.documents, params=params
        )
        # laying out and scoring the view takes a moment: off the event loop
        return HTMLResponse(await run_in_threadpool(render, g, toolbar=toolbar, page_of=graph.local))

    described: dict[str, str] = {}  # VoID by base URL: the store is read-only, its counts do not change

    async def void(request: Request) -> Response:
        base = str(request.base_url)
        if base not in described:
            described[base] = await run_in_threadpool(
                pages.void, graph.store, endpoint=base + "sparql", base=base, uri_space=graph.base_iri
            )
        return Response(described[base], media_type="text/turtle")

    def dump(fmt: Format) -> Any:
        async def handler(request: Request) -> Response:
            # written to a temporary file off the event loop and sent from there: a dump of a
            # large graph does not fit in memory
            path = await run_in_threadpool(_dump_file, graph, fmt)

            def chunks() -> Iterator[bytes]:
                try:
                    with path.open("rb") as f:
                        while block := f.read(1 << 20):
                            yield block
                finally:
                    path.unlink(missing_ok=True)

            return StreamingResponse(chunks(), media_type=fmt.media_type)

        return handler

    static = StaticFiles(directory=str(files("imsskg.server").joinpath("static")), follow_symlink=True)
    routes = [
        Route("/", home),
        Route("/sparql", sparql, methods=["GET", "POST"]),
        Route("/queries/{name}", named),
        Route("/id/{path:path}", entity),
        Route("/search", search),
        Route("/network", network),
        Route("/.well-known/void", void),
        Route("/dump.ttl", dump(Format.turtle)),
        Route("/dump.nq", dump(Format.nquads)),
        Route("/dump.jsonld", dump(Format.jsonld)),
        Mount("/static", static, name="static"),
    ]
    app = Starlette(routes=routes)
    app.state.graph = graph
    return app


def _dump_file(graph: Graph, fmt: Format) -> Path:
    """The whole graph in ``fmt``, in a temporary file the caller removes."""
    with tempfile.NamedTemporaryFile(prefix="imsskg-dump-", delete=False) as f:
        export(graph.store, fmt, f)
    return Path(f.name)


def _filtered(graph: Graph, params: Any, limits: Limits) -> nx.Graph:
    """The part of the network the filters ask for: type, document, date range, focus, a query."""
    g = graph.network
    keep = set(g.nodes)
    if params.get("type"):
        keep = {n for n in keep if g.nodes[n]["type"] == params["type"]}
    if params.get("doc") or params.get("from") or params.get("to"):
        docs = {
            d["d"] for d in graph.documents
            if (not params.get("doc") or d["file"] == params["doc"])
            and (not params.get("from") or (d["date"] or "") >= params["from"])
            and (not params.get("to") or (d["date"] or "9999") <= params["to"])
        }  # fmt: skip
        named = {
            str(r["e"])
            for d in docs
            for r in pages.rows(graph.store, "SELECT ?d ?e WHERE { ?d schema:mentions ?e }", d=ox.NamedNode(str(d)))
        }
        keep &= named
    if params.get("focus"):
        focus = params["focus"]
        keep &= set(nx.ego_graph(g, focus, radius=1)) if focus in g else set()
    if params.get("sparql"):
        result = execute(graph.store, params["sparql"], limits=limits)
        iris = {t.value for row in result.rows for t in row if isinstance(t, ox.NamedNode)}
        iris |= {x.value for t in result.triples for x in (t.subject, t.object) if isinstance(x, ox.NamedNode)}
        keep &= iris
    return g.subgraph(keep)
