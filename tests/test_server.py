"""``imsskg serve``: the SPARQL 1.1 Protocol with real clients, entity pages, VoID, dumps,
limits, and the pages in headless Chromium (no console errors, nothing leaves localhost,
nothing from a press release runs as code)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
import rdflib
from helpers import browse, needs_chromium, serve, serve_app
from imsskg.graph.corpus import CORPUS
from imsskg.graph.store import Store
from imsskg.ontology import PREFIXES
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from spacy.language import Language
from SPARQLWrapper import JSON, TURTLE, SPARQLWrapper

import imsskg
from imsskg._build import build
from imsskg.server import pages
from imsskg.server.app import Graph, create_app
from imsskg.server.sparql import Limits

#: press releases live in their own named graphs; the endpoint's default graph is the corpus graph
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s a <https://w3id.org/imsskg/ontology#PressRelease> } }"


@pytest.fixture(scope="module")
def url(store: Path) -> Iterator[str]:
    """A real HTTP server on loopback over the sample graph."""
    yield from serve(store)


@pytest.mark.parametrize(
    ("accept", "content_type", "check"),
    [
        ("application/sparql-results+json", "application/sparql-results+json", '"value": "5"'),
        ("application/sparql-results+xml", "application/sparql-results+xml", "<literal datatype="),
        ("text/csv", "text/csv", "n\r\n5\r\n"),
        ("text/tab-separated-values", "text/tab-separated-values", "?n\n"),
    ],
)
def test_server_select_results_by_accept(url: str, accept: str, content_type: str, check: str) -> None:
    for response in (
        httpx.get(f"{url}/sparql", params={"query": COUNT}, headers={"Accept": accept}),
        httpx.post(
            f"{url}/sparql", content=COUNT, headers={"Content-Type": "application/sparql-query", "Accept": accept}
        ),
        httpx.post(f"{url}/sparql", data={"query": COUNT}, headers={"Accept": accept}),
    ):
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith(content_type)
        assert check in response.text


@pytest.mark.parametrize("accept", ["text/turtle", "application/n-triples", "application/ld+json"])
def test_server_construct_as_rdf(url: str, accept: str) -> None:
    query = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s a <https://w3id.org/imsskg/ontology#State> ; ?p ?o } }"
    response = httpx.get(f"{url}/sparql", params={"query": query}, headers={"Accept": accept})
    assert response.status_code == 200
    fmt = {"text/turtle": "turtle", "application/n-triples": "nt", "application/ld+json": "json-ld"}[accept]
    assert len(rdflib.Graph().parse(data=response.text, format=fmt)) > 30


def test_server_refuses_updates(url: str) -> None:
    update = "INSERT DATA { <urn:a> <urn:b> <urn:c> }"
    assert httpx.post(f"{url}/sparql", data={"update": update}).status_code == 403
    response = httpx.post(f"{url}/sparql", content=update, headers={"Content-Type": "application/sparql-update"})
    assert response.status_code == 403
    assert "read-only" in response.text


def test_server_malformed_query_gets_the_parser_message(url: str) -> None:
    response = httpx.get(f"{url}/sparql", params={"query": "SELECT ?x WHERE { ?x"})
    assert response.status_code == 400
    assert "malformed query" in response.text
    assert "error at" in response.text


@pytest.mark.parametrize(
    ("limits", "status", "message"), [(Limits(5, 10), 422, "LIMIT"), (Limits(0.0, 10**9), 503, "longer")]
)
def test_server_limits_results_and_time(store: Path, limits: Limits, status: int, message: str) -> None:
    for base in serve(store, limits):
        response = httpx.get(f"{base}/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
        assert response.status_code == status
        assert message in response.text


def test_server_sparqlwrapper_client(url: str) -> None:
    client = SPARQLWrapper(f"{url}/sparql")
    client.setQuery(COUNT)
    client.setReturnFormat(JSON)
    assert client.query().convert()["results"]["bindings"][0]["n"]["value"] == "5"  # type: ignore[index]
    client.setQuery(
        "CONSTRUCT { ?s ?p ?o } WHERE { ?s a <https://w3id.org/imsskg/ontology#Hospital> ; ?p ?o } LIMIT 50"
    )
    client.setReturnFormat(TURTLE)
    assert b"Hospital" in client.query().convert()  # type: ignore[operator]


def test_server_rdflib_sparqlstore_client(url: str) -> None:
    graph = rdflib.Graph(store=SPARQLStore(f"{url}/sparql", returnFormat="json"))
    rows = list(
        graph.query("SELECT ?l WHERE { ?s <http://www.w3.org/2004/02/skos/core#prefLabel> ?l } ORDER BY ?l LIMIT 3")
    )
    assert len(rows) == 3


@pytest.mark.parametrize(
    ("path", "accept", "expected"),
    [
        ("/id/state/21", "text/html", "text/html"),
        ("/id/state/21", "text/turtle", "text/turtle"),
        ("/id/state/21", "application/ld+json", "application/ld+json"),
        ("/id/state/21.ttl", "*/*", "text/turtle"),
        ("/id/state/21.jsonld", "*/*", "application/ld+json"),
    ],
)
def test_server_entity_iris_dereference(url: str, path: str, accept: str, expected: str) -> None:
    response = httpx.get(url + path, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(expected)
    assert "Puebla" in response.text
    if expected == "text/turtle":
        graph = rdflib.Graph().parse(data=response.text, format="turtle")
        assert (None, None, rdflib.Literal("MX-PUE")) in graph


def test_server_entity_page_shows_facts_with_evidence(url: str) -> None:
    page = httpx.get(f"{url}/id/person/marcos-bucio").text
    assert "Marcos Bucio Mújica" in page
    assert "secretario general" in page
    assert "En representación del director general del Seguro Social" in page
    assert 'href="/id/person/zoe-robledo"' in page
    assert httpx.get(f"{url}/id/person/nobody").status_code == 404


def test_entity_page_lists_the_newest_documents_and_facts_with_their_totals(
    kg: imsskg.KnowledgeGraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pages, "PAGE_ITEMS", 2)
    page = pages.entity_page(kg.store, "https://w3id.org/imsskg/id/org/imss")
    assert page is not None
    assert page.document_count == 5  # every sample press release names the IMSS
    assert len(page.documents) == 2
    dated = [d["date"] for d in page.documents]
    assert None not in dated
    assert dated == sorted(dated, reverse=True)  # the newest first
    assert page.fact_count > len(page.facts) == 2


def test_server_search_ignores_accents(url: str) -> None:
    hits = httpx.get(f"{url}/search", params={"q": "zoe robl"}).json()
    assert hits[0]["label"] == "Zoé Robledo"
    assert hits[0]["page"] == "/id/person/zoe-robledo"
    assert httpx.get(f"{url}/search", params={"q": "TRAUMATOLOGIA"}).json()[0]["type"] == "Hospital"


def test_search_by_whole_words_answers_from_the_store_while_the_index_is_built(kg: imsskg.KnowledgeGraph) -> None:
    hits = pages.search_by_word(kg.store, "ROBLEDO")
    assert [h["label"] for h in hits] == ["Zoé Robledo"]
    assert hits[0]["type"] == "Person"
    assert pages.search_by_word(kg.store, "zoe robledo")[0]["iri"].endswith("/person/zoe-robledo")
    assert pages.search_by_word(kg.store, "robl") == []  # whole words only
    assert pages.search_by_word(kg.store, '" } DROP ALL {') == []


def test_search_by_whole_words_lists_the_first_matches_by_label_among_many_bearers_of_the_word() -> None:
    # 300 people share the surname; those whose labels also hold "ana" are every seventh
    store = Store.memory()

    def person(i: int) -> str:
        keys = [f'"persona {i:03d} garcia"'] + ([f'"ana garcia {i:03d}"'] if i % 7 == 0 else [])
        return (
            f'<person/p{i:03d}> a ikg:Person ; skos:prefLabel "Persona {i:03d} García" ; '
            f'ikg:searchToken "garcia" ; ikg:searchKey {", ".join(keys)} .\n'
        )

    prefixes = "".join(f"@prefix {p}: <{iri}> .\n" for p, iri in PREFIXES.items())
    turtle = prefixes + "<graph/corpus> a ikg:CorpusGraph .\n" + "".join(map(person, range(300)))
    store.load(turtle, format=ox.RdfFormat.TURTLE, base_iri="https://w3id.org/imsskg/id/", graph=CORPUS)
    hits = pages.search_by_word(store, "Ana García", limit=20)
    assert [h["label"] for h in hits] == [f"Persona {i:03d} García" for i in range(0, 140, 7)]
    assert hits[0]["matched"] == "ana garcia 000"
    assert len(pages.search_by_word(store, "García", limit=250)) == 250


def test_an_opened_graph_builds_the_network_view_and_the_search_index_before_any_request(store: Path) -> None:
    graph = Graph(store, "https://w3id.org/imsskg/")
    assert graph.index_ready.wait(60)
    assert {"overview", "labels", "preferred"} <= set(vars(graph))  # built, not waiting for a request
    assert graph.overview.number_of_nodes() > 0
    assert graph.preferred["https://w3id.org/imsskg/id/person/zoe-robledo"] == "Zoé Robledo"
    graph.store.close()


def test_server_void_and_dumps(url: str) -> None:
    where = f"{url}/.well-known/void"
    void = rdflib.Graph().parse(data=httpx.get(where).text, format="turtle", publicID=where)
    endpoint = next(void.objects(None, rdflib.URIRef("http://rdfs.org/ns/void#sparqlEndpoint")))
    assert str(endpoint) == f"{url}/sparql"
    nquads = httpx.get(f"{url}/dump.nq").content
    assert len(list(ox.parse(nquads, ox.RdfFormat.N_QUADS))) > 1000
    assert len(rdflib.Graph().parse(data=httpx.get(f"{url}/dump.ttl").text, format="turtle")) > 1000
    json.loads(httpx.get(f"{url}/dump.jsonld").text)


def test_server_named_query_takes_parameters_as_bindings(url: str) -> None:
    rows = httpx.get(f"{url}/queries/documents-mentioning", params={"name": "Sheinbaum"}).json()
    assert {b["label"]["value"] for b in rows["results"]["bindings"]} == {"Claudia Sheinbaum Pardo"}


def test_server_named_query_pages_a_listing(url: str) -> None:
    def labels(**params: str) -> list[str]:
        answer = httpx.get(f"{url}/queries/entities", params=params)
        assert answer.status_code == 200, answer.text
        return [b["label"]["value"] for b in answer.json()["results"]["bindings"]]

    whole = labels()
    assert labels(limit="25", offset="25") == whole[25:50]
    assert httpx.get(f"{url}/queries/entities", params={"limit": "many"}).status_code == 400
    assert httpx.get(f"{url}/queries/who-held", params={"limit": "3"}).status_code == 400


def test_server_network_filters(url: str) -> None:
    page = httpx.get(f"{url}/network", params={"type": "State"}).text
    data = json.loads(page.split('type="application/json">', 1)[1].split("</script>", 1)[0])
    assert data["nodes"]
    assert {n["type"] for n in data["nodes"]} == {"State"}
    page = httpx.get(f"{url}/network", params={"from": "2024-01-01", "to": "2024-12-31"}).text
    data = json.loads(page.split('type="application/json">', 1)[1].split("</script>", 1)[0])
    assert "Andrés Manuel López Obrador" in {n["label"] for n in data["nodes"]}
    assert "Tuffic Miguel" not in {n["label"] for n in data["nodes"]}


@pytest.mark.browser
@needs_chromium
def test_server_browser_query_entity_and_network(url: str) -> None:
    def steps(page: object) -> None:
        page.goto(url + "/")  # type: ignore[attr-defined]
        page.click("button.named[data-name=officials]")  # type: ignore[attr-defined]
        page.wait_for_selector("#result-table tbody tr")  # type: ignore[attr-defined]
        assert page.locator("#result-table tbody tr").count() >= 10  # type: ignore[attr-defined]
        query = "SELECT ?e WHERE { ?e a <https://w3id.org/imsskg/ontology#Person> } ORDER BY ?e"
        page.fill(".cm-content", query)  # type: ignore[attr-defined]
        page.click("#run")  # type: ignore[attr-defined]
        page.wait_for_selector("#status:has-text('12 fila')")  # type: ignore[attr-defined]
        assert page.inner_text("#result-table a.iri >> nth=0").startswith("id:person/")  # type: ignore[attr-defined]
        page.click("#result-table a.iri >> nth=0")  # type: ignore[attr-defined]
        page.wait_for_selector("article.entity h1")  # type: ignore[attr-defined]
        assert "Persona" in page.inner_text("article.entity h1")  # type: ignore[attr-defined]
        page.fill("#search-box", "brugada")  # type: ignore[attr-defined]
        page.wait_for_selector("#search-results a")  # type: ignore[attr-defined]
        page.click("#search-results a >> nth=0")  # type: ignore[attr-defined]
        page.wait_for_selector("text=Clara Brugada Molina")  # type: ignore[attr-defined]
        page.goto(url + "/network")  # type: ignore[attr-defined]
        page.wait_for_selector("body[data-ready=true]", state="attached")  # type: ignore[attr-defined]
        assert page.evaluate("window.imsskgView.graph.order") > 50  # type: ignore[attr-defined]
        page.evaluate("window.imsskgView.select('https://w3id.org/imsskg/id/person/zoe-robledo')")  # type: ignore[attr-defined]
        page.click("#open-page")  # type: ignore[attr-defined]
        page.wait_for_selector("article.entity")  # type: ignore[attr-defined]

    errors, requests = browse(steps)
    assert errors == []
    assert all(r.startswith(url) or r.startswith(("data:", "about:", "blob:")) for r in requests), requests


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory: pytest.TempPathFactory, rules: Language) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("hostile")
    (folder / "x.txt").write_text(
        'Asistió la directora general del ISSSTE, Ana Ruiz"><img src=x onerror=alert(1)> Pérez, y la gobernadora de '
        'Colima, Indira </script><script>alert("x")</script> Vizcaíno Silva. '
        'El programa "<b onmouseover=alert(2)>Salud" llega a Colima. '
        "El IMSS lanzó la estrategia “</script><script>alert('y')</script>” en Colima.",
        encoding="utf-8",
    )
    build([folder / "x.txt"], folder / "kg", nlp=rules)
    yield from serve(folder / "kg")


@pytest.mark.browser
@needs_chromium
def test_server_labels_from_press_releases_never_run(hostile_url: str) -> None:
    hits = httpx.get(f"{hostile_url}/search", params={"q": "a"}).json()
    pages = [hit["page"] for hit in hits if hit["page"]]
    assert any("<script>" in hit["label"] for hit in hits)
    assert any("onmouseover" in hit["label"] for hit in hits)

    def steps(page: object) -> None:
        for path in ["/", "/network", *pages]:
            page.goto(hostile_url + path)  # type: ignore[attr-defined]
            page.wait_for_timeout(300)  # type: ignore[attr-defined]
        page.goto(hostile_url + "/")  # type: ignore[attr-defined]
        page.click("button.named[data-name=entities]")  # type: ignore[attr-defined]
        page.wait_for_selector("#result-table")  # type: ignore[attr-defined]
        page.fill("#search-box", "ana")  # type: ignore[attr-defined]
        page.wait_for_timeout(500)  # type: ignore[attr-defined]

    errors, _ = browse(steps)
    assert not [e for e in errors if e.startswith("dialog")], errors
    assert errors == []


def test_server_every_document_iri_dereferences_with_its_text_and_facts(url: str) -> None:
    page = httpx.get(f"{url}/id/doc/000_47b18d3ea285699f")
    assert page.status_code == 200
    assert "Tuffic Miguel" in page.text
    assert 'class="mention" href="/id/person/tuffic-miguel"' in page.text  # the mention links to the entity
    assert "ocupa el cargo de" in page.text  # a fact read from it, its predicate labelled by the ontology
    assert 'id="amount' in page.text  # the document's amounts, which its amount IRIs point into
    assert httpx.get(f"{url}/id/doc/no-such-document").status_code == 404


def test_server_network_first_view_is_chosen_in_sparql_without_the_whole_network(store: Path) -> None:
    """The page without filters draws the entities named in most press releases, picked by a
    SPARQL query over the counts the build keeps; the whole network is built at the first filter."""
    app = create_app(store)
    for url in serve_app(app):
        page = httpx.get(f"{url}/network").text
        graph = app.state.site.graph
        assert "overview" in graph.__dict__
        assert "network" not in graph.__dict__
        data = json.loads(page.split('id="graph-data" type="application/json">', 1)[1].split("</script>", 1)[0])
        assert len(data["nodes"]) == 69
        httpx.get(f"{url}/network", params={"type": "State"})
        assert "network" in graph.__dict__


@pytest.mark.parametrize(
    ("path", "shown"),
    [
        ("post/org-imss/director-general", "director general"),
        ("role/director-general", "director general"),
        ("membership/zoe-robledo/director-general/org-imss", "Zoé Robledo"),
        ("doc/001_6dad31ba7375652b#fact0", "Hechos leídos en este documento"),  # a fragment: its document
        ("graph/001_6dad31ba7375652b", "001_6dad31ba7375652b"),
    ],
)
def test_server_every_iri_the_build_mints_dereferences(url: str, path: str, shown: str) -> None:
    """Posts, roles, tenures, facts and graphs have a page too (what the graph says of them and
    what points to them), and their RDF."""
    page = httpx.get(f"{url}/id/{path.split('#')[0]}")
    assert page.status_code == 200, path
    assert shown.lower() in page.text.lower()
    rdf = httpx.get(f"{url}/id/{path.split('#')[0]}", headers={"Accept": "text/turtle"})
    assert rdf.status_code == 200
    assert rdf.text.strip()
