"""Cities and municipalities: "Ensenada, Baja California" names a city in a state, and
"el municipio de El Nayar" a municipality (places in units' names are found with the units).

>>> [(m.name, m.rule) for m in find_cities("los hospitales de Ticul, Yucatán; y Tula, Hidalgo.")]
[('Ticul', 'city-state'), ('Tula', 'city-state')]
"""

from __future__ import annotations

import re

from imsskg.lang.gazetteer import load_gazetteer
from imsskg.lang.text import NAME, slug
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
