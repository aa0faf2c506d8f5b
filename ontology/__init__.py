"""The imsskg ontology and every vocabulary the graph uses: the one source of IRIs in the code.

``imsskg.ttl`` is the truth for imsskg's own terms: :data:`IKG` reads their names from it, so a
term the ontology does not declare is an error, as in rdflib's closed namespaces. Each term is a
pyoxigraph ``NamedNode`` (what the store takes); ``.rdflib`` gives the same namespace as rdflib
``URIRef`` values, for rdflib users.

>>> IKG.Person
<NamedNode value=https://w3id.org/imsskg/ontology#Person>
>>> IKG.rdflib.Person
rdflib.term.URIRef('https://w3id.org/imsskg/ontology#Person')
>>> IKG.Persn
Traceback (most recent call last):
...
AttributeError: 'Persn' is not a term of the imsskg ontology (ontology/imsskg.ttl)
>>> PREDICATES["locatedIn"]
<NamedNode value=https://schema.org/containedInPlace>
"""

from __future__ import annotations

from functools import cached_property, lru_cache
from importlib.resources import files
from typing import TYPE_CHECKING

import pyoxigraph as ox

from imsskg.model import ENTITY_TYPES, EntityType, Predicate
from imsskg.model import PREDICATES as PREDICATE_NAMES

if TYPE_CHECKING:
    from rdflib import Graph
    from rdflib.namespace import ClosedNamespace, Namespace

#: Prefix → namespace IRI, for queries, exports and pages.
PREFIXES: dict[str, str] = {
    "ikg": "https://w3id.org/imsskg/ontology#",
    "schema": "https://schema.org/",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "nif": "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "dcterms": "http://purl.org/dc/terms/",
    "void": "http://rdfs.org/ns/void#",
    "wd": "http://www.wikidata.org/entity/",
}
#: The ``PREFIX`` declarations every query of the code starts with.
SPARQL_PREFIXES = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())


def resource(name: str) -> str:
    """Text of a file shipped in this package (``imsskg.ttl``, ``shapes.ttl``, ``context.jsonld``)."""
    return files("imsskg.ontology").joinpath(name).read_text(encoding="utf-8")


class Vocabulary:
    """A namespace whose terms are pyoxigraph ``NamedNode`` values; closed when ``terms`` is given.

    >>> SKOS.prefLabel.value
    'http://www.w3.org/2004/02/skos/core#prefLabel'
    >>> SKOS.local("http://www.w3.org/2004/02/skos/core#altLabel")
    'altLabel'
    """

    def __init__(self, prefix: str, terms: frozenset[str] | None = None) -> None:
        self.prefix = prefix
        self.iri = PREFIXES[prefix]
        self._terms = terms
        self._nodes: dict[str, ox.NamedNode] = {}

    def __getattr__(self, name: str) -> ox.NamedNode:
        if name.startswith("_"):
            raise AttributeError(name)
        node = self[name]
        setattr(self, name, node)  # found by plain attribute lookup from now on (a hot path of the build)
        return node

    def __getitem__(self, name: str) -> ox.NamedNode:
        node = self._nodes.get(name)
        if node is None:
            if self._terms is not None and name not in self._terms:
                raise AttributeError(f"{name!r} is not a term of the imsskg ontology (ontology/imsskg.ttl)")
            node = self._nodes[name] = ox.NamedNode(self.iri + name)
        return node

    def __contains__(self, iri: object) -> bool:
        return isinstance(iri, str | ox.NamedNode) and self.local(iri) is not None

    def local(self, iri: str | ox.NamedNode) -> str | None:
        """The term's name without the namespace, or ``None`` for an IRI outside it."""
        value = iri.value if isinstance(iri, ox.NamedNode) else iri
        if not value.startswith(self.iri):
            return None
        name = value[len(self.iri) :]
        return name if self._terms is None or name in self._terms else None

    @property
    def terms(self) -> frozenset[str]:
        """The declared terms of a closed vocabulary (empty for an open one)."""
        return self._terms or frozenset()

    @cached_property
    def rdflib(self) -> Namespace | ClosedNamespace:
        """The same namespace for rdflib: its terms are ``URIRef`` values."""
        from rdflib import URIRef
        from rdflib.namespace import ClosedNamespace, Namespace

        if self._terms is None:
            return Namespace(self.iri)
        return ClosedNamespace(URIRef(self.iri), sorted(self._terms))


@lru_cache(maxsize=1)
def _labels() -> dict[tuple[str, str], str]:
    """Every ``rdfs:label`` of ``imsskg.ttl``, by term IRI and language (parsed once)."""
    store = ox.Store()
    store.load(resource("imsskg.ttl"), format=ox.RdfFormat.TURTLE)
    label = ox.NamedNode(PREFIXES["rdfs"] + "label")
    return {
        (q.subject.value, q.object.language or ""): q.object.value
        for q in store.quads_for_pattern(None, label, None)
        if isinstance(q.subject, ox.NamedNode) and isinstance(q.object, ox.Literal)
    }


def _declared() -> frozenset[str]:
    """The names of the terms ``imsskg.ttl`` declares (every subject of its namespace with a label)."""
    base = PREFIXES["ikg"]
    return frozenset(iri[len(base) :] for iri, _ in _labels() if iri.startswith(base))


IKG = Vocabulary("ikg", _declared())
SCHEMA = Vocabulary("schema")
ORG = Vocabulary("org")
PROV = Vocabulary("prov")
SKOS = Vocabulary("skos")
NIF = Vocabulary("nif")
OWL = Vocabulary("owl")
RDF = Vocabulary("rdf")
RDFS = Vocabulary("rdfs")
XSD = Vocabulary("xsd")
DCTERMS = Vocabulary("dcterms")
VOID = Vocabulary("void")
WD = Vocabulary("wd")

#: The class of each entity type.
CLASSES: dict[EntityType, ox.NamedNode] = {t: IKG[t] for t in ENTITY_TYPES}
#: The property of each relation the extraction reads (``holdsPost`` is ``org:holds`` a post).
PREDICATES: dict[Predicate, ox.NamedNode] = dict(
    zip(
        PREDICATE_NAMES,
        (ORG.holds, IKG.represents, SCHEMA.containedInPlace, IKG.operatesIn, IKG.partOf),
        strict=True,
    )
)
#: The relation name of each property, by IRI.
PREDICATE_NAME: dict[str, Predicate] = {node.value: name for name, node in PREDICATES.items()}
#: The entity type of each class, by IRI.
CLASS_TYPE: dict[str, EntityType] = {node.value: name for name, node in CLASSES.items()}


def label(term: str | ox.NamedNode, language: str = "es") -> str:
    """The ontology's label of a term in ``language`` (else English, else the term's name).

    >>> label(PREDICATES["holdsPost"]), label(IKG.operatesIn), label(IKG.operatesIn, "en")
    ('ocupa el cargo de', 'opera en', 'operates in')
    """
    iri = term.value if isinstance(term, ox.NamedNode) else term
    labels = _labels()
    return labels.get((iri, language)) or labels.get((iri, "en")) or iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _rdflib_graph(name: str) -> Graph:
    from rdflib import Graph

    return Graph().parse(data=resource(name), format="turtle")


def ontology_graph() -> Graph:
    """The ontology as an rdflib graph."""
    return _rdflib_graph("imsskg.ttl")


def shapes_graph() -> Graph:
    """The SHACL shapes the built graph must pass."""
    return _rdflib_graph("shapes.ttl")
