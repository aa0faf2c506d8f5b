"""Turn extractions into RDF: one named graph per press release (the corpus graph is
:mod:`imsskg.graph.corpus`).

The document graph holds the document node (title, date, file, hash, text), the entities it
names with their mentions (NIF offsets), the facts read from it, and one ``ikg:Statement`` per
fact with the sentence and rule behind it. Quads are pyoxigraph's, ready for the store.

>>> from imsskg.model import Document, Extraction
>>> doc = Document("a", "a.txt", "Texto.", sha256="0" * 64, encoding="utf-8")
>>> quads = document_quads(Extraction(doc, ()))
>>> sorted({q.predicate.value.rsplit("#", 1)[-1] for q in quads})[:3]
['contentHash', 'encoding', 'extractorVersion']
"""

from __future__ import annotations

import bisect
from decimal import Decimal
from functools import cache
from typing import NamedTuple

import pyoxigraph as ox
from imsskg.graph.iri import doc_path, graph_path, node
from imsskg.ontology import CLASSES, IKG, NIF, ORG, PREDICATES, PROV, RDF, RDFS, SCHEMA, XSD

from imsskg.config import settings
from imsskg.lang.gazetteer import load_gazetteer
from imsskg.lang.posts import post_path, role_of, role_path
from imsskg.model import Amount, Extraction, Relation

#: The IRI path of the corpus graph.
CORPUS_GRAPH = "graph/corpus"
_CURRENCIES = {"MXN", "USD", "EUR"}


def _string(text: str) -> ox.Literal:
    return ox.Literal(text)


def _int(n: int) -> ox.Literal:
    return ox.Literal(str(n), datatype=XSD.integer)


def _decimal(d: Decimal) -> ox.Literal:
    return ox.Literal(f"{d:f}", datatype=XSD.decimal)


def document_iri(doc_id: str) -> ox.NamedNode:
    """IRI of the document node of ``doc_id``."""
    return node(doc_path(doc_id))


def document_graph_iri(doc_id: str) -> ox.NamedNode:
    """IRI of the named graph of ``doc_id``."""
    return node(graph_path(doc_id))


@cache
def _confidence(rule: str) -> ox.Literal:
    return _decimal(Decimal(str(load_gazetteer().rule_confidence.get(rule, 0.5))))


class _Quads:
    """The quads of one named graph, as they are added."""

    def __init__(self, graph: ox.NamedNode) -> None:
        self.graph = graph
        self.quads: list[ox.Quad] = []

    def add(self, s: ox.NamedNode, p: ox.NamedNode, o: ox.NamedNode | ox.Literal) -> None:
        self.quads.append(ox.Quad(s, p, o, self.graph))


def document_quads(x: Extraction) -> list[ox.Quad]:
    """The named graph of one extraction, as quads."""
    d = x.document
    doc = document_iri(d.doc_id)
    g = _Quads(document_graph_iri(d.doc_id))
    g.add(doc, RDF.type, IKG.PressRelease)
    g.add(doc, IKG.graph, g.graph)
    g.add(doc, IKG.sourceFile, _string(d.source))
    g.add(doc, IKG.contentHash, _string(d.sha256))
    g.add(doc, IKG.encoding, _string(d.encoding))
    g.add(doc, IKG.extractorVersion, _string(settings.extracted_by(x.pipeline)))
    g.add(doc, NIF.isString, _string(d.text))
    if d.title:
        g.add(doc, SCHEMA.headline, _string(d.title))
    if d.date:
        g.add(doc, SCHEMA.datePublished, ox.Literal(d.date.isoformat(), datatype=XSD.date))
    if d.number:
        g.add(doc, IKG.bulletinNumber, _string(d.number))
    if d.url:  # fetched from the web: where from, and when
        g.add(doc, SCHEMA.url, ox.Literal(d.url, datatype=XSD.anyURI))
    if d.retrieved:
        g.add(doc, PROV.generatedAtTime, ox.Literal(d.retrieved.isoformat(), datatype=XSD.dateTime))
    sentences = [(begin, end) for begin, end in x.sentences if begin < end]
    for begin, end in sentences:  # NIF sentences: what co-mentions are counted in
        sentence = ox.NamedNode(f"{doc.value}#s{begin}-{end}")
        g.add(sentence, RDF.type, NIF.Sentence)
        g.add(sentence, NIF.referenceContext, doc)
        g.add(sentence, NIF.beginIndex, _int(begin))
        g.add(sentence, NIF.endIndex, _int(end))
    starts = [begin for begin, _ in sentences]
    for e in x.entities:
        entity = node(e.key)
        g.add(entity, RDF.type, CLASSES[e.type])
        g.add(entity, RDFS.label, _string(e.name))
        g.add(doc, SCHEMA.mentions, entity)
        for m in e.mentions:
            mention = ox.NamedNode(f"{doc.value}#m{m.start}-{m.end}")
            g.add(mention, RDF.type, IKG.Mention)
            g.add(mention, IKG.denotes, entity)
            g.add(mention, NIF.referenceContext, doc)
            g.add(mention, NIF.beginIndex, _int(m.start))
            g.add(mention, NIF.endIndex, _int(m.end))
            g.add(mention, NIF.anchorOf, _string(m.text))
            g.add(mention, IKG.rule, _string(m.rule))
            g.add(mention, IKG.confidence, _confidence(m.rule))
            at = bisect.bisect_right(starts, m.start) - 1
            if at >= 0 and m.end <= sentences[at][1]:
                g.add(mention, NIF.sentence, ox.NamedNode(f"{doc.value}#s{sentences[at][0]}-{sentences[at][1]}"))
    for n, r in enumerate(x.relations):
        _relation(g, x, doc, n, r)
    for a in x.amounts:
        _amount(g, x, doc, a)
    return g.quads


def _amount(g: _Quads, x: Extraction, doc: ox.NamedNode, a: Amount) -> None:
    amount = ox.NamedNode(f"{doc.value}#amount{a.start}-{a.end}")
    g.add(amount, RDF.type, IKG.Amount)
    g.add(amount, SCHEMA.value, _decimal(a.value))
    if a.unit in _CURRENCIES:
        g.add(amount, RDF.type, SCHEMA.MonetaryAmount)
        g.add(amount, SCHEMA.currency, _string(a.unit))
    else:
        g.add(amount, RDF.type, SCHEMA.QuantitativeValue)
        g.add(amount, SCHEMA.unitText, _string(a.unit))
    g.add(amount, IKG.amountKind, _string(a.kind))
    if a.about:
        g.add(amount, IKG.about, node(a.about))
    if a.purpose:
        g.add(amount, IKG.purpose, _string(a.purpose))
    g.add(amount, NIF.anchorOf, _string(a.text))
    g.add(amount, NIF.beginIndex, _int(a.start))
    g.add(amount, NIF.endIndex, _int(a.end))
    g.add(amount, IKG.sentence, _string(x.sentence(a).strip()))
    g.add(amount, PROV.wasDerivedFrom, doc)
    g.add(amount, IKG.rule, _string("amount"))
    g.add(amount, IKG.confidence, _confidence("amount"))


def _relation(g: _Quads, x: Extraction, doc: ox.NamedNode, n: int, r: Relation) -> None:
    subject = node(r.subject)
    obj: ox.NamedNode
    if r.predicate == "holdsPost":
        obj = node(post_path(r.obj, r.organization))
        role = node(role_path(r.obj, r.organization))
        g.add(obj, RDF.type, ORG.Post)
        g.add(obj, RDFS.label, _string(r.obj))
        g.add(obj, ORG.role, role)
        g.add(role, RDF.type, ORG.Role)
        g.add(role, RDFS.label, _string(role_of(r.obj, r.organization)))
        if r.organization:
            g.add(obj, ORG.postIn, node(r.organization))
        membership = ox.NamedNode(f"{doc.value}#membership{n}")
        g.add(membership, RDF.type, ORG.Membership)
        g.add(membership, ORG.member, subject)
        g.add(membership, ORG.role, role)
        g.add(membership, IKG.postText, _string(r.obj))
        if r.organization:
            g.add(membership, ORG.organization, node(r.organization))
        g.add(membership, PROV.wasDerivedFrom, doc)
    else:
        obj = node(r.obj)
    predicate = PREDICATES[r.predicate]
    g.add(subject, predicate, obj)
    statement = ox.NamedNode(f"{doc.value}#fact{n}")
    g.add(statement, RDF.type, IKG.Statement)
    g.add(statement, RDF.subject, subject)
    g.add(statement, RDF.predicate, predicate)
    g.add(statement, RDF.object, obj)
    g.add(statement, PROV.wasDerivedFrom, doc)
    g.add(statement, IKG.sentence, _string(x.sentence(r).strip()))
    g.add(statement, NIF.beginIndex, _int(r.sentence_start))
    g.add(statement, NIF.endIndex, _int(r.sentence_end))
    g.add(statement, IKG.rule, _string(r.rule))
    g.add(statement, IKG.confidence, _confidence(r.rule))


class NQuads(NamedTuple):
    """A document's named graph as N-Quads, with the names a build reports it by."""

    doc_id: str
    source: str
    data: bytes


def document_nquads(x: Extraction) -> NQuads:
    """The named graph of one extraction as N-Quads: what extraction workers send back (not
    the extraction, whose text would travel too), the cheapest form to cross a process boundary
    and to bulk-load.

    >>> from imsskg.model import Document
    >>> out = document_nquads(Extraction(Document("a", "a.txt", "Texto.", "0" * 64, "utf-8"), ()))
    >>> out.source, out.data.count(b"\\n") > 3
    ('a.txt', True)
    """
    data = ox.serialize(document_quads(x), format=ox.RdfFormat.N_QUADS) or b""
    return NQuads(x.document.doc_id, x.document.source, data)
