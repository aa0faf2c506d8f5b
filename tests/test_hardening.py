"""The server under untrusted requests: no request leaves the host, no script runs from a
parameter, bad input gets a 4xx, every response carries the security headers."""

from __future__ import annotations

import http.server
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from helpers import CORPUS, browse, needs_chromium, serve
from imsskg.graph.store import writing
from spacy.language import Language
from typer.testing import CliRunner

from imsskg._build import build
from imsskg.cli import app


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
        assert "script-src 'self' 'nonce-" in csp
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
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?d a <https://w3id.org/imsskg/ontology#PressRelease> }"
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
