"""The command line, as a user runs it, and its documentation in the README."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import typer
from helpers import CORPUS, ROOT
from typer.testing import CliRunner

from imsskg.cli import EXIT_SKIPPED, app

runner = CliRunner()


def test_cli_build_reports_skipped_files_and_builds_the_rest(tmp_path: Path) -> None:
    shutil.copy(CORPUS / "000_47b18d3ea285699f.txt", tmp_path)
    (tmp_path / "roto.txt").write_bytes(b"\x00\xff\x00\xfe" * 100)
    result = runner.invoke(app, ["build", str(tmp_path), "--store", str(tmp_path / "kg"), "--model", "none"])
    assert result.exit_code == EXIT_SKIPPED, result.output
    assert "roto.txt: no readable text" in result.output
    assert "1 built" in result.output
    assert "Tuffic Miguel" in result.output


def test_cli_query_csv_and_json(store: Path) -> None:
    result = runner.invoke(app, ["query", "post-by-document", "--store", str(store), "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert "2018-11-29,Tuffic Miguel" in result.output
    result = runner.invoke(
        app, ["query", "documents-mentioning", "-p", "name=Bucio", "--store", str(store), "--format", "json"]
    )
    assert {row["label"] for row in json.loads(result.output)} == {"Marcos Bucio Mújica"}


def test_cli_query_without_a_store_says_so(tmp_path: Path) -> None:
    result = runner.invoke(app, ["query", "officials", "--store", str(tmp_path / "nothing")])
    assert result.exit_code == 1
    assert "imsskg build" in result.output


def test_cli_extract_prints_the_jsonl_report() -> None:
    result = runner.invoke(app, ["extract", str(CORPUS / "003_2e5378d2430600c6.txt"), "--model", "none"])
    line = json.loads(result.output.splitlines()[0])
    assert line["doc"] == "003_2e5378d2430600c6.txt"
    assert line["date"] == "2024-01-19"
    assert {"predicate": "operatesIn"}.items() <= line["relations"][-1].items() or any(
        r["predicate"] == "operatesIn" for r in line["relations"]
    )


def test_cli_export_and_network_write_files(store: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["export", "--format", "nquads", "-o", str(tmp_path / "kg.nq"), "--store", str(store)])
    assert result.exit_code == 0
    assert (tmp_path / "kg.nq").stat().st_size > 1000
    outputs = ["-o", str(tmp_path / "n.html"), "-o", str(tmp_path / "n.gexf")]
    result = runner.invoke(app, ["network", "--store", str(store), *outputs])
    assert result.exit_code == 0, result.output
    assert "Instituto Mexicano del Seguro Social" in result.output
    assert (tmp_path / "n.html").exists()
    assert (tmp_path / "n.gexf").exists()


def test_cli_stats(store: Path) -> None:
    result = runner.invoke(app, ["stats", "--store", str(store)])
    assert result.exit_code == 0
    assert "5 documents" in result.output


@pytest.mark.parametrize("command", sorted(typer.main.get_command(app).commands))  # type: ignore[attr-defined]
def test_cli_every_command_is_documented_in_readme(command: str) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert re.search(rf"`imsskg {command}\b", readme), f"README does not document 'imsskg {command}'"


def test_cli_why_shows_the_sentences_behind_a_fact(store: Path) -> None:
    result = runner.invoke(app, ["why", "Robledo", "holdsPost", "director general", "--store", str(store)])
    assert result.exit_code == 0, result.output
    assert "Zoé Robledo holdsPost director general @ Instituto Mexicano del Seguro Social" in result.output
    assert "003_2e5378d2430600c6.txt, 2024-01-19" in result.output
    assert "informó Zoé Robledo, director general" in result.output
    result = runner.invoke(app, ["why", "Robledo", "locatedIn", "Puebla", "--store", str(store)])
    assert result.exit_code == 1
