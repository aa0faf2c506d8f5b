"""Find the entities the gazetteer knows (states, cities, organizations, programs).

Aliases match whatever the hyphens and spaces between their words ("IMSS-BIENESTAR",
"IMSS Bienestar", "IMSS- Bienestar"), with accents and case ignored for names of several
words; a one-word alias must be capitalised as in the data or written in capitals.

>>> [(m.text, m.key) for m in find_known("Avanza IMSS- Bienestar en Puebla")]
[('IMSS- Bienestar', 'program/imss-bienestar'), ('Puebla', 'state/21')]
"""

from __future__ import annotations

import re
from functools import lru_cache

from imsskg.lang.gazetteer import Known, load_gazetteer
from imsskg.lang.text import fold
from imsskg.model import Mention

_SEP = r"(?:\s*[-–—]\s*|\s+)"
_CONTEXT_CITY = re.compile(r"(?:ciudad|municipio|alcald[ií]a|localidad|cabecera municipal)\s+(?:de\s+)?$", re.I)


def norm_alias(text: str) -> str:
    """Alias as compared: folded, hyphens and spaces as one space."""
    return re.sub(r"[\s\-–—]+", " ", fold(text)).strip()


@lru_cache(maxsize=1)
def _index() -> tuple[re.Pattern[str], dict[str, list[Known]]]:
    table: dict[str, list[Known]] = {}
    for known in load_gazetteer().known:
        for alias in known.aliases:
            table.setdefault(norm_alias(alias), []).append(known)
    alternatives = sorted(table, key=len, reverse=True)
    body = "|".join(_SEP.join(re.escape(part) for part in alt.split(" ")) for alt in alternatives)
    return re.compile(rf"(?<![\w.])(?:{body})(?![\w]|-\w)"), table


def _case_ok(surface: str, known: Known) -> bool:
    if " " in norm_alias(surface) and len(surface) > 6:
        # "la Secretaría de Salud" names the body; "la secretaria de Salud" is a post
        initials = {a[0] for a in known.aliases if norm_alias(a) == norm_alias(surface)}
        return surface[0] in initials or surface[0].isupper() or surface.isupper()
    compact = re.sub(r"[\s\-–—]+", "", surface)
    return compact.isupper() or any(re.sub(r"[\s\-–—]+", "", a) == compact for a in known.aliases)


def _prev_word(text: str, start: int) -> str:
    match = re.search(r"(\S+)\s*$", text[max(0, start - 40) : start])
    return match.group(1) if match else ""


def _next_word(text: str, end: int) -> str:
    match = re.match(r"\s*(\S+)", text[end : end + 40])
    return match.group(1) if match else ""


def _choose(text: str, start: int, end: int, options: list[Known]) -> Known | None:
    """Pick the reading of an ambiguous name from its context, or drop it."""
    before = text[max(0, start - 40) : start]
    prev, nxt = _prev_word(text, start), _next_word(text, end)
    name_before = bool(re.match(r"[A-ZÁÉÍÓÚÑ][a-záéíóúñ]+$", prev))
    name_after = bool(re.match(r"[A-ZÁÉÍÓÚÑ][a-záéíóúñ]+", nxt)) and text[end : end + 1] not in ",;."
    city_context = bool(_CONTEXT_CITY.search(before))
    for known in options:
        if known.type == "State":
            if known.ambiguity == "surname" and (name_before or name_after):
                continue
            if known.ambiguity == "city" and city_context:
                continue
            return known
        if known.type == "City":
            if known.ambiguity == "state" and not city_context:
                continue
            if known.ambiguity in {"person", "common"} and not city_context:
                continue
            if name_before and not city_context:
                continue
            return known
        return known
    if city_context:
        return next((k for k in options if k.type == "City"), None)
    return None


def find_known(text: str) -> list[Mention]:
    """Every gazetteer entity named in ``text``, leftmost-longest, without overlaps."""
    pattern, table = _index()
    gaz = load_gazetteer()
    found: list[Mention] = []
    folded = fold(text)
    pos = 0
    while match := pattern.search(folded, pos):
        start, end = match.span()
        pos = end
        surface = text[start:end]
        options = table[norm_alias(surface)]
        options = [k for k in options if _case_ok(surface, k)]
        if not options:
            pos = start + 1  # a shorter name may start inside ("plan IMSS-Bienestar")
            continue
        if any(k.type == "City" and k.ambiguity == "state" for k in options) and _CONTEXT_CITY.search(
            text[max(0, start - 40) : start]
        ):
            options = [k for k in options if k.type == "City"] + options
        known = _choose(text, start, end, options)
        if known is None:
            continue
        found.append(Mention(known.type, surface, start, end, known.key, "gazetteer", gaz.by_key[known.key].name))
    return found
