"""Writing to and querying a real SPARQL 1.1 store: ``oxigraph serve`` (PyPI's oxigraph) on loopback."""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from helpers import CORPUS
from imsskg.graph.corpus import CORPUS as CORPUS_GRAPH
from imsskg.graph.store import Store
from imsskg.queries import named_queries, run
from typer.testing import CliRunner

import imsskg
from imsskg.cli import app

OXIGRAPH = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))


@pytest.fixture
def remote(tmp_path: Path) -> Iterator[str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [OXIGRAPH, "serve", "--location", str(tmp_path / "remote"), "--bind", f"127.0.0.1:{port}",
         "--union-default-graph"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            httpx.get(url, timeout=1)
            break
        except httpx.TransportError:
            assert time.monotonic() < deadline, "oxigraph serve did not start"
            time.sleep(0.1)
    yield url
    server.terminate()
    server.wait(timeout=10)


def _remote_quads(remote: str, graph: str) -> set[str]:
    """The triples of one graph of the remote store, as N-Triples lines."""
    answer = httpx.get(f"{remote}/store", params={"graph": graph}, headers={"Accept": "application/n-triples"})
    return {line for line in answer.text.splitlines() if line.strip()}


def _local_quads(store: Path, graph: str) -> set[str]:
    with Store.open(store) as kg:
        return {f"{q.subject} {q.predicate} {q.object} ." for q in kg.quads(None, None, None, ox.NamedNode(graph))}


def test_remote_build_sends_what_changed_and_queries_answer_the_same(remote: str, tmp_path: Path) -> None:
    store = tmp_path / "kg"
    runner = CliRunner()
    target = ["--store", str(store), "--target", f"{remote}/update"]
    result = runner.invoke(app, ["build", str(CORPUS), "--model", "none", *target])
    assert result.exit_code == 0, result.output
    assert "5 document graphs written" in result.output
    result = runner.invoke(
        app, ["query", "post-by-document", "--endpoint", f"{remote}/query", "--format", "csv", "--store", str(store)]
    )
    assert result.exit_code == 0, result.output
    with imsskg.open(store) as kg:
        local = run(kg.store, named_queries()["post-by-document"]).dicts()
    lines = result.output.strip().splitlines()
    assert len(lines) == len(local) + 1
    assert "2018-11-29,Tuffic Miguel" in result.output
    # a changed document: its graph replaced, the corpus graph sent as a diff, not whole
    changed = tmp_path / "corpus"
    shutil.copytree(CORPUS, changed, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    doc = changed / "000_47b18d3ea285699f.txt"
    doc.write_text(doc.read_text(encoding="utf-8").replace("Tuffic Miguel", "Tuffic Mijares"), encoding="utf-8")
    result = runner.invoke(app, ["build", str(changed), "--model", "none", *target])
    assert "1 document graphs written" in result.output
    sent = re.search(r"corpus graph −(\d+) \+(\d+) triples", result.output)
    assert sent, result.output
    assert 0 < int(sent.group(1)) + int(sent.group(2)) < len(_local_quads(store, CORPUS_GRAPH.value)) / 4
    assert _remote_quads(remote, CORPUS_GRAPH.value) == _local_quads(store, CORPUS_GRAPH.value)
    count = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    answer = httpx.post(f"{remote}/query", data={"query": count}, headers={"Accept": "application/sparql-results+json"})
    assert answer.json()["results"]["bindings"][0]["n"]["value"] == "6"
    result = runner.invoke(
        app, ["query", "documents-mentioning", "-p", "name=Tuffic", "--endpoint", f"{remote}/query", "--format", "json"]
    )
    assert "Tuffic Mijares" in result.output
    assert "Tuffic Miguel" not in result.output
    # a removal: the graph dropped there too, the corpus graph the same as here
    result = runner.invoke(app, ["remove", doc.name, *target])
    assert "0 document graphs written and 1 dropped" in result.output, result.output
    assert _remote_quads(remote, CORPUS_GRAPH.value) == _local_quads(store, CORPUS_GRAPH.value)
    answer = httpx.post(f"{remote}/query", data={"query": count}, headers={"Accept": "application/sparql-results+json"})
    assert answer.json()["results"]["bindings"][0]["n"]["value"] == "5"


def test_a_bulk_load_of_the_export_into_oxigraph_answers_every_named_query_alike(
    kg: imsskg.KnowledgeGraph, tmp_path: Path
) -> None:
    """The way to a server-grade store: the N-Quads export bulk-loaded by ``oxigraph load``."""
    dump = kg.export(tmp_path / "kg.nq")
    subprocess.run([OXIGRAPH, "load", "--location", str(tmp_path / "loaded"), "--file", str(dump)], check=True,
                   capture_output=True)  # fmt: skip
    with Store.open(tmp_path / "loaded") as loaded:
        assert len(loaded) == len(kg.store)
        for query in named_queries().values():
            assert sorted(map(str, run(loaded, query).rows)) == sorted(map(str, run(kg.store, query).rows)), query.name
