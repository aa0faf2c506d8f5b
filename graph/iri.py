"""Mint every IRI of the graph in one place, and refuse a bad one at once.

>>> mint("person/zoe-robledo")
'https://w3id.org/imsskg/id/person/zoe-robledo'
>>> node("state/21").value
'https://w3id.org/imsskg/id/state/21'
>>> mint("person/Zoé Robledo")
Traceback (most recent call last):
...
ValueError: not a valid imsskg IRI path: 'person/Zoé Robledo'
"""

from __future__ import annotations

import re
from functools import lru_cache

import pyoxigraph as ox

from imsskg.config import settings

_PATH = re.compile(r"[a-z]+(?:/[a-z0-9][a-z0-9._-]*)+(?:#[a-z0-9-]+)?")


def mint(path: str, *, base: str | None = None) -> str:
    """The IRI of ``path`` (``kind/slug``, optionally ``#fragment``) under the base IRI."""
    return node(path, base=base).value


@lru_cache(maxsize=65536)
def node(path: str, *, base: str | None = None) -> ox.NamedNode:
    """The IRI of ``path`` as a pyoxigraph ``NamedNode`` (what the store takes)."""
    if not _PATH.fullmatch(path) or ".." in path:
        raise ValueError(f"not a valid imsskg IRI path: {path!r}")
    return ox.NamedNode((base or settings.base_iri) + path)  # raises on anything Oxigraph would not accept


def doc_path(doc_id: str) -> str:
    """The path of a document's IRI: its file name, made safe."""
    safe = re.sub(r"[^a-z0-9._-]+", "-", doc_id.lower()).strip("-.") or "doc"
    return f"doc/{safe}"


def graph_path(doc_id: str) -> str:
    """The path of the named graph that holds what was read from one document."""
    return "graph/" + doc_path(doc_id).split("/", 1)[1]
