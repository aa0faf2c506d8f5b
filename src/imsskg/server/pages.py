"""What the server's pages show, read from the store: entities, their facts and evidence, search,
the dataset description (VoID)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from imsskg.graph.corpus import CORPUS
from imsskg.graph.store import Store
from imsskg.lang.text import fold
from imsskg.ontology import DCTERMS, IKG, ORG, PROV, SCHEMA, SKOS, SPARQL_PREFIXES, VOID, XSD, label
from imsskg.stats import document_count, entity_counts

_CORPUS = "GRAPH ?cg { ?cg a ikg:CorpusGraph . "


# The queries below use Oxigraph's LATERAL where a plain join would make Oxigraph hash every
# statement of the store to join the few rows of one entity: pages stay fast on large graphs.
def rows(store: Store, query: str, **bind: ox.NamedNode) -> list[dict[str, Any]]:
    """The rows of a SELECT query (the ontology's prefixes declared) as dictionaries of strings."""
    result = store.solutions(SPARQL_PREFIXES + query, bindings=bind)
    assert isinstance(result, ox.QuerySolutions)
    names = [v.value for v in result.variables]
    return [{n: (None if s[n] is None else s[n].value) for n in names} for s in result]


@dataclass
class EntityPage:
    """Everything the page of one entity shows."""

    iri: str
    label: str
    type: str
    aliases: list[str] = field(default_factory=list)
    same_as: list[str] = field(default_factory=list)
    codes: dict[str, str] = field(default_factory=dict)
    facts: list[dict[str, Any]] = field(default_factory=list)
    posts: list[dict[str, Any]] = field(default_factory=list)
    documents: list[dict[str, Any]] = field(default_factory=list)
    amounts: list[dict[str, Any]] = field(default_factory=list)


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
    page.aliases.sort()
    page.facts = rows(
        store,
        """SELECT ?e ?direction ?p ?other ?other_label ?pl ?sentence ?file ?date ?rule ?confidence WHERE {
          { ?f rdf:subject ?e ; rdf:object ?other . BIND("out" AS ?direction) }
          UNION { ?f rdf:object ?e ; rdf:subject ?other . BIND("in" AS ?direction) }
          # LATERAL: the rest for these statements only (a join would hash every statement)
          LATERAL {
            ?f a ikg:Statement ; rdf:predicate ?p ; ikg:sentence ?sentence ; ikg:rule ?rule ;
               ikg:confidence ?confidence ; prov:wasDerivedFrom ?d .
            ?d ikg:sourceFile ?file . OPTIONAL { ?d schema:datePublished ?date }
            OPTIONAL { GRAPH ?cg { ?cg a ikg:CorpusGraph . ?other skos:prefLabel ?pl } }
            OPTIONAL { GRAPH ?cg2 { ?cg2 a ikg:CorpusGraph . ?other org:role ?r . ?r rdfs:label ?rl } }
            OPTIONAL { GRAPH ?cg3 { ?cg3 a ikg:CorpusGraph . ?other org:postIn ?b . ?b skos:prefLabel ?in } }
          }
          BIND(COALESCE(?pl, CONCAT(?rl, COALESCE(CONCAT(" @ ", ?in), "")), STR(?other)) AS ?other_label)
        } ORDER BY ?p ?date ?file""",
        e=e,
    )
    for fact in page.facts:
        fact["predicate"] = label(str(fact["p"]))  # the ontology's Spanish label: "ocupa el cargo de"
        fact["linkable"] = fact["pl"] is not None  # an entity (a post has no page of its own)
    page.posts = rows(
        store,
        "SELECT ?e ?role ?organization ?first ?last WHERE { " + _CORPUS + "?m org:member ?e ; a org:Membership ; "
        "org:role ?r . ?r rdfs:label ?role } "
        "LATERAL { OPTIONAL { GRAPH ?cg { ?m org:organization ?o . ?o skos:prefLabel ?organization } } } "
        "LATERAL { OPTIONAL { GRAPH ?cg { ?m ikg:firstSeen ?first ; ikg:lastSeen ?last } } } } ORDER BY ?first",
        e=e,
    )
    page.documents = rows(
        store,
        "SELECT ?e ?d ?file ?title ?date (COUNT(?m) AS ?mentions) WHERE {"
        " ?d schema:mentions ?e ; ikg:sourceFile ?file . OPTIONAL { ?d schema:headline ?title }"
        " OPTIONAL { ?d schema:datePublished ?date }"
        " ?m ikg:denotes ?e ; nif:referenceContext ?d } GROUP BY ?e ?d ?file ?title ?date ORDER BY ?date ?file",
        e=e,
    )
    page.amounts = rows(
        store,
        "SELECT ?e ?text ?kind ?file WHERE { ?a ikg:about ?e ; nif:anchorOf ?text ; ikg:amountKind ?kind ;"
        " prov:wasDerivedFrom ?d . ?d ikg:sourceFile ?file } ORDER BY ?file LIMIT 200",
        e=e,
    )
    return page


def entity_rdf(store: Store, iri: str, media: ox.RdfFormat) -> bytes:
    """The entity's description and the facts in and out of it, as RDF."""
    result = store.solutions(
        SPARQL_PREFIXES
        + "CONSTRUCT { ?e ?p ?o . ?s ?q ?e } WHERE { "
        + _CORPUS
        + "{ ?e ?p ?o } UNION { ?s ?q ?e } } }",
        bindings={"e": ox.NamedNode(iri)},
    )
    assert isinstance(result, ox.QueryTriples)
    return ox.serialize(result, format=media) or b""


@dataclass(frozen=True)
class Label:
    """An entity and one of its labels, folded for accent-free search."""

    iri: str
    label: str
    type: str
    folded: str


def labels(store: Store) -> list[Label]:
    """Every label of every entity (preferred and alternative)."""
    found = rows(
        store,
        "SELECT ?e ?l ?class WHERE { " + _CORPUS + "?e a ?class . { ?e skos:prefLabel ?l } UNION "
        "{ ?e skos:altLabel ?l } VALUES ?class { ikg:Person ikg:Organization ikg:Hospital ikg:Program ikg:State "
        "ikg:City } } }",
    )
    return [Label(str(r["e"]), str(r["l"]), str(r["class"]).rsplit("#", 1)[-1], fold(str(r["l"]))) for r in found]


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


def void(store: Store, *, uri_space: str, triples: int | None) -> str:
    """A VoID description of the dataset, in Turtle, as served at ``/.well-known/void``: the
    endpoint and dumps are IRIs relative to it, so the description holds wherever the server
    is reached, and no request header goes into it. ``triples`` is the number of distinct
    triples (left out when unknown); the corpus graph, which states each entity and fact once,
    is a subset with its own count. Other counts are read from indexes."""
    classes = [{"class": IKG[name].value, "n": n} for name, n in entity_counts(store).items()]
    docs = document_count(store)
    partitions = "\n".join(
        f"    void:classPartition [ void:class <{c['class']}> ; void:entities {c['n']} ] ;" for c in classes
    )
    counted = f"    void:triples {triples} ;\n" if triples is not None else ""
    corpus = store.count(g=CORPUS)
    vocabularies = ", ".join(f"<{v.iri}>" for v in (IKG, SCHEMA, ORG, PROV, SKOS))
    return f"""@prefix void: <{VOID.iri}> .
@prefix dcterms: <{DCTERMS.iri}> .
@prefix xsd: <{XSD.iri}> .

<#dataset> a void:Dataset ;
    dcterms:title "imsskg knowledge graph of press releases of Mexico's public health institutions" ;
    void:sparqlEndpoint <../sparql> ;
    void:uriSpace "{uri_space}" ;
{counted}    void:documents {docs} ;
{partitions}
    void:subset <#corpus> ;
    void:dataDump <../dump.ttl>, <../dump.nq>, <../dump.jsonld> ;
    void:vocabulary {vocabularies} .

<#corpus> a void:Dataset ;
    dcterms:description "The corpus graph: each entity, post and fact once (query it with FROM <{CORPUS.value}>)" ;
    void:triples {corpus} .
"""


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
