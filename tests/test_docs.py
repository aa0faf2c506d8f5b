"""Every docstring example of the package runs (as in networkx and pyoxigraph)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest
from helpers import ROOT

import imsskg

MODULES = sorted(
    m.name for m in pkgutil.walk_packages(imsskg.__path__, "imsskg.") if not m.name.endswith((".cli", ".__main__"))
)


@pytest.mark.parametrize("name", MODULES)
def test_docs_examples_run(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS)
    assert result.failed == 0


def test_docs_readme_python_section_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = doctest.testfile(
        str(ROOT / "README.md"), module_relative=False, optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS
    )
    assert result.attempted > 10
    assert result.failed == 0
