"""The code's structure: the ontology is the only source of vocabulary IRIs, stages import only
the stages before them, and no module reaches into another's private names."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from helpers import ROOT
from imsskg.ontology import PREFIXES

SOURCES = sorted(
    p for folder in ("src/imsskg", "extract", "graph", "queries", "ontology") for p in (ROOT / folder).rglob("*.py")
)
#: What each stage may import from imsskg: itself, what comes before it, and what all share.
SHARED = {"config", "model", "lang", "ontology"}
ALLOWED = {
    "read": SHARED,
    "extract": SHARED,
    "resolve": SHARED,
    "graph": SHARED | {"resolve"},
    "stats": SHARED | {"graph"},
    "queries": SHARED | {"graph"},
    "network": SHARED | {"graph"},
}


def _stage(path: Path) -> str:
    parts = path.relative_to(ROOT).parts
    return parts[2].removesuffix(".py") if parts[0] == "src" else parts[0]


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_layout_only_the_ontology_spells_vocabulary_iris(path: Path) -> None:
    if path == ROOT / "ontology" / "__init__.py":
        return
    text = path.read_text(encoding="utf-8")
    assert [iri for iri in PREFIXES.values() if iri in text] == []


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_layout_data_flows_one_way(path: Path) -> None:
    stage = _stage(path)
    if stage not in ALLOWED:
        return  # the layers above the stages: build, the API, the CLI, the server
    imported = set(re.findall(r"^\s*(?:from|import) imsskg\.(\w+)", path.read_text(encoding="utf-8"), re.M))
    assert imported - ALLOWED[stage] - {stage} == set()


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_layout_no_module_reaches_into_private_names(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    reached = re.findall(r"(?<![\w.])(?!self\b|cls\b)([a-z]\w*)\._([a-z]\w*)", text)
    imported = re.findall(r"^\s*from imsskg[\w.]* import [^\n]*\b_[a-z]\w*", text, re.M)
    assert [r for r in reached if r[0] != "imsskg"] == []
    assert [i for i in imported if not re.search(r"import _(build|api)\b", i)] == []


def test_vendored_browser_code_carries_the_licence_of_every_package_bundled() -> None:
    """The bundles of ``web/`` are committed with the licence text of each npm package they hold,
    at the version ``web/package.json`` pins."""
    vendor = ROOT / "src" / "imsskg" / "server" / "static" / "vendor"
    licences = (vendor / "LICENSES.txt").read_text(encoding="utf-8")
    pinned = json.loads((ROOT / "web" / "package.json").read_text(encoding="utf-8"))["devDependencies"]
    for name, version in pinned.items():
        if name != "esbuild":  # the bundler, not bundled
            assert f"{name} {version} — " in licences, name
    assert "Attribution 4.0 International" in licences  # the map's CC BY 4.0
    assert {p.name for p in vendor.iterdir()} == {"LICENSES.txt", "editor.js", "network.js", "mexico.json"}
    assert len(json.loads((vendor / "mexico.json").read_text(encoding="utf-8"))["states"]) == 32
