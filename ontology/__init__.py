"""The imsskg ontology: ``imsskg.ttl`` is the truth, :class:`IKG` mirrors it for Python.

A typo is an error, as in rdflib's own vocabularies:

>>> IKG.Person
rdflib.term.URIRef('https://w3id.org/imsskg/ontology#Person')
>>> IKG.Persn
Traceback (most recent call last):
...
AttributeError: term 'Persn' not in namespace 'https://w3id.org/imsskg/ontology#'
"""

from __future__ import annotations

from importlib.resources import files

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DefinedNamespace

SCHEMA = Namespace("https://schema.org/")
ORG = Namespace("http://www.w3.org/ns/org#")
NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
WD = Namespace("http://www.wikidata.org/entity/")


class IKG(DefinedNamespace):
    """Terms of ``ontology/imsskg.ttl``."""

    _NS = Namespace("https://w3id.org/imsskg/ontology#")
    _fail = True

    Person: URIRef
    Organization: URIRef
    Hospital: URIRef
    Program: URIRef
    State: URIRef
    City: URIRef
    PressRelease: URIRef
    Mention: URIRef
    CorpusGraph: URIRef
    Statement: URIRef
    Amount: URIRef
    about: URIRef
    amountKind: URIRef
    purpose: URIRef
    confidence: URIRef
    firstSeen: URIRef
    lastSeen: URIRef
    denotes: URIRef
    sourceFile: URIRef
    contentHash: URIRef
    encoding: URIRef
    bulletinNumber: URIRef
    extractorVersion: URIRef
    graph: URIRef
    rule: URIRef
    sentence: URIRef
    represents: URIRef
    operatesIn: URIRef
    partOf: URIRef
    postText: URIRef
    inegiCode: URIRef
    isoCode: URIRef


def resource(name: str) -> str:
    """Text of a file shipped in this package (``imsskg.ttl``, ``shapes.ttl``, ``context.jsonld``)."""
    return files("imsskg.ontology").joinpath(name).read_text(encoding="utf-8")


def ontology_graph() -> Graph:
    """The ontology as an rdflib graph."""
    return Graph().parse(data=resource("imsskg.ttl"), format="turtle")


def shapes_graph() -> Graph:
    """The SHACL shapes the built graph must pass."""
    return Graph().parse(data=resource("shapes.ttl"), format="turtle")
