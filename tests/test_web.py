"""The web app as a data journalist uses it, in headless Chromium: the SPARQL editor, shared
links, downloads, links from results to entity and document pages, the network, the map, the
dataset page and a narrow screen. Every test also checks that no console error appeared and no
request left the host.

Set ``IMSSKG_SCREENSHOTS=docs/screenshots`` to write the README's screenshots."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import networkx as nx
import pytest
from helpers import browse, needs_chromium, serve

from imsskg.network.html import render

pytestmark = [pytest.mark.browser, needs_chromium]
ROBLEDO = "https://w3id.org/imsskg/id/person/zoe-robledo"


@pytest.fixture(scope="module")
def url(store: Path) -> Iterator[str]:
    yield from serve(store)


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where screenshots go: the README's folder when asked for, else a temporary one."""
    folder = Path(os.environ.get("IMSSKG_SCREENSHOTS") or tmp_path_factory.mktemp("shots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _clean(url: str, steps: Callable[[Any], None], *, refused: int | None = None) -> None:
    """Run ``steps`` in Chromium: no console error (but Chromium's note of a ``refused`` answer
    the steps asked for), no request off the host."""
    errors, requests = browse(steps)
    expected = f"the server responded with a status of {refused}"
    assert [e for e in errors if not (refused and expected in e)] == []
    off = [r for r in requests if not r.startswith((url, "data:", "about:", "blob:", "file:"))]
    assert off == []


def _rows(page: Any) -> list[list[str]]:
    return [
        [c.strip() for c in row]
        for row in page.eval_on_selector_all(
            "#result-table tbody tr", "rows => rows.map(r => [...r.cells].map(c => c.textContent))"
        )
    ]


def test_editor_completes_ontology_terms_and_runs_on_ctrl_enter(url: str, shots: Path) -> None:
    def steps(page: Any) -> None:
        page.goto(url + "/")
        page.wait_for_selector(".cm-content")
        page.fill(".cm-content", "SELECT ?p WHERE { ?p a ikg:Pers")
        page.press(".cm-content", "Control+Space")
        page.wait_for_selector(".cm-tooltip-autocomplete")
        assert "ikg:Person" in page.inner_text(".cm-tooltip-autocomplete")
        page.wait_for_timeout(200)  # CodeMirror takes Enter for a completion once it has been seen a moment
        page.press(".cm-content", "Enter")  # take the completion
        page.press(".cm-content", "End")
        page.keyboard.type(" } ORDER BY ?p")
        assert "ikg:Person }" in page.inner_text(".cm-content")
        page.press(".cm-content", "Control+Enter")
        page.wait_for_selector("#result-table tbody tr")
        assert len(_rows(page)) == 12  # the sample corpus's people
        assert page.inner_text(".cm-content").startswith("PREFIX ikg: <https://w3id.org/imsskg/ontology#>")
        assert page.locator(".cm-editor .tok-keyword, .cm-editor span[class^=ͼ]").count() > 0  # highlighted
        assert page.locator(".cm-tooltip-autocomplete").count() == 0  # a variable is not completed
        page.screenshot(path=str(shots / "query.png"))

    _clean(url, steps)


def test_a_shared_address_reproduces_a_named_query_with_its_parameters(url: str) -> None:
    first: dict[str, Any] = {}

    def steps(page: Any) -> None:
        page.goto(url + "/")
        page.click("button.named[data-name=documents-mentioning]")
        page.wait_for_selector("#result-table tbody tr")
        page.fill("#params input[data-param=name]", "Sheinbaum")
        page.click("#run")
        page.wait_for_selector("#status:has-text('fila')")
        page.wait_for_selector("#result-table tbody tr")
        first["rows"] = _rows(page)
        first["address"] = page.get_attribute("#share", "href")
        assert "named=documents-mentioning" in page.url
        assert "name=Sheinbaum" in page.url
        page.goto(url + first["address"])
        page.wait_for_selector("#result-table tbody tr")
        assert _rows(page) == first["rows"]
        assert page.input_value("#params input[data-param=name]") == "Sheinbaum"
        count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?d a ikg:PressRelease } }"
        page.goto(url + "/?" + urlencode({"query": count}))
        page.wait_for_selector("#result-table tbody tr")
        assert _rows(page) == [["5"]]

    _clean(url, steps)
    assert any("Claudia Sheinbaum Pardo" in cell for row in first["rows"] for cell in row)


def test_results_sort_page_and_download(url: str, tmp_path: Path) -> None:
    def steps(page: Any) -> None:
        page.goto(url + "/?named=entities")
        page.wait_for_selector("#result-table tbody tr")
        assert len(_rows(page)) == 50  # 69 entities: two pages of 50
        assert page.inner_text("#page-info") == "página 1 de 2"
        page.click("#next")
        assert len(_rows(page)) == 19
        page.click("#result-table th[data-column=documents]")
        page.click("#result-table th[data-column=documents]")  # descending
        assert page.get_attribute("#result-table th[data-column=documents]", "aria-sort") == "descending"
        assert page.inner_text("#page-info") == "página 1 de 2"
        counts = [int(r[4]) for r in _rows(page)]
        assert counts == sorted(counts, reverse=True)
        for fmt in ("csv", "tsv", "json"):
            with page.expect_download() as caught:
                page.click(f"#downloads button[data-format={fmt}]")
            path = tmp_path / f"entities.{fmt}"
            caught.value.save_as(path)
            text = path.read_text(encoding="utf-8")
            if fmt == "json":
                assert len(json.loads(text)["results"]["bindings"]) == 69
            else:
                lines = text.strip().splitlines()
                assert lines[0].split("," if fmt == "csv" else "\t")[:2] == ["type", "label"]
                assert len(lines) == 70
                assert "label_iri" in lines[0]  # downloads keep the IRIs

    _clean(url, steps)


def test_a_result_links_to_the_entity_and_the_entity_to_its_mention_in_a_document(url: str, shots: Path) -> None:
    def steps(page: Any) -> None:
        page.goto(url + "/?named=officials")
        page.wait_for_selector("#result-table tbody tr")
        wrapping = page.eval_on_selector_all(
            "#result-table td.date", "cs => cs.map(c => getComputedStyle(c).whiteSpace)"
        )
        assert wrapping
        assert set(wrapping) == {"nowrap"}  # a date never wraps
        page.click("#result-table a[href='/id/person/zoe-robledo'] >> nth=0")
        page.wait_for_selector("article.entity h1")
        assert page.inner_text("article.entity h1").startswith("Zoé Robledo")
        assert page.locator(".timeline > li").count() >= 1  # the posts held, with their documents
        assert page.locator(".fact blockquote mark").first.inner_text() == "Zoé Robledo"
        page.screenshot(path=str(shots / "entity.png"), full_page=True)
        page.click(".timeline .documents a >> nth=0")
        page.wait_for_selector("a.mention.focus#focus")
        assert page.inner_text("#focus") in ("Zoé Robledo", "Robledo")
        assert page.locator("a.mention.focus").count() >= 1
        page.screenshot(path=str(shots / "document.png"))
        page.goto(url + "/?named=hospitals")
        page.wait_for_selector("#result-table tbody tr")
        page.click("#result-table a:has-text('Ciudad Juárez')")
        page.wait_for_selector("article.entity h1")
        assert "Ciudad Juárez" in page.inner_text("article.entity h1")

    _clean(url, steps)


def test_a_hospital_page_shows_its_city_and_state_and_a_state_page_its_units(url: str) -> None:
    hospital = next(
        r for r in httpx.get(f"{url}/queries/hospitals").json()["results"]["bindings"] if "city" in r and "state" in r
    )
    page = httpx.get(url + hospital["hospital_iri"]["value"].replace("https://w3id.org/imsskg", ""))
    assert f'href="/id/{hospital["city_iri"]["value"].split("/id/")[1]}"' in page.text
    assert hospital["state"]["value"] in page.text.split('class="places"')[1].split("</p>")[0]
    state = httpx.get(url + "/id/" + hospital["state_iri"]["value"].split("/id/")[1]).text
    assert "Unidades médicas" in state
    assert hospital["hospital"]["value"] in state


def test_ver_como_red_draws_a_result_and_says_why_when_it_cannot(url: str, shots: Path) -> None:
    def steps(page: Any) -> None:
        page.goto(url + "/?named=officials")
        page.wait_for_selector("#result-table tbody tr")
        page.click("#as-network")
        page.wait_for_selector("body[data-ready=true]", state="attached")
        assert page.evaluate("window.imsskgView.graph.order") >= 10
        assert page.evaluate("window.imsskgView.graph.hasNode('https://w3id.org/imsskg/id/person/zoe-robledo')")
        page.goto(url + "/?query=SELECT%20%3Fn%20WHERE%20%7B%20VALUES%20%3Fn%20%7B%201%202%20%7D%20%7D")
        page.wait_for_selector("#result-table tbody tr")
        assert page.get_attribute("#as-network", "aria-disabled") == "true"
        assert "no nombra entidades" in page.inner_text("#as-network")
        page.goto(url + "/network?sparql=SELECT%20%3Fn%20WHERE%20%7B%20VALUES%20%3Fn%20%7B%201%20%7D%20%7D")
        page.wait_for_selector("body[data-ready=true]", state="attached")
        assert "no nombra ninguna entidad" in page.inner_text("#empty")
        page.goto(url + f"/network?focus={ROBLEDO}&comentions=1&min=1")
        page.wait_for_selector("body[data-ready=true]", state="attached")
        page.wait_for_timeout(500)
        page.screenshot(path=str(shots / "network.png"))

    _clean(url, steps)


def test_neighbourhood_is_relations_with_radius_and_comentions_optional(url: str) -> None:
    def nodes(**params: str) -> set[str]:
        page = httpx.get(f"{url}/network", params=params).text
        data = json.loads(page.split('id="graph-data" type="application/json">', 1)[1].split("</script>", 1)[0])
        return {n["id"] for n in data["nodes"]}

    one, two = nodes(focus=ROBLEDO), nodes(focus=ROBLEDO, radius="2")
    assert "https://w3id.org/imsskg/id/org/imss" in one
    assert one < two
    assert len(one) < 10  # the relation neighbours, not every entity of the same press releases
    assert nodes(focus=ROBLEDO, comentions="1") > one
    assert nodes(focus=ROBLEDO, comentions="1", min="50") == one  # a minimum weight no pair reaches


def test_the_map_colours_the_states_the_graph_counts(url: str, shots: Path) -> None:
    programs = httpx.get(f"{url}/queries/programs-states").json()["results"]["bindings"]
    reached = {r["state_iri"]["value"] for r in programs}

    def steps(page: Any) -> None:
        page.goto(url + "/map?of=programs")
        coloured = page.eval_on_selector_all(
            "svg a[data-count]:not([data-count='0'])", "links => links.map(a => a.getAttribute('href'))"
        )
        assert {"https://w3id.org/imsskg" + h for h in coloured} == reached
        assert page.locator("svg path").count() == 32
        grey = page.eval_on_selector_all("svg [data-count='0'] path, svg path[data-count='0']", "ps => ps.length")
        assert grey == 32 - len(reached)
        page.goto(url + "/map?of=units")
        page.screenshot(path=str(shots / "map.png"))
        page.click("svg a[data-count]:not([data-count='0']) >> nth=0")
        page.wait_for_selector("article.entity")
        assert "Unidades médicas" in page.inner_text("article.entity")

    _clean(url, steps)


def test_dataset_page_in_html_and_turtle_by_negotiation(url: str) -> None:
    html = httpx.get(f"{url}/.well-known/void", headers={"Accept": "text/html"})
    assert html.headers["content-type"].startswith("text/html")
    assert "creativecommons.org/licenses/by/4.0" in html.text
    assert "Editor" in html.text
    assert "2018-11-29 a 2024-01-19" in html.text
    turtle = httpx.get(f"{url}/.well-known/void", headers={"Accept": "text/turtle"})
    assert turtle.headers["content-type"].startswith("text/turtle")
    assert "dcterms:license" in turtle.text
    assert httpx.get(f"{url}/.well-known/void.ttl").text == turtle.text


def test_errors_are_in_spanish_with_the_line_marked(url: str) -> None:
    def steps(page: Any) -> None:
        page.goto(url + "/")
        page.wait_for_selector(".cm-content")
        page.fill(".cm-content", "SELECT ?s WHERE {\n  ?s ?p ?o\n  FILTER(?s = ) }")
        page.press(".cm-content", "Control+Enter")
        page.wait_for_selector("#status.error")
        assert "línea 3" in page.inner_text("#status")
        page.wait_for_selector(".cm-lintRange-error, .cm-lint-marker-error", state="attached")
        page.fill(".cm-content", "SELECT ?s WHERE { ?s nada:x ?o }")
        page.click("#run")
        page.wait_for_selector("#status:has-text('prefijo no declarado')")

    _clean(url, steps, refused=400)


def test_a_narrow_screen_keeps_the_search_box_and_tables_on_screen(url: str) -> None:
    def steps(page: Any) -> None:
        page.set_viewport_size({"width": 390, "height": 800})
        for path in ("/", "/id/person/zoe-robledo", "/map"):
            page.goto(url + path)
            box = page.locator("#search-box").bounding_box()
            assert box["x"] >= 0
            assert box["x"] + box["width"] <= 390
            assert page.evaluate("document.documentElement.scrollWidth") <= 390

    _clean(url, steps)


def test_a_network_of_ten_thousand_entities_draws_and_stays_responsive(tmp_path: Path) -> None:
    g = nx.connected_watts_strogatz_graph(10_000, 4, 0.05, seed=1)
    g = nx.relabel_nodes(g, {i: f"https://example.org/e/{i}" for i in g})
    kinds = ("Person", "Organization", "Hospital", "Program", "State", "City")
    for i, node in enumerate(sorted(g)):
        g.nodes[node].update(label=f"Entidad {i}", type=kinds[i % 6], documents=1 + i % 7)
    for *_, d in g.edges(data=True):
        d.update(weight=1.0, comentions=0, relations="partOf")
    page_file = tmp_path / "network.html"
    page_file.write_text(render(g), encoding="utf-8")
    figures: dict[str, float] = {}

    def steps(page: Any) -> None:
        started = time.perf_counter()
        page.goto(page_file.as_uri())
        page.wait_for_selector("body[data-ready=true]", state="attached", timeout=60_000)
        figures["load to first frame (ms)"] = (time.perf_counter() - started) * 1000
        figures["first frame, in page (ms)"] = float(page.evaluate("document.body.dataset.firstFrame"))
        assert page.evaluate("window.imsskgView.graph.order") == 10_000
        # responsive while the layout runs: a search centres its node, a frame comes soon after
        page.fill("#search", "Entidad 4321")
        assert page.get_attribute("#search", "data-found") == "Entidad 4321"
        frames = page.evaluate(
            "new Promise(r => { const out = []; let last = performance.now(); const tick = () => {"
            " const now = performance.now(); out.push(now - last); last = now;"
            " if (out.length < 20) requestAnimationFrame(tick); else r(out); }; requestAnimationFrame(tick); })"
        )
        figures["median frame while laying out (ms)"] = sorted(frames)[len(frames) // 2]
        figures["slowest frame (ms)"] = max(frames)

    errors, requests = browse(steps)
    print("\n10,000-entity network:", ", ".join(f"{k} {v:.0f}" for k, v in figures.items()))
    assert errors == []
    assert all(r.startswith(("file://", "blob:")) for r in requests)
    # frames keep coming while the layout runs in its worker (a layout on the page's thread
    # freezes it for seconds); software WebGL (SwiftShader) on a loaded 2-core machine: 600 ms
    assert figures["median frame while laying out (ms)"] < 1500
