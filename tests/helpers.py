"""Paths and the browser the tests share."""

import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from imsskg.graph.store import Store
from rdflib import Dataset

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
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
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
