"""Turn extractions into RDF: one named graph per press release (the corpus graph is
:mod:`imsskg.graph.corpus`).

The document graph holds the document node (title, date, file, hash, text), the entities it
names with their mentions (NIF offsets), the facts read from it, and one ``ikg:Statement`` per
fact with the sentence and rule behind it.
"""

from __future__ import annotations

from decimal import Decimal

from imsskg.extract.gazetteer import load_gazetteer
from imsskg.graph.iri import doc_path, graph_path, mint
from imsskg.graph.posts import post_path, role_of, role_path
from imsskg.ontology import IKG, NIF, ORG, SCHEMA
from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import PROV

from imsskg.config import settings
from imsskg.model import Amount, EntityType, Extraction, Relation

TYPE_CLASS: dict[EntityType, URIRef] = {
    "Person": IKG.Person,
    "Organization": IKG.Organization,
    "Hospital": IKG.Hospital,
    "Program": IKG.Program,
    "State": IKG.State,
    "City": IKG.City,
}
CLASS_TYPE: dict[URIRef, EntityType] = {v: k for k, v in TYPE_CLASS.items()}
PREDICATE = {
    "represents": IKG.represents,
    "locatedIn": SCHEMA.containedInPlace,
    "operatesIn": IKG.operatesIn,
    "partOf": IKG.partOf,
}
CORPUS_GRAPH = "graph/corpus"


def _string(text: str) -> Literal:
    return Literal(text, datatype=XSD.string)


def _int(n: int) -> Literal:
    return Literal(n, datatype=XSD.integer)


def document_iri(doc_id: str) -> URIRef:
    """IRI of the document node of ``doc_id``."""
    return mint(doc_path(doc_id))


def document_graph_iri(doc_id: str) -> URIRef:
    """IRI of the named graph of ``doc_id``."""
    return mint(graph_path(doc_id))


def document_graph(x: Extraction) -> Graph:
    """The named graph of one extraction."""
    d = x.document
    doc = document_iri(d.doc_id)
    g = Graph(store="SimpleMemory", identifier=document_graph_iri(d.doc_id))  # no indexes to keep
    g.add((doc, RDF.type, IKG.PressRelease))
    g.add((doc, IKG.graph, g.identifier))
    g.add((doc, IKG.sourceFile, _string(d.source)))
    g.add((doc, IKG.contentHash, _string(d.sha256)))
    g.add((doc, IKG.encoding, _string(d.encoding)))
    g.add((doc, IKG.extractorVersion, _string(settings.extractor_version)))
    g.add((doc, NIF.isString, _string(d.text)))
    if d.title:
        g.add((doc, SCHEMA.headline, _string(d.title)))
    if d.date:
        g.add((doc, SCHEMA.datePublished, Literal(d.date, datatype=XSD.date)))
    if d.number:
        g.add((doc, IKG.bulletinNumber, _string(d.number)))
    for e in x.entities:
        entity = mint(e.key)
        g.add((entity, RDF.type, TYPE_CLASS[e.type]))
        g.add((entity, RDFS.label, _string(e.name)))
        g.add((doc, SCHEMA.mentions, entity))
        for m in e.mentions:
            mention = URIRef(f"{doc}#m{m.start}-{m.end}")
            g.add((mention, RDF.type, IKG.Mention))
            g.add((mention, IKG.denotes, entity))
            g.add((mention, NIF.referenceContext, doc))
            g.add((mention, NIF.beginIndex, _int(m.start)))
            g.add((mention, NIF.endIndex, _int(m.end)))
            g.add((mention, NIF.anchorOf, _string(m.text)))
            g.add((mention, IKG.rule, _string(m.rule)))
            g.add((mention, IKG.confidence, _confidence(m.rule)))
    for n, r in enumerate(x.relations):
        _relation(g, x, doc, n, r)
    for a in x.amounts:
        _amount(g, x, doc, a)
    return g


def _confidence(rule: str) -> Literal:
    return Literal(Decimal(str(load_gazetteer().rule_confidence.get(rule, 0.5))), datatype=XSD.decimal)


def _amount(g: Graph, x: Extraction, doc: URIRef, a: Amount) -> None:
    node = URIRef(f"{doc}#amount{a.start}-{a.end}")
    g.add((node, RDF.type, IKG.Amount))
    g.add((node, SCHEMA.value, Literal(a.value, datatype=XSD.decimal)))
    if a.unit in {"MXN", "USD", "EUR"}:
        g.add((node, RDF.type, SCHEMA.MonetaryAmount))
        g.add((node, SCHEMA.currency, _string(a.unit)))
    else:
        g.add((node, RDF.type, SCHEMA.QuantitativeValue))
        g.add((node, SCHEMA.unitText, _string(a.unit)))
    g.add((node, IKG.amountKind, _string(a.kind)))
    if a.about:
        g.add((node, IKG.about, mint(a.about)))
    if a.purpose:
        g.add((node, IKG.purpose, _string(a.purpose)))
    g.add((node, NIF.anchorOf, _string(a.text)))
    g.add((node, NIF.beginIndex, _int(a.start)))
    g.add((node, NIF.endIndex, _int(a.end)))
    g.add((node, IKG.sentence, _string(x.sentence(a).strip())))
    g.add((node, PROV.wasDerivedFrom, doc))
    g.add((node, IKG.rule, _string("amount")))
    g.add((node, IKG.confidence, _confidence("amount")))


def _relation(g: Graph, x: Extraction, doc: URIRef, n: int, r: Relation) -> None:
    subject = mint(r.subject)
    if r.predicate == "holdsPost":
        post = mint(post_path(r.obj, r.organization))
        role = mint(role_path(r.obj, r.organization))
        g.add((post, RDF.type, ORG.Post))
        g.add((post, RDFS.label, _string(r.obj)))
        g.add((post, ORG.role, role))
        g.add((role, RDF.type, ORG.Role))
        g.add((role, RDFS.label, _string(role_of(r.obj, r.organization))))
        if r.organization:
            g.add((post, ORG.postIn, mint(r.organization)))
        triple = (subject, ORG.holds, post)
        membership = URIRef(f"{doc}#membership{n}")
        g.add((membership, RDF.type, ORG.Membership))
        g.add((membership, ORG.member, subject))
        g.add((membership, ORG.role, role))
        g.add((membership, IKG.postText, _string(r.obj)))
        if r.organization:
            g.add((membership, ORG.organization, mint(r.organization)))
        g.add((membership, PROV.wasDerivedFrom, doc))
    else:
        triple = (subject, PREDICATE[r.predicate], mint(r.obj))
    g.add(triple)
    statement = URIRef(f"{doc}#fact{n}")
    g.add((statement, RDF.type, IKG.Statement))
    g.add((statement, RDF.subject, triple[0]))
    g.add((statement, RDF.predicate, triple[1]))
    g.add((statement, RDF.object, triple[2]))
    g.add((statement, PROV.wasDerivedFrom, doc))
    g.add((statement, IKG.sentence, _string(x.sentence(r).strip())))
    g.add((statement, NIF.beginIndex, _int(r.sentence_start)))
    g.add((statement, NIF.endIndex, _int(r.sentence_end)))
    g.add((statement, IKG.rule, _string(r.rule)))
    g.add((statement, IKG.confidence, _confidence(r.rule)))
