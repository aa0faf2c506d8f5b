"""Find programs, strategies, plans, platforms and apps by the words that introduce them.

>>> [m.name for m in find_programs("el IMSS puso en marcha la estrategia Salud Digital Comunitaria.")]
['Salud Digital Comunitaria']
"""

from __future__ import annotations

import re

from imsskg.lang.gazetteer import load_gazetteer
from imsskg.lang.text import CAP_WORD, NAME, fold, slug, squash
from imsskg.model import Mention

#: A program's name may join capitalised words with "por", "con", "a", "sin" ("Salud Casa por Casa").
#: And with "es" in slogans ("La Clínica es Nuestra").
PROGRAM_NAME = rf"{NAME}(?: +(?:por|con|a|sin|para|en|es) +(?:el +|la +|los +|las +)?{CAP_WORD}(?: +{CAP_WORD})*)*"
_INTRO = r"(?:programa|estrategia|plan|proyecto|plataforma|aplicaci[oó]n|app|campaña|iniciativa|jornada|modelo)"
_MODIFIER = r"(?:piloto|especial|emergente|nacional|integral|institucional|prioritario|denominad[oa]|llamad[oa])"
# "la estrategia IMSS Digital", "programa de Unidades Médicas de Tiempo Completo"
_AFTER_INTRO = re.compile(
    rf"\b{_INTRO} +(?:de +)?(?:[“\"«](?P<quoted>[^”\"»\n]{{3,60}})[”\"»]|(?P<name>{PROGRAM_NAME}))"
)
# "programa piloto para Personas Trabajadoras del Hogar": the modifier makes the phrase the name
_WITH_MODIFIER = re.compile(rf"\b(?P<name>{_INTRO} +{_MODIFIER} +(?:para|de) +(?:la +|las +|los +|el +)?{NAME})")
# "Proyecto Estratégico IMSS Inteligente", "Modelo de Atención Integral a la Salud"
_CAPITAL_INTRO = re.compile(
    rf"(?<![\w.])(?P<name>(?:Programa|Estrategia|Plan|Proyecto|Modelo|Campaña|Jornada|Cruzada) +"
    rf"(?:(?:de|para) +(?:la +|el +)?)?{NAME}(?: +(?:a|de|para) +(?:la +|el +|los +|las +)?{NAME})?)"
)
_ENUM_INTRO = re.compile(rf"\b(?:{_INTRO}|servicios|trámites|acciones)s? +(?:digitales +)?como +", re.I)
_WEB = re.compile(
    r"\b(?:plataforma|portal|sitio|página)(?: web)? +(?P<name>[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:gob\.mx|mx|org|com))\b"
)
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def _mention(text: str, start: int, end: int, rule: str) -> Mention | None:
    name = squash(text[start:end])
    if _YEAR.search(text[end : end + 12]) or _YEAR.search(name) or len(name) < 3:
        return None  # "Programa de Actividades 2024-2025" is a report, not a program
    return Mention("Program", text[start:end], start, end, f"program/{slug(name)}", rule, name)


def _enumerated(text: str) -> list[Mention]:
    """Capitalised items of a list introduced by "estrategias como A, B y C"."""
    found = []
    for intro in _ENUM_INTRO.finditer(text):
        stop = re.compile(r"[.;:\n]").search(text, intro.end())
        limit = stop.start() if stop else len(text)
        pos = intro.end()
        for item in re.split(r"(, +así como +|, +| +y +| +así como +)", text[intro.end() : limit]):
            start = pos
            pos += len(item)
            item_text = re.sub(r"^(?:el|la|los|las) +", "", item)
            start += len(item) - len(item_text)
            if not item_text or not item_text[0].isupper():
                continue
            caps = re.match(NAME, item_text)
            words = item_text.split()
            if caps and len(caps.group(0).split()) >= 2:
                end = start + caps.end()
            elif len(words) <= 5:
                end = start + len(item_text.rstrip())
            else:
                continue
            if m := _mention(text, start, end, "program-list"):
                found.append(m)
    return found


def _known_after_intro(name: str) -> bool:
    """Whether a capitalised program phrase is its intro word and a known program's name."""
    tail = re.sub(r"^\w+ +(?:(?:de|para) +(?:la +|el +)?)?", "", name)
    return any(k.type == "Program" and fold(tail) in map(fold, k.aliases) for k in load_gazetteer().known)


def find_programs(text: str) -> list[Mention]:
    """Programs introduced by "programa", "estrategia", "plataforma"... or listed after "como"."""
    found: list[Mention] = []
    for match in _WITH_MODIFIER.finditer(text):
        if m := _mention(text, match.start("name"), match.end("name"), "program-modifier"):
            found.append(m)
    for match in _AFTER_INTRO.finditer(text):
        group = "quoted" if match["quoted"] else "name"
        if m := _mention(text, match.start(group), match.end(group), "program-intro"):
            found.append(m)
    for pattern, rule in ((_CAPITAL_INTRO, "program-capital"), (_WEB, "program-web")):
        for match in pattern.finditer(text):
            if rule == "program-capital" and _known_after_intro(match["name"]):
                continue  # "Programa IMSS-Bienestar" is IMSS-Bienestar, which the gazetteer finds
            if m := _mention(text, match.start("name"), match.end("name"), rule):
                found.append(m)
    return found + _enumerated(text)
