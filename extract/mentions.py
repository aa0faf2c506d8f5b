"""Settle overlapping mentions and group a document's mentions into entities.

Places, organizations and units may sit inside a hospital's or an organization's name
("Hospital General Regional (HGR) del IMSS en Ciudad Juárez"); otherwise, when two mentions
overlap, the one found by the more reliable rule wins.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace

from imsskg.extract.people import surname

from imsskg.lang.gazetteer import load_gazetteer
from imsskg.lang.text import fold
from imsskg.model import Entity, Mention

_RULE_RANK = {
    "unit-pattern": 0, "gazetteer": 1, "post-before-name": 6, "name-before-post": 6, "program-modifier": 3,
    "program-list": 4, "program-intro": 4, "program-capital": 5, "program-web": 4, "org-head": 5,
    "given-name": 6, "spacy-per": 7, "source-credit": 4, "acronym": 1, "short-name": 8, "city-state": 3,
    "municipality": 3,
    "place-in-unit": 3, "place-gazetteer": 5.5, "ooad": 0, "honorific": 6,
}  # fmt: skip
_NESTABLE = {"State", "City", "Organization", "Program", "Hospital"}
#: What may be named inside a name of each kind ("IMSS" inside "Proyecto Estratégico IMSS Inteligente")
_INSIDE = {"Hospital": _NESTABLE, "Organization": _NESTABLE, "Program": {"Organization", "Program"}}


def _rank(m: Mention) -> tuple[float, int, int, str, str, str]:
    """Best first; ties broken on every field, so that the result never depends on the order of a
    set (string hashing differs between processes)."""
    single_place = m.type in {"State", "City"} and " " not in m.text
    rank = 9 if single_place and m.rule == "gazetteer" else _RULE_RANK.get(m.rule, 9)
    if m.rule == "place-gazetteer" and not single_place:
        rank = _RULE_RANK["gazetteer"]  # a place of several words: "Jaltenango de la Paz" over "La Paz"
    return (rank, -(m.end - m.start), m.start, m.rule, m.type, m.key)


def settle(mentions: Iterable[Mention]) -> list[Mention]:
    """Keep the best mentions: nested ones only inside containers, crossing ones by rank."""
    kept: list[Mention] = []
    for m in sorted(set(mentions), key=_rank):
        clash = False
        for k in kept:
            if m.end <= k.start or k.end <= m.start:
                continue
            if (m.start, m.end) == (k.start, k.end):
                clash = True
            elif k.start <= m.start and m.end <= k.end:
                # a name inside a unit's or body's name, but not a shorter reading of its start
                # (the unit type itself, "Secretaría de Salud" in "Secretaría de Salud de Jalisco")
                clash = m.type not in _INSIDE.get(k.type, set()) or (m.start == k.start and m.type == k.type)
            elif m.start <= k.start and k.end <= m.end:
                clash = k.type not in _INSIDE.get(m.type, set()) or (m.start == k.start and m.type == k.type)
            else:
                clash = True
            if clash:
                break
        if not clash:
            kept.append(m)
    return sorted(kept, key=lambda m: (m.start, -m.end))


_DEFINITION = re.compile(r" *\(([A-ZÁÉÍÓÚÑ][A-Za-zÁÉÍÓÚÑ-]{1,14})\)")


def acronyms(text: str, mentions: list[Mention]) -> list[Mention]:
    """Acronyms defined in parentheses after a name ("Dirección de ... (DIR)") and their later uses."""
    found: list[Mention] = []
    for m in mentions:
        if m.type not in {"Organization", "Program"}:
            continue
        # defined right after the name, or inside it ("Órgano ... (OOAD) del IMSS en Guerrero")
        definition = _DEFINITION.match(text, m.end) or (_DEFINITION.search(m.text) if m.rule == "ooad" else None)
        if not definition or fold(definition.group(1)) == fold(m.text):
            continue
        acronym = definition.group(1)
        for use in re.finditer(rf"(?<![\w-]){re.escape(acronym)}(?![\w-])", text):
            found.append(Mention(m.type, acronym, use.start(), use.end(), m.key, "acronym", m.name))
    return found


def surname_mentions(text: str, people: list[Mention], taken: list[Mention]) -> list[Mention]:
    """Later mentions of a person by surname ("Robledo", "Bucio Mújica") or in capitals.

    A surname shared by two people of the document is left alone.
    """
    by_key: dict[str, Mention] = {}
    for p in people:
        if p.key not in by_key or len(p.name) > len(by_key[p.key].name):
            by_key[p.key] = p
    surnames: dict[str, list[str]] = defaultdict(list)
    for key, p in by_key.items():
        surnames[surname(p.name)].append(key)
    found: list[Mention] = []
    for key, p in by_key.items():
        short = p.name[: p.name.index(surname(p.name)) + len(surname(p.name))]
        for form in dict.fromkeys([p.name.upper(), short.upper()]):  # headlines: "RECONOCE MARTHA GARCÍA"
            for use in re.finditer(rf"(?<![\w]){re.escape(form)}(?![\w])", text):
                found.append(Mention("Person", use.group(0), use.start(), use.end(), key, "short-name", p.name))
    for last, keys in surnames.items():
        if len(keys) != 1 or not last[-1:].isalpha() or not last.split()[-1][0].isupper():
            continue
        key = keys[0]
        pattern = rf"(?<![\w]){re.escape(last)}(?: [A-ZÁÉÍÓÚÑ][a-záéíóúñ]+)?(?![\w])"
        for use in re.finditer(pattern, text):
            if any(t.start <= use.start() < t.end for t in taken):
                continue
            found.append(Mention("Person", use.group(0), use.start(), use.end(), key, "short-name", by_key[key].name))
    return found


def _person_name(mentions: list[Mention]) -> str:
    """Fullest name: the longest full name, completed by a second surname seen alone."""
    full = max((m.name for m in mentions if m.rule != "short-name"), key=len)
    words = full.split()
    for m in mentions:
        short = m.text.split()
        if m.rule == "short-name" and len(short) == 2 and short[0] == words[-1] and not short[0].isupper():
            return f"{full} {short[1]}"
    return full


def _unit_words(name: str) -> list[str]:
    return [w for w in fold(name).replace("“", " ").replace("”", " ").split() if w not in {"de", "del", "en"}]


def same_units(mentions: list[Mention]) -> dict[str, str]:
    """Keys of units named in short ("el HGZ No. 1", "la Clínica Hospital en Mérida") mapped to the
    one fuller unit of the document that has every part of the short name."""
    names = {m.key: m.name for m in mentions if m.type == "Hospital"}
    merged: dict[str, str] = {}
    for key, name in names.items():
        words = _unit_words(name)
        fuller = [
            k for k, n in names.items()
            if k != key and len(_unit_words(n)) > len(words) and _unit_words(n)[:2] == words[:2]
            and all(w in _unit_words(n) for w in words)
        ]  # fmt: skip
        if len(fuller) == 1:
            merged[key] = fuller[0]
    return merged


def same_places(mentions: list[Mention]) -> dict[str, str]:
    """A city named in short ("Tlajomulco") mapped to the one city of the document whose full name
    starts with it ("Tlajomulco de Zúñiga")."""
    names = {m.key: m.name for m in mentions if m.type == "City"}
    merged: dict[str, str] = {}
    for key, name in names.items():
        longer = [k for k, n in names.items() if k != key and n.startswith(name + " ")]
        if len(longer) == 1:
            merged[key] = longer[0]
    return merged


def group(mentions: list[Mention]) -> list[Entity]:
    """One :class:`Entity` per key, named by the gazetteer or by its fullest mention."""
    by_key: dict[str, list[Mention]] = defaultdict(list)
    merged = same_units(mentions) | same_places(mentions)
    for m in mentions:
        by_key[merged.get(m.key, m.key)].append(m)
    gaz = load_gazetteer()
    entities = []
    for key, ms in by_key.items():
        kind = ms[0].type
        if key in gaz.by_key:
            name = gaz.by_key[key].name
        elif kind == "Person":
            name = _person_name(ms)
        else:
            name = max((m.name for m in ms if m.key == key), key=lambda n: (len(n), n))
        named = tuple(sorted((replace(m, key=key) for m in ms), key=lambda m: m.start))
        entities.append(Entity(key, kind, name, named))
    return sorted(entities, key=lambda e: e.mentions[0].start)
