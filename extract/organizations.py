"""Find organizations by the noun that heads their name ("Dirección de Incorporación y Recaudación").

>>> [m.name for m in find_organizations("Ante las Cámaras Nacionales de Comercio y la Fundación IMSS.")]
['Cámaras Nacionales de Comercio', 'Fundación IMSS']
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib.resources import files

from imsskg.lang.gazetteer import load_gazetteer
from imsskg.lang.text import CAP_WORD, NAME, SMALL_WORDS, slug, squash, title_case
from imsskg.model import Mention

_OFFICE = re.compile(r"\b(?:Representación|Delegación|Subdelegación|Oficina|Jefatura|Coordinación Estatal)\b")
_OFFICE_IN_STATE = re.compile(r" +en +(?:el +[Ee]stado +de +)?((?:la +)?[A-ZÁÉÍÓÚÑ][\w ]*?[a-záéíóúñ])(?=[\s,.;:]|$)")
_POST_BEFORE = re.compile(r"\b(?:jef[ea]|secretari[oa]|director[a]?)\s+(?:de|del)\s+$", re.I)


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    data = files("imsskg.lang").joinpath("data", "org_heads.txt").read_text(encoding="utf-8")
    heads = sorted((h.strip() for h in data.splitlines() if h.strip() and not h.startswith("#")), key=len, reverse=True)
    head = "|".join(re.escape(h) for h in heads)
    enumeration = rf"(?:(?:, +{CAP_WORD})+ +y +{CAP_WORD})?"  # "Comercio, Servicios y Turismo"
    purpose = rf"(?: +para +(?:[a-záéíóúñ]+ +){{0,6}}{NAME})?"
    joiner = r"(?:de +la|de +los|de +las|del|de|para +el|para +la)"
    return re.compile(rf"(?<![\w.])(?:H\. +)?(?:{head})(?: +{joiner}?? *{NAME}{enumeration})+{purpose}")


def _caps_view(text: str) -> str:
    """The text with short lines written in capitals turned to title case (same length)."""

    def fix(match: re.Match[str]) -> str:
        line = match.group(0)
        return title_case(line) if len(line.split()) <= 8 and len(title_case(line)) == len(line) else line

    return re.sub(r"(?m)^[^\na-záéíóúñ]*[A-ZÁÉÍÓÚÑ]{4}[^\na-záéíóúñ]*$", fix, text)


def find_organizations(text: str) -> list[Mention]:
    """Organizations named by a head noun and capitalised words, including names in capitals."""
    view = _caps_view(text)
    found: list[Mention] = []
    for match in _pattern().finditer(view):
        start, end = match.span()
        if _POST_BEFORE.search(view[max(0, start - 30) : start]):
            continue
        surface = text[start:end]
        words = surface.split()
        while words and words[-1].lower() in SMALL_WORDS:
            words.pop()
        if len(words) < 2 or re.fullmatch(r"\d+", words[-1]):
            continue
        surface = " ".join(words) if "\n" not in surface else surface
        end = start + len(surface)
        office = _OFFICE_IN_STATE.match(text, end)
        if office and _OFFICE.search(surface) and load_gazetteer().state_by_name(office.group(1)):
            end = office.end()  # "Oficina de Representación del IMSS en Chiapas" is the Chiapas office
        name = squash(view[start:end])
        found.append(Mention("Organization", text[start:end], start, end, f"org/{slug(name)}", "org-head", name))
    return found


_SOURCE = re.compile(rf"(?m)^(?:Fuente|Foto|Fotos|Con información de|Vía): *({NAME})\s*$")


def find_sources(text: str) -> list[Mention]:
    """The outlet or agency credited in a scraped article ("Fuente: El Ciudadano").

    >>> [m.name for m in find_sources("Texto.\\nFuente: El Ciudadano\\n")]
    ['El Ciudadano']
    """
    return [
        Mention(
            "Organization", m.group(1), m.start(1), m.end(1), f"org/{slug(m.group(1))}", "source-credit", m.group(1)
        )
        for m in _SOURCE.finditer(text)
    ]
