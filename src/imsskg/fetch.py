"""Download press releases into a folder ready for ``imsskg build``, politely.

Each URL (given, listed in a file, or found in a sitemap) is fetched with httpx: robots.txt is
honoured, requests to one host are spaced by a delay, failures are retried with backoff, and a
second run asks only for what changed (``If-None-Match`` / ``If-Modified-Since``). Each page is
saved under a name made from its URL; ``fetched.json`` beside them records, for each file, its
URL, when it was retrieved and the validators, and the build writes the URL and the time into
the graph as the document's provenance.

>>> file_name("https://www.gob.mx/imss/prensa/boletin-214-2025?idiom=es")
'www.gob.mx_imss_prensa_boletin-214-2025.html'
"""

from __future__ import annotations

import datetime as dt
import json
import re
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser
from xml.etree import ElementTree

import httpx

from imsskg.read import MANIFEST

USER_AGENT = "imsskg (knowledge graph of press releases; +https://w3id.org/imsskg)"


def client(timeout: float = 20.0) -> httpx.Client:
    """An HTTP client that says who it is and follows redirects."""
    return httpx.Client(timeout=timeout, follow_redirects=True, headers={"User-Agent": USER_AGENT})


class FetchError(Exception):
    """A sitemap or list that cannot be read."""


@dataclass
class FetchReport:
    """What a fetch did: files written, unchanged (304), refused by robots.txt, failed."""

    saved: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)


def file_name(url: str) -> str:
    """A file name for the page at ``url``: host and path, made safe, ending in ``.html``."""
    parts = urlsplit(url)
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", f"{parts.netloc}{parts.path}".rstrip("/")).strip("_.")
    stem = re.sub(r"\.(?:html?|php|aspx?)$", "", stem)
    return f"{stem or 'page'}.html"


def sitemap_urls(client: httpx.Client, url: str, *, depth: int = 2) -> Iterator[str]:
    """The page URLs of a sitemap (following a sitemap index ``depth`` levels down)."""
    response = client.get(url)
    if response.status_code != 200:
        raise FetchError(f"sitemap {url}: HTTP {response.status_code}")
    try:
        root = ElementTree.fromstring(response.content)
    except ElementTree.ParseError as exc:
        raise FetchError(f"sitemap {url} is not XML: {exc}") from exc
    for loc in root.iter():
        text = (loc.text or "").strip()
        if not loc.tag.endswith("loc") or not text:
            continue
        target = urljoin(url, text)
        if root.tag.endswith("sitemapindex") and depth > 0:
            yield from sitemap_urls(client, target, depth=depth - 1)
        else:
            yield target


class _Polite:
    """robots.txt per host, and a delay between two requests to one host."""

    def __init__(self, client: httpx.Client, delay: float) -> None:
        self.client = client
        self.delay = delay
        self.robots: dict[str, RobotFileParser] = {}
        self.last: dict[str, float] = {}

    def allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        host = f"{parts.scheme}://{parts.netloc}"
        if host not in self.robots:
            parser = RobotFileParser()
            try:
                response = self.client.get(host + "/robots.txt")
                parser.parse(response.text.splitlines() if response.status_code == 200 else [])
            except httpx.HTTPError:
                parser.parse([])
            self.robots[host] = parser
        return self.robots[host].can_fetch(USER_AGENT, url)

    def wait(self, url: str) -> None:
        host = urlsplit(url).netloc
        pause = self.last.get(host, 0.0) + self.delay - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        self.last[host] = time.monotonic()


def fetch(
    urls: Iterable[str], folder: Path, *, delay: float = 1.0, retries: int = 3, timeout: float = 20.0,
    http: httpx.Client | None = None,
) -> FetchReport:  # fmt: skip
    """Download ``urls`` into ``folder`` (created), and update its ``fetched.json``."""
    folder.mkdir(parents=True, exist_ok=True)
    manifest_path = folder / MANIFEST
    manifest: dict[str, dict[str, str]] = (
        json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.exists() else {}
    )
    report = FetchReport()
    own = http is None
    http = http or client(timeout)
    polite = _Polite(http, delay)
    try:
        for url in dict.fromkeys(urls):
            if not polite.allowed(url):
                report.refused.append(url)
                continue
            name = file_name(url)
            known = manifest.get(name, {})
            headers = {}
            if known.get("etag") and (folder / name).exists():
                headers["If-None-Match"] = known["etag"]
            if known.get("last_modified") and (folder / name).exists():
                headers["If-Modified-Since"] = known["last_modified"]
            answer = _get(http, polite, url, headers, retries)
            if isinstance(answer, str):
                report.failed.append((url, answer))
                continue
            if answer.status_code == 304:
                report.unchanged.append(name)
                continue
            partial = folder / (name + ".part")
            partial.write_bytes(answer.content)
            partial.replace(folder / name)
            manifest[name] = {
                "url": str(answer.url), "retrieved": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "etag": answer.headers.get("etag", ""), "last_modified": answer.headers.get("last-modified", ""),
            }  # fmt: skip
            report.saved.append(name)
    finally:
        if own:
            http.close()
        partial_manifest = manifest_path.with_name(MANIFEST + ".part")
        partial_manifest.write_text(
            json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8"
        )
        partial_manifest.replace(manifest_path)
    return report


def _get(http: httpx.Client, polite: _Polite, url: str, headers: dict[str, str], retries: int) -> httpx.Response | str:
    """The response (200 or 304), or why there is none after ``retries`` tries with backoff."""
    reason = ""
    for attempt in range(retries):
        polite.wait(url)
        try:
            response = http.get(url, headers=headers)
        except httpx.HTTPError as exc:
            reason = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        else:
            if response.status_code in (200, 304):
                return response
            reason = f"HTTP {response.status_code}"
            if response.status_code < 500 and response.status_code != 429:
                return reason  # a 404 does not get better by asking again
        time.sleep(min(0.5 * 2**attempt, 8.0))
    return reason
