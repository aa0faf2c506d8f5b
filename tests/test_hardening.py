"""The server under untrusted requests: no request leaves the host, no script runs from a
parameter, bad input gets a 4xx, every response carries the security headers."""

from __future__ import annotations

import http.server
import random
import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

import httpx
import pyoxigraph as ox
import pytest
import rdflib
from helpers import CORPUS, browse, needs_chromium, serve, serve_app
from imsskg.graph.store import Store, writing
from spacy.language import Language
from typer.testing import CliRunner

from imsskg._build import build
from imsskg.cli import app
from imsskg.server.app import create_app
from imsskg.server.sparql import Limits


@pytest.fixture(scope="module")
def url(store: Path) -> Iterator[str]:
    yield from serve(store)


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []  # noqa: RUF012 (one list for the test's listener)

    def _record(self) -> None:
        self.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.end_headers()
        self.wfile.write(b'{"head":{"vars":["s"]},"results":{"bindings":[]}}')

    do_GET = do_POST = _record  # noqa: N815

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def listener() -> Iterator[tuple[str, list[str]]]:
    """A local HTTP listener that records every request it receives."""
    _Recorder.hits = []
    server = http.server.HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/internal", _Recorder.hits
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(
    "template",
    [
        "SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}",
        "select * where {{ service silent <{target}> {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ ?x ?y ?z . # comment\n SERVICE <{target}> {{ ?s ?p ?o }} }}",
    ],
)
def test_hardening_service_is_refused_and_nothing_leaves(
    url: str, listener: tuple[str, list[str]], template: str
) -> None:
    target, hits = listener
    response = httpx.get(f"{url}/sparql", params={"query": template.format(target=target)})
    assert response.status_code == 400
    assert "SERVICE is refused" in response.text
    post = httpx.post(f"{url}/sparql", content=template.format(target=target),
                      headers={"Content-Type": "application/sparql-query"})  # fmt: skip
    assert post.status_code == 400
    network = httpx.get(f"{url}/network", params={"sparql": template.format(target=target)})
    assert network.status_code == 400
    assert hits == []


def test_hardening_service_inside_a_string_is_data(url: str) -> None:
    response = httpx.get(f"{url}/sparql", params={"query": 'SELECT ?x WHERE { BIND("SERVICE <x> {}" AS ?x) }'})
    assert response.status_code == 200


def test_hardening_every_response_has_the_security_headers(url: str) -> None:
    for path in ("/", "/sparql?query=ASK%7B%7D", "/network", "/id/nothing", "/static/app.js", "/nowhere"):
        headers = httpx.get(url + path).headers
        csp = headers["content-security-policy"]
        assert "script-src 'self';" in csp  # the app's own script files, nothing inline
        assert "unsafe-inline" not in csp.split("script-src", 1)[1].split(";", 1)[0]
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["x-frame-options"] == "SAMEORIGIN"
        assert headers["referrer-policy"] == "no-referrer"


def test_hardening_network_toolbar_text_is_never_read_as_a_marker(url: str) -> None:
    page = httpx.get(f"{url}/network", params={"from": "/*GRAPH_DATA*/ onfocus=alert(1) autofocus x"}).text
    assert page.count('"nodes":') == 1  # the graph data went in once, where the template has it
    assert "onfocus=alert(1) autofocus" not in page.replace("&#34;", '"').split("<form", 1)[0]


@pytest.mark.browser
@needs_chromium
def test_hardening_payloads_in_parameters_run_nothing(url: str) -> None:
    payloads = [
        "/*GRAPH_DATA*/ onfocus=alert(document.domain) autofocus x",
        '"><script>alert(1)</script>',
        "<img src=x onerror=alert(1)>",
        "javascript:alert(1)",
        "<!--TOOLBAR--><svg onload=alert(1)>",
    ]
    paths = ["/network?from={p}", "/network?to={p}", "/network?doc={p}", "/network?type={p}", "/network?focus={p}",
             "/id/{p}", "/search?q={p}", "/?query={p}"]  # fmt: skip

    def steps(page: object) -> None:
        for path in paths:
            for payload in payloads:
                page.goto(url + path.format(p=httpx.QueryParams({"v": payload})["v"]))  # type: ignore[attr-defined]
                page.wait_for_timeout(50)  # type: ignore[attr-defined]

    errors, _ = browse(steps)
    assert [e for e in errors if e.startswith("dialog")] == []


@pytest.mark.parametrize(
    ("path", "status"),
    [("/id/a%20b", 404), ("/id/%00", 404), ("/id/%3Cscript%3E", 404), ("/queries/nothing", 404)],
)
def test_hardening_bad_iris_get_4xx(url: str, path: str, status: int) -> None:
    assert httpx.get(url + path).status_code == status


def test_hardening_bodies_are_bounded_and_must_be_utf8(url: str) -> None:
    big = httpx.post(f"{url}/sparql", content=b"#" * (2 << 20), headers={"Content-Type": "application/sparql-query"})
    assert big.status_code == 413
    latin = httpx.post(f"{url}/sparql", content=b"SELECT * WHERE { ?s ?p \xe9 }",
                       headers={"Content-Type": "application/sparql-query"})  # fmt: skip
    assert latin.status_code == 400
    long_url = httpx.get(f"{url}/sparql", params={"query": "#" + "x" * 40_000})
    assert long_url.status_code == 414


def test_hardening_media_types_are_case_insensitive(url: str) -> None:
    response = httpx.post(f"{url}/sparql", content="ASK {}", headers={"Content-Type": "Application/SPARQL-Query"})
    assert response.status_code == 200
    select = {"query": "SELECT ?x WHERE { VALUES ?x { 1 } }"}
    answer = httpx.get(f"{url}/sparql", params=select, headers={"Accept": "Text/CSV"})
    assert answer.headers["content-type"].startswith("text/csv")


def test_hardening_void_does_not_echo_the_host_header(url: str) -> None:
    void = httpx.get(f"{url}/.well-known/void", headers={"Host": "evil.example"}).text
    assert "evil.example" not in void
    again = httpx.get(f"{url}/.well-known/void", headers={"Host": "other.example"}).text
    assert again == void


def test_hardening_cors_is_off_by_default_and_on_by_option(url: str, store: Path) -> None:
    origin = {"Origin": "https://notebook.example"}
    assert "access-control-allow-origin" not in httpx.get(f"{url}/sparql?query=ASK%7B%7D", headers=origin).headers
    for base in serve(store, cors=True):
        headers = httpx.get(f"{base}/sparql?query=ASK%7B%7D", headers=origin).headers
        assert headers["access-control-allow-origin"] == "*"


def test_hardening_the_loopback_listener_helper_works(listener: tuple[str, list[str]]) -> None:
    target, hits = listener
    host, port = target.split("//")[1].split("/")[0].split(":")
    with socket.create_connection((host, int(port))) as s:
        s.sendall(b"GET /probe HTTP/1.0\r\n\r\n")
        s.recv(100)
    assert hits == ["/probe"]


def _count_documents(base: str) -> int:
    query = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?d a <https://w3id.org/imsskg/ontology#PressRelease> } }"
    answer = httpx.get(f"{base}/sparql", params={"query": query}).json()
    return int(answer["results"]["bindings"][0]["n"]["value"])


def test_hardening_the_server_sees_a_rebuilt_store(tmp_path: Path, rules: Language) -> None:
    store = tmp_path / "kg"
    build([CORPUS / "000_47b18d3ea285699f.txt"], store, nlp=rules)
    for base in serve(store):
        assert _count_documents(base) == 1
        build([CORPUS], store, nlp=rules)  # swaps a new folder in while the server runs
        time.sleep(1.1)
        assert _count_documents(base) == 5


def test_hardening_a_second_build_on_one_store_says_who_holds_it(tmp_path: Path) -> None:
    store = tmp_path / "kg"
    with writing(store):
        result = CliRunner().invoke(app, ["build", str(CORPUS), "--store", str(store), "--model", "none"])
    assert result.exit_code == 1
    assert "another build is writing the graph" in result.output
    assert "Traceback" not in result.output


RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
HUNGRY = "SELECT ?a ?d WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?c ?f ?i LIMIT 1"


def _alive(pid: int) -> bool:
    return Path(f"/proc/{pid}").exists() and "zombie" not in Path(f"/proc/{pid}/status").read_text().lower()


def test_hardening_a_runaway_query_is_stopped_at_its_deadline(store: Path) -> None:
    app = create_app(store, limits=Limits(timeout=1.5), workers=2)
    for base in serve_app(app):
        assert httpx.get(f"{base}/sparql", params={"query": "ASK {}"}).status_code == 200
        before = set(app.state.site.pool.pids)
        started = time.monotonic()
        response = httpx.get(f"{base}/sparql", params={"query": RUNAWAY}, timeout=30)
        took = time.monotonic() - started
        assert response.status_code == 503
        assert "was stopped" in response.text
        assert took < 4
        stopped = before - set(app.state.site.pool.pids)
        assert len(stopped) == 1  # its process is gone: no core left spinning
        assert not any(_alive(pid) for pid in stopped)
        assert "true" in httpx.get(f"{base}/sparql", params={"query": "ASK { ?s ?p ?o }"}).text


def test_hardening_a_query_that_eats_memory_is_stopped(store: Path) -> None:
    for base in serve(store, Limits(timeout=60, memory_mib=200), workers=1):
        started = time.monotonic()
        response = httpx.get(f"{base}/sparql", params={"query": HUNGRY}, timeout=60)
        assert response.status_code == 503
        assert "MiB" in response.text
        assert time.monotonic() - started < 30


def test_hardening_the_network_views_query_is_bounded_too(store: Path) -> None:
    for base in serve(store, Limits(timeout=1.0), workers=1):
        response = httpx.get(f"{base}/network", params={"sparql": RUNAWAY}, timeout=30)
        assert response.status_code == 503


def test_hardening_a_result_over_the_size_limit_is_not_413(store: Path) -> None:
    for base in serve(store, Limits(max_results=3), workers=1):
        response = httpx.get(f"{base}/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert response.status_code == 422
    assert "add a LIMIT" in response.text


def _fuzz_requests(seed: int, n: int) -> list[tuple[str, str, dict[str, str], bytes | None]]:
    """Seeded malformed requests: random paths, bytes, headers, bodies, query strings, IRIs."""
    rng = random.Random(seed)
    alphabet = ["a", "%", "%00", "%ff", "%C3%28", "/", "..", "<", ">", '"', "'", " ", "{", "}", "?", "#", "é", "\u202e",
                "../..", "%2e%2e", "\\", "*", "SERVICE", "ñ", "\x7f", "\t"]  # fmt: skip
    paths = ["/sparql", "/queries/{}", "/id/{}", "/id/{}.ttl", "/search", "/network", "/.well-known/void", "/{}",
             "/static/{}", "/queries/who-held", "/queries/why"]  # fmt: skip
    names = ["query", "update", "q", "date", "subject", "predicate", "name", "type", "doc", "from", "to", "focus",
             "default-graph-uri", "named-graph-uri"]  # fmt: skip
    accepts = ["", "*/*", "text/csv;q=x", "application/sparql-results+json;q=0.5, */*;q=0.1", "a/b/c", ";;;", "text/*"]
    out = []
    for _ in range(n):
        junk = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        path = rng.choice(paths).format(junk)
        if path.startswith("/network") and rng.random() > 0.02:
            path = "/search"  # the network view lays out a graph: a few of them are enough
        params = {rng.choice(names): "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 20)))
                  for _ in range(rng.randint(0, 3))}  # fmt: skip
        headers = {"Accept": rng.choice(accepts)}
        body = None
        if rng.random() < 0.3:
            body = bytes(rng.randrange(256) for _ in range(rng.randint(0, 64)))
            headers["Content-Type"] = rng.choice(
                [
                    "application/sparql-query",
                    "application/x-www-form-urlencoded",
                    "text/plain",
                    "",
                    "application/sparql-update",
                ]
            )
        path = quote(path, safe="/%?.")  # what a client library sends; raw bytes are sent below
        out.append(("POST" if body is not None else "GET", path, params | {"_": junk}, body))
    return out


def _raw(base: str, request: bytes) -> int:
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as s:
        s.sendall(request)
        status = s.recv(64).split(b" ")
    return int(status[1]) if len(status) > 1 and status[1].isdigit() else 400


def test_hardening_ten_thousand_malformed_requests_get_no_500(store: Path) -> None:
    before = Store.open(store)
    size = len(before)
    before.close()
    statuses: list[int] = []
    for base in serve(store, Limits(timeout=2.0), workers=2):
        requests = _fuzz_requests(seed=11, n=9_000)

        def send(chunk: list[tuple[str, str, dict[str, str], bytes | None]], base: str = base) -> list[int]:
            with httpx.Client(base_url=base, timeout=30) as client:
                return [client.request(m, p, params=q, content=b, headers={"Accept": "*/*"}).status_code
                        for m, p, q, b in chunk]  # fmt: skip

        with ThreadPoolExecutor(4) as pool:
            for result in pool.map(send, [requests[i::4] for i in range(4)]):
                statuses += result
        rng = random.Random(5)
        for _ in range(1_000):  # bytes no client library would send: invalid UTF-8, control characters
            path = b"/" + bytes(rng.choice(b"id/\xff\xfe\x00\x01%<>\"' \x7fq=") for _ in range(rng.randint(1, 20)))
            statuses.append(_raw(base, b"GET " + path.replace(b" ", b"%20") + b" HTTP/1.1\r\nHost: x\r\n\r\n"))
        assert httpx.get(f"{base}/sparql", params={"query": "ASK { ?s ?p ?o }"}).status_code == 200  # still up
    assert len(statuses) == 10_000
    assert [s for s in statuses if s >= 500] == []
    with Store.open(store) as after:
        assert len(after) == size


def test_hardening_queries_still_answer_while_runaways_run(store: Path) -> None:
    for base in serve(store, Limits(timeout=8.0), workers=4):
        assert httpx.get(f"{base}/sparql", params={"query": "ASK {}"}).status_code == 200
        with ThreadPoolExecutor(2) as pool:
            runaways = [pool.submit(httpx.get, f"{base}/sparql", params={"query": RUNAWAY}, timeout=30)
                        for _ in range(2)]  # fmt: skip
            time.sleep(0.5)
            started = time.monotonic()
            answer = httpx.get(f"{base}/sparql", params={"query": COUNT_DOCUMENTS}, timeout=30)
            took = time.monotonic() - started
            assert answer.json()["results"]["bindings"][0]["n"]["value"] == "5"
            assert took < 6  # answered while both runaways held their workers
            assert [r.result().status_code for r in runaways] == [503, 503]


COUNT_DOCUMENTS = (
    "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { GRAPH ?g { ?d a <https://w3id.org/imsskg/ontology#PressRelease> } }"
)


CORPUS_GRAPH = "https://w3id.org/imsskg/id/graph/corpus"
STATES = "SELECT (COUNT(*) AS ?n) {} WHERE {{ ?e a <https://w3id.org/imsskg/ontology#State> }}"


def _n(response: httpx.Response) -> int:
    assert response.status_code == 200, response.text
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def test_hardening_from_and_the_protocols_graphs_are_honoured(url: str) -> None:
    default = _n(httpx.get(f"{url}/sparql", params={"query": STATES.format("")}))
    exact = _n(httpx.get(f"{url}/sparql", params={"query": STATES.format(f"FROM <{CORPUS_GRAPH}>")}))
    every = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?e a <https://w3id.org/imsskg/ontology#State> } }"
    assert default == exact == 16  # the default graph, the corpus graph, states each entity once
    assert _n(httpx.get(f"{url}/sparql", params={"query": every})) > 16  # each press release states it again
    by_protocol = httpx.get(f"{url}/sparql", params={"query": STATES.format(""), "default-graph-uri": CORPUS_GRAPH})
    assert _n(by_protocol) == 16
    form = {"query": STATES.format(""), "default-graph-uri": CORPUS_GRAPH}
    assert _n(httpx.post(f"{url}/sparql", data=form)) == 16
    named = f"SELECT (COUNT(DISTINCT ?g) AS ?n) FROM NAMED <{CORPUS_GRAPH}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"
    assert _n(httpx.get(f"{url}/sparql", params={"query": named})) == 1
    bad = httpx.get(f"{url}/sparql", params={"query": STATES.format(""), "default-graph-uri": "not an iri"})
    assert bad.status_code == 400


def test_hardening_void_counts_are_exact(url: str, store: Path) -> None:
    where = f"{url}/.well-known/void"
    void = rdflib.Graph().parse(data=httpx.get(where).text, format="turtle", publicID=where)
    triples = rdflib.URIRef("http://rdfs.org/ns/void#triples")
    dataset, corpus = rdflib.URIRef(f"{where}#dataset"), rdflib.URIRef(f"{where}#corpus")
    with Store.open(store) as direct:
        distinct = {(q.subject, q.predicate, q.object) for q in direct}
        in_corpus = direct.count(g=ox.NamedNode(CORPUS_GRAPH))
    assert int(void.value(dataset, triples)) == len(distinct)
    assert int(void.value(corpus, triples)) == in_corpus
