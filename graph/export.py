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
from imsskg.graph.store import Store
from imsskg.ontology import PREFIXES, resource

from imsskg.config import settings


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


def format_of(path: str) -> Format:
    """The export format a file name's suffix names.

    >>> format_of("out.ttl"), format_of("dump.nq")
    (<Format.turtle: 'turtle'>, <Format.nquads: 'nquads'>)
    """
    suffix = path.rsplit(".", 1)[-1].lower() if "." in path else ""
    formats = {"ttl": Format.turtle, "nt": Format.nt, "jsonld": Format.jsonld, "json": Format.jsonld, "rdf": Format.xml,
               "xml": Format.xml, "owl": Format.xml, "trig": Format.trig, "nq": Format.nquads}  # fmt: skip
    if suffix not in formats:
        raise ValueError(f"cannot tell the format of {path!r}: use .ttl, .nt, .jsonld, .rdf, .trig or .nq")
    return formats[suffix]


def jsonld_context() -> dict[str, object]:
    """The compact JSON-LD context of ``ontology/context.jsonld`` with the configured base IRI."""
    context: dict[str, object] = json.loads(resource("context.jsonld"))["@context"]
    context["kg"] = settings.base_iri
    return context


def export(store: Store, fmt: Format, out: IO[bytes]) -> None:
    """Write the whole graph to ``out`` in ``fmt``."""
    if fmt is Format.jsonld:  # rdflib compacts JSON-LD with a context; pyoxigraph does not
        from rdflib import Dataset

        data = Dataset()
        data.parse(data=store.dump(format=ox.RdfFormat.N_QUADS), format="nquads")
        out.write(data.serialize(format="json-ld", context=jsonld_context(), auto_compact=True).encode("utf-8"))
    elif fmt.has_graphs:
        store.dump(out, format=fmt.rdf_format, prefixes=prefixes())
    else:
        union = store.solutions(
            "CONSTRUCT { ?s ?p ?o } WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }"
        )
        assert isinstance(union, ox.QueryTriples)
        ox.serialize(union, out, fmt.rdf_format, prefixes=prefixes())
