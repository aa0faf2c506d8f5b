"""Cities and municipalities: "Ensenada, Baja California" names a city in a state, and
"el municipio de El Nayar" a municipality (places in units' names are found with the units).

>>> [(m.name, m.rule) for m in find_cities("los hospitales de Ticul, Yucatán; y Tula, Hidalgo.")]
[('Ticul', 'city-state'), ('Tula', 'city-state')]
"""

from __future__ import annotations

import re
from functools import lru_cache

from imsskg.lang.gazetteer import load_gazetteer
from imsskg.lang.text import NAME, fold, slug
from imsskg.lang.words import table, word_list
from imsskg.model import Mention

_NOT_PLACES = {"IMSS", "ISSSTE", "Instituto", "Hospital", "Palacio", "Salón", "Presidencia", "Secretaría"}
#: IMSS splits some states into regions ("Estado de México Poniente"): not cities.
_MUNICIPALITY = re.compile(
    rf"\b(?:municipio|municipios|alcaldía|localidad|comunidad|ciudad|cabecera municipal) +(?:de +)?({NAME})"
)
_REGIONS = {"Norte", "Sur", "Oriente", "Poniente", "Centro", "Sureste", "Noreste", "Noroeste", "Suroeste"}


def _city(text: str, start: int, end: int, rule: str) -> Mention | None:
    name = text[start:end]
    words = name.split()
    if not words or words[0] in _NOT_PLACES or words[-1] in _REGIONS or load_gazetteer().state_by_name(name):
        return None
    known = next((k for k in load_gazetteer().known if k.type == "City" and k.name == name), None)
    return Mention("City", name, start, end, known.key if known else f"city/{slug(name)}", rule, name)


#: Words after which a capitalised name is a place when the gazetteer knows it ("en Tlaola",
#: "para Olintla", "de San Pablo del Monte"), and the joints of a list of places.
_PLACE_CUE = re.compile(r"(?:^|(?<=[\s(]))(?:en|a|para|de|desde|hacia|hasta|entre|por)\s+$", re.IGNORECASE)
_LIST_JOINT = re.compile(r"^(?:,\s*|\s+y\s+|\s+e\s+|,\s+y\s+)$")
_NAME_RUN = re.compile(rf"(?<![\w-])({NAME})")


@lru_cache(maxsize=1)
def places() -> dict[str, tuple[str, int]]:
    """Mexico's populated places (``lang/data/places.csv``, from GeoNames) by folded name or
    alternate name: the INEGI code of the state and the population of the most populous one.

    >>> places()["huauchinango"]
    ('21', 56206)
    """
    found: dict[str, tuple[str, int]] = {}
    for name, alternates, state, population, _ in table("places.csv"):
        for form in (name, *filter(None, alternates.split("|"))):
            key = fold(form)
            if key not in found or found[key][1] < int(population):
                found[key] = (state, int(population))
    return found


def _known_place(name: str) -> bool:
    """Whether ``name`` is a populated place that is neither a state nor a common word."""
    key = fold(name)
    if key not in places() or key in word_list("not_places") or load_gazetteer().state_by_name(name):
        return False
    words = key.split()
    # a lone given name ("Guadalupe", "Victoria") is a place only where the text says so plainly
    return not (len(words) == 1 and (key in load_gazetteer().given_names or len(key) < 4))


def longest_place(text: str, start: int, end: int) -> int | None:
    """The end of the longest run of words from ``start`` (up to ``end``) that names a place."""
    best = None
    for match in re.finditer(r"\S+", text[start:end]):
        stop = start + match.end()
        candidate = text[start:stop].rstrip(".,;:")
        if _known_place(candidate):
            best = start + len(candidate)
    return best


def find_places(text: str, taken: list[tuple[int, int]]) -> list[Mention]:
    """Places the gazetteer knows, where the text uses a name as a place: after a preposition
    ("en Huauchinango", "para Olintla") and along the list that follows ("a Tlaola, Zautla y
    Ajalpan"). Names right after a post ("el gobernador X") are people.

    >>> [m.name for m in find_places("En la zona uno se beneficiará a Huauchinango, Tlaola y Ajalpan.", [])]
    ['Huauchinango', 'Tlaola', 'Ajalpan']
    """
    found: list[Mention] = []
    previous_end: int | None = None
    for run in _NAME_RUN.finditer(text):
        start = run.start(1)
        joined = previous_end is not None and bool(_LIST_JOINT.match(text[previous_end:start]))
        if not joined and not _PLACE_CUE.search(text[max(0, start - 12) : start]):
            previous_end = None
            continue
        previous_end = None
        while start < run.end(1):  # "Tlaola y Ajalpan" is one run of capitalised words
            end = longest_place(text, start, run.end(1))
            if end is None or any(a <= start < b or a < end <= b for a, b in taken):
                break
            if m := _city(text, start, end, "place-gazetteer"):
                found.append(m)
            previous_end = end
            joint = re.match(r"(?:,\s*|\s+[ye]\s+)(?=[A-ZÁÉÍÓÚÑ])", text[end : run.end(1)])
            if not joint:
                break
            start = end + joint.end()
    return found


def find_cities(text: str) -> list[Mention]:
    """Cities named before their state ("Ensenada, Baja California") or as a municipality."""
    gaz = load_gazetteer()
    states = "|".join(
        re.escape(a).replace(r"\ ", " +") for s in gaz.states.values() for a in sorted(s.aliases, key=len, reverse=True)
    )
    found: list[Mention] = []
    for match in re.finditer(rf"(?<![\w])({NAME}), +(?:{states})(?![\w])", text):
        words = match.group(1).split()
        if any(
            load_gazetteer().state_by_name(" ".join(words[i:j]))
            for i in range(len(words))
            for j in range(i + 1, len(words) + 1)
        ):
            continue  # a list of states, not a city in a state
        # keep the words of the place only: "Hospitales de Ensenada" → "Ensenada"
        start = match.start(1)
        for i, word in enumerate(words[:-1]):
            if word.lower() in {"de", "del", "en"}:
                start = match.start(1) + len(" ".join(words[: i + 1])) + 1
        if m := _city(text, start, match.end(1), "city-state"):
            found.append(m)
    for match in _MUNICIPALITY.finditer(text):
        if m := _city(text, match.start(1), match.end(1), "municipality"):
            found.append(m)
    return found
