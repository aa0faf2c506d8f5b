"""The frozen data model that flows between stages: read → extract → resolve → graph.

No stage hands another a spaCy object; only these values.

>>> m = Mention(type="State", text="Puebla", start=10, end=16, key="state/21", rule="gazetteer")
>>> m.text
'Puebla'
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

EntityType = Literal["Person", "Hospital", "Program", "State", "City", "Organization"]
ENTITY_TYPES: tuple[EntityType, ...] = ("Person", "Hospital", "Program", "State", "City", "Organization")
Predicate = Literal["holdsPost", "represents", "locatedIn", "operatesIn", "partOf"]
PREDICATES: tuple[Predicate, ...] = ("holdsPost", "represents", "locatedIn", "operatesIn", "partOf")


@dataclass(frozen=True, slots=True)
class Document:
    """One press release as read from disk: cleaned text plus its metadata."""

    doc_id: str
    source: str
    text: str
    sha256: str
    encoding: str
    title: str | None = None
    date: dt.date | None = None
    number: str | None = None
    #: where and when ``imsskg fetch`` downloaded it
    url: str | None = None
    retrieved: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class Mention:
    """A span of a document's text that names an entity."""

    type: EntityType
    text: str
    start: int
    end: int
    key: str
    rule: str
    name: str = ""


@dataclass(frozen=True, slots=True)
class Entity:
    """One real-world thing named in one document, with all its mentions there."""

    key: str
    type: EntityType
    name: str
    mentions: tuple[Mention, ...]


@dataclass(frozen=True, slots=True)
class Relation:
    """A fact stated in one sentence of a document.

    ``obj`` is an entity key, except for ``holdsPost`` where it is the post's text and
    ``organization`` holds the key of the organization (or ``None``).
    """

    subject: str
    predicate: Predicate
    obj: str
    sentence_start: int
    sentence_end: int
    rule: str
    organization: str | None = None


@dataclass(frozen=True, slots=True)
class Amount:
    """A figure stated in a document: its value and unit (ISO 4217 code, "%", or the thing
    counted), its kind (investment, count, daily_average, growth...), what it is about (an
    entity key) and, for investments, its purpose."""

    text: str
    start: int
    end: int
    value: Decimal
    unit: str
    kind: str
    sentence_start: int
    sentence_end: int
    about: str | None = None
    purpose: str | None = None


@dataclass(frozen=True, slots=True)
class Extraction:
    """Everything read from one document."""

    document: Document
    entities: tuple[Entity, ...]
    relations: tuple[Relation, ...] = field(default=())
    amounts: tuple[Amount, ...] = field(default=())
    #: the spaCy pipeline that read it ("none": the rules alone)
    pipeline: str = "none"
    #: the (start, end) character offsets of its sentences
    sentences: tuple[tuple[int, int], ...] = field(default=())

    def sentence(self, fact: Relation | Amount) -> str:
        """The sentence a relation or amount was read from."""
        return self.document.text[fact.sentence_start : fact.sentence_end]
