"""Mint every IRI of the graph in one place, and refuse a bad one at once.

>>> str(mint("person/zoe-robledo"))
'https://w3id.org/imsskg/id/person/zoe-robledo'
>>> mint("person/Zoé Robledo")
Traceback (most recent call last):
...
ValueError: not a valid imsskg IRI path: 'person/Zoé Robledo'
"""

from __future__ import annotations

import re

import pyoxigraph
from rdflib import URIRef

from imsskg.config import settings

_PATH = re.compile(r"[a-z]+(?:/[a-z0-9][a-z0-9._-]*)+(?:#[a-z0-9-]+)?")


def mint(path: str, *, base: str | None = None) -> URIRef:
    """The IRI of ``path`` (``kind/slug``, optionally ``#fragment``) under the base IRI."""
    if not _PATH.fullmatch(path) or ".." in path:
        raise ValueError(f"not a valid imsskg IRI path: {path!r}")
    iri = (base or settings.base_iri) + path
    pyoxigraph.NamedNode(iri)  # raises on anything Oxigraph would not accept
    return URIRef(iri)


def doc_path(doc_id: str) -> str:
    """The path of a document's IRI: its file name, made safe."""
    safe = re.sub(r"[^a-z0-9._-]+", "-", doc_id.lower()).strip("-.") or "doc"
    return f"doc/{safe}"


def graph_path(doc_id: str) -> str:
    """The path of the named graph that holds what was read from one document."""
    return "graph/" + doc_path(doc_id).split("/", 1)[1]
