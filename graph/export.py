"""Export the graph as linked data: Turtle, N-Triples, RDF/XML and JSON-LD (the union of all
graphs), TriG and N-Quads (one named graph per press release kept).

>>> Format("nt").media_type
'application/n-triples'
"""

from __future__ import annotations

import json
from enum import StrEnum
from typing import IO

import pyoxigraph as ox
from imsskg.graph.store import oxigraph
from imsskg.ontology import resource
from rdflib import Dataset

from imsskg.config import settings

PREFIXES = {
    "ikg": "https://w3id.org/imsskg/ontology#",
    "schema": "https://schema.org/",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "nif": "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "wd": "http://www.wikidata.org/entity/",
}


class Format(StrEnum):
    """Export formats, by the name the CLI takes."""

    turtle = "turtle"
    nt = "nt"
    jsonld = "jsonld"
    xml = "xml"
    trig = "trig"
    nquads = "nquads"

    @property
    def rdf_format(self) -> ox.RdfFormat:
        """The pyoxigraph format."""
        return {
            "turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD,
            "xml": ox.RdfFormat.RDF_XML, "trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS,
        }[self.value]  # fmt: skip

    @property
    def media_type(self) -> str:
        """The IANA media type."""
        return str(self.rdf_format.media_type)

    @property
    def has_graphs(self) -> bool:
        """Whether the format keeps named graphs."""
        return self in {Format.trig, Format.nquads, Format.jsonld}


def prefixes() -> dict[str, str]:
    """Prefixes used in exports, with ``kg:`` for the entities under the configured base IRI."""
    return {**PREFIXES, "kg": settings.base_iri}


def jsonld_context() -> dict[str, object]:
    """The compact JSON-LD context of ``ontology/context.jsonld`` with the configured base IRI."""
    context: dict[str, object] = json.loads(resource("context.jsonld"))["@context"]
    context["kg"] = settings.base_iri
    return context


def export(ds: Dataset, fmt: Format, out: IO[bytes]) -> None:
    """Write the whole graph to ``out`` in ``fmt``."""
    store = oxigraph(ds)
    if fmt is Format.jsonld:
        data = Dataset()
        data.parse(data=store.dump(format=ox.RdfFormat.N_QUADS), format="nquads")
        out.write(data.serialize(format="json-ld", context=jsonld_context(), auto_compact=True).encode("utf-8"))
    elif fmt.has_graphs:
        store.dump(out, fmt.rdf_format, prefixes=prefixes())
    else:
        union = store.query("CONSTRUCT { ?s ?p ?o } WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }")
        assert isinstance(union, ox.QueryTriples)
        ox.serialize(union, out, fmt.rdf_format, prefixes=prefixes())
