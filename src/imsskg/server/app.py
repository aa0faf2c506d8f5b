"""The Starlette application behind ``imsskg serve``: a thin layer over the store and the pages.

Routes: ``/`` query page, ``/sparql`` SPARQL 1.1 Protocol, ``/queries/NAME`` named queries,
``/id/...`` entity and document pages (HTML, Turtle, JSON-LD, N-Triples by ``Accept`` or by
suffix), ``/search``, ``/network``, ``/map``, ``/.well-known/void`` (HTML or Turtle),
``/dump.ttl|nq|jsonld``, ``/static/...`` (with ``vendor/``: the bundles ``web/build.mjs`` makes).

Every request is untrusted: queries that would leave the server (``SERVICE``) are refused,
bodies and URLs are bounded, and every response carries a strict Content-Security-Policy (the
scripts are the package's own files; the network's layout runs in a ``blob:`` web worker).
"""

from __future__ import annotations

import datetime as dt
import tempfile
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager
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
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response, StreamingResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from imsskg.config import settings
from imsskg.graph.export import Format, export
from imsskg.graph.store import Store, folder_identity
from imsskg.network.analysis import OVERVIEW_NODES, entity_network
from imsskg.network.html import embed_json, render
from imsskg.ontology import IKG, label
from imsskg.queries import ParameterError, checked, named_queries, paged
from imsskg.server import pages
from imsskg.server.pool import QueryPool
from imsskg.server.sparql import GRAPH_TYPES, Limits, QueryError, negotiate, refuse_service
from imsskg.stats import entity_counts

_SUFFIXES = {".ttl": "text/turtle", ".jsonld": "application/ld+json", ".nt": "application/n-triples"}
_TYPES = ("Person", "Organization", "Hospital", "Program", "State", "City")  # in the order the filters show
_TYPE_NAMES = {t: label(IKG[t]) for t in _TYPES}  # the ontology's Spanish labels: "Unidad médica"
#: The largest request body (a SPARQL query or form) and URL the server reads, in bytes.
#: How long a search waits for the search box's index before it answers from whole words.
SEARCH_WAIT = 1.0
MAX_BODY = 1 << 20
MAX_URL = 16 << 10
_READ_ONLY = "this endpoint is read-only: updates are refused"
_DISTINCT_TRIPLES = "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }"


class Graph:
    """The store the build wrote, opened read-only once, and what the pages derive from it."""

    def __init__(self, path: Path, base_iri: str) -> None:
        self.path = path
        self.base_iri = base_iri
        self.store = Store.open(path)
        #: set once the network's first view and the search box's index are built, beside the
        #: requests (tens of seconds on a large graph), from the moment the graph is opened (and
        #: again for a rebuilt store)
        self.index_ready = threading.Event()
        threading.Thread(target=self.build_index, name="imsskg-search-index", daemon=True).start()

    @cached_property
    def labels(self) -> list[pages.Label]:
        """Every label, folded, for the search box (built once, in the background from start)."""
        return pages.labels(self.store)

    def build_index(self) -> None:
        """Build what the first requests read, beside them: the network's first view (seconds on
        a large graph: :attr:`overview`), then the search box's index (:attr:`labels`,
        :attr:`preferred`)."""
        try:
            _ = self.overview
        finally:
            _ = self.preferred
            self.index_ready.set()

    @cached_property
    def preferred(self) -> dict[str, str]:
        return {label.iri: label.label for label in self.labels if label.preferred}

    @cached_property
    def network(self) -> nx.Graph:
        """The relations between entities, built once (at the first filter); views show a part of it."""
        return entity_network(self.store)

    @cached_property
    def overview(self) -> nx.Graph:
        """The view without filters: the entities named in most press releases, chosen in SPARQL,
        and the relations between them (the whole network is not built for it)."""
        return entity_network(self.store, top=OVERVIEW_NODES)

    @cached_property
    def entity_total(self) -> int:
        return sum(entity_counts(self.store).values())

    @cached_property
    def comentions(self) -> nx.Graph:
        """The relations and the co-mentions (pairs named in one sentence), built once."""
        return entity_network(self.store, comentions=True)

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


class Site:
    """The handlers of the web app, over one :class:`Graph` and its limits.

    A build swaps a new store folder in place of the one served: the site notices (it looks at
    most once a second) and serves the new graph from the next request on.
    """

    def __init__(self, graph: Graph, limits: Limits, *, workers: int = 8) -> None:
        self._graph = graph
        self.pool = QueryPool(graph.path, limits, size=min(2, workers), most=workers)
        self._identity = folder_identity(graph.path)
        self._checked = time.monotonic()
        self.limits = limits
        self.env = Environment(
            loader=PackageLoader("imsskg.server", "templates"), autoescape=select_autoescape(["html"])
        )
        self.env.globals["local"] = self.local
        self.described: pages.Description | None = None  # of the graph served (VoID)

    @property
    def graph(self) -> Graph:
        """The graph served: the store at the path, reopened after a build swapped it."""
        now = time.monotonic()
        if now - self._checked >= 1.0:
            self._checked = now
            try:
                identity = folder_identity(self._graph.path)
            except OSError:  # mid-swap: keep serving the graph open until the new one is there
                return self._graph
            if identity != self._identity:
                self._graph = Graph(self._graph.path, self._graph.base_iri)
                self._identity, self.described = identity, None
        return self._graph

    def local(self, iri: str) -> str | None:
        """The path on this server of an IRI minted by the build."""
        return self.graph.local(iri)

    def page(self, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        return HTMLResponse(self.env.get_template(name).render(**context), status_code=status)

    async def home(self, request: Request) -> Response:
        library = [
            {
                "name": q.name,
                "title": q.title,
                "description": q.summary,
                "text": q.text,
                "params": q.params,
                "pages": q.window is not None,
            }
            for q in named_queries().values()
        ]
        vocabulary = pages.editor_vocabulary(self.graph.base_iri)
        # embed_json escapes <, > and & so that the JSON cannot close its <script> element
        return self.page("home.html", queries=library, queries_json=embed_json(library),
                         vocabulary_json=embed_json(vocabulary))  # fmt: skip

    async def sparql(self, request: Request) -> Response:
        query: str | None = request.query_params.get("query")
        if "update" in request.query_params:
            return PlainTextResponse(_READ_ONLY, status_code=403)
        default_graphs = request.query_params.getlist("default-graph-uri")
        named_graphs = request.query_params.getlist("named-graph-uri")
        if request.method == "POST":
            content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
            text = await _body(request)
            if content_type == "application/sparql-query":
                query = text
            elif content_type == "application/sparql-update":
                return PlainTextResponse(_READ_ONLY, status_code=403)
            elif content_type in ("application/x-www-form-urlencoded", ""):
                form = parse_qs(text)
                if "update" in form:
                    return PlainTextResponse(_READ_ONLY, status_code=403)
                query = (form.get("query") or [""])[0] or query
                default_graphs += form.get("default-graph-uri", [])
                named_graphs += form.get("named-graph-uri", [])
            else:
                return PlainTextResponse(f"unsupported content type {content_type!r}", status_code=415)
        if not query:
            return PlainTextResponse("give a SPARQL query as ?query=, a form field or an application/sparql-query body",
                                     status_code=400)  # fmt: skip
        refuse_service(query)
        dataset = (default_graphs, named_graphs) if default_graphs or named_graphs else None
        answer = await self.pool.sparql(query, accept=request.headers.get("accept", ""), dataset=dataset)
        return Response(
            answer.body, status_code=answer.status, media_type=answer.media_type, headers={"Vary": "Accept"}
        )

    async def named(self, request: Request) -> Response:
        """A named query run with its parameters bound (defaults, overridden by the URL's)."""
        library = named_queries()
        name = request.path_params["name"]
        if name not in library:
            return PlainTextResponse(f"no query named {name!r}", status_code=404)
        query = library[name]
        given = request.query_params
        try:
            limit = int(given["limit"]) if given.get("limit") else None
            offset = int(given.get("offset") or 0)
            query = paged(query, limit, offset)  # a page of a listing: ?limit=100&offset=200
            values = {k: v for k, v in given.items() if k in query.params}
            checked(query, values)  # refused here, with the reason, before a worker runs it
        except ValueError as exc:  # ParameterError, or a limit that is not a number
            return PlainTextResponse(str(exc), status_code=400)
        answer = await self.pool.named(name, values, query.limit, query.offset)
        return Response(answer.body, status_code=answer.status, media_type=answer.media_type)

    async def entity(self, request: Request) -> Response:
        path = unquote(request.path_params["path"])
        media = None
        for suffix, suffix_media in _SUFFIXES.items():
            if path.endswith(suffix):
                path, media = path[: -len(suffix)], suffix_media
        iri = self.graph.base_iri + path
        offered = ["text/html", *GRAPH_TYPES]
        media = media or negotiate(request.headers.get("accept", ""), offered, "text/html")
        if media is None:
            return PlainTextResponse(f"offered: {', '.join(offered)}", status_code=406)
        try:
            node = ox.NamedNode(iri)
        except ValueError:
            return self.page("missing.html", status=404, iri=iri)
        if media != "text/html":
            body = await run_in_threadpool(pages.entity_rdf, self.graph.store, node.value, GRAPH_TYPES[media])
            if not body.strip():
                return PlainTextResponse(f"no entity {iri}", status_code=404)
            return Response(body, media_type=media, headers={"Vary": "Accept"})
        if path.startswith("doc/"):  # a press release (its amounts are fragments of its IRI)
            focus = request.query_params.get("e")  # the entity whose mentions the page marks
            document = await run_in_threadpool(pages.document_page, self.graph.store, node.value)
            if document is None:
                return self.page("missing.html", status=404, iri=iri)
            return self.page("document.html", d=document, focus=focus)
        data = await run_in_threadpool(pages.entity_page, self.graph.store, node.value)
        if data is None:  # a post, a role, a tenure, a fact, a graph: what the graph says of it
            other = await run_in_threadpool(pages.resource_page, self.graph.store, node.value)
            if other is None:
                return self.page("missing.html", status=404, iri=iri)
            return self.page("resource.html", r=other, path=quote(path))
        return self.page("entity.html", e=data, path=quote(path), network_src=f"/network?focus={quote(iri, safe='')}")

    async def search(self, request: Request) -> Response:
        text = request.query_params.get("q", "")[:200]
        if await run_in_threadpool(self.graph.index_ready.wait, SEARCH_WAIT):  # any part of a label
            hits = pages.search(self.graph.labels, self.graph.preferred, text)
        else:  # whole words, from the store's index, while the server builds its own
            hits = await run_in_threadpool(pages.search_by_word, self.graph.store, text)
        for hit in hits:
            hit["page"] = self.graph.local(hit["iri"]) or ""
        return JSONResponse(hits)

    async def network(self, request: Request) -> Response:
        params = request.query_params
        chosen, named_params = None, []
        if params.get("named"):  # "ver como red" of a named query: its parameters from the URL
            library = named_queries()
            if params["named"] not in library:
                return PlainTextResponse(f"no query named {params['named']!r}", status_code=404)
            query = library[params["named"]]
            named_params = list(query.params)
            try:
                values = checked(query, {k: v for k, v in params.items() if k in query.params})
            except ParameterError as exc:
                return PlainTextResponse(str(exc), status_code=400)
            chosen = await self.pool.iris(query.text, values)
        elif params.get("sparql"):
            refuse_service(params["sparql"])
            chosen = await self.pool.iris(params["sparql"])
        g, empty = await run_in_threadpool(_filtered, self.graph, params, chosen)
        toolbar = self.env.get_template("network_filters.html").render(
            types=[(t, _TYPE_NAMES[t]) for t in _TYPES], documents=self.graph.documents, params=params,
            carried=["sparql", "named", *named_params],
        )  # fmt: skip
        total = self.graph.entity_total if g is self.graph.overview else None
        html = await run_in_threadpool(
            render, g, toolbar=toolbar, page_of=self.graph.local, script_src="/static/vendor/network.js",
            chosen=chosen, empty=empty, total=total,
        )  # fmt: skip
        return HTMLResponse(html)

    async def void(self, request: Request) -> Response:
        """The dataset's VoID description: HTML for browsers, Turtle otherwise (or ``.ttl``)."""
        if self.described is None:
            # distinct triples: a scan of the store, so bounded like any query (left out past the limits)
            answer = await self.pool.sparql(_DISTINCT_TRIPLES, accept="text/csv")
            triples = int(answer.body.split()[1]) if answer.status == 200 else None
            graph = self.graph
            modified = dt.datetime.fromtimestamp(graph.path.stat().st_mtime, dt.UTC).replace(microsecond=0)
            self.described = await run_in_threadpool(
                pages.describe, graph.store, uri_space=graph.base_iri, triples=triples,
                modified=modified.isoformat().replace("+00:00", "Z"),
            )  # fmt: skip
        media = negotiate(request.headers.get("accept", ""), ["text/turtle", "text/html"], "text/turtle")
        if request.path_params.get("suffix") == ".ttl" or media != "text/html":
            return Response(pages.void(self.described), media_type="text/turtle", headers={"Vary": "Accept"})
        return self.page("void.html", d=self.described, local=self.local)

    async def map(self, request: Request) -> Response:
        """Mexico's 32 states coloured by what the graph counts in each (``?of=units|programs|officials``)."""
        measure = request.query_params.get("of", "units")
        if measure not in pages.MAP_MEASURES:
            measure = "units"
        view_box, states, most = await run_in_threadpool(pages.state_map, self.graph.store, measure)
        return self.page(
            "map.html", view_box=view_box, states=states, most=most, measure=measure, measures=pages.MAP_MEASURES,
            colours=pages.MAP_COLOURS, none=pages.MAP_NONE,
        )  # fmt: skip

    def dump(self, fmt: Format) -> Callable[[Request], Awaitable[Response]]:
        async def handler(request: Request) -> Response:
            # written to a temporary file off the event loop and sent from there: a dump of a
            # large graph does not fit in memory
            path = await run_in_threadpool(_dump_file, self.graph, fmt)

            def chunks() -> Iterator[bytes]:
                try:
                    with path.open("rb") as f:
                        while block := f.read(1 << 20):
                            yield block
                finally:
                    path.unlink(missing_ok=True)

            return StreamingResponse(chunks(), media_type=fmt.media_type)

        return handler


async def _body(request: Request) -> str:
    """The request body as text, refused when larger than :data:`MAX_BODY` or not UTF-8."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY:
        raise QueryError(413, f"the request body is larger than {MAX_BODY} bytes")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY:
            raise QueryError(413, f"the request body is larger than {MAX_BODY} bytes")
        chunks.append(chunk)
    try:
        return b"".join(chunks).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise QueryError(400, "the request body is not UTF-8") from exc


_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; worker-src blob:; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'self'"
)


class Guard:
    """Middleware: refuses over-long URLs, turns :class:`QueryError` and time-outs into plain
    answers, and puts the security headers on every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = [
            (b"content-security-policy", _CSP.encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"x-frame-options", b"SAMEORIGIN"),
            (b"referrer-policy", b"no-referrer"),
        ]

        async def secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *headers]
            await send(message)

        if len(scope.get("raw_path", b"")) + len(scope.get("query_string", b"")) > MAX_URL:
            await PlainTextResponse(f"the URL is longer than {MAX_URL} bytes", status_code=414)(scope, receive, secured)
            return
        try:
            await self.app(scope, receive, secured)
        except QueryError as exc:
            await PlainTextResponse(str(exc), status_code=exc.status)(scope, receive, secured)
        except TimeoutError:
            await PlainTextResponse("the query ran longer than the time limit", status_code=503)(
                scope, receive, secured
            )


def create_app(
    store: Path, *, base_iri: str | None = None, limits: Limits | None = None, cors: bool = False, workers: int = 8
) -> Starlette:
    """The web application over the store at ``store`` (read-only); ``cors`` lets pages of
    other origins query it; at most ``workers`` processes evaluate SPARQL (each stopped at the limits)."""
    site = Site(Graph(store, base_iri or settings.base_iri), limits or Limits(), workers=workers)
    static = StaticFiles(directory=str(files("imsskg.server").joinpath("static")), follow_symlink=True)
    routes = [
        Route("/", site.home),
        Route("/sparql", site.sparql, methods=["GET", "POST"]),
        Route("/queries/{name}", site.named),
        Route("/id/{path:path}", site.entity),
        Route("/search", site.search),
        Route("/network", site.network),
        Route("/.well-known/void", site.void),
        Route("/.well-known/void{suffix:str}", site.void),
        Route("/map", site.map),
        Route("/dump.ttl", site.dump(Format.turtle)),
        Route("/dump.nq", site.dump(Format.nquads)),
        Route("/dump.jsonld", site.dump(Format.jsonld)),
        Mount("/static", static, name="static"),
    ]
    middleware = [Middleware(Guard)]
    if cors:
        middleware.append(Middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "POST"],
                                     allow_headers=["accept", "content-type"]))  # fmt: skip

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        site.pool.close()

    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan)
    app.state.site = site
    return app


def _dump_file(graph: Graph, fmt: Format) -> Path:
    """The whole graph in ``fmt``, in a temporary file the caller removes."""
    with tempfile.NamedTemporaryFile(prefix="imsskg-dump-", delete=False) as f:
        export(graph.store, fmt, f)
    return Path(f.name)


def _filtered(graph: Graph, params: Any, chosen: set[str] | None) -> tuple[nx.Graph, str]:
    """The part of the network the filters ask for, and what to say when it is empty.

    Filters: ``comentions=1`` adds pairs named in the same sentence (in at least ``min``
    sentences), ``type``, ``doc``, ``from``/``to`` (dates of the documents naming an entity),
    ``focus`` (an entity and its neighbours up to ``radius`` 1 or 2 links away) and the IRIs
    ``chosen`` by a query (with their neighbours)."""
    if not any(params.get(k) for k in ("comentions", "type", "doc", "from", "to", "focus")) and chosen is None:
        return graph.overview, "El grafo no tiene entidades."
    if params.get("comentions") == "1":
        full, minimum = graph.comentions, _bounded(params.get("min"), 1, 1000)
        g = nx.subgraph_view(full, filter_edge=lambda a, b: bool(full.edges[a, b]["relations"])
                             or full.edges[a, b]["comentions"] >= minimum)  # fmt: skip
    else:
        g = graph.network
    keep = set(g.nodes)
    empty = "Ninguna entidad cumple los filtros."
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
        radius = 2 if params.get("radius") == "2" else 1
        keep &= set(nx.ego_graph(g, focus, radius=radius)) if focus in g else set()
        if focus not in g:
            empty = "El grafo no tiene esa entidad."
    if chosen is not None:
        found = chosen & set(g)
        if not found:
            return g.subgraph([]), (
                "El resultado no nombra ninguna entidad (personas, organizaciones, unidades, programas, "
                "estados o ciudades): no tiene IRIs, o sus IRIs son de documentos, cargos o cifras."
            )
        keep &= found | {m for n in found for m in g.neighbors(n)}
    return g.subgraph(keep), empty


def _bounded(text: str | None, low: int, high: int) -> int:
    """An integer parameter clamped to [low, high] (``low`` when absent or not a number)."""
    return min(max(int(text), low), high) if text and text.isdigit() else low
