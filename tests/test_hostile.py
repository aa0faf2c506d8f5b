"""Nothing lost to bad input or a crash: hostile files, a build killed midway, random text."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
from helpers import CORPUS, ROOT, reading
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from imsskg.extract.pipeline import extract
from imsskg.graph.rdf import document_quads
from imsskg.ontology import NIF
from rdflib import URIRef
from spacy.language import Language

from imsskg._build import build
from imsskg.read import parse_document

HOSTILE = ROOT / "tests" / "hostile"
REJECTED = {
    "vacio.txt": "empty file",
    "solo-espacios.txt": "empty file",
    "imagen.txt": "binary content",
    "enorme.txt": "too long",
}


def test_hostile_every_file_is_built_or_reported(tmp_path: Path, rules: Language) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(HOSTILE, corpus, ignore=shutil.ignore_patterns("README.md"))
    with (corpus / "enorme.txt").open("w", encoding="utf-8") as big:  # 50 MB of text
        line = "El IMSS informó que la atención continúa en Puebla y en Oaxaca con normalidad.\n"
        big.write(line * (50 * 2**20 // len(line)))
    report = build([corpus], tmp_path / "kg", nlp=rules)
    skipped = {Path(p).name: reason for p, reason in report.skipped}
    assert set(skipped) == set(REJECTED)
    assert all(REJECTED[name] in reason for name, reason in skipped.items()), skipped
    files = {p.name for p in corpus.iterdir()}
    assert set(report.built) == files - set(REJECTED)
    with reading(tmp_path / "kg") as ds:
        assert len(ds) > 100
        texts = {str(o) for o in ds.objects(None, URIRef(NIF.isString.value))}
    assert not any("\x00" in text for text in texts)  # control-nul.txt: its NUL bytes dropped, its text kept


def test_hostile_cli_summary_and_exit_code(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "imsskg.cli", "build", str(HOSTILE), "--store", str(tmp_path / "kg"), "--model", "none"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 3, result.stderr
    assert "3 skipped" in result.stdout
    assert "vacio.txt: empty file" in result.stderr


def test_hostile_killed_build_leaves_the_previous_graph(tmp_path: Path, rules: Language) -> None:
    store = tmp_path / "kg"
    build([CORPUS], store, nlp=rules)
    with reading(store) as ds:
        before = len(ds)
    corpus = tmp_path / "big"
    sys.path.insert(0, str(ROOT / "bench"))
    from generate import generate

    generate(corpus, 400)
    command = [sys.executable, "-m", "imsskg.cli", "build", str(corpus), "--store", str(store), "--model", "none"]
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    staging = store.with_name("kg.staging")
    deadline = time.monotonic() + 60
    while not staging.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(1.0)  # midway through extracting and writing
    assert child.poll() is None, "the build ended before it could be killed"
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    with reading(store) as ds:
        assert len(ds) == before  # the previous complete graph
    report = build([corpus], store, nlp=rules)
    assert len(report.built) == 400
    assert not staging.exists()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(min_size=1, max_size=400))
def test_hostile_random_text_through_the_whole_pipeline(rules: Language, text: str) -> None:
    document = parse_document("El IMSS en Puebla. " + text, source="x.txt", data=text.encode(), encoding="utf-8")
    quads = set(document_quads(next(extract([document], rules))))
    data = ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b""
    assert len(set(ox.parse(data, ox.RdfFormat.N_QUADS))) == len(quads)  # every IRI and literal valid
