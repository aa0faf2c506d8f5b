"""Resolve entities across documents: one key (and IRI) per real-world thing, one preferred name.

Keys are made at extraction from the name itself (a state's INEGI code, a known program's
id, a person's given names and first surname), so the same thing gets the same key in every
document; resolution collects every surface form and picks the preferred label.

>>> from imsskg.model import Entity, Mention
>>> key = "person/marcos-bucio"
>>> a = Entity(key, "Person", "Marcos Bucio", (Mention("Person", "Marcos Bucio", 0, 12, key, "r"),))
>>> b = Entity(key, "Person", "Marcos Bucio Mújica", (Mention("Person", "Bucio Mújica", 0, 12, key, "r"),))
>>> resolve_entities([[a], [b]])["person/marcos-bucio"].name
'Marcos Bucio Mújica'
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from imsskg.lang.gazetteer import Known, load_gazetteer
from imsskg.model import Entity, EntityType, Extraction


@dataclass(frozen=True)
class Resolved:
    """An entity of the whole corpus."""

    key: str
    type: EntityType
    name: str
    labels: tuple[str, ...]


def known_links(key: str) -> Known | None:
    """The gazetteer's entry of a well-known entity, with its Wikidata, INEGI and ISO 3166-2
    identifiers (from ``lang/data``, whose sources ``SOURCES.md`` names), or ``None``.

    >>> puebla = known_links("state/21")
    >>> puebla.wikidata, puebla.inegi, puebla.iso
    ('Q79923', '21', 'MX-PUE')
    >>> known_links("person/zoe-robledo") is None
    True
    """
    return load_gazetteer().by_key.get(key)


def preferred_name(key: str, names: Iterable[str]) -> str:
    """The gazetteer's name for a known entity, else the fullest name seen."""
    known = load_gazetteer().by_key.get(key)
    if known:
        return known.name
    return max(names, key=lambda n: (len(n.split()), len(n), n))


def resolve_names(rows: Iterable[tuple[str, EntityType, str, str]]) -> dict[str, Resolved]:
    """Merge (key, type, name in a document, surface form) rows by key: one preferred name,
    every name and surface form as a label."""
    names: dict[str, set[str]] = {}
    labels: dict[str, set[str]] = {}
    types: dict[str, EntityType] = {}
    for key, kind, name, label in rows:
        names.setdefault(key, set()).add(name)
        labels.setdefault(key, set()).add(label)
        types.setdefault(key, kind)
    return {
        key: Resolved(key, types[key], preferred_name(key, names[key]), tuple(sorted(labels[key] | names[key])))
        for key in sorted(names)
    }


def resolve_entities(per_document: Iterable[Iterable[Entity]]) -> dict[str, Resolved]:
    """Merge the entities of several documents by key."""
    return resolve_names((e.key, e.type, e.name, m.text) for es in per_document for e in es for m in e.mentions)


def resolve(extractions: Iterable[Extraction]) -> dict[str, Resolved]:
    """Resolve the entities of a set of extractions."""
    return resolve_entities(x.entities for x in extractions)
