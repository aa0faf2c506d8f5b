"""Find named medical units: a unit type, then a number, an honoree, a specialty or a place.

"40 Unidades de Medicina Familiar" names no unit (plural, unnamed) and is skipped;
"UMF 31 en Culiacán" and "Hospital General de Zona No. 8 de Mazatlán" are units, and the
place in their name is a city (unless it is a state).

>>> [(m.type, m.name) for m in find_units("abrirá el HGZ No. 8 de Mazatlán, Sinaloa.")]
[('Hospital', 'Hospital General de Zona No. 8 de Mazatlán'), ('City', 'Mazatlán')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from imsskg.extract.lookup import norm_alias

from imsskg.lang.gazetteer import UnitType, load_gazetteer
from imsskg.lang.text import CAP_WORD, NAME, slug, squash
from imsskg.lang.words import word_list
from imsskg.model import Mention

_NUMBER = re.compile(r" *(?:No\.|N[oº°]\.?|Núm\.|núm\.|número|Número|#)? *(\d{1,4}[A-Z]?)\b(?![.,]\d)")
_ACRONYM = re.compile(r" *\(([A-Z][A-Za-z/]{1,9})\)")
_HONOREE = re.compile(r" *[“\"«]([^”\"»\n]{3,80})[”\"»]")
_SPECIALTIES = re.compile(rf" +({CAP_WORD}(?:, +{CAP_WORD})* +y +{CAP_WORD}|{CAP_WORD})(?= *[“\"«])")
_PLACE = re.compile(
    rf" +(de|del|en) +((?:la +|las +|los +)?(?:(?:el +)?(?:municipio|alcaldía|ciudad|localidad) +de +)?)({NAME})"
)
_OPERATOR = re.compile(r" +del +(IMSS|ISSSTE|IMSS-Bienestar|IMSS-BIENESTAR|Seguro Social)\b")
_SPACES = re.compile(r" +")
#: the country, the operators of units, regions that name national medical centres
_NOT_CITIES = word_list("not_cities")


@dataclass(frozen=True)
class _Unit:
    mention: Mention
    place: tuple[int, int] | None


@lru_cache(maxsize=1)
def _type_pattern() -> tuple[re.Pattern[str], dict[str, UnitType]]:
    types = load_gazetteer().unit_types
    lookup: dict[str, UnitType] = {}
    for unit in types:
        lookup.setdefault(unit.name.lower(), unit)
        if unit.acronym:
            lookup.setdefault(unit.acronym, unit)
    names = sorted({u.name for u in types}, key=len, reverse=True)
    acronyms = sorted({u.acronym for u in types if len(u.acronym) >= 2}, key=len, reverse=True)
    body = "|".join(re.escape(n) for n in names)
    acr = "|".join(re.escape(a) for a in acronyms)
    return re.compile(rf"(?<![\w])(?:(?P<full>{body})|(?P<acr>{acr}))(?![\w])"), lookup


def _unit_type(match: re.Match[str]) -> UnitType:
    _, lookup = _type_pattern()
    return lookup[match["full"].lower()] if match["full"] else lookup[match["acr"]]


@lru_cache(maxsize=1)
def _state_names() -> list[str]:
    names = {norm_alias(a) for s in load_gazetteer().states.values() for a in s.aliases}
    return sorted(names, key=len, reverse=True)


def _place_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The city in a unit's place, or ``None`` when the place is the country or a state.

    "México Federico Gómez" starts with the country: the rest is an honoree, not a place.
    """
    place = norm_alias(text[start:end])
    if place.split(" ")[0] in _NOT_CITIES:
        return None
    for state in _state_names():
        if place == state or place.startswith(state + " "):
            return None
    return start, end


def find_units(text: str) -> list[Mention]:
    """Every named medical unit in ``text`` (nested ones such as a CMN too), and the cities in their names."""
    pattern, _ = _type_pattern()
    found: list[Mention] = []
    absorbed: set[int] = set()
    for match in pattern.finditer(text):
        if match.start() in absorbed:
            continue
        unit = _unit_at(text, match.start(), match.end(), _unit_type(match), absorbed)
        if unit:
            found.append(unit.mention)
            if unit.place:
                s, e = unit.place
                found.append(Mention("City", text[s:e], s, e, f"city/{slug(text[s:e])}", "place-in-unit", text[s:e]))
    return found


def _unit_at(text: str, start: int, pos: int, unit: UnitType, absorbed: set[int]) -> _Unit | None:
    pattern, _ = _type_pattern()
    parts = [unit.name]
    named = False
    place: tuple[int, int] | None = None
    if m := _ACRONYM.match(text, pos):
        pos = m.end()
    if m := _SPECIALTIES.match(text, pos):
        parts.append(m.group(1))
        pos, named = m.end(), True
    elif (m := _SPACES.match(text, pos)) and (inner := pattern.match(text, m.end())):
        # "UMAE Hospital de Pediatría ...": a unit type names the unit of another type.
        parts.append(_unit_type(inner).name)
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
    if m := _PLACE.match(text, pos):
        inner = pattern.match(text, m.start(3))
        if inner:  # "... del Centro Médico Nacional (CMN) Siglo XXI": the unit sits in a bigger one
            sub = _unit_at(text, inner.start(), inner.end(), _unit_type(inner), set())
            if sub:
                parts.append(f"del {sub.mention.name}")
                pos, named = sub.mention.end, True
        elif not (m.group(3).isupper() and len(m.group(3)) <= 8):
            parts.append(f"de {m.group(3)}")
            # a national medical centre's "de Occidente" is its name, not a place
            place = None if unit.acronym == "CMN" else _place_span(text, m.start(3), m.end(3))
            pos, named = m.end(), True
    if (m := _OPERATOR.match(text, pos)) and (after := _PLACE.match(text, m.end())) and after.group(1) == "en":
        parts.append(f"de {after.group(3)}")  # "Hospital General Regional (HGR) del IMSS en Ciudad Juárez"
        place = _place_span(text, after.start(3), after.end(3))
        pos, named = after.end(), True
    if not named:
        return None
    name = squash(" ".join(parts))
    mention = Mention("Hospital", text[start:pos], start, pos, f"hospital/{slug(name)}", "unit-pattern", name)
    return _Unit(mention, place)
