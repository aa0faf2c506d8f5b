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

from imsskg.extract.gazetteer import load_gazetteer
from imsskg.model import Entity, EntityType, Extraction


@dataclass(frozen=True)
class Resolved:
    """An entity of the whole corpus."""

    key: str
    type: EntityType
    name: str
    labels: tuple[str, ...]


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
