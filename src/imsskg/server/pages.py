"""What the server's pages show, read from the store: entities, their facts and evidence, search,
the dataset description (VoID)."""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from typing import Any
from urllib.parse import urlsplit

import pyoxigraph as ox

from imsskg.config import settings
from imsskg.graph.corpus import CORPUS, STATE_COUNTS
from imsskg.graph.store import Store
from imsskg.lang.text import fold, lookup_word, search_key
from imsskg.ontology import (
    CLASSES,
    DCTERMS,
    IKG,
    ORG,
    PREFIXES,
    PROV,
    RDF,
    SCHEMA,
    SKOS,
    SPARQL_PREFIXES,
    VOID,
    XSD,
    label,
)
from imsskg.queries import bare, named_queries
from imsskg.stats import document_count, entity_counts

_CORPUS = "GRAPH ?cg { ?cg a ikg:CorpusGraph . "


# The queries below use Oxigraph's LATERAL where a plain join would make Oxigraph hash every
# statement of the store to join the few rows of one entity: pages stay fast on large graphs.
def editor_vocabulary(base_iri: str) -> dict[str, Any]:
    """What the query editor completes and shortens: the ontology's prefixes (and ``id:`` for
    the graph's own IRIs), every term of the imsskg ontology and the terms of other vocabularies
    the named queries use, each with its Spanish label where the ontology has one."""
    terms: dict[str, dict[str, str]] = {}
    for name in sorted(IKG.terms):
        kind = "class" if name[:1].isupper() else "property"
        terms[f"ikg:{name}"] = {"name": f"ikg:{name}", "label": label(IKG[name]), "kind": kind}
    for query in named_queries().values():
        for prefix, local in re.findall(r"\b([a-z]+):([A-Za-z][\w-]*)", bare(query.text)):
            if prefix in PREFIXES and prefix != "ikg":
                kind = "class" if local[:1].isupper() else "property"
                terms.setdefault(f"{prefix}:{local}", {"name": f"{prefix}:{local}", "label": "", "kind": kind})
    return {"prefixes": {**PREFIXES, "id": base_iri}, "terms": sorted(terms.values(), key=lambda t: t["name"])}


def rows(store: Store, query: str, **bind: ox.NamedNode) -> list[dict[str, Any]]:
    """The rows of a SELECT query (the ontology's prefixes declared) as dictionaries of strings."""
    result = store.solutions(SPARQL_PREFIXES + query, bindings=bind)
    assert isinstance(result, ox.QuerySolutions)
    names = [v.value for v in result.variables]
    return [{n: (None if s[n] is None else s[n].value) for n in names} for s in result]


#: How many of an entity's documents and facts its page lists (the newest), and of each of
#: its posts' documents: a page costs what it shows, not all the corpus says of the entity.
PAGE_ITEMS, POST_ITEMS = 100, 20


@dataclass
class EntityPage:
    """Everything the page of one entity shows."""

    iri: str
    label: str
    type: str
    #: how many press releases mention it, and how many facts it has (the page lists the newest)
    document_count: int = 0
    fact_count: int = 0
    aliases: list[str] = field(default_factory=list)
    same_as: list[str] = field(default_factory=list)
    codes: dict[str, str] = field(default_factory=dict)
    facts: list[dict[str, Any]] = field(default_factory=list)
    posts: list[dict[str, Any]] = field(default_factory=list)
    documents: list[dict[str, Any]] = field(default_factory=list)
    amounts: list[dict[str, Any]] = field(default_factory=list)
    #: a unit's city and state
    places: list[dict[str, Any]] = field(default_factory=list)
    #: a state's units, programs, officials and cities (each row: x, name, where)
    contents: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    @property
    def type_label(self) -> str:
        """The entity's class as the ontology names it in Spanish ("Unidad médica")."""
        return label(IKG[self.type])


def _mention_spans(store: Store, e: ox.NamedNode, documents: set[str]) -> dict[str, list[tuple[int, int, str]]]:
    """Where the press releases ``documents`` name ``e``: (begin, end, text) by document."""
    spans: dict[str, list[tuple[int, int, str]]] = {}
    if not documents:
        return spans
    among = ", ".join(str(ox.NamedNode(d)) for d in sorted(documents))  # written by pyoxigraph: IRIs only
    for m in rows(
        store,
        f"SELECT ?e ?d ?b ?end ?text WHERE {{ ?m ikg:denotes ?e ; nif:referenceContext ?d FILTER(?d IN ({among})) "
        "?m nif:beginIndex ?b ; nif:endIndex ?end ; nif:anchorOf ?text }",
        e=e,
    ):
        spans.setdefault(m["d"], []).append((int(m["b"]), int(m["end"]), m["text"]))
    return spans


def highlight(sentence: str, begin: int, spans: list[tuple[int, int, str]]) -> list[tuple[str, bool]]:
    """``sentence`` (which starts at offset ``begin`` of its document, less the blanks the graph
    strips) cut into pieces, ``True`` for those that name the entity whose mentions are ``spans``.

    >>> highlight("Lo dijo Zoé Robledo.", 100, [(108, 119, "Zoé Robledo"), (5, 8, "Zoé")])
    [('Lo dijo ', False), ('Zoé Robledo', True), ('.', False)]
    """
    found: list[tuple[int, int]] = []
    for b, _end, text in spans:
        if not begin <= b < begin + len(sentence) + 64:
            continue
        starts = [i for i in range(len(sentence)) if sentence.startswith(text, i)]
        if starts:  # the occurrence nearest the mention's offset (leading blanks were stripped)
            at = min(starts, key=lambda i: abs(i - (b - begin)))
            found.append((at, at + len(text)))
    pieces, at = [], 0
    for b, end in sorted(set(found)):
        if b < at:
            continue
        pieces += [(sentence[at:b], False), (sentence[b:end], True)]
        at = end
    pieces.append((sentence[at:], False))
    return [p for p in pieces if p[0]]


def entity_page(store: Store, iri: str) -> EntityPage | None:
    """The page of ``iri``, or ``None`` when the graph does not describe it."""
    e = ox.NamedNode(iri)
    head = rows(
        store,
        "SELECT ?e ?label ?class WHERE { " + _CORPUS + "?e skos:prefLabel ?label ; a ?class . "
        "FILTER(STRSTARTS(STR(?class), STR(ikg:))) } }",
        e=e,
    )
    if not head:
        return None
    page = EntityPage(iri, str(head[0]["label"]), str(head[0]["class"]).rsplit("#", 1)[-1])
    for row in rows(store, "SELECT ?e ?p ?o WHERE { " + _CORPUS + "?e ?p ?o } }", e=e):
        p, o = str(row["p"]), str(row["o"])
        if p.endswith("#altLabel"):
            page.aliases.append(o)
        elif p.endswith("#sameAs"):
            page.same_as.append(o)
        elif p.endswith("#inegiCode"):
            page.codes["INEGI"] = o
        elif p.endswith("#isoCode"):
            page.codes["ISO 3166-2"] = o
        elif p.endswith("#documentCount"):
            page.document_count = int(o)
    page.aliases.sort()
    facts = "SELECT ?e (COUNT(?f) AS ?n) WHERE { { ?f rdf:subject ?e } UNION { ?f rdf:object ?e } } GROUP BY ?e"
    counted = rows(store, facts, e=e)
    page.fact_count = int(counted[0]["n"]) if counted else 0
    page.facts = rows(
        store,
        """SELECT ?e ?direction ?p ?other ?other_label ?pl ?sentence ?begin ?d ?file ?date ?rule ?confidence WHERE {
          { ?f rdf:subject ?e ; rdf:object ?other . BIND("out" AS ?direction) }
          UNION { ?f rdf:object ?e ; rdf:subject ?other . BIND("in" AS ?direction) }
          # LATERAL: the rest for these statements only (a join would hash every statement)
          LATERAL {
            ?f a ikg:Statement ; rdf:predicate ?p ; ikg:sentence ?sentence ; ikg:rule ?rule ;
               ikg:confidence ?confidence ; prov:wasDerivedFrom ?d ; nif:beginIndex ?begin .
            ?d ikg:sourceFile ?file . OPTIONAL { ?d schema:datePublished ?date }
            OPTIONAL { GRAPH ?cg { ?cg a ikg:CorpusGraph . ?other skos:prefLabel ?pl } }
            OPTIONAL { GRAPH ?cg2 { ?cg2 a ikg:CorpusGraph . ?other org:role ?r . ?r rdfs:label ?rl } }
            OPTIONAL { GRAPH ?cg3 { ?cg3 a ikg:CorpusGraph . ?other org:postIn ?b . ?b skos:prefLabel ?in } }
          }
          BIND(COALESCE(?pl, CONCAT(?rl, COALESCE(CONCAT(" @ ", ?in), "")), STR(?other)) AS ?other_label)
        } ORDER BY DESC(?date) ?p ?file LIMIT """
        + str(PAGE_ITEMS),
        e=e,
    )
    spans = _mention_spans(store, e, {fact["d"] for fact in page.facts})
    for fact in page.facts:
        fact["predicate"] = label(str(fact["p"]))  # the ontology's Spanish label: "ocupa el cargo de"
        fact["linkable"] = fact["pl"] is not None  # an entity (a post has no page of its own)
        fact["pieces"] = highlight(fact["sentence"], int(fact["begin"]), spans.get(fact["d"], []))
    page.posts = rows(
        store,
        # no "?m a org:Membership": Oxigraph would start from every membership (0.2 s at 10,000
        # documents); what org:member and org:role join in the corpus graph are memberships
        "SELECT ?e ?m ?role ?organization ?first ?last ?documents_count WHERE { " + _CORPUS + "?m org:member ?e ; "
        "org:role ?r . ?r rdfs:label ?role } "
        "LATERAL { OPTIONAL { GRAPH ?cg { ?m org:organization ?o . ?o skos:prefLabel ?organization } } } "
        "LATERAL { OPTIONAL { GRAPH ?cg { ?m ikg:firstSeen ?first ; ikg:lastSeen ?last } } } "
        "LATERAL { OPTIONAL { GRAPH ?cg { ?m ikg:tenureDocumentCount ?documents_count } } } } ORDER BY ?first",
        e=e,
    )
    page.documents = rows(
        store,
        "SELECT ?e ?d ?file ?title ?date (COUNT(?m) AS ?mentions) WHERE {"
        " ?d schema:mentions ?e ; ikg:sourceFile ?file . OPTIONAL { ?d schema:headline ?title }"
        " OPTIONAL { ?d schema:datePublished ?date }"
        " ?m ikg:denotes ?e ; nif:referenceContext ?d } GROUP BY ?e ?d ?file ?title ?date"
        f" ORDER BY DESC(?date) ?file LIMIT {PAGE_ITEMS}",
        e=e,
    )
    if page.type == "Hospital":
        page.places = rows(
            store,
            "SELECT ?e ?place ?name ?class WHERE { " + _CORPUS + "?e schema:containedInPlace ?p . "
            "?p schema:containedInPlace? ?place . ?place a ?class ; skos:prefLabel ?name . "
            "VALUES ?class { ikg:City ikg:State } } } ORDER BY DESC(?class)",
            e=e,
        )
    if page.type == "State":
        page.contents = {
            "Unidades médicas": rows(
                store,
                "SELECT ?e ?x ?name ?where WHERE { " + _CORPUS + "?x a ikg:Hospital ; skos:prefLabel ?name ; "
                "schema:containedInPlace ?p . ?p schema:containedInPlace? ?e . "
                "OPTIONAL { ?p a ikg:City ; skos:prefLabel ?where } } } ORDER BY ?name",
                e=e,
            ),
            "Programas": rows(
                store,
                "SELECT ?e ?x ?name ?where WHERE { " + _CORPUS + "?x ikg:operatesIn ?e ; skos:prefLabel ?name } } "
                "ORDER BY ?name",
                e=e,
            ),
            "Funcionarios": rows(
                store,
                "SELECT DISTINCT ?e ?x ?name ?where WHERE { " + _CORPUS + "?x a ikg:Person ; skos:prefLabel ?name ; "
                "org:holds ?post . ?post org:postIn ?o ; org:role ?r . ?r rdfs:label ?role . "
                "?o schema:containedInPlace?/schema:containedInPlace? ?e . ?o skos:prefLabel ?in } "
                "BIND(CONCAT(?role, ', ', ?in) AS ?where) } ORDER BY ?name",
                e=e,
            ),
            "Ciudades": rows(
                store,
                "SELECT ?e ?x ?name ?where WHERE { " + _CORPUS + "?x a ikg:City ; schema:containedInPlace ?e ; "
                "skos:prefLabel ?name } } ORDER BY ?name",
                e=e,
            ),
        }
    for post in page.posts:  # the timeline: the press releases behind each post
        post["documents"] = rows(
            store,
            "SELECT ?m ?d ?file ?title ?date WHERE { " + _CORPUS + "?m prov:wasDerivedFrom ?d } "
            "?d ikg:sourceFile ?file . OPTIONAL { ?d schema:headline ?title } "
            f"OPTIONAL {{ ?d schema:datePublished ?date }} }} ORDER BY DESC(?date) ?file LIMIT {POST_ITEMS}",
            m=ox.NamedNode(post["m"]),
        )
    page.amounts = rows(
        store,
        "SELECT ?e ?text ?kind ?file WHERE { ?a ikg:about ?e ; nif:anchorOf ?text ; ikg:amountKind ?kind ;"
        " prov:wasDerivedFrom ?d . ?d ikg:sourceFile ?file } ORDER BY ?file LIMIT 200",
        e=e,
    )
    return page


def entity_rdf(store: Store, iri: str, media: ox.RdfFormat) -> bytes:
    """The entity's description and the facts in and out of it, as RDF: from the corpus graph,
    or for what only press releases describe (a membership, a fact, a graph), from theirs."""
    for where in (_CORPUS, "GRAPH ?g { "):
        result = store.solutions(
            SPARQL_PREFIXES
            + "CONSTRUCT { ?e ?p ?o . ?s ?q ?e } WHERE { "
            + where
            + "{ ?e ?p ?o } UNION { ?s ?q ?e } } }",
            bindings={"e": ox.NamedNode(iri)},
        )
        assert isinstance(result, ox.QueryTriples)
        body = ox.serialize(result, format=media) or b""
        if body.strip():
            return body
    return b""


@dataclass
class ResourcePage:
    """The page of an IRI that is not an entity (a post, a role, a tenure, a fact, a graph):
    what the graph says of it and what points to it."""

    iri: str
    label: str
    types: list[str]
    out: list[dict[str, Any]]
    into: list[dict[str, Any]]


def resource_page(store: Store, iri: str, *, limit: int = 300) -> ResourcePage | None:
    """The page of any IRI the graph describes, or ``None`` when it says nothing of it."""
    e = ox.NamedNode(iri)
    label_of = "OPTIONAL { GRAPH ?lg { ?x skos:prefLabel|rdfs:label ?xl } }"
    out = rows(
        store,
        f"SELECT DISTINCT ?e ?p ?x ?xl WHERE {{ GRAPH ?g {{ ?e ?p ?x }} {label_of} }} ORDER BY ?p ?x LIMIT {limit}",
        e=e,
    )
    into = rows(
        store,
        f"SELECT DISTINCT ?e ?p ?x ?xl WHERE {{ GRAPH ?g {{ ?x ?p ?e }} {label_of} }} ORDER BY ?p ?x LIMIT {limit}",
        e=e,
    )
    if not out and not into:
        return None
    for row in (*out, *into):
        row["predicate"] = label(str(row["p"]))
    labels = [str(r["x"]) for r in out if str(r["p"]).endswith(("#label", "#prefLabel"))]
    types = sorted({label(str(r["x"])) for r in out if str(r["p"]).endswith("#type")})
    return ResourcePage(iri, labels[0] if labels else iri.rsplit("/", 1)[-1], types, out, into)


@dataclass(frozen=True)
class Label:
    """An entity and one of its labels, folded for accent-free search."""

    iri: str
    label: str
    type: str
    folded: str
    preferred: bool = False


def labels(store: Store) -> list[Label]:
    """Every label of every entity (preferred and alternative)."""
    found = rows(
        store,
        "SELECT ?e ?l ?class ?preferred WHERE { " + _CORPUS + "?e a ?class . "
        "{ ?e skos:prefLabel ?l BIND(true AS ?preferred) } UNION { ?e skos:altLabel ?l BIND(false AS ?preferred) } "
        "VALUES ?class { ikg:Person ikg:Organization ikg:Hospital ikg:Program ikg:State ikg:City } } }",
    )
    return [
        Label(str(r["e"]), str(r["l"]), str(r["class"]).rsplit("#", 1)[-1], fold(str(r["l"])), r["preferred"] == "true")
        for r in found
    ]


def search(index: list[Label], preferred: dict[str, str], text: str, *, limit: int = 20) -> list[dict[str, str]]:
    """Entities one of whose labels contains ``text``, accents and case ignored; exact starts first."""
    wanted = fold(text.strip())
    if not wanted:
        return []
    hits: dict[str, tuple[int, str, str]] = {}
    for item in index:
        if wanted in item.folded:
            rank = 0 if item.folded.startswith(wanted) else 1
            if item.iri not in hits or rank < hits[item.iri][0]:
                hits[item.iri] = (rank, item.type, item.label)
    ordered = sorted(hits.items(), key=lambda kv: (kv[1][0], preferred.get(kv[0], "")))
    return [{"iri": iri, "label": preferred.get(iri, label), "type": kind, "matched": label}
            for iri, (_, kind, label) in ordered[:limit]]  # fmt: skip


#: The classes the search box finds.
_SEARCHED = set(CLASSES.values())


def search_by_word(store: Store, text: str, *, limit: int = 20) -> list[dict[str, str]]:
    """Entities one of whose labels has the words of ``text`` (its longest word looked up in the
    corpus graph's index of words, ``ikg:searchToken``), by preferred label: what the search box
    answers while the index of :func:`search` is still being built.

    The things with the word are sorted by label (an index lookup each: a SPARQL join of their
    labels scanned every label), then their search keys matched a few dozen things at a time
    until ``limit`` have one with the whole text: a common surname costs the things shown,
    not every label of every person who bears it.

    >>> search_by_word(Store.memory(), "Zoé")
    []
    """
    word, key = lookup_word(text), search_key(text)
    if not word:
        return []

    def first(e: Any, p: ox.NamedNode) -> Any:
        return next((q.object for q in store.quads(e, p, None, CORPUS)), None)

    named = sorted(
        (label.value, e.value, e)
        for q in store.quads(None, IKG.searchToken, ox.Literal(word), CORPUS)
        if isinstance(label := first(e := q.subject, SKOS.prefLabel), ox.Literal) and isinstance(e, ox.NamedNode)
    )
    found: list[dict[str, str]] = []
    things, size = iter(named), 2 * limit
    while len(found) < limit and (chunk := list(itertools.islice(things, size))):
        kinds = {e: kind for _, _, e in chunk if (kind := first(e, RDF.type)) in _SEARCHED}
        # the terms written by pyoxigraph: a value cannot change the query's shape
        matched = {
            row[0]: row[1]
            for row in store.terms(
                f"SELECT ?e (MIN(?k) AS ?matched) WHERE {{ VALUES ?e {{ {' '.join(map(str, kinds))} }} "
                f"GRAPH {CORPUS} {{ ?e <{IKG.searchKey.value}> ?k FILTER(CONTAINS(?k, {ox.Literal(key)})) }} }} "
                "GROUP BY ?e"
            )
        }
        found += [{"iri": iri, "label": name, "type": kinds[e].value.rsplit("#", 1)[-1], "matched": k.value}
                  for name, iri, e in chunk if isinstance(k := matched.get(e), ox.Literal)]  # fmt: skip
        size *= 2
    return found[:limit]


@dataclass
class Description:
    """What the VoID description of the dataset says (rendered as Turtle and as HTML)."""

    uri_space: str
    documents: int
    triples: int | None
    corpus_triples: int
    classes: list[tuple[str, str, int]]  # (class IRI, Spanish label, entities)
    first: str | None  # earliest and latest publication date of the press releases
    last: str | None
    sources: list[str]  # the sites press releases were fetched from
    modified: str  # when the graph was built (ISO date-time)
    title: str = (
        "imsskg: grafo de conocimiento de los boletines de prensa de las instituciones públicas de salud de México"
    )
    publisher: str = field(default_factory=lambda: settings.publisher)
    licence: str = field(default_factory=lambda: settings.licence)
    vocabularies: list[str] = field(default_factory=lambda: [v.iri for v in (IKG, SCHEMA, ORG, PROV, SKOS)])


def describe(store: Store, *, uri_space: str, triples: int | None, modified: str) -> Description:
    """The dataset's description: counts read from indexes, the dates the press releases cover
    and the sites they came from. ``triples`` is the number of distinct triples (``None`` when
    unknown); the corpus graph, which states each entity and fact once, has its own count."""
    classes = [(IKG[name].value, label(IKG[name]), n) for name, n in entity_counts(store).items()]
    span = rows(store, "SELECT (MIN(?date) AS ?first) (MAX(?date) AS ?last) WHERE { ?d a ikg:PressRelease ; "
                       "schema:datePublished ?date }")  # fmt: skip
    urls = rows(store, "SELECT DISTINCT ?url WHERE { ?d a ikg:PressRelease ; schema:url ?url } LIMIT 5000")
    sites = sorted({"{0.scheme}://{0.netloc}/".format(urlsplit(str(u["url"]))) for u in urls})[:50]
    return Description(
        uri_space=uri_space, documents=document_count(store), triples=triples, corpus_triples=store.count(g=CORPUS),
        classes=classes, first=span[0]["first"] if span else None, last=span[0]["last"] if span else None,
        sources=sites, modified=modified,
    )  # fmt: skip


def void(d: Description) -> str:
    """The description in VoID, as Turtle, as served at ``/.well-known/void``: the endpoint and
    dumps are IRIs relative to it, so the description holds wherever the server is reached, and
    no request header goes into it.

    >>> text = void(Description("https://w3id.org/imsskg/id/", 5, None, 10, [], None, None, [], "2026-01-01T00:00:00"))
    >>> "void:documents 5" in text and "dcterms:license <https://creativecommons.org/licenses/by/4.0/>" in text
    True
    """
    partitions = "".join(
        f"    void:classPartition [ void:class <{c}> ; void:entities {n} ] ;\n" for c, _, n in d.classes
    )
    counted = f"    void:triples {d.triples} ;\n" if d.triples is not None else ""
    sources = "".join(f"    dcterms:source <{s}> ;\n" for s in d.sources)
    temporal = (
        f'    dcterms:temporal [ a dcterms:PeriodOfTime ; dcat:startDate "{d.first}"^^xsd:date ; '
        f'dcat:endDate "{d.last}"^^xsd:date ] ;\n'
        if d.first and d.last
        else ""
    )
    vocabularies = ", ".join(f"<{v}>" for v in d.vocabularies)
    return f"""@prefix void: <{VOID.iri}> .
@prefix dcterms: <{DCTERMS.iri}> .
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix xsd: <{XSD.iri}> .

<#dataset> a void:Dataset ;
    dcterms:title {_turtle_string(d.title)}@es ;
    dcterms:publisher [ a foaf:Agent ; foaf:name {_turtle_string(d.publisher)} ] ;
    dcterms:license <{d.licence}> ;
    dcterms:modified "{d.modified}"^^xsd:dateTime ;
{temporal}{sources}    void:sparqlEndpoint <../sparql> ;
    void:uriSpace {_turtle_string(d.uri_space)} ;
{counted}    void:documents {d.documents} ;
{partitions}    void:subset <#corpus> ;
    void:dataDump <../dump.ttl>, <../dump.nq>, <../dump.jsonld> ;
    void:vocabulary {vocabularies} .

<#corpus> a void:Dataset ;
    dcterms:description "The corpus graph: each entity, post and fact once (query it with FROM <{CORPUS.value}>)" ;
    void:triples {d.corpus_triples} .
"""


def _turtle_string(text: str) -> str:
    """A Turtle string literal of ``text``."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r") + '"'


#: What the map of Mexico can count per state (kept on each state by the build), in Spanish.
MAP_MEASURES: dict[str, str] = {"units": "unidades médicas", "programs": "programas", "officials": "funcionarios"}
#: Light to dark: the fifths of the largest count; states with none are grey.
MAP_COLOURS = ("#d0e1f9", "#a3c4f0", "#6fa0e0", "#3d78c9", "#1c4f99")
MAP_NONE = "#e9ecef"


@dataclass
class MapState:
    """One state on the map: its outline, name, page and count."""

    iso: str
    name: str
    path: str
    iri: str | None
    count: int
    fill: str


@cache
def _outlines() -> dict[str, Any]:
    """The outlines of the 32 states (``@svg-maps/mexico``, CC BY 4.0), by ISO 3166-2 code."""
    data: dict[str, Any] = json.loads(files("imsskg.server").joinpath("static/vendor/mexico.json").read_text("utf-8"))
    return data


def state_map(store: Store, measure: str) -> tuple[str, list[MapState], int]:
    """The map's view box, states and largest count for ``measure`` (a key of :data:`MAP_MEASURES`)."""
    prop = STATE_COUNTS[measure]  # kept on each state by the build: nothing counted here
    counted = {
        str(r["iso"]): r
        for r in rows(
            store,
            "SELECT ?s ?iso ?name ?n WHERE { " + _CORPUS + "?s a ikg:State ; ikg:isoCode ?iso ; skos:prefLabel ?name . "
            f"OPTIONAL {{ ?s <{prop.value}> ?c }} }} BIND(COALESCE(?c, 0) AS ?n) }}",
        )
    }
    most = max((int(r["n"]) for r in counted.values()), default=0)
    states = []
    for outline in _outlines()["states"]:
        row = counted.get(outline["iso"])
        n = int(row["n"]) if row else 0
        fill = MAP_COLOURS[max(0, -(-n * len(MAP_COLOURS) // most) - 1)] if n else MAP_NONE
        name = str(row["name"]) if row else outline["name"]
        states.append(MapState(outline["iso"], name, outline["path"], str(row["s"]) if row else None, n, fill))
    return _outlines()["viewBox"], states, most


@dataclass
class DocumentPage:
    """Everything the page of one press release shows."""

    iri: str
    file: str
    title: str | None
    date: str | None
    number: str | None
    url: str | None
    #: the text in pieces: (text, IRI of the entity the piece names or None)
    pieces: list[tuple[str, str | None]] = field(default_factory=list)
    facts: list[dict[str, Any]] = field(default_factory=list)
    amounts: list[dict[str, Any]] = field(default_factory=list)


def document_page(store: Store, iri: str) -> DocumentPage | None:
    """The page of the press release ``iri``, or ``None`` when the graph has no such document:
    its text with every mention linked to its entity, the facts read from it and its figures."""
    d = ox.NamedNode(iri)
    head = rows(
        store,
        "SELECT ?d ?g ?file ?text ?title ?date ?number ?url WHERE { GRAPH ?g { ?d a ikg:PressRelease ; "
        "ikg:sourceFile ?file ; nif:isString ?text } OPTIONAL { GRAPH ?g { ?d schema:headline ?title } } "
        "OPTIONAL { GRAPH ?g { ?d schema:datePublished ?date } } "
        "OPTIONAL { GRAPH ?g { ?d ikg:bulletinNumber ?number } } OPTIONAL { GRAPH ?g { ?d schema:url ?url } } }",
        d=d,
    )
    if not head:
        return None
    h = head[0]
    page = DocumentPage(iri, h["file"], h["title"], h["date"], h["number"], h["url"])
    graph = ox.NamedNode(h["g"])
    mentions = rows(
        store,
        "SELECT ?g ?e ?b ?end WHERE { GRAPH ?g { ?m ikg:denotes ?e ; nif:beginIndex ?b ; nif:endIndex ?end } }",
        g=graph,
    )
    text, at = h["text"], 0
    for m in sorted(mentions, key=lambda m: (int(m["b"]), -int(m["end"]))):
        begin, end = int(m["b"]), int(m["end"])
        if begin < at:
            continue  # a mention inside one already linked ("IMSS" inside a unit's name)
        page.pieces += [(text[at:begin], None), (text[begin:end], m["e"])]
        at = end
    page.pieces.append((text[at:], None))
    page.facts = rows(
        store,
        """SELECT ?g ?s ?p ?o ?sentence ?rule ?confidence ?sl ?ol WHERE {
          GRAPH ?g { ?f a ikg:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; ikg:sentence ?sentence ;
                     ikg:rule ?rule ; ikg:confidence ?confidence }
          OPTIONAL { GRAPH ?cg { ?cg a ikg:CorpusGraph . ?s skos:prefLabel ?sl } }
          OPTIONAL { GRAPH ?cg2 { ?cg2 a ikg:CorpusGraph . ?o skos:prefLabel ?ol } }
        } ORDER BY ?sentence""",
        g=graph,
    )
    for fact in page.facts:
        fact["predicate"] = label(str(fact["p"]))
        fact["other_label"] = fact["ol"] or str(fact["o"]).rsplit("/", 1)[-1].replace("-", " ")
    page.amounts = rows(
        store,
        "SELECT ?g ?a ?text ?kind ?value WHERE { GRAPH ?g { ?a a ikg:Amount ; nif:anchorOf ?text ; "
        "ikg:amountKind ?kind ; schema:value ?value } } ORDER BY ?a",
        g=graph,
    )
    for amount in page.amounts:
        amount["anchor"] = str(amount["a"]).rsplit("#", 1)[-1]  # "#amount120-145" of the amount's IRI
    return page
