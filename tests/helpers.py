"""Paths and the browser the tests share."""

import os
import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from imsskg.graph.store import Store
from rdflib import Dataset

from imsskg.server.app import create_app
from imsskg.server.sparql import Limits

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
EVAL = Path(__file__).resolve().parent / "eval"

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
#: Browser tests run wherever Debian's chromium is installed, and always in CI.
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("CI"), reason="Debian's chromium is not installed (make setup installs it)"
)


def browse(steps: Callable[[Any], None]) -> tuple[list[str], list[str]]:
    """Run ``steps(page)`` in headless Chromium; return the console errors (and dialogs) and
    every URL the page requested."""
    from playwright.sync_api import sync_playwright

    errors: list[str] = []
    requests: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--use-angle=swiftshader",
                "--enable-unsafe-swiftshader",
                "--disable-background-networking",
                "--disable-component-update",
            ],
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("dialog", lambda d: (errors.append("dialog: " + d.message), d.dismiss()))
        page.on("request", lambda r: requests.append(r.url))
        steps(page)
        browser.close()
    return errors, requests


@contextmanager
def reading(path: Path) -> Iterator[Dataset]:
    """The store at ``path``, read-only, as an rdflib Dataset (for tests that compare graphs)."""
    with Store.open(path) as store:
        yield store.rdflib()


def serve(store: Path, limits: Limits | None = None, **options: Any) -> Iterator[str]:
    """Run the web app on a free loopback port in a thread; yield its URL."""
    yield from serve_app(create_app(store, limits=limits, **options))


def serve_app(app: Any) -> Iterator[str]:
    """Run an ASGI app with uvicorn on a free loopback port in a thread; yield its URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
