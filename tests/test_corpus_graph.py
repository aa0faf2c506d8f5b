"""The corpus graph kept up to date document by document equals the one a single build makes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from generate import generate
from imsskg.graph import corpus, writer
from imsskg.graph.corpus import CORPUS, RANKED_PAIRS, STATE_COUNTS
from imsskg.graph.store import Store
from imsskg.ontology import SPARQL_PREFIXES
from spacy.language import Language

from imsskg._build import build, remove


def _corpus_graph(store: Path) -> set[ox.Triple]:
    db = ox.Store.read_only(str(store))
    try:
        return {q.triple for q in db.quads_for_pattern(None, None, None, CORPUS)}
    finally:
        del db


def _single_build(folder: Path, tmp_path: Path, rules: Language) -> set[ox.Triple]:
    store = tmp_path / f"single-{folder.name}"
    build([folder], store, nlp=rules)
    return _corpus_graph(store)


def _pair_counts(db: ox.Store, query: str) -> dict[tuple[str, str], int]:
    return {(s["x"].value, s["y"].value): int(s["n"].value) for s in db.query(query)}  # type: ignore[union-attr,index]


def _grown(before: set[ox.Triple], after: set[ox.Triple]) -> set[str]:
    """Subjects of ``before`` that ``after`` says more of."""
    old = {t.subject.value for t in before}
    return {t.subject.value for t in after - before if t.subject.value in old}


def test_corpus_graph_after_adding_documents_equals_a_single_build(tmp_path: Path, rules: Language) -> None:
    everything = tmp_path / "all"
    generate(everything, 60)
    growing = tmp_path / "growing"
    growing.mkdir()
    store = tmp_path / "kg"
    states = []
    for batch in (range(0, 30), range(30, 50), range(50, 60)):
        for i in batch:
            shutil.copy(everything / f"boletin-{i:06d}.txt", growing)
        assert len(build([growing], store, nlp=rules).built) == len(batch)
        states.append(_corpus_graph(store))
    assert states[-1] == _single_build(everything, tmp_path, rules)
    assert _grown(states[0], states[1])  # things of the first batch were folded with the second's


def test_corpus_graph_after_replacing_and_removing_documents_equals_a_single_build(
    tmp_path: Path, rules: Language
) -> None:
    folder = tmp_path / "corpus"
    paths = generate(folder, 40)
    store = tmp_path / "kg"
    build([folder], store, nlp=rules)
    before = _corpus_graph(store)
    for path in paths[:3]:  # another director, another date
        text = path.read_text(encoding="utf-8")
        text = text.replace(_director(path), "Zaira Quintanar Ugalde").replace(" de 20", " de 19", 1)
        path.write_text(text, encoding="utf-8")
    assert len(build([folder], store, nlp=rules).built) == 3
    gone = [p.name for p in paths[3:6]]
    assert remove(gone, store).built == gone
    for name in gone:
        (folder / name).unlink()
    after = _corpus_graph(store)
    assert after != before
    assert after == _single_build(folder, tmp_path, rules)


def test_corpus_graph_folded_batch_by_batch_while_extracting_equals_one_fold(
    tmp_path: Path, rules: Language, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Batches of a few documents each, every one loaded and folded while the next is extracted,
    with replaced documents among them: the corpus graph one batch of everything gives."""
    folder = tmp_path / "corpus"
    paths = generate(folder, 40)
    store = tmp_path / "kg"
    monkeypatch.setattr(writer, "BATCH", 2_000)  # a few documents a batch
    build([folder], store, nlp=rules)
    for path in paths[::7]:  # replaced, in several batches
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace(_director(path), "Zaira Quintanar Ugalde"), encoding="utf-8")
    assert len(build([folder], store, nlp=rules).built) == len(paths[::7])
    batched = _corpus_graph(store)
    monkeypatch.setattr(writer, "BATCH", 10_000_000)  # one batch
    assert batched == _single_build(folder, tmp_path, rules)


def _director(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    return text.split("(IMSS), " if "(IMSS), " in text else "(ISSSTE), ")[1].split(",")[0]


def test_corpus_graph_forgets_a_name_only_a_removed_document_gave(tmp_path: Path, rules: Language) -> None:
    folder = tmp_path / "corpus"
    first, second, *_ = generate(folder, 12)
    name = _director(first)
    fuller = f"{name} Villaseñor"  # the same person (same key), named more fully in the second document
    second.write_text(second.read_text(encoding="utf-8").replace(_director(second), fuller), encoding="utf-8")
    store = tmp_path / "kg"
    build([folder], store, nlp=rules)
    labels = {t.object.value for t in _corpus_graph(store) if t.predicate.value.endswith("#prefLabel")}
    assert fuller in labels
    assert name not in labels
    remove([second.name], store)
    second.unlink()
    after = _corpus_graph(store)
    labels = {t.object.value for t in after if t.predicate.value.endswith("#prefLabel")}
    assert name in labels
    assert fuller not in labels
    assert not any(fuller in str(t.object) for t in after)
    assert after == _single_build(folder, tmp_path, rules)


#: What each state's count stands for, in SPARQL (?x counted in state ?s).
_COUNTED_IN_STATE = {
    "units": "?x a ikg:Hospital . { ?x schema:containedInPlace ?s } UNION "
    "{ ?x schema:containedInPlace ?c . ?c schema:containedInPlace ?s }",
    "programs": "?x a ikg:Program ; ikg:operatesIn ?s .",
    "officials": "?x a ikg:Person ; org:holds ?post . ?post org:postIn ?o . { ?o a ikg:State . BIND(?o AS ?s) } UNION "
    "{ ?o schema:containedInPlace ?s } UNION { ?o schema:containedInPlace ?c . ?c schema:containedInPlace ?s }",
}


def test_corpus_graph_keeps_search_keys_document_and_comention_counts_exact(tmp_path: Path, rules: Language) -> None:
    """The aggregates the lookups read (each label's search key and words, each entity's number
    of press releases, each pair's number of press releases naming both, the states' counts)
    follow additions and removals: equal to a count over the document graphs."""
    folder = tmp_path / "corpus"
    paths = generate(folder, 30)
    store = tmp_path / "kg"
    build([folder], store, nlp=rules)
    remove([p.name for p in paths[:5]], store)
    db = ox.Store.read_only(str(store))
    try:
        counted = {
            s["e"].value: int(s["n"].value)
            for s in db.query(
                "SELECT ?e (COUNT(DISTINCT ?d) AS ?n) WHERE { GRAPH ?g { ?d <https://schema.org/mentions> ?e } "
                f"FILTER(?g != <{CORPUS.value}>) }} GROUP BY ?e"
            )
        }
        kept = {
            q.subject.value: int(q.object.value)
            for q in db.quads_for_pattern(
                None, ox.NamedNode("https://w3id.org/imsskg/ontology#documentCount"), None, CORPUS
            )
        }
        ikg = "PREFIX ikg: <https://w3id.org/imsskg/ontology#> PREFIX schema: <https://schema.org/> "
        together = _pair_counts(
            db,
            ikg + "SELECT ?x ?y (COUNT(DISTINCT ?d) AS ?n) WHERE { GRAPH ?g { ?d a ikg:PressRelease ; "
            f"schema:mentions ?x , ?y }} FILTER(STR(?x) < STR(?y) && ?g != <{CORPUS.value}>) }} GROUP BY ?x ?y",
        )
        kept_together = _pair_counts(
            db,
            ikg + f"SELECT ?x ?y ?n WHERE {{ GRAPH <{CORPUS.value}> {{ ?pair a ikg:CoMention ; "
            "ikg:coMentionCount ?n ; ikg:mentionedEntity ?x , ?y FILTER(STR(?x) < STR(?y)) } }",
        )
        ranks = {  # the pairs the build ranks: (rank, count)
            s["pair"].value: (int(s["rank"].value), int(s["n"].value))
            for s in db.query(
                ikg + f"SELECT ?pair ?rank ?n WHERE {{ GRAPH <{CORPUS.value}> {{ "
                "?pair ikg:coMentionRank ?rank ; ikg:coMentionCount ?n } }"
            )
        }
        words = {
            q.object.value
            for q in db.quads_for_pattern(
                None, ox.NamedNode("https://w3id.org/imsskg/ontology#searchToken"), None, CORPUS
            )
        }
        tenures = {  # each tenure's press releases, as the corpus graph lists them
            s["m"].value: (int(s["kept"].value), int(s["n"].value))
            for s in db.query(
                "PREFIX ikg: <https://w3id.org/imsskg/ontology#> PREFIX prov: <http://www.w3.org/ns/prov#> "
                f"SELECT ?m ?kept (COUNT(DISTINCT ?d) AS ?n) WHERE {{ GRAPH <{CORPUS.value}> {{ "
                "?m ikg:tenureDocumentCount ?kept ; prov:wasDerivedFrom ?d } } GROUP BY ?m ?kept"
            )
        }
    finally:
        del db
    assert kept == counted
    assert tenures
    assert all(k == n for k, n in tenures.values())
    assert kept_together == together
    ranked = sorted(kept_together.items(), key=lambda pair_count: -pair_count[1])
    assert [n for _, n in ranked][: len(ranks)] == [n for _, n in sorted(ranks.values())]  # the largest, in rank order
    assert sorted(rank for rank, _ in ranks.values()) == list(range(1, min(RANKED_PAIRS, len(together)) + 1))
    assert len(together) > 100
    assert max(kept.values()) == 25  # the institute, named in every remaining press release
    with Store.open(store) as kg:
        for measure, pattern in _COUNTED_IN_STATE.items():
            prop = STATE_COUNTS[measure]
            query = (
                "SELECT ?s (COUNT(DISTINCT ?x) AS ?n) WHERE { GRAPH ?cg { ?cg a ikg:CorpusGraph . ?s a ikg:State . "
                + pattern
                + " } } GROUP BY ?s"
            )
            expected = {str(s): n for s, n in kg.select(SPARQL_PREFIXES + query) if n}
            stored = {str(s): n for s, n in kg.select(f"SELECT ?s ?n WHERE {{ ?s <{prop.value}> ?n }}")}
            assert stored == expected, prop
    assert "imss" in words
    assert all(w == w.lower() and " " not in w for w in words)


def test_a_corpus_graph_of_an_older_fold_is_folded_anew_without_reading_documents(
    tmp_path: Path, rules: Language
) -> None:
    folder = tmp_path / "corpus"
    generate(folder, 20)
    store = tmp_path / "kg"
    build([folder], store, nlp=rules)
    whole = _corpus_graph(store)
    db = ox.Store(str(store))  # as an older version left it: no fold version, no co-mention counts
    ikg = "https://w3id.org/imsskg/ontology#"
    older = [
        q
        for q in db.quads_for_pattern(None, None, None, CORPUS)
        if q.predicate.value in (ikg + "foldVersion", ikg + "coMentionCount", ikg + "mentionedEntity")
        or q.object == ox.NamedNode(ikg + "CoMention")
    ]
    for q in older:
        db.remove(q)
    db.flush()
    del db
    again = build([folder], store, nlp=rules)
    assert again.built == []
    assert len(again.unchanged) == 20
    assert _corpus_graph(store) == whole


def _person_graph(store: Store, doc: str, name: str, anchor: str) -> ox.NamedNode:
    graph = ox.NamedNode(f"https://w3id.org/imsskg/id/graph/{doc}")
    turtle = (
        SPARQL_PREFIXES.replace("PREFIX ", "@prefix ").replace(">\n", "> .\n")
        + f"""
        <doc/{doc}> a ikg:PressRelease ; schema:mentions <person/zoe-robledo> .
        <person/zoe-robledo> a ikg:Person ; rdfs:label "{name}" .
        <doc/{doc}#m0> ikg:denotes <person/zoe-robledo> ; nif:anchorOf "{anchor}" ."""
    )
    store.load(turtle, format=ox.RdfFormat.TURTLE, base_iri="https://w3id.org/imsskg/id/", graph=graph)
    return graph


def test_a_fuller_name_already_among_the_labels_becomes_the_preferred_label() -> None:
    # the fuller name was first a surface form: folding it later as a name must still promote it
    docs = [("a", "Zoé Robledo", "Zoé Robledo Aburto"), ("b", "Zoé Robledo Aburto", "Zoé Robledo")]
    one_by_one, at_once = Store.memory(), Store.memory()
    for doc in docs:
        corpus.add(one_by_one, [_person_graph(one_by_one, *doc)])
    corpus.add(at_once, [_person_graph(at_once, *doc) for doc in docs])
    person = ox.NamedNode("https://w3id.org/imsskg/id/person/zoe-robledo")
    preferred = [q.object.value for q in one_by_one.quads(person, corpus.SKOS_PREF, None, CORPUS)]
    assert preferred == ["Zoé Robledo Aburto"]
    assert set(one_by_one.quads(None, None, None, CORPUS)) == set(at_once.quads(None, None, None, CORPUS))
