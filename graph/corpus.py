"""The corpus graph: each entity, post, role, tenure and fact once, whatever the number of
documents that state it, kept up to date document by document.

Everything in it is a fold over the document graphs: an entity's labels are the union of its
names and surface forms and its preferred label the fullest name; a fact, a post or a role is
there while one document states it; a tenure's documents are a union and its dates a min and a
max. So adding documents folds what they say into the corpus graph as it stands (work in
proportion to the documents added, not to the corpus), and removing or replacing a document
recomputes, from the documents that remain, only the things it spoke of.

>>> import pyoxigraph as ox
>>> store = ox.Store()
>>> g = ox.NamedNode("https://w3id.org/imsskg/id/graph/a.txt")
>>> doc = ox.NamedNode("https://w3id.org/imsskg/id/doc/a.txt")
>>> store.load('''
... @prefix ikg: <https://w3id.org/imsskg/ontology#> .
... @prefix nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#> .
... <doc/a.txt> a ikg:PressRelease .
... <person/zoe-robledo> a ikg:Person ; <http://www.w3.org/2000/01/rdf-schema#label> "Zoé Robledo" .
... <doc/a.txt#m0-6> ikg:denotes <person/zoe-robledo> ; nif:anchorOf "Robledo" .
... ''', format=ox.RdfFormat.TURTLE, base_iri="https://w3id.org/imsskg/id/", to_graph=g)
>>> add(store, [g])
>>> sorted(q.object.value for q in store.quads_for_pattern(None, SKOS_ALT, None, CORPUS))
['Robledo']
>>> keys = forget(store, [g])
>>> store.remove_graph(g)
>>> remove(store, keys)
>>> [q.predicate.value for q in store]  # nothing left but the corpus graph's own type
['http://www.w3.org/1999/02/22-rdf-syntax-ns#type']
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

import pyoxigraph as ox
from imsskg.extract.gazetteer import load_gazetteer
from imsskg.graph.iri import mint
from imsskg.graph.rdf import CLASS_TYPE, CORPUS_GRAPH, TYPE_CLASS

from imsskg.config import settings
from imsskg.resolve import Resolved, preferred_name


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


_IKG, _ORG = "https://w3id.org/imsskg/ontology#", "http://www.w3.org/ns/org#"
RDF_TYPE = _n("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDFS_LABEL = _n("http://www.w3.org/2000/01/rdf-schema#label")
SKOS_PREF = _n("http://www.w3.org/2004/02/skos/core#prefLabel")
SKOS_ALT = _n("http://www.w3.org/2004/02/skos/core#altLabel")
OWL_SAME = _n("http://www.w3.org/2002/07/owl#sameAs")
INEGI, ISO = _n(_IKG + "inegiCode"), _n(_IKG + "isoCode")
FIRST, LAST = _n(_IKG + "firstSeen"), _n(_IKG + "lastSeen")
POST, ROLE, MEMBERSHIP = _n(_ORG + "Post"), _n(_ORG + "Role"), _n(_ORG + "Membership")
HAS_ROLE, POST_IN = _n(_ORG + "role"), _n(_ORG + "postIn")
MEMBER, ORGANIZATION = _n(_ORG + "member"), _n(_ORG + "organization")
DERIVED = _n("http://www.w3.org/ns/prov#wasDerivedFrom")
XSD_STRING = _n("http://www.w3.org/2001/XMLSchema#string")
XSD_DATE = _n("http://www.w3.org/2001/XMLSchema#date")
CORPUS = _n(str(mint(CORPUS_GRAPH)))

Triple = tuple[ox.NamedNode, ox.NamedNode, ox.NamedNode | ox.Literal]
_PREFIXES = """PREFIX ikg: <https://w3id.org/imsskg/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX schema: <https://schema.org/>
"""
# What the document graphs say, restricted by a VALUES block: either to some document graphs
# (?g) or to some things (the key variables). The corpus graph has posts, roles and tenures of
# the same shape: the filter keeps it from feeding itself. (Tenures read their OPTIONALs outside
# the GRAPH, with ?g bound: inside it, Oxigraph evaluates the group for every membership.)
_ROWS = {
    "entities": "SELECT DISTINCT ?e ?type ?name ?anchor WHERE { $VALUES GRAPH ?g { "
    "?m ikg:denotes ?e ; nif:anchorOf ?anchor . ?e a ?type ; rdfs:label ?name } $NOT_CORPUS }",
    "facts": "SELECT DISTINCT ?s ?p ?o WHERE { $VALUES GRAPH ?g { "
    "?f a ikg:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o } $NOT_CORPUS }",
    "posts": "SELECT DISTINCT ?post ?role ?label ?org WHERE { $VALUES GRAPH ?g { ?post a org:Post ; "
    "org:role ?role . ?role rdfs:label ?label OPTIONAL { ?post org:postIn ?org } } $NOT_CORPUS }",
    "roles": "SELECT DISTINCT ?role ?label WHERE { $VALUES GRAPH ?g { ?role a org:Role ; rdfs:label ?label } "
    "$NOT_CORPUS }",
    "tenures": "SELECT ?person ?role ?org ?d ?date WHERE { $VALUES GRAPH ?g { "
    "?m org:member ?person ; a org:Membership ; org:role ?role ; prov:wasDerivedFrom ?d } $NOT_CORPUS "
    "OPTIONAL { GRAPH ?g { ?m org:organization ?org } } OPTIONAL { GRAPH ?g { ?d schema:datePublished ?date } } }",
}
_BY = {"entities": "?e", "facts": "(?s ?p ?o)", "posts": "?post", "roles": "?role", "tenures": "?person"}
_CHUNK = 500  # things or document graphs per query


@dataclass
class Keys:
    """The things some document graphs speak of, by kind."""

    entities: set[ox.NamedNode] = field(default_factory=set)
    facts: set[Triple] = field(default_factory=set)
    posts: set[ox.NamedNode] = field(default_factory=set)
    roles: set[ox.NamedNode] = field(default_factory=set)
    tenures: set[tuple[ox.NamedNode, ox.NamedNode, ox.NamedNode | None]] = field(default_factory=set)

    def __or__(self, other: Keys) -> Keys:
        return Keys(*(getattr(self, k) | getattr(other, k) for k in _ROWS))

    def __len__(self) -> int:
        return sum(len(getattr(self, k)) for k in _ROWS)


def _chunks(items: Iterable[Any], size: int = _CHUNK) -> Iterator[list[Any]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def _rows(store: ox.Store, kind: str, values: str) -> Iterator[tuple[Any, ...]]:
    query = _ROWS[kind].replace("$VALUES", values).replace("$NOT_CORPUS", f"FILTER (?g != {CORPUS})")
    solutions = store.query(_PREFIXES + query)
    assert isinstance(solutions, ox.QuerySolutions)
    width = len(solutions.variables)
    for row in solutions:
        yield tuple(row[i] for i in range(width))


def _in_graphs(graphs: list[ox.NamedNode]) -> str:
    return f"VALUES ?g {{ {' '.join(map(str, graphs))} }}"


def _about(kind: str, keys: list[Any]) -> str:
    if kind == "facts":
        return f"VALUES (?s ?p ?o) {{ {' '.join(f'({s} {p} {o})' for s, p, o in keys)} }}"
    if kind == "tenures":
        keys = sorted({k[0] for k in keys}, key=str)
    return f"VALUES {_BY[kind]} {{ {' '.join(map(str, keys))} }}"


def _key(kind: str, row: tuple[Any, ...]) -> Any:
    if kind == "facts":
        return row
    if kind == "tenures":
        return row[:3]
    return row[0]


# -- what one thing's triples are, from its folded state ------------------------------------


def _string(text: str) -> ox.Literal:
    return ox.Literal(text, datatype=XSD_STRING)


def _entity_triples(e: ox.NamedNode, kind: ox.NamedNode, names: set[str], labels: set[str]) -> set[Triple]:
    key = e.value[len(settings.base_iri) :]
    r = Resolved(key, _TYPES[kind.value], preferred_name(key, names), tuple(sorted(labels | names)))
    out: set[Triple] = {(e, RDF_TYPE, _n(str(TYPE_CLASS[r.type]))), (e, SKOS_PREF, _string(r.name))}
    out.add((e, RDFS_LABEL, _string(r.name)))
    out |= {(e, SKOS_ALT, _string(label)) for label in r.labels if label != r.name}
    known = load_gazetteer().by_key.get(key)
    if known and known.wikidata:
        out.add((e, OWL_SAME, _n("http://www.wikidata.org/entity/" + known.wikidata)))
    if known and known.inegi and known.iso:
        out |= {(e, INEGI, _string(known.inegi)), (e, ISO, _string(known.iso))}
    return out


def tenure_iri(person: ox.NamedNode, role: ox.NamedNode, organization: ox.NamedNode | None) -> ox.NamedNode:
    """``membership/<person>/<role>[/<kind>-<organization>]``: one person in one role of one
    organization across the corpus."""
    path = f"membership/{person.value.rsplit('/', 1)[-1]}/{role.value.rsplit('/', 1)[-1]}"
    if organization is not None:
        kind, name = organization.value.rsplit("/", 2)[-2:]
        path += f"/{kind}-{name}"
    return _n(str(mint(path)))


def _tenure_triples(key: tuple[Any, ...], docs: set[ox.NamedNode], dates: set[dt.date]) -> set[Triple]:
    person, role, organization = key
    node = tenure_iri(person, role, organization)
    out: set[Triple] = {(node, RDF_TYPE, MEMBERSHIP), (node, MEMBER, person), (node, HAS_ROLE, role)}
    if organization is not None:
        out.add((node, ORGANIZATION, organization))
    out |= {(node, DERIVED, d) for d in docs}
    if dates:
        out.add((node, FIRST, ox.Literal(min(dates).isoformat(), datatype=XSD_DATE)))
        out.add((node, LAST, ox.Literal(max(dates).isoformat(), datatype=XSD_DATE)))
    return out


# -- the state of things: folded from document rows, or read back from the corpus graph -----

_PREDICATES = {
    "entities": {RDF_TYPE, SKOS_PREF, RDFS_LABEL, SKOS_ALT, OWL_SAME, INEGI, ISO},
    "posts": {RDF_TYPE, HAS_ROLE, RDFS_LABEL, POST_IN},
    "roles": {RDF_TYPE, RDFS_LABEL},
    "tenures": {RDF_TYPE, MEMBER, HAS_ROLE, ORGANIZATION, DERIVED, FIRST, LAST},
}


def _subject(kind: str, key: Any) -> ox.NamedNode:
    return tenure_iri(*key) if kind == "tenures" else key


def _current(store: ox.Store, kind: str, key: Any) -> set[Triple]:
    """The triples of one thing in the corpus graph now."""
    if kind == "facts":
        s, p, o = key
        return {key} if ox.Quad(s, p, o, CORPUS) in store else set()
    wanted = _PREDICATES[kind]
    return {
        (q.subject, q.predicate, q.object)  # type: ignore[misc]
        for q in store.quads_for_pattern(_subject(kind, key), None, None, CORPUS)
        if q.predicate in wanted
    }


class _State:
    """What the rows of one kind say of each thing, folded."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.things: dict[Any, list[Any]] = {}

    def fold(self, row: tuple[Any, ...]) -> None:
        key = _key(self.kind, row)
        state = self.things.get(key)
        if self.kind == "entities":
            if row[1].value not in _TYPES or not row[0].value.startswith(settings.base_iri):
                return
            if state is None:
                state = self.things[key] = [row[1], set(), set()]
            state[1].add(row[2].value)
            state[2].add(row[3].value)
        elif self.kind == "tenures":
            if state is None:
                state = self.things[key] = [set(), set()]
            state[0].add(row[3])
            if row[4] is not None:
                state[1].add(dt.date.fromisoformat(row[4].value))
        elif self.kind == "posts":
            state = self.things.setdefault(key, [set(), set(), set()])
            for values, term in zip(state, row[1:], strict=True):
                if term is not None:
                    values.add(term)
        elif self.kind == "roles":
            state = self.things.setdefault(key, [set()])
            state[0].add(row[1].value)
        else:
            self.things[key] = []

    def merge_current(self, key: Any, current: set[Triple]) -> None:
        """Fold in the state the corpus graph holds for ``key`` (its ``current`` triples)."""
        state = self.things[key]
        if self.kind == "entities":
            for _, p, o in current:
                if p == SKOS_PREF:
                    state[1].add(o.value)
                if p in {SKOS_PREF, SKOS_ALT}:
                    state[2].add(o.value)
        elif self.kind == "tenures":
            for _, p, o in current:
                if p == DERIVED:
                    state[0].add(o)
                elif p in {FIRST, LAST}:
                    state[1].add(dt.date.fromisoformat(o.value))
        elif self.kind == "posts":
            for _, p, o in current:
                if p in _POST_PARTS:
                    state[_POST_PARTS.index(p)].add(o)
        elif self.kind == "roles":
            state[0] |= {o.value for _, p, o in current if p == RDFS_LABEL}

    def triples(self, key: Any) -> set[Triple]:
        state = self.things[key]
        if self.kind == "entities":
            return _entity_triples(key, *state)
        if self.kind == "tenures":
            return _tenure_triples(key, *state)
        if self.kind == "posts":
            parts = zip(_POST_PARTS, state, strict=True)
            return {(key, RDF_TYPE, POST)} | {(key, p, o) for p, values in parts for o in values}
        if self.kind == "roles":
            return {(key, RDF_TYPE, ROLE)} | {(key, RDFS_LABEL, _string(label)) for label in state[0]}
        return {key}


_TYPES = {str(c): t for c, t in CLASS_TYPE.items()}
_POST_PARTS = (HAS_ROLE, RDFS_LABEL, POST_IN)  # a post's role, the role's label, its organization


class _Changes:
    """Triples to take out of and put into the corpus graph, written in one go."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store
        self.out: list[ox.Quad] = []
        self.into: list[ox.Quad] = []

    def update(self, old: set[Triple], new: set[Triple]) -> None:
        self.out += [ox.Quad(s, p, o, CORPUS) for s, p, o in old - new]
        self.into += [ox.Quad(s, p, o, CORPUS) for s, p, o in new - old]

    def write(self) -> None:
        for quad in self.out:
            self.store.remove(quad)
        self.store.extend(self.into)


def _mark(store: ox.Store) -> None:
    store.add(ox.Quad(CORPUS, RDF_TYPE, _n(_IKG + "CorpusGraph"), CORPUS))


# -- the three operations -------------------------------------------------------------------


def forget(store: ox.Store, graphs: Iterable[ox.NamedNode]) -> Keys:
    """The things ``graphs`` speak of: call before removing or replacing them, then pass the
    keys to :func:`remove` once they are gone."""
    keys = Keys()
    for chunk in _chunks(graphs):
        for kind in _ROWS:
            found: set[Any] = getattr(keys, kind)
            found |= {_key(kind, row) for row in _rows(store, kind, _in_graphs(chunk))}
    return keys


def add(store: ox.Store, graphs: Iterable[ox.NamedNode], *, skip: Keys | None = None) -> None:
    """Fold what the new document ``graphs`` say into the corpus graph (things in ``skip``
    are left to :func:`remove`)."""
    _mark(store)
    for chunk in _chunks(graphs):
        for kind in _ROWS:
            state = _State(kind)
            for row in _rows(store, kind, _in_graphs(chunk)):
                state.fold(row)
            avoid = getattr(skip, kind) if skip else set()
            changes = _Changes(store)
            for key in state.things:
                if key in avoid:
                    continue
                current = _current(store, kind, key)
                state.merge_current(key, current)
                changes.update(current, state.triples(key))
            changes.write()


def remove(store: ox.Store, keys: Keys) -> None:
    """Recompute the things in ``keys`` from the document graphs that remain: a thing no
    document speaks of any more leaves the corpus graph."""
    _mark(store)
    for kind in _ROWS:
        wanted: set[Any] = getattr(keys, kind)
        for chunk in _chunks(sorted(wanted, key=str)):
            state = _State(kind)
            for row in _rows(store, kind, _about(kind, chunk)):
                if _key(kind, row) in wanted:
                    state.fold(row)
            changes = _Changes(store)
            for key in chunk:
                changes.update(_current(store, kind, key), state.triples(key) if key in state.things else set())
            changes.write()
