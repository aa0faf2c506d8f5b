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
from imsskg.extract.places import longest_place

from imsskg.lang.gazetteer import UnitType, load_gazetteer
from imsskg.lang.text import CAP_WORD, NAME, fold, slug, squash
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
#: An operator named inside a unit's name: "Hospital IMSS-Bienestar Rosamorada", "Hospital Rural de
#: Tlaxiaco IMSS Bienestar".
_OPERATOR_NAME = re.compile(r" +(IMSS[- ]BIENESTAR|IMSS[- ]Bienestar|IMSS|ISSSTE)(?![\w-])")
_PLACE_AFTER_OPERATOR = re.compile(rf" +(?:en +)?({NAME})")
_SPACES = re.compile(r" +")
#: "HGZ de 70 camas en Ticul": a unit's size says nothing of its name
_CAPACITY = re.compile(r" +(?:de|con) +\d[\d,.]* +(?:camas|consultorios|quirófanos|pisos|niveles)\b")
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
    if not text[start : start + 1].isalpha():
        return None  # "HGZ de 70 camas": a figure, not a place
    place = norm_alias(text[start:end])
    if place.split(" ")[0] in _NOT_CITIES:
        return None
    for state in _state_names():
        if place == state or place.startswith(state + " "):
            return None
    known = _known_place_in(text, start, end)
    if known:
        return known
    if place.split(" ")[0] in word_list("not_places"):
        return None
    return start, end


def _known_place_in(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The first place the gazetteer knows in a unit's "de ..." words: "Especialidades de
    Hermosillo" → Hermosillo, "San Pablo del Monte" → all of it; words that start with a place
    and go on ("Magdalena de las Salinas") are one place the gazetteer does not know."""
    for word in re.finditer(r"[^\s]+", text[start:end]):
        if fold(word.group(0)) in {"de", "del", "la", "las", "los", "el", "y"}:
            continue
        at = start + word.start()
        stop = longest_place(text, at, end)
        if stop is not None:
            # "Magdalena de las Salinas": a longer name than the place it starts with is its own
            return (at, end) if at == start else (at, stop)
    return None


def find_units(text: str) -> list[Mention]:
    """Every named medical unit in ``text`` (nested ones such as a CMN too), and the cities in their names."""
    pattern, _ = _type_pattern()
    found: list[Mention] = []
    absorbed: set[int] = set()
    found += _lower_case_units(text)
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


@lru_cache(maxsize=1)
def _lower_case_pattern() -> re.Pattern[str]:
    names = sorted({u.name.lower() for u in load_gazetteer().unit_types if " " in u.name}, key=len, reverse=True)
    body = "|".join(re.escape(n).replace(r"\ ", " +") for n in names)
    return re.compile(rf"(?<![\w])(?:el|la|del|al) +({body}) +(?:de|en) +({NAME})")


def _lower_case_units(text: str) -> list[Mention]:
    """Units named by a type in lower case and a place the gazetteer knows: "el hospital general de
    San Pablo del Monte", "la clínica hospital de Mérida" (a definite article: one unit)."""
    _, lookup = _type_pattern()
    found = []
    for match in _lower_case_pattern().finditer(text):
        place = _known_place_in(text, match.start(2), match.end(2))
        if place is None or place[0] != match.start(2):
            continue
        unit = lookup.get(squash(match.group(1)).lower())
        if unit is None:
            continue
        name = f"{unit.name} de {text[place[0] : place[1]]}"
        start = match.start(1)
        found.append(Mention("Hospital", text[start : place[1]], start, place[1], f"hospital/{slug(name)}",
                             "unit-pattern", name))  # fmt: skip
        where = text[place[0] : place[1]]
        found.append(Mention("City", where, place[0], place[1], f"city/{slug(where)}", "place-in-unit", where))
    return found


def _unit_at(text: str, start: int, pos: int, unit: UnitType, absorbed: set[int]) -> _Unit | None:
    pattern, _ = _type_pattern()
    parts = [unit.name]
    named = False
    place: tuple[int, int] | None = None
    if m := _ACRONYM.match(text, pos):
        pos = m.end()
    operator = _OPERATOR_NAME.match(text, pos)
    if operator and (after := _PLACE_AFTER_OPERATOR.match(text, operator.end())):
        found = _known_place_in(text, after.start(1), after.end(1))
        if found and found[0] == after.start(1):  # "Hospital IMSS-Bienestar Rosamorada"
            parts += [operator.group(1), text[found[0] : found[1]]]
            name = squash(" ".join(parts))
            mention = Mention("Hospital", text[start : found[1]], start, found[1], f"hospital/{slug(name)}",
                              "unit-pattern", name)  # fmt: skip
            return _Unit(mention, found)
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
        if _known_place_in(text, m.start(1), m.end(1)) == (m.start(1), m.end(1)):
            place = (m.start(1), m.end(1))  # ISSSTE names clinics after their city: Clínica Hospital “Celaya”
    if m := _CAPACITY.match(text, pos):
        pos = m.end()
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
        elif m.group(1) == "en" and load_gazetteer().state_by_name(m.group(3)):
            pass  # "la UMAE ... en Puebla": the state is where the unit is, not part of its name
        elif not (m.group(3).isupper() and len(m.group(3)) <= 8):
            parts.append(f"de {m.group(3)}")
            # a national medical centre's "de Occidente" is its name, not a place
            place = None if unit.acronym == "CMN" else _place_span(text, m.start(3), m.end(3))
            pos, named = m.end(), True
            if operator := _OPERATOR_NAME.match(text, pos):  # "Hospital Rural de Tlaxiaco IMSS Bienestar"
                parts.append(operator.group(1))
                pos = operator.end()
    if (
        (m := _OPERATOR.match(text, pos))
        and (after := _PLACE.match(text, m.end()))
        and after.group(1) == "en"
        and not load_gazetteer().state_by_name(after.group(3))
    ):
        parts.append(f"de {after.group(3)}")  # "Hospital General Regional (HGR) del IMSS en Ciudad Juárez"
        place = _place_span(text, after.start(3), after.end(3))
        pos, named = after.end(), True
    if not named:
        return None
    name = squash(" ".join(parts))
    mention = Mention("Hospital", text[start:pos], start, pos, f"hospital/{slug(name)}", "unit-pattern", name)
    return _Unit(mention, place)
