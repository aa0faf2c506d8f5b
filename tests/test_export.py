"""Exports parse back, with rdflib and with pyoxigraph, into the same statements."""

from __future__ import annotations

import io
import json

import pyoxigraph as ox
import pytest
import rdflib
from imsskg.graph.export import Format, export
from rdflib import Dataset

import imsskg

RDFLIB = {"turtle": "turtle", "nt": "nt", "xml": "xml", "trig": "trig", "nquads": "nquads", "jsonld": "json-ld"}


def _quads(ds: Dataset) -> int:
    return int(next(iter(ds.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")))[0])  # type: ignore[index]


@pytest.mark.parametrize("fmt", list(Format))
def test_export_parses_back_with_rdflib_and_pyoxigraph(kg: imsskg.KnowledgeGraph, ds: Dataset, fmt: Format) -> None:
    buffer = io.BytesIO()
    export(kg.store, fmt, buffer)
    data = buffer.getvalue()
    oxigraph = len(set(ox.parse(data, fmt.rdf_format)))
    if fmt.has_graphs:
        parsed = rdflib.Dataset()
        parsed.parse(data=data, format=RDFLIB[fmt.value])
        expected = _quads(ds)
        assert len(set(parsed.quads((None, None, None, None)))) == expected
    else:
        expected = len(ds)
        assert len(rdflib.Graph().parse(data=data, format=RDFLIB[fmt.value])) == expected
    assert oxigraph == expected


def test_export_jsonld_uses_the_compact_context(kg: imsskg.KnowledgeGraph) -> None:
    buffer = io.BytesIO()
    export(kg.store, Format.jsonld, buffer)
    doc = json.loads(buffer.getvalue())
    assert doc["@context"]["prefLabel"] == "skos:prefLabel"
    assert "prefLabel" in buffer.getvalue().decode()
