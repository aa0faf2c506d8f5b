"""The entity network: metrics, Gephi files, and the offline HTML view in a real browser."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from helpers import browse, needs_chromium
from spacy.language import Language

import imsskg
from imsskg._build import build
from imsskg.network import analysis
from imsskg.network.analysis import (
    PIVOTS,
    annotate,
    centrality,
    communities,
    ego,
    entity_network,
    path,
    picture,
    top_central,
    write,
)
from imsskg.network.html import render

MAX_VIEW_NODES = 400


def _large_network(n: int) -> nx.Graph:
    """A connected network of ``n`` entities, entity ``i`` named in ``i % 50`` documents."""
    g = nx.connected_watts_strogatz_graph(n, 6, 0.1, seed=3)
    g = nx.relabel_nodes(g, {i: f"https://example.org/e/{i:05d}" for i in g})
    for i, node in enumerate(sorted(g)):
        g.nodes[node].update(label=f"Entidad {i}", type="Hospital", documents=i % 50)
    for _, _, d in g.edges(data=True):
        d.update(weight=1.0, comentions=1, relations="")
    return g


def test_network_view_of_a_large_network_shows_the_most_mentioned_entities(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(analysis, "MAX_VIEW_NODES", 400)
    g = _large_network(MAX_VIEW_NODES + 300)
    page = render(g)
    data = json.loads(page.split('<script id="graph-data" type="application/json">')[1].split("</script>")[0])
    assert len(data["nodes"]) == MAX_VIEW_NODES
    assert "las 400 más mencionadas de 700" in data["summary"]
    shown = {n["id"] for n in data["nodes"]}
    most = max(g, key=lambda n: g.nodes[n]["documents"])
    assert most in shown
    assert min(g.nodes[n]["documents"] for n in shown) >= max(g.nodes[n]["documents"] for n in set(g) - shown)


def test_network_betweenness_is_estimated_from_seeded_pivots_on_large_networks() -> None:
    g = _large_network(5 * PIVOTS + 1)
    first, again = centrality(g), centrality(g)
    assert first == again  # seeded: the same network always scores the same
    assert set(first) == set(g)
    assert max(s["betweenness"] for s in first.values()) > 0


def test_network_edges_are_relations_by_default(kg: imsskg.KnowledgeGraph) -> None:
    g = entity_network(kg.store)
    robledo = "https://w3id.org/imsskg/id/person/zoe-robledo"
    imss = "https://w3id.org/imsskg/id/org/imss"
    assert g.nodes[robledo]["type"] == "Person"
    assert g.nodes[robledo]["documents"] == 3
    assert "holdsPost" in g.edges[robledo, imss]["relations"]
    assert all(d["relations"] for *_, d in g.edges(data=True))  # no document is a clique any more
    assert g.number_of_edges() < g.number_of_nodes()
    top = [n for n, _ in top_central(centrality(g), k=1)]
    assert top == [imss]


def test_network_comentions_are_counted_per_sentence(kg: imsskg.KnowledgeGraph) -> None:
    """Two entities are co-mentioned once per sentence naming both, not once per document."""
    g = entity_network(kg.store, comentions=True)
    robledo = "https://w3id.org/imsskg/id/person/zoe-robledo"
    imss = "https://w3id.org/imsskg/id/org/imss"
    counted = kg.query(
        f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ GRAPH ?g {{ ?a ikg:denotes <{robledo}> ; nif:sentence ?s . "
        f"?b ikg:denotes <{imss}> ; nif:sentence ?s }} }}"
    )
    assert g.edges[robledo, imss]["comentions"] == counted[0][0] > 0
    per_document = entity_network(kg.store, comentions=True, min_comentions=2)
    assert per_document.number_of_edges() < g.number_of_edges()
    assert all(d["relations"] or d["comentions"] >= 2 for *_, d in per_document.edges(data=True))


@pytest.mark.parametrize("suffix", [".graphml", ".gexf", ".json"])
def test_network_files_read_back(kg: imsskg.KnowledgeGraph, tmp_path: Path, suffix: str) -> None:
    g = annotate(entity_network(kg.store))
    path = tmp_path / f"net{suffix}"
    write(g, path)
    if suffix == ".graphml":
        back = nx.read_graphml(path)
    elif suffix == ".gexf":
        back = nx.read_gexf(path)
    else:
        back = nx.node_link_graph(__import__("json").loads(path.read_text()), edges="edges")
    assert back.number_of_nodes() == g.number_of_nodes()
    assert back.number_of_edges() == g.number_of_edges()


def test_network_html_is_self_contained_and_escapes_labels(tmp_path: Path, rules: Language) -> None:
    (tmp_path / "x.txt").write_text(
        'Asistió la directora general del ISSSTE, Ana </script><script>alert("x")</script> Pérez, '
        "y la gobernadora de Colima, Indira Vizcaíno Silva.",
        encoding="utf-8",
    )
    build([tmp_path / "x.txt"], tmp_path / "kg", nlp=rules)
    with imsskg.open(tmp_path / "kg") as graph:
        page = render(graph.network())
    assert "http://" not in page.split("<script", 1)[0]
    assert "<script src=" not in page  # the script is inlined: the file works offline
    assert page.count("</script>") == 2
    assert "</script><script>alert" not in page


@pytest.mark.browser
@needs_chromium
def test_network_view_draws_nodes_in_headless_chromium(kg: imsskg.KnowledgeGraph, tmp_path: Path) -> None:
    g = entity_network(kg.store, comentions=True)
    page_file = tmp_path / "network.html"
    page_file.write_text(render(g), encoding="utf-8")

    def steps(page: Any) -> None:
        page.goto(page_file.as_uri())
        page.wait_for_selector("body[data-ready=true]", state="attached")
        assert page.evaluate("window.imsskgView.graph.order") == g.number_of_nodes()
        assert page.locator("#canvas canvas").count() >= 2  # sigma's WebGL layers
        page.fill("#search", "robledo")
        assert page.get_attribute("#search", "data-found") == "Zoé Robledo"
        page.press("#search", "Enter")
        assert page.inner_text("#info h2") == "Zoé Robledo"
        page.click("#legend button[data-type=Person]")
        assert "off" in (page.get_attribute("#legend button[data-type=Person]", "class") or "")

    errors, requests = browse(steps)
    assert errors == []
    assert all(url.startswith("file://") for url in requests)


def test_network_communities_ego_and_path(kg: imsskg.KnowledgeGraph) -> None:
    g = annotate(entity_network(kg.store, comentions=True))
    groups = communities(g)
    assert sum(len(c) for c in groups) == g.number_of_nodes()
    assert len(groups) > 1
    robledo = "https://w3id.org/imsskg/id/person/zoe-robledo"
    assert "https://w3id.org/imsskg/id/org/imss" in ego(g, robledo)
    steps = path(g, "https://w3id.org/imsskg/id/person/tuffic-miguel", "https://w3id.org/imsskg/id/person/marcos-bucio")
    assert steps[0] == (
        "https://w3id.org/imsskg/id/person/tuffic-miguel",
        "https://w3id.org/imsskg/id/org/imss",
        "holdsPost",
    )
    assert steps[-1][1] == "https://w3id.org/imsskg/id/person/marcos-bucio"


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_network_static_picture(kg: imsskg.KnowledgeGraph, tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"net{suffix}"
    picture(annotate(entity_network(kg.store)), out)
    head = out.read_bytes()[:200]
    assert head.startswith(b"\x89PNG") if suffix == ".png" else b"<svg" in out.read_bytes()[:2000]


def test_network_of_the_most_mentioned_has_the_full_networks_relations_between_them(
    kg: imsskg.KnowledgeGraph,
) -> None:
    """The first view, read by index lookups, is the full network restricted to its entities."""
    full = entity_network(kg.store)
    top = entity_network(kg.store, top=20)
    assert top.number_of_nodes() == 20
    most = sorted(full, key=lambda n: (-full.nodes[n]["documents"], n))
    assert min(full.nodes[n]["documents"] for n in top) >= full.nodes[most[20]]["documents"]
    expected = full.subgraph(top.nodes)
    assert {frozenset(e) for e in top.edges} == {frozenset(e) for e in expected.edges}
    assert all(top.edges[e]["relations"] == expected.edges[e]["relations"] for e in top.edges)
