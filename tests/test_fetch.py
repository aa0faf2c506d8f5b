"""Downloading press releases: against a local HTTP server with pages, a sitemap, a robots.txt,
a 404, a 500 and a slow page."""

from __future__ import annotations

import hashlib
import http.server
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from helpers import CORPUS
from typer.testing import CliRunner

from imsskg.cli import app
from imsskg.fetch import fetch, file_name, sitemap_urls
from imsskg.read import read_document

PAGE = (CORPUS / "003_2e5378d2430600c6.txt").read_text(encoding="utf-8")


class _Site(http.server.BaseHTTPRequestHandler):
    log: list[tuple[str, str, float]] = []  # noqa: RUF012 (one log for the test's server)
    failures = 0

    def do_GET(self) -> None:
        self.log.append((self.path, self.headers.get("If-None-Match", ""), time.monotonic()))
        body, status, kind = b"", 200, "text/html; charset=utf-8"
        if self.path == "/robots.txt":
            body, kind = b"User-agent: *\nDisallow: /privado/\n", "text/plain"
        elif self.path == "/sitemap.xml":
            host = f"http://{self.headers['Host']}"
            urls = "".join(f"<url><loc>{host}/prensa/{n}</loc></url>" for n in ("boletin-1", "boletin-2"))
            body, kind = (
                f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'.encode(),
                "application/xml",
            )
        elif self.path.startswith("/prensa/") or self.path.startswith("/privado/"):
            body = f"<html><body><article><h1>Boletín</h1><p>{PAGE}</p></article></body></html>".encode()
            etag = '"' + hashlib.sha1(body).hexdigest() + '"'
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("ETag", etag)
            self.send_header("Content-Type", kind)
            self.end_headers()
            self.wfile.write(body)
            return
        elif self.path == "/falla":
            _Site.failures += 1
            status = 500
        elif self.path == "/lenta":
            time.sleep(2)
        else:
            status = 404
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def site() -> Iterator[str]:
    _Site.log, _Site.failures = [], 0
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_fetch_saves_pages_honours_robots_and_reports_failures(site: str, tmp_path: Path) -> None:
    urls = [f"{site}/prensa/boletin-1", f"{site}/privado/nota", f"{site}/nada", f"{site}/falla"]
    report = fetch(urls, tmp_path, delay=0.0, retries=2)
    assert report.saved == [file_name(f"{site}/prensa/boletin-1")]
    assert report.refused == [f"{site}/privado/nota"]
    assert dict(report.failed) == {f"{site}/nada": "HTTP 404", f"{site}/falla": "HTTP 500"}
    assert _Site.failures == 2  # a 500 is tried again, a 404 is not
    assert not any(path.startswith("/privado") for path, _, _ in _Site.log)


def test_fetch_a_second_run_downloads_only_what_changed(site: str, tmp_path: Path) -> None:
    url = f"{site}/prensa/boletin-1"
    assert len(fetch([url], tmp_path, delay=0.0).saved) == 1
    again = fetch([url], tmp_path, delay=0.0)
    assert again.saved == []
    assert len(again.unchanged) == 1
    assert _Site.log[-1][1].startswith('"')  # the second request was conditional


def test_fetch_waits_between_requests_to_one_host(site: str, tmp_path: Path) -> None:
    fetch([f"{site}/prensa/boletin-1", f"{site}/prensa/boletin-2"], tmp_path, delay=0.4)
    pages = [t for path, _, t in _Site.log if path.startswith("/prensa/")]
    assert pages[1] - pages[0] >= 0.38


def test_fetch_a_slow_page_times_out_and_the_rest_lands(site: str, tmp_path: Path) -> None:
    with httpx.Client(timeout=0.5) as client:
        report = fetch([f"{site}/lenta", f"{site}/prensa/boletin-1"], tmp_path, delay=0.0, retries=1, http=client)
    assert [url for url, _ in report.failed] == [f"{site}/lenta"]
    assert len(report.saved) == 1


def test_fetch_from_a_sitemap_then_build_keeps_the_provenance(site: str, tmp_path: Path) -> None:
    with httpx.Client() as client:
        assert list(sitemap_urls(client, f"{site}/sitemap.xml")) == [
            f"{site}/prensa/boletin-1",
            f"{site}/prensa/boletin-2",
        ]
    pages = tmp_path / "pages"
    result = CliRunner().invoke(app, ["fetch", "--sitemap", f"{site}/sitemap.xml", "--to", str(pages), "--delay", "0"])
    assert result.exit_code == 0, result.output
    assert "2 saved" in result.output
    document = read_document(next(pages.glob("*boletin-1.html")))
    assert document.url == f"{site}/prensa/boletin-1"
    assert document.retrieved is not None
    built = CliRunner().invoke(app, ["build", str(pages), "--store", str(tmp_path / "kg")])
    assert built.exit_code == 0, built.output
    query = "SELECT ?u WHERE { GRAPH ?g { ?d schema:url ?u ; prov:generatedAtTime ?t } }"
    answer = CliRunner().invoke(
        app, ["query", _write(tmp_path, query), "--store", str(tmp_path / "kg"), "--format", "csv"]
    )
    assert f"{site}/prensa/boletin-1" in answer.output


def _write(folder: Path, query: str) -> str:
    path = folder / "provenance.rq"
    path.write_text("# Where each document was fetched from.\n" + query, encoding="utf-8")
    return str(path)
