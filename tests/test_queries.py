"""The named queries of ``queries/`` against the graph of the sample corpus."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from dataclasses import replace
from decimal import Decimal

import pyoxigraph as ox
import pytest
from imsskg.graph.corpus import CORPUS
from imsskg.graph.store import IRI, value
from imsskg.queries import (
    ParameterError,
    checked,
    load_query,
    named_queries,
    paged,
    parameter,
    run,
    to_csv,
    to_json,
    to_text,
    write_csv,
)
from rdflib import Dataset

import imsskg
from imsskg import queries


@pytest.mark.parametrize("name", sorted(named_queries()))
def test_queries_each_says_what_it_answers_and_returns_rows(kg: imsskg.KnowledgeGraph, name: str) -> None:
    query = named_queries()[name]
    assert query.text.startswith("#")
    assert len(query.description) > 20
    for param in query.params:
        assert re.search(rf"^SELECT [^{{]*\?{param}\b", query.text, re.M), f"?{param} must be projected"
    assert run(kg.store, query).rows, f"{name} returned nothing"


def test_queries_director_general_of_imss_per_document_with_date(kg: imsskg.KnowledgeGraph) -> None:
    rows = run(kg.store, named_queries()["post-by-document"]).dicts()
    by_doc = {r["document"]: (r["name"], r["date"]) for r in rows}
    assert by_doc["000_47b18d3ea285699f.txt"] == ("Tuffic Miguel", dt.date(2018, 11, 29))
    assert by_doc["003_2e5378d2430600c6.txt"] == ("Zoé Robledo", dt.date(2024, 1, 19))
    assert by_doc["004_26229c71563c6bf9.txt"] == ("Zoé Robledo", None)


def test_queries_parameters_are_bound_not_pasted(kg: imsskg.KnowledgeGraph) -> None:
    query = named_queries()["documents-mentioning"]
    assert {r["label"] for r in run(kg.store, query, {"name": "Sheinbaum"}).dicts()} == {"Claudia Sheinbaum Pardo"}
    assert run(kg.store, query, {"name": '" } } DROP ALL #'}).rows == ()


def test_queries_hospitals_by_state_and_city(kg: imsskg.KnowledgeGraph) -> None:
    rows = run(kg.store, named_queries()["hospitals"]).dicts()
    juarez = next(r for r in rows if r["city"] == "Ciudad Juárez")
    assert juarez["state"] == "Chihuahua"
    assert juarez["operator"] == "Instituto Mexicano del Seguro Social"


def test_queries_output_formats(kg: imsskg.KnowledgeGraph) -> None:
    table = run(kg.store, named_queries()["programs-states"])
    assert to_csv(table).splitlines()[0] == "program,state,inegi,documents,document,program_iri,state_iri,document_iri"
    assert json.loads(to_json(table))[0]["state"] == "Puebla"
    assert "IMSS-Bienestar" in to_text(table)
    assert "_iri" not in to_text(table)


def test_every_named_query_has_a_spanish_title_and_summary_for_the_web_app() -> None:
    for name, query in named_queries().items():
        assert query.title != name, name
        assert query.summary != query.description, name


def test_every_named_query_gives_the_iri_beside_each_label(kg: imsskg.KnowledgeGraph) -> None:
    """A table for people links each name: ``X_iri`` sits beside ``X`` and holds an IRI the graph
    describes (an entity, a press release or a figure of one)."""
    for name, query in named_queries().items():
        table = run(kg.store, query)
        linked = [c for c in table.columns if c.endswith("_iri")]
        assert linked, f"{name} returns no IRI column"
        assert all(c.removesuffix("_iri") in table.columns for c in linked), name
        iris = {v for c in linked for v in table.column(c) if v is not None}
        assert iris, name
        assert all(isinstance(v, IRI) for v in iris), name


def test_queries_unknown_name_lists_the_library() -> None:
    with pytest.raises(KeyError, match="officials"):
        load_query("no-such-query")


def test_queries_post_holders_over_time(kg: imsskg.KnowledgeGraph) -> None:
    rows = {r["name"]: r for r in run(kg.store, named_queries()["post-holders"]).dicts()}
    assert (rows["Tuffic Miguel"]["first"], rows["Tuffic Miguel"]["last"]) == (dt.date(2018, 11, 29),) * 2
    assert rows["Zoé Robledo"]["first"] == dt.date(2024, 1, 19)
    assert rows["Zoé Robledo"]["documents"] == 3


@pytest.mark.parametrize(
    ("date", "name", "exact"),
    [
        ("2018-11-29", "Tuffic Miguel", True),
        ("2019-02-01", "Tuffic Miguel", False),
        ("2023-12-01", "Zoé Robledo", False),
    ],
)
def test_queries_who_held_a_post_on_a_date(kg: imsskg.KnowledgeGraph, date: str, name: str, exact: bool) -> None:
    [row] = run(kg.store, named_queries()["who-held"], {"date": date}).dicts()
    assert row["name"] == name
    assert str(row["answer"]).startswith("la ocupaba") is exact


def test_queries_investments_of_the_2018_bulletin(kg: imsskg.KnowledgeGraph) -> None:
    rows = [r for r in run(kg.store, named_queries()["investments"]).dicts() if r["year"] == 2018]
    by_purpose = {r["purpose"]: int(float(r["amount"] or 0)) for r in rows if r["purpose"]}
    assert by_purpose["equipamiento médico"] == 10_814_000_000
    assert by_purpose["la construcción y remodelación de Unidades de Medicina Familiar"] == 26_573_000_000
    assert all(r["currency"] == "MXN" for r in rows)


def test_queries_daily_figures_of_the_2022_bulletin_are_typed(kg: imsskg.KnowledgeGraph, ds: Dataset) -> None:
    rows = run(kg.store, named_queries()["figures"], {"kind": "daily"}).dicts()
    daily = {(r["unit"], r["value"]) for r in rows if r["document"] == "002_405fef58771b644f.txt"}
    assert {("consultas", Decimal(404118)), ("partos", Decimal(832))} <= daily
    typed = next(iter(ds.query("SELECT ?v WHERE { ?a <https://schema.org/value> ?v FILTER(?v = 404118) } LIMIT 1")))
    assert str(typed[0].datatype).endswith("#decimal")  # type: ignore[index]


@pytest.mark.parametrize("date", ["2019-02-01", "2019-2-1", "01/02/2019", "1-2-2019", "1 de febrero de 2019"])
def test_queries_a_date_parameter_in_any_form_gives_one_answer(kg: imsskg.KnowledgeGraph, date: str) -> None:
    [row] = run(kg.store, named_queries()["who-held"], {"date": date}).dicts()
    assert row["name"] == "Tuffic Miguel"
    assert row["answer"] == "observación más cercana, a 64 días de las fechas observadas"


@pytest.mark.parametrize(("values", "message"), [({"date": "notadate"}, "is not a date"), ({"nosuch": "1"}, "date")])
def test_queries_bad_parameters_are_refused(kg: imsskg.KnowledgeGraph, values: dict[str, str], message: str) -> None:
    with pytest.raises(ParameterError, match=message):
        run(kg.store, named_queries()["who-held"], values)


@pytest.mark.parametrize("name", sorted(named_queries()))
def test_queries_say_which_graph_each_pattern_reads(kg: imsskg.KnowledgeGraph, name: str) -> None:
    """Every named query answers the same whatever the default graph: the union of all graphs
    (as here) or the corpus graph alone (as the web app's SPARQL endpoint has it)."""
    query = named_queries()[name]
    union = run(kg.store, query)
    bindings = {k: parameter(v) for k, v in checked(query, {}).items()}
    corpus = kg.store.solutions(query.text, bindings=bindings, default_graphs=[CORPUS])
    assert isinstance(corpus, ox.QuerySolutions)
    keep = [v.value for v in corpus.variables if v.value not in bindings]
    rows = [tuple(value(row[v]) for v in keep) for row in corpus]
    assert sorted(map(_unordered, rows)) == sorted(map(_unordered, union.rows))


def _unordered(row: tuple[object, ...]) -> str:
    """A row as text, each GROUP_CONCAT cell's parts sorted (SPARQL leaves their order open)."""
    return str(tuple(" | ".join(sorted(c.split(" | "))) if isinstance(c, str) else c for c in row))


@pytest.mark.parametrize("name", ["entities", "evidence", "officials", "hospitals"])
def test_listings_are_read_page_by_page_in_a_stable_order(kg: imsskg.KnowledgeGraph, name: str) -> None:
    query = named_queries()[name]
    assert query.window is not None
    whole = run(kg.store, query).rows
    pages = [run(kg.store, paged(query, 3, offset)).rows for offset in range(0, len(whole) + 3, 3)]
    assert len(whole) > 3
    assert [len(p) for p in pages[:1]] == [3]
    assert tuple(row for p in pages for row in p) == whole


def test_a_listing_by_press_release_comes_newest_first(kg: imsskg.KnowledgeGraph) -> None:
    dates = list(run(kg.store, named_queries()["officials"]).column("date"))
    dated = [d for d in dates if d is not None]
    assert dated == sorted(dated, reverse=True)
    assert dates[: len(dated)] == dated  # the undated press releases last


@pytest.mark.parametrize(
    ("name", "values"),
    [("why", {"subject": "Robledo"}), ("documents-mentioning", {}), ("post-by-document", {"org": ""})],
)
@pytest.mark.parametrize("largest", [4096, 1])
def test_a_lookup_by_name_is_read_press_release_by_press_release_with_the_whole_answer(
    kg: imsskg.KnowledgeGraph, monkeypatch: pytest.MonkeyPatch, name: str, values: dict[str, str], largest: int
) -> None:
    """The press releases a name is found in, newest first: few, sorted; many (a window of
    one), each window of the store's press releases kept to those it is found in."""
    monkeypatch.setattr(queries, "LARGEST_WINDOW", largest)
    query = named_queries()[name]
    assert query.window is not None
    assert query.window.among
    windowed = run(kg.store, query, values)
    whole = run(kg.store, replace(query, window=None), values)
    assert len(set(windowed.column("document"))) > 1
    assert sorted(map(_unordered, windowed.rows)) == sorted(map(_unordered, whole.rows))
    dates = [d for d in windowed.column("date") if d is not None]
    assert dates == sorted(dates, reverse=True)
    pages = [run(kg.store, paged(query, 2, offset), values).rows for offset in range(0, len(windowed) + 2, 2)]
    assert tuple(row for p in pages for row in p) == windowed.rows


def test_a_lookup_by_a_name_found_nowhere_reads_no_press_release(kg: imsskg.KnowledgeGraph) -> None:
    assert not run(kg.store, named_queries()["documents-mentioning"], {"name": "Nadie Ningunez"}).rows


def test_a_query_with_its_own_limit_takes_no_page() -> None:
    with pytest.raises(ParameterError, match="own LIMIT"):
        paged(named_queries()["who-held"], 10)


def test_csv_of_a_listing_is_streamed_row_by_row(kg: imsskg.KnowledgeGraph) -> None:
    out = io.StringIO()
    query = named_queries()["evidence"]
    written = write_csv(kg.store, query, {}, out)
    assert out.getvalue() == to_csv(run(kg.store, query))
    assert written == len(run(kg.store, query))


def test_lookups_by_name_ignore_case_and_accents_and_start_from_an_index(kg: imsskg.KnowledgeGraph) -> None:
    """A name is looked up by its search key (``ikg:searchKey``/``ikg:searchToken``, written by
    the build): any case, accents or not, the same rows."""
    query = named_queries()["documents-mentioning"]
    plain = run(kg.store, query, {"name": "zoe robledo"}).column("label")
    assert set(plain) == {"Zoé Robledo"}
    assert run(kg.store, query, {"name": "ZOÉ  Robledo"}).column("label") == plain
    assert not run(kg.store, query, {"name": "Robledo Zoé"})  # the words in their order
    assert "?name_word" in query.text
