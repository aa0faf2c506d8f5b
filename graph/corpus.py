"""The corpus graph: each entity, post, role, tenure and fact once, whatever the number of
documents that state it, kept up to date document by document.

Everything in it is a fold over the document graphs: an entity's labels are the union of its
names and surface forms, its preferred label the fullest name, its search keys those of its
labels and its number of documents a count of the press releases that mention it; a fact, a post or a role is
there while one document states it; a tenure's documents are a union and its dates a min and a
max. So adding documents folds what they say into the corpus graph as it stands (work in
proportion to the documents added, not to the corpus), and removing or replacing a document
keeps, of the things it spoke of, only what a remaining document still supports (found by index
lookups that stop at the first support).

>>> import pyoxigraph as ox
>>> from imsskg.ontology import PREFIXES
>>> store = Store.memory()
>>> g = ox.NamedNode("https://w3id.org/imsskg/id/graph/a.txt")
>>> doc = ox.NamedNode("https://w3id.org/imsskg/id/doc/a.txt")
>>> turtle = "".join(f"@prefix {p}: <{iri}> .\\n" for p, iri in PREFIXES.items()) + '''
... <doc/a.txt> a ikg:PressRelease .
... <person/zoe-robledo> a ikg:Person ; rdfs:label "Zoé Robledo" .
... <doc/a.txt#m0-6> ikg:denotes <person/zoe-robledo> ; nif:anchorOf "Robledo" .
... '''
>>> store.load(turtle, format=ox.RdfFormat.TURTLE, base_iri="https://w3id.org/imsskg/id/", graph=g)
>>> add(store, [g])  # the entities it folded
{<NamedNode value=https://w3id.org/imsskg/id/person/zoe-robledo>}
>>> sorted(q.object.value for q in store.quads(None, SKOS_ALT, None, CORPUS))
['Robledo']
>>> keys = forget(store, [g])
>>> store.remove_graph(g)
>>> remove(store, keys)
>>> sorted(q.predicate.value.rsplit("#")[-1] for q in store)  # nothing left but the corpus graph's own
['foldVersion', 'type']
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice
from typing import Any

import pyoxigraph as ox
from imsskg.graph.iri import mint
from imsskg.graph.rdf import CORPUS_GRAPH
from imsskg.graph.store import Store
from imsskg.ontology import (
    CLASS_TYPE,
    IKG,
    NIF,
    ORG,
    OWL,
    PROV,
    RDF,
    RDFS,
    SCHEMA,
    SKOS,
    SPARQL_PREFIXES,
    WD,
    XSD,
)  # fmt: skip

from imsskg.config import settings
from imsskg.lang.text import search_key, search_words
from imsskg.resolve import known_links, preferred_name

RDF_TYPE, RDFS_LABEL, SKOS_PREF, SKOS_ALT, OWL_SAME = RDF.type, RDFS.label, SKOS.prefLabel, SKOS.altLabel, OWL.sameAs
INEGI, ISO, FIRST, LAST = IKG.inegiCode, IKG.isoCode, IKG.firstSeen, IKG.lastSeen
SEARCH_KEY, SEARCH_WORD, DOCUMENT_COUNT, MENTIONS = IKG.searchKey, IKG.searchToken, IKG.documentCount, SCHEMA.mentions
CO_MENTION_COUNT, MENTIONED, TENURE_COUNT = IKG.coMentionCount, IKG.mentionedEntity, IKG.tenureDocumentCount
CO_MENTION_RANK = IKG.coMentionRank
CONTAINED = SCHEMA.containedInPlace
POST, ROLE, MEMBERSHIP, HAS_ROLE, POST_IN = ORG.Post, ORG.Role, ORG.Membership, ORG.role, ORG.postIn
MEMBER, ORGANIZATION, DERIVED = ORG.member, ORG.organization, PROV.wasDerivedFrom
RDF_SUBJECT, RDF_PREDICATE, RDF_OBJECT = RDF.subject, RDF.predicate, RDF.object
DENOTES, PRESS_RELEASE, ANCHOR, DATE = IKG.denotes, IKG.PressRelease, NIF.anchorOf, SCHEMA.datePublished
#: The corpus graph.
CORPUS = ox.NamedNode(mint(CORPUS_GRAPH))

Triple = tuple[ox.NamedNode, ox.NamedNode, ox.NamedNode | ox.Literal]
Pair = tuple[ox.NamedNode, ox.NamedNode]
# What some document graphs say ($VALUES binds ?g to them). OPTIONALs are outside the GRAPH, with
# ?g bound: inside it, Oxigraph evaluates them for every post or membership of the store.
_ROWS = {
    "entities": "SELECT DISTINCT ?e ?type ?name ?anchor WHERE { $VALUES GRAPH ?g { "
    "?m ikg:denotes ?e ; nif:anchorOf ?anchor . ?e a ?type ; rdfs:label ?name } }",
    "facts": "SELECT DISTINCT ?s ?p ?o WHERE { $VALUES GRAPH ?g { "
    "?f a ikg:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o } }",
    "posts": "SELECT DISTINCT ?post ?role ?label ?org WHERE { $VALUES GRAPH ?g { ?post a org:Post ; "
    "org:role ?role . ?role rdfs:label ?label } OPTIONAL { GRAPH ?g { ?post org:postIn ?org } } }",
    "roles": "SELECT DISTINCT ?role ?label WHERE { $VALUES GRAPH ?g { ?role a org:Role ; rdfs:label ?label } }",
    "tenures": "SELECT ?person ?role ?org ?d ?date WHERE { $VALUES GRAPH ?g { "
    "?m org:member ?person ; a org:Membership ; org:role ?role ; prov:wasDerivedFrom ?d } "
    "OPTIONAL { GRAPH ?g { ?m org:organization ?org } } OPTIONAL { GRAPH ?g { ?d schema:datePublished ?date } } }",
}
_CHUNK = 500  # document graphs per query, things per write


@dataclass
class Keys:
    """The things some document graphs speak of, by kind."""

    entities: set[ox.NamedNode] = field(default_factory=set)
    facts: set[Triple] = field(default_factory=set)
    posts: set[ox.NamedNode] = field(default_factory=set)
    roles: set[ox.NamedNode] = field(default_factory=set)
    tenures: set[tuple[ox.NamedNode, ox.NamedNode, ox.NamedNode | None]] = field(default_factory=set)
    documents: set[ox.NamedNode] = field(default_factory=set)  # the press releases themselves
    #: the pairs of entities the press releases name together, and in how many of them
    pairs: Counter[Pair] = field(default_factory=Counter)

    def __or__(self, other: Keys) -> Keys:
        merged = {k: getattr(self, k) | getattr(other, k) for k in (*_ROWS, "documents")}
        return Keys(**merged, pairs=self.pairs + other.pairs)


def _chunks(items: Iterable[Any], size: int = _CHUNK) -> Iterator[list[Any]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def _rows(store: Store, kind: str, graphs: list[ox.NamedNode]) -> Iterator[tuple[Any, ...]]:
    """The rows of one kind that the document ``graphs`` give."""
    values = f"VALUES ?g {{ {' '.join(map(str, graphs))} }}"
    return store.terms(SPARQL_PREFIXES + _ROWS[kind].replace("$VALUES", values))


def _key(kind: str, row: tuple[Any, ...]) -> Any:
    if kind == "facts":
        return row
    if kind == "tenures":
        return row[:3]
    return row[0]


# -- what one thing's triples are, from its folded state ------------------------------------


def _string(text: str) -> ox.Literal:
    return ox.Literal(text)


def _search_triples(node: ox.NamedNode, labels: Iterable[str]) -> set[Triple]:
    """The keys a thing is looked up by: each label's search key, and their words."""
    out: set[Triple] = set()
    for label in labels:
        out.add((node, SEARCH_KEY, _string(search_key(label))))
        out |= {(node, SEARCH_WORD, _string(word)) for word in search_words(label)}
    return out


def _entity_triples(e: ox.NamedNode, kind: ox.NamedNode, names: set[str], labels: set[str]) -> set[Triple]:
    key = e.value[len(settings.base_iri) :]
    name = preferred_name(key, names)
    out: set[Triple] = {(e, RDF_TYPE, kind), (e, SKOS_PREF, _string(name)), (e, RDFS_LABEL, _string(name))}
    out |= {(e, SKOS_ALT, _string(label)) for label in labels | names if label != name}
    out |= _search_triples(e, labels | names)
    links = known_links(key)
    if links and links.wikidata:
        out.add((e, OWL_SAME, WD[links.wikidata]))
    if links and links.inegi and links.iso:
        out |= {(e, INEGI, _string(links.inegi)), (e, ISO, _string(links.iso))}
    return out


def tenure_iri(person: ox.NamedNode, role: ox.NamedNode, organization: ox.NamedNode | None) -> ox.NamedNode:
    """``membership/<person>/<role>[/<kind>-<organization>]``: one person in one role of one
    organization across the corpus."""
    path = f"membership/{person.value.rsplit('/', 1)[-1]}/{role.value.rsplit('/', 1)[-1]}"
    if organization is not None:
        kind, name = organization.value.rsplit("/", 2)[-2:]
        path += f"/{kind}-{name}"
    return ox.NamedNode(mint(path))


def _tenure_triples(key: tuple[Any, ...], docs: set[ox.NamedNode], dates: set[dt.date]) -> set[Triple]:
    person, role, organization = key
    node = tenure_iri(person, role, organization)
    out: set[Triple] = {(node, RDF_TYPE, MEMBERSHIP), (node, MEMBER, person), (node, HAS_ROLE, role)}
    if organization is not None:
        out.add((node, ORGANIZATION, organization))
    out |= {(node, DERIVED, d) for d in docs}
    out.add((node, TENURE_COUNT, ox.Literal(str(len(docs)), datatype=XSD.integer)))  # read without a GROUP BY
    if dates:
        out.add((node, FIRST, ox.Literal(min(dates).isoformat(), datatype=XSD.date)))
        out.add((node, LAST, ox.Literal(max(dates).isoformat(), datatype=XSD.date)))
    return out


# -- the state of things: folded from document rows, or read back from the corpus graph -----

_PREDICATES = {
    "entities": {RDF_TYPE, SKOS_PREF, RDFS_LABEL, SKOS_ALT, OWL_SAME, INEGI, ISO, SEARCH_KEY, SEARCH_WORD},
    "posts": {RDF_TYPE, HAS_ROLE, RDFS_LABEL, POST_IN},
    "roles": {RDF_TYPE, RDFS_LABEL, SEARCH_KEY, SEARCH_WORD},
    "tenures": {RDF_TYPE, MEMBER, HAS_ROLE, ORGANIZATION, DERIVED, FIRST, LAST, TENURE_COUNT},
}


def _subject(kind: str, key: Any) -> ox.NamedNode:
    return tenure_iri(*key) if kind == "tenures" else key


def _current(store: Store, kind: str, key: Any) -> set[Triple]:
    """The triples of one thing in the corpus graph now."""
    if kind == "facts":
        s, p, o = key
        return {key} if ox.Quad(s, p, o, CORPUS) in store else set()
    wanted = _PREDICATES[kind]
    return {
        (q.subject, q.predicate, q.object)  # type: ignore[misc]
        for q in store.quads(_subject(kind, key), None, None, CORPUS)
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
            if row[1].value not in CLASS_TYPE or not row[0].value.startswith(settings.base_iri):
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
            return _role_triples(key, state[0])
        return {key}


def _role_triples(role: ox.NamedNode, labels: set[str]) -> set[Triple]:
    return (
        {(role, RDF_TYPE, ROLE)}
        | {(role, RDFS_LABEL, _string(label)) for label in labels}
        | _search_triples(role, labels)
    )


_POST_PARTS = (HAS_ROLE, RDFS_LABEL, POST_IN)  # a post's role, the role's label, its organization


class Journal:
    """What the fold took out of and put into the corpus graph, net (a triple taken out and put
    back is neither): the diff a remote copy of the graph needs (:mod:`imsskg.graph.remote`).

    >>> journal = Journal()
    >>> q = ox.Quad(ox.NamedNode("urn:s"), RDF_TYPE, ox.NamedNode("urn:C"), CORPUS)
    >>> journal.took([q]); journal.put([q]); (journal.removed, journal.added)
    (set(), set())
    """

    def __init__(self) -> None:
        self.removed: set[ox.Quad] = set()
        self.added: set[ox.Quad] = set()

    def took(self, quads: Iterable[ox.Quad]) -> None:
        """Note quads taken out of the corpus graph."""
        _note(quads, self.removed, self.added)

    def put(self, quads: Iterable[ox.Quad]) -> None:
        """Note quads put into the corpus graph."""
        _note(quads, self.added, self.removed)


def _note(quads: Iterable[ox.Quad], done: set[ox.Quad], undone: set[ox.Quad]) -> None:
    for q in quads:
        if q in undone:
            undone.discard(q)
        else:
            done.add(q)


class _Changes:
    """Triples to take out of and put into the corpus graph, written in one go (and noted in
    the journal, if any)."""

    def __init__(self, store: Store, journal: Journal | None = None) -> None:
        self.store = store
        self.journal = journal
        self.out: list[ox.Quad] = []
        self.into: list[ox.Quad] = []

    def update(self, old: set[Triple], new: set[Triple]) -> None:
        self.out += [ox.Quad(s, p, o, CORPUS) for s, p, o in old - new]
        self.into += [ox.Quad(s, p, o, CORPUS) for s, p, o in new - old]

    def write(self) -> None:
        for quad in self.out:
            self.store.remove(quad)
        # bulk: a transaction per write took 3–4× the time (250,000 quads: 8.9 s against 2.9 s); the
        # fold runs in a staging copy (see :func:`~imsskg.graph.store.writing`) or a store in memory
        self.store.bulk_extend(self.into)
        if self.journal is not None:
            self.journal.took(self.out)
            self.journal.put(self.into)


def count_documents(store: Store, entities: Iterable[ox.NamedNode], journal: Journal | None = None) -> None:
    """Write how many press releases mention each of ``entities`` (a count over the index, in
    SPARQL, :data:`_CHUNK` entities a query), or nothing for one no document mentions any more."""
    for chunk in _chunks(entities):
        query = (
            "SELECT ?e (COUNT(?d) AS ?n) WHERE { VALUES ?e { " + " ".join(map(str, chunk)) + " } "
            f"GRAPH ?g {{ ?d <{MENTIONS.value}> ?e }} FILTER(?g != {CORPUS}) }} GROUP BY ?e"
        )
        counted: dict[Any, Any] = {row[0]: row[1] for row in store.terms(query)}
        changes = _Changes(store, journal)
        for e in chunk:
            old = {(q.subject, q.predicate, q.object) for q in store.quads(e, DOCUMENT_COUNT, None, CORPUS)}
            n = counted.get(e)
            new = (
                {(e, DOCUMENT_COUNT, ox.Literal(n.value, datatype=XSD.integer))} if isinstance(n, ox.Literal) else set()
            )
            changes.update(old, new)  # type: ignore[arg-type]
        changes.write()


#: What each state counts for the map, and the property the corpus graph keeps it in.
STATE_COUNTS: dict[str, ox.NamedNode] = {
    "units": IKG.unitCount,
    "programs": IKG.programCount,
    "officials": IKG.officialCount,
}


def count_states(store: Store, journal: Journal | None = None) -> None:
    """Write, on each state, how many units, programs and officials the corpus graph places in
    it, by index lookups from the units, programs and post holders (a SPARQL join over every
    place took seconds on a thousand documents)."""

    def objects(s: Any, p: ox.NamedNode) -> list[Any]:
        return [q.object for q in store.quads(s, p, None, CORPUS)]

    def subjects(p: ox.NamedNode, o: Any) -> list[Any]:
        return [q.subject for q in store.quads(None, p, o, CORPUS)]

    states = set(subjects(RDF_TYPE, IKG.State))

    def within(place: Any) -> set[Any]:  # the state a place is, or is in (one or two steps up)
        if place in states:
            return {place}
        up = objects(place, CONTAINED)
        return {s for p in up for s in ({p} if p in states else set(objects(p, CONTAINED)) & states)}

    found: dict[ox.NamedNode, dict[Any, set[Any]]] = {prop: {} for prop in STATE_COUNTS.values()}
    for unit in subjects(RDF_TYPE, IKG.Hospital):
        for state in {s for p in objects(unit, CONTAINED) for s in within(p)}:
            found[IKG.unitCount].setdefault(state, set()).add(unit)
    for program in subjects(RDF_TYPE, IKG.Program):
        for state in set(objects(program, IKG.operatesIn)) & states:
            found[IKG.programCount].setdefault(state, set()).add(program)
    for holds in store.quads(None, ORG.holds, None, CORPUS):  # a person and a post they hold
        for state in {s for body in objects(holds.object, POST_IN) for s in within(body)}:
            found[IKG.officialCount].setdefault(state, set()).add(holds.subject)
    changes = _Changes(store, journal)
    for prop, counted in found.items():
        old = {(q.subject, q.predicate, q.object) for q in store.quads(None, prop, None, CORPUS)}
        new = {(state, prop, ox.Literal(str(len(xs)), datatype=XSD.integer)) for state, xs in counted.items()}
        changes.update(old, new)  # type: ignore[arg-type]
    changes.write()


@lru_cache(maxsize=1 << 16)  # the same pairs come back document after document
def comention_iri(a: ox.NamedNode, b: ox.NamedNode) -> ox.NamedNode:
    """``comention/<kind>-<a>/<kind>-<b>``, the two in the order of their IRIs."""
    first, second = sorted((a.value, b.value))
    return ox.NamedNode(mint("comention/" + "/".join("-".join(x.rsplit("/", 2)[-2:]) for x in (first, second))))


def _pairs(store: Store, graphs: Iterable[ox.NamedNode]) -> Counter[Pair]:
    """In how many of the document ``graphs`` each pair of entities is mentioned together (each
    pair in the order of the IRIs)."""
    pairs: Counter[Pair] = Counter()
    for graph in graphs:
        named = sorted(
            {q.object for q in store.quads(None, MENTIONS, None, graph) if isinstance(q.object, ox.NamedNode)},
            key=lambda n: n.value,
        )
        pairs.update((a, b) for i, a in enumerate(named) for b in named[i + 1 :])
    return pairs


def _count_pairs(store: Store, delta: Counter[Pair], sign: int, changes: _Changes) -> None:
    """Add ``sign`` × ``delta`` to the kept co-mention counts (a count of 0 takes the pair out),
    in ``changes``.

    A pair already counted has one triple changed (its count), read by one index lookup; a new
    pair gets its four triples."""
    for (a, b), n in delta.items():
        pair = comention_iri(a, b)
        kept = next(store.quads(pair, CO_MENTION_COUNT, None, CORPUS), None)
        old = int(kept.object.value) if kept is not None and isinstance(kept.object, ox.Literal) else 0
        count = old + sign * n
        if count == old or (kept is None and count <= 0):
            continue
        if count > 0:
            changes.into.append(ox.Quad(pair, CO_MENTION_COUNT, ox.Literal(str(count), datatype=XSD.integer), CORPUS))
        if kept is not None:
            changes.out.append(kept)
        if kept is None or count <= 0:  # the pair itself comes or goes
            mentioned = [ox.Quad(pair, RDF_TYPE, IKG.CoMention, CORPUS), ox.Quad(pair, MENTIONED, a, CORPUS),
                         ox.Quad(pair, MENTIONED, b, CORPUS)]  # fmt: skip
            (changes.into if kept is None else changes.out).extend(mentioned)


#: How many of the pairs named together most the corpus graph ranks (``ikg:coMentionRank``).
RANKED_PAIRS = 1000


def rank_pairs(store: Store, journal: Journal | None = None) -> None:
    """Rank the :data:`RANKED_PAIRS` co-mentions named in most press releases (1 the most, ties
    in the order of their IRIs), from the kept counts, once a write is folded: what
    ``cooccurrence`` reads instead of sorting every pair.

    Oxigraph sorts the counts (its order among equal counts is its own); the pairs whose count
    is the last one taken are then read by an index lookup of that count, so that ties are
    broken by IRI (an ``ORDER BY`` on the IRIs as well took 100× as long)."""
    largest = [
        (int(n.value), pair)
        for pair, n in store.terms(
            f"SELECT ?pair ?n WHERE {{ GRAPH {CORPUS} {{ ?pair {CO_MENTION_COUNT} ?n }} }} "
            f"ORDER BY DESC(?n) LIMIT {RANKED_PAIRS}"
        )
        if isinstance(n, ox.Literal) and isinstance(pair, ox.NamedNode)
    ]
    top = sorted((c for c in largest if c[0] > largest[-1][0]), key=lambda c: (-c[0], c[1].value)) if largest else []
    if largest:  # every pair with the last count taken, by IRI
        last = ox.Literal(str(largest[-1][0]), datatype=XSD.integer)
        tied = sorted((q.subject for q in store.quads(None, CO_MENTION_COUNT, last, CORPUS)), key=str)
        top += [(largest[-1][0], pair) for pair in tied[: RANKED_PAIRS - len(top)]]  # type: ignore[misc]
    old = {(q.subject, q.predicate, q.object) for q in store.quads(None, CO_MENTION_RANK, None, CORPUS)}
    new = {(pair, CO_MENTION_RANK, ox.Literal(str(i), datatype=XSD.integer)) for i, (_, pair) in enumerate(top, 1)}
    changes = _Changes(store, journal)
    changes.update(old, new)  # type: ignore[arg-type]
    changes.write()


#: What the fold writes; a corpus graph folded by another version is folded again, in full,
#: from the document graphs (2: co-mention counts; 3: the press releases of each tenure counted;
#: 4: the pairs named together most ranked).
FOLD_VERSION = "4"


def folded_alike(store: Store) -> bool:
    """Whether the store's corpus graph was folded by this version of the fold (or is empty)."""
    if next(store.quads(None, None, None, CORPUS), None) is None:
        return True
    return ox.Quad(CORPUS, IKG.foldVersion, ox.Literal(FOLD_VERSION), CORPUS) in store


def _mark(store: Store, journal: Journal | None = None) -> None:
    for mark in (
        ox.Quad(CORPUS, RDF_TYPE, IKG.CorpusGraph, CORPUS),
        ox.Quad(CORPUS, IKG.foldVersion, ox.Literal(FOLD_VERSION), CORPUS),
    ):
        if mark not in store:
            store.add(mark)
            if journal is not None:
                journal.put([mark])


# -- the three operations -------------------------------------------------------------------


def forget(store: Store, graphs: Iterable[ox.NamedNode]) -> Keys:
    """The things ``graphs`` speak of: call before removing or replacing them, then pass the
    keys to :func:`remove` once they are gone."""
    keys = Keys()
    for chunk in _chunks(graphs):
        for kind in _ROWS:
            found: set[Any] = getattr(keys, kind)
            found |= {_key(kind, row) for row in _rows(store, kind, chunk)}
        for graph in chunk:
            keys.documents |= {q.subject for q in store.quads(None, RDF_TYPE, PRESS_RELEASE, graph)}  # type: ignore[misc]
        keys.pairs += _pairs(store, chunk)
    return keys


def _holds_already(store: Store, e: ox.NamedNode, state: list[Any]) -> bool:
    """Whether the corpus graph already says all that an entity's rows in some document graphs
    say: their type, a preferred label that their names would not change (the fullest name is
    the fullest of the old one and the new ones) and their names and surface forms among its
    labels. Then folding them changes nothing, and the entity's triples (hundreds for a person
    named in thousands of press releases: every form of the name and its search keys) need
    not be read and made again."""
    kind, names, anchors = state
    preferred = [o.value for q in store.quads(e, SKOS_PREF, None, CORPUS) if isinstance(o := q.object, ox.Literal)]
    if len(preferred) != 1 or ox.Quad(e, RDF_TYPE, kind, CORPUS) not in store:
        return False
    name = preferred[0]
    if preferred_name(e.value[len(settings.base_iri) :], names | {name}) != name:
        return False
    return all(label == name or ox.Quad(e, SKOS_ALT, _string(label), CORPUS) in store for label in names | anchors)


def _extend_tenure(store: Store, key: tuple[Any, ...], state: list[Any], changes: _Changes) -> bool:
    """Add to a tenure the corpus graph already holds its new press releases (one index lookup
    each), its count and, if they move, its dates; or return False for a tenure not held yet.

    A tenure's triples are not read: one person in one post named in thousands of press
    releases has thousands of them."""
    docs, dates = state
    node = tenure_iri(*key)
    kept = next(store.quads(node, TENURE_COUNT, None, CORPUS), None)
    if kept is None or not isinstance(kept.object, ox.Literal):
        return False
    new = [d for d in docs if ox.Quad(node, DERIVED, d, CORPUS) not in store]
    if new:
        count = int(kept.object.value) + len(new)
        changes.out.append(kept)
        changes.into.append(ox.Quad(node, TENURE_COUNT, ox.Literal(str(count), datatype=XSD.integer), CORPUS))
        changes.into += [ox.Quad(node, DERIVED, d, CORPUS) for d in new]
    for bound, pick in ((FIRST, min), (LAST, max)):
        old = next(store.quads(node, bound, None, CORPUS), None)
        was = old.object.value if old is not None and isinstance(old.object, ox.Literal) else None
        date = pick(dates | ({dt.date.fromisoformat(was)} if was else set()), default=None)
        if date is not None and date.isoformat() != was:
            changes.out += [old] if old is not None else []
            changes.into.append(ox.Quad(node, bound, ox.Literal(date.isoformat(), datatype=XSD.date), CORPUS))
    return True


def add(
    store: Store, graphs: Iterable[ox.NamedNode], journal: Journal | None = None, *, recount: bool = True
) -> set[ox.NamedNode]:
    """Fold what the document ``graphs`` say into the corpus graph (noting the changes in
    ``journal``), and return the entities they name. Without ``recount``, their numbers of
    press releases are left to the caller (:func:`count_documents`, once for several calls)."""
    _mark(store, journal)
    touched: set[ox.NamedNode] = set()
    for chunk in _chunks(graphs):
        # one write a chunk (each bulk load adds files RocksDB must compact): the kinds' triples
        # are apart (their subjects or predicates differ), so none reads what another changes
        changes = _Changes(store, journal)
        for kind in _ROWS:
            state = _State(kind)
            for row in _rows(store, kind, chunk):
                state.fold(row)
            for key in state.things:
                if kind == "entities" and _holds_already(store, key, state.things[key]):
                    continue
                if kind == "tenures" and _extend_tenure(store, key, state.things[key], changes):
                    continue
                current = _current(store, kind, key)
                state.merge_current(key, current)
                changes.update(current, state.triples(key))
            if kind == "entities":
                touched.update(state.things)
        _count_pairs(store, _pairs(store, chunk), +1, changes)
        changes.write()
    # once at the end, not per chunk: an entity every press release names would be counted over
    # the whole store at every chunk (quadratic in a full fold: 20 M index entries at 100,000)
    if recount:
        count_documents(store, touched, journal)
    return touched


def remove(store: Store, keys: Keys, journal: Journal | None = None) -> None:
    """Take out of the corpus graph what only the forgotten documents said of the things in
    ``keys``: each label, fact, post, role and tenure document stays while a document graph in
    the store still supports it (an index lookup that stops at the first support, so the cost
    follows the forgotten documents, not the corpus). Call it once they are gone (or replaced,
    and then :func:`add` the new versions)."""
    _mark(store, journal)
    for kind in _ROWS:
        for chunk in _chunks(sorted(getattr(keys, kind), key=str)):
            changes = _Changes(store, journal)
            for key in chunk:
                current = _current(store, kind, key)
                changes.update(current, _supported(store, kind, key, current, keys.documents) if current else set())
            changes.write()
            if kind == "entities":
                count_documents(store, chunk, journal)
    changes = _Changes(store, journal)
    _count_pairs(store, keys.pairs, -1, changes)
    changes.write()


# -- what the document graphs still support, after some are gone ----------------------------


def _in_documents(store: Store, s: Any, p: ox.NamedNode, o: Any) -> bool:
    """Whether a document graph (not the corpus graph) holds the triple."""
    return any(q.graph_name != CORPUS for q in store.quads(s, p, o))


def _anchored(store: Store, entity: ox.NamedNode, text: str) -> bool:
    """Whether a mention in a document graph has ``text`` and denotes ``entity``."""
    return any(
        ox.Quad(q.subject, DENOTES, entity, q.graph_name) in store for q in store.quads(None, ANCHOR, _string(text))
    )


def _supported(store: Store, kind: str, key: Any, current: set[Triple], gone: set[ox.NamedNode]) -> set[Triple]:
    """The part of a thing's ``current`` triples that the document graphs still support."""
    if kind == "facts":
        s, p, o = key
        for q in store.quads(None, RDF_SUBJECT, s):
            f, g = q.subject, q.graph_name
            if g != CORPUS and ox.Quad(f, RDF_PREDICATE, p, g) in store and ox.Quad(f, RDF_OBJECT, o, g) in store:
                return current
        return set()
    if kind == "tenures":
        docs = {o for _, p, o in current if p == DERIVED and isinstance(o, ox.NamedNode)} - gone
        dates = {
            dt.date.fromisoformat(q.object.value)
            for d in docs
            for q in store.quads(d, DATE, None)
            if q.graph_name != CORPUS and isinstance(q.object, ox.Literal)
        }
        return _tenure_triples(key, docs, dates) if docs else set()
    if kind == "entities":
        if not any(q.graph_name != CORPUS for q in store.quads(None, DENOTES, key)):
            return set()
        kind_of = next(o for _, p, o in current if p == RDF_TYPE)
        labels = {o.value for _, p, o in current if p in {SKOS_PREF, SKOS_ALT}}
        names = {label for label in labels if _in_documents(store, key, RDFS_LABEL, _string(label))}
        anchors = {label for label in labels if _anchored(store, key, label)}
        return _entity_triples(key, kind_of, names, anchors) if names else set()  # type: ignore[arg-type]
    if kind == "roles":
        labels = {o.value for _, p, o in current if p == RDFS_LABEL and _in_documents(store, key, p, o)}
        supported = _in_documents(store, key, RDF_TYPE, ROLE)
        return _role_triples(key, labels) if labels and supported else set()
    kept = {(s, p, o) for s, p, o in current if p == RDF_TYPE or _in_documents(store, s, p, o)}
    if kind == "posts":  # a post's label is its role's
        roles = [o for _, p, o in kept if p == HAS_ROLE]
        kept |= {(s, p, o) for s, p, o in current if p == RDFS_LABEL and any(
            _in_documents(store, r, RDFS_LABEL, o) for r in roles)}  # fmt: skip
    return kept if len(kept) > 1 and _in_documents(store, key, RDF_TYPE, POST) else set()
