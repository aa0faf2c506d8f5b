"""The spaCy components of imsskg, registered the spaCy way.

``imsskg_paragraphs`` starts a sentence at every line break (bulletins put titles, bullets
and datelines on lines of their own); ``imsskg_entities`` runs the domain rules and writes
``doc.spans["imsskg"]`` (label = type, ``kb_id`` = entity key) and ``doc._.imsskg_entities``;
``imsskg_relations`` writes ``doc._.imsskg_relations`` and ``imsskg_amounts`` the figures,
``doc._.imsskg_amounts``.

>>> import spacy
>>> nlp = spacy.blank("es")
>>> for name in ("sentencizer", "imsskg_paragraphs", "imsskg_entities", "imsskg_relations"):
...     _ = nlp.add_pipe(name)
>>> doc = nlp("Ensenada, Baja California.")
>>> [(s.text, s.label_) for s in doc.spans["imsskg"]]
[('Ensenada', 'City'), ('Baja California', 'State')]
"""

from __future__ import annotations

from dataclasses import replace

from imsskg.extract.amounts import find_amounts
from imsskg.extract.lookup import find_known
from imsskg.extract.mentions import acronyms, group, settle, surname_mentions
from imsskg.extract.organizations import find_ooads, find_organizations, find_sources
from imsskg.extract.people import find_people
from imsskg.extract.places import find_cities, find_places
from imsskg.extract.posts import find_posts
from imsskg.extract.programs import find_programs
from imsskg.extract.relations import Sentences, extract_relations
from imsskg.extract.units import find_units
from spacy.language import Language
from spacy.tokens import Doc, Span

from imsskg.model import Entity, Mention

for _name in ("imsskg_entities", "imsskg_posts", "imsskg_relations", "imsskg_amounts"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


class Paragraphs:
    """Start a sentence after each line break, before the statistical sentence splitter runs."""

    def __call__(self, doc: Doc) -> Doc:
        for token in doc[1:]:
            if "\n" in doc[token.i - 1].text or "\n" in doc[token.i - 1].whitespace_:
                token.is_sent_start = True
        return doc


class EntityRules:
    """Find the six entity types with the domain rules (and spaCy's PER where present)."""

    def __init__(self, *, use_ner: bool) -> None:
        self.use_ner = use_ner

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        posts = find_posts(text)
        ner = [(e.start_char, e.end_char) for e in doc.ents if e.label_ == "PER"] if self.use_ner else []
        units = find_units(text)
        named = [*find_known(text), *units, *find_ooads(text), *find_organizations(text), *find_sources(text)]
        named += find_programs(text)
        people = find_people(text, posts, ner)
        with_posts = [(m.start, m.end) for m in people if m.rule in _POST_RULES]
        places = find_places(text, [(m.start, m.end) for m in named if m.type != "City"] + with_posts)
        candidates: list[Mention] = [*named, *people, *find_cities(text), *places]
        kept = settle(candidates)
        kept = settle([*kept, *acronyms(text, kept)])
        people = [m for m in kept if m.type == "Person"]
        kept = settle([*kept, *surname_mentions(text, people, kept)])
        entities: list[Entity] = group(kept)
        doc._.imsskg_entities = entities
        doc._.imsskg_posts = posts
        spans = []
        for m in kept:
            span = doc.char_span(m.start, m.end, label=m.type, kb_id=m.key, alignment_mode="expand")
            if span is not None:
                spans.append(span)
        doc.spans["imsskg"] = spans
        return doc


class RelationRules:
    """Find relations between the entities of ``doc._.imsskg_entities``."""

    def __call__(self, doc: Doc) -> Doc:
        sentences = Sentences([(s.start_char, s.end_char) for s in _sentences(doc)])
        doc._.imsskg_relations = extract_relations(doc.text, doc._.imsskg_entities, doc._.imsskg_posts, sentences)
        return doc


class AmountRules:
    """Find the figures of ``doc`` and tie each to the entity its clause is about."""

    def __call__(self, doc: Doc) -> Doc:
        spans = [(s.start_char, s.end_char) for s in _sentences(doc)]
        mentions = sorted(
            (m for e in doc._.imsskg_entities for m in e.mentions if e.type in _ABOUT), key=lambda m: m.start
        )
        amounts = []
        for a in find_amounts(doc.text, spans):
            before = [m for m in mentions if a.sentence_start <= m.start and m.end <= a.start]
            amounts.append(replace(a, about=before[-1].key) if before else a)
        doc._.imsskg_amounts = amounts
        return doc


#: Rules that find a person by the post beside the name: such a name is never a place.
_POST_RULES = {"post-before-name", "name-before-post"}
#: What a figure can be about: the nearest of these named before it in its sentence.
_ABOUT = {"Organization", "Program", "State", "Hospital", "City"}


def _sentences(doc: Doc) -> list[Span]:
    return list(doc.sents) if doc.has_annotation("SENT_START") else [doc[:]]


def sentence_spans(doc: Doc) -> tuple[tuple[int, int], ...]:
    """The character offsets of the sentences of ``doc`` (the whole text when none are set).

    >>> import spacy
    >>> nlp = spacy.blank("es")
    >>> nlp.add_pipe("sentencizer")  # doctest: +ELLIPSIS
    <...>
    >>> sentence_spans(nlp("Uno. Dos."))
    ((0, 4), (5, 9))
    """
    return tuple((s.start_char, s.end_char) for s in _sentences(doc))


@Language.factory("imsskg_paragraphs", assigns=["token.is_sent_start"])
def make_paragraphs(nlp: Language, name: str) -> Paragraphs:
    """Factory of :class:`Paragraphs`."""
    return Paragraphs()


@Language.factory(
    "imsskg_entities",
    default_config={"use_ner": True},
    assigns=["doc.spans", "doc._.imsskg_entities"],
)
def make_entities(nlp: Language, name: str, *, use_ner: bool) -> EntityRules:
    """Factory of :class:`EntityRules`."""
    return EntityRules(use_ner=use_ner)


@Language.factory("imsskg_relations", requires=["doc._.imsskg_entities"], assigns=["doc._.imsskg_relations"])
def make_relations(nlp: Language, name: str) -> RelationRules:
    """Factory of :class:`RelationRules`."""
    return RelationRules()


@Language.factory("imsskg_amounts", requires=["doc._.imsskg_entities"], assigns=["doc._.imsskg_amounts"])
def make_amounts(nlp: Language, name: str) -> AmountRules:
    """Factory of :class:`AmountRules`."""
    return AmountRules()
