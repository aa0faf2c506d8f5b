"""The extractor against the hand annotations of the sample corpus, scored by ``score.py``."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from helpers import CORPUS, EVAL, ROOT
from imsskg.extract.pipeline import extract
from spacy.language import Language
from typer.testing import CliRunner

from imsskg._build import read_all
from imsskg.cli import app
from imsskg.evaluate import load_gold, load_report, score
from imsskg.report import report

#: The evaluation kit's own scorer and development set, beside the project as CI and developers have them.
KIT = ROOT.parent / "shared" / "eval" / "score.py"
DEV = ROOT.parent / "shared" / "eval" / "dev"
needs_kit = pytest.mark.skipif(
    not KIT.exists() and not os.environ.get("CI"), reason="the evaluation kit (../shared) is not here"
)


def _scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("score", KIT)
    assert spec
    assert spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_accuracy_on_sample_gold(nlp: Language, tmp_path: Path) -> None:
    documents = list(read_all([CORPUS], []))
    out = tmp_path / "report.jsonl"
    lines = [json.dumps(line, ensure_ascii=False) for line in report(list(extract(documents, nlp)))]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = score(load_gold(EVAL / "gold"), load_report(out))
    assert result.entity_micro.f1 >= 0.90, result.entities
    assert result.relation_micro.f1 >= 0.80, result.relations
    assert result.identity >= 0.95
    assert all(counts.f1 >= 0.80 for counts in result.entities.values()), result.entities


def test_accuracy_report_has_dates_and_one_iri_per_entity(nlp: Language) -> None:
    documents = list(read_all([CORPUS], []))
    lines = list(report(list(extract(documents, nlp))))
    assert {line["doc"]: line["date"] for line in lines}["000_47b18d3ea285699f.txt"] == "2018-11-29"
    iris = {e["id"] for line in lines for e in line["entities"] if e["name"] == "Zoé Robledo"}
    assert iris == {"https://w3id.org/imsskg/id/person/zoe-robledo"}


@needs_kit
def test_accuracy_evaluate_agrees_with_the_kit_scorer(nlp: Language, tmp_path: Path) -> None:
    documents = list(read_all([CORPUS], []))
    lines = list(report(list(extract(documents, nlp))))
    out = tmp_path / "report.jsonl"
    out.write_text("\n".join(json.dumps(line, ensure_ascii=False) for line in lines) + "\n", encoding="utf-8")
    kit = _scorer().score(EVAL / "gold", out)
    ours = score(load_gold(EVAL / "gold"), {line["doc"]: line for line in lines})
    assert round(ours.entity_micro.f1, 6) == round(kit["entity_micro"][2], 6)
    assert round(ours.relation_micro.f1, 6) == round(kit["relation_micro"][2], 6)
    assert round(ours.identity, 6) == round(kit["identity"], 6)


def test_accuracy_score_script_prints_the_kits_summary(nlp: Language, tmp_path: Path) -> None:
    out = tmp_path / "report.jsonl"
    lines = report(list(extract(read_all([CORPUS], []), nlp)))
    out.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(EVAL / "score.py"), str(out), "--gold", str(EVAL / "gold")],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert re.search(r"^entities F1 (0\.9\d\d|1\.000) \| relations F1 0\.\d{3} \| identity", done.stdout, re.M)


def test_accuracy_evaluate_command_prints_the_table() -> None:
    result = CliRunner().invoke(app, ["evaluate", str(EVAL / "gold"), str(CORPUS), "--model", "none"])
    assert result.exit_code == 0, result.output
    assert re.search(r"entities F1 (0\.9\d\d|1\.000)", result.output)


@needs_kit
def test_accuracy_on_the_development_set_of_real_press_releases(rules: Language) -> None:
    """The floors of issue 11 on 25 real bulletins and news reports (rules alone, the default)."""
    lines = report(list(extract(read_all([DEV / "texts"], []), rules)))
    result = score(load_gold(DEV / "gold"), {line["doc"]: line for line in lines})
    assert result.entity_micro.f1 >= 0.92, result.entities
    assert result.relation_micro.f1 >= 0.85, result.relations
    assert result.identity >= 0.97
    counted = {**result.entities, **result.relations}
    assert {k: round(c.f1, 3) for k, c in counted.items() if c.tp + c.fn >= 5 and c.f1 < 0.80} == {}
    assert result.entity_micro.precision >= 0.85
    assert result.relation_micro.precision >= 0.85
