"""Find named medical units: a unit type, then a number, an honoree, a specialty or a place.

"40 Unidades de Medicina Familiar" names no unit (plural, unnamed) and is skipped;
"UMF 31 en Culiacán" and "Hospital General de Zona No. 8 de Mazatlán" are units.

>>> [(m.name, m.text) for m in find_units("abrirá el HGZ No. 8 de Mazatlán, Sinaloa.") if m.type == "Hospital"]
[('Hospital General de Zona No. 8 de Mazatlán', 'HGZ No. 8 de Mazatlán')]
"""

from __future__ import annotations

import re
from functools import lru_cache

from imsskg.extract.gazetteer import UnitType, load_gazetteer
from imsskg.extract.text import CAP_WORD, NAME, slug, squash

from imsskg.model import Mention

_NUMBER = re.compile(r"\s*(?:No\.|N[oº°]\.?|Núm\.|núm\.|número|Número|#)?\s*(\d{1,4}[A-Z]?)\b(?![.,]\d)")
_ACRONYM = re.compile(r"\s*\(([A-Z][A-Za-z/]{1,9})\)")
_HONOREE = re.compile(r"\s*[“\"«]([^”\"»\n]{3,80})[”\"»]")
_SPECIALTIES = re.compile(rf" +({CAP_WORD}(?:, +{CAP_WORD})* +y +{CAP_WORD}|{CAP_WORD})(?=\s*[“\"«])")
_PLACE = re.compile(rf" +(de|del|en) +((?:la +|las +|los +)?{NAME})")
_OPERATOR = re.compile(r"\s+del\s+(IMSS|ISSSTE|IMSS-Bienestar|IMSS-BIENESTAR|Seguro Social)\b")


@lru_cache(maxsize=1)
def _type_pattern() -> tuple[re.Pattern[str], dict[str, UnitType]]:
    types = load_gazetteer().unit_types
    lookup: dict[str, UnitType] = {}
    for unit in types:
        lookup.setdefault(unit.name.lower(), unit)
        for acronym in unit.acronym.split("/"):
            if acronym:
                lookup.setdefault(acronym, unit)
    names = sorted({u.name for u in types}, key=len, reverse=True)
    acronyms = sorted({a for u in types for a in u.acronym.split("/") if len(a) >= 2}, key=len, reverse=True)
    body = "|".join(re.escape(n) for n in names)
    acr = "|".join(re.escape(a) for a in acronyms)
    return re.compile(rf"(?<![\w])(?:(?P<full>{body})|(?P<acr>{acr}))(?![\w])"), lookup


def find_units(text: str) -> list[Mention]:
    """Every named medical unit in ``text`` (nested units such as a CMN are found too)."""
    pattern, lookup = _type_pattern()
    found: list[Mention] = []
    absorbed: set[int] = set()
    for match in pattern.finditer(text):
        if match.start() in absorbed:
            continue
        unit = lookup[match["full"].lower()] if match["full"] else lookup[match["acr"]]
        mention = _unit_at(text, match.start(), match.end(), unit, pattern, absorbed)
        if mention:
            found.append(mention)
    return found


def _unit_at(
    text: str, start: int, pos: int, unit: UnitType, pattern: re.Pattern[str], absorbed: set[int]
) -> Mention | None:
    parts = [unit.name]
    named = False
    if m := _ACRONYM.match(text, pos):
        pos = m.end()
    if m := _SPECIALTIES.match(text, pos):
        parts.append(m.group(1))
        pos, named = m.end(), True
    elif (m := re.compile(r" +").match(text, pos)) and (inner := pattern.match(text, m.end())):
        # "UMAE Hospital de Pediatría ...": a unit type names the unit of another type.
        nested = inner["full"] or inner["acr"]
        inner_unit = load_gazetteer().unit_types
        parts.append(next((u.name for u in inner_unit if nested in (u.name, u.acronym)), nested))
        absorbed.add(inner.start())
        pos, named = inner.end(), True
        if m := _ACRONYM.match(text, pos):
            pos = m.end()
    if m := _NUMBER.match(text, pos):
        parts.append(f"No. {m.group(1)}")
        pos, named = m.end(), True
    if m := _HONOREE.match(text, pos):
        parts.append(f"“{squash(m.group(1))}”")
        pos, named = m.end(), True
    if unit.acronym == "CMN" and (m := re.compile(rf" +({NAME})").match(text, pos)):
        parts.append(m.group(1))
        pos, named = m.end(), True
    while m := _PLACE.match(text, pos):
        tail = text[m.start(2) :]
        inner = pattern.match(tail)
        if inner:  # "... del Centro Médico Nacional (CMN) Siglo XXI": the unit sits in a bigger one
            sub = _unit_at(text, m.start(2), m.start(2) + inner.end(), _lookup_unit(inner), pattern, set())
            if not sub:
                break
            parts.append(f"del {sub.name}")
            pos, named = sub.end, True
            continue
        place = re.sub(r"^(la|las|los)\s+", "", m.group(2))
        if place in {"IMSS", "ISSSTE"} or (place.isupper() and len(place) <= 8):
            break
        parts.append(f"de {place}")
        pos, named = m.end(), True
        break
    if m := _OPERATOR.match(text, pos):
        after = _PLACE.match(text, m.end())
        if after and after.group(1) == "en":
            parts.append(f"de {after.group(2)}")
            pos, named = after.end(), True
    if not named:
        return None
    name = squash(" ".join(parts))
    return Mention("Hospital", text[start:pos], start, pos, f"hospital/{slug(name)}", "unit-pattern", name)


def _lookup_unit(match: re.Match[str]) -> UnitType:
    _, lookup = _type_pattern()
    return lookup[match["full"].lower()] if match["full"] else lookup[match["acr"]]
