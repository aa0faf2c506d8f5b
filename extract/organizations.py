"""Find organizations by the noun that heads their name ("Dirección de Incorporación y Recaudación").

>>> [m.name for m in find_organizations("Ante las Cámaras Nacionales de Comercio y la Fundación IMSS.")]
['Cámaras Nacionales de Comercio', 'Fundación IMSS']
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib.resources import files

from imsskg.lang.gazetteer import Known, load_gazetteer
from imsskg.lang.text import CAP_WORD, NAME, SMALL_WORDS, fold, slug, squash, title_case
from imsskg.model import Mention

_OFFICE = re.compile(r"\b(?:Representación|Delegación|Subdelegación|Oficina|Jefatura|Coordinación Estatal)\b")
_OFFICE_IN_STATE = re.compile(r" +en +(?:el +[Ee]stado +de +)?((?:la +)?[A-ZÁÉÍÓÚÑ][\w ]*?[a-záéíóúñ])(?=[\s,.;:]|$)")
_POST_BEFORE = re.compile(r"\b(?:jef[ea]|secretari[oa]|director[a]?)\s+(?:de|del)\s+$", re.I)
#: Bodies inside an institution, named with it at the end ("Unidad de Evaluación de Delegaciones de
#: las Oficinas Centrales del IMSS"): the body is the name before it, and belongs to it.
_INNER_BODY = re.compile(
    r"^(?:H\. +)?(?:Consejo|Unidad|Coordinación|Dirección|Subdirección|División|Comité|Jefatura)\b"
)
_OWNER_AT_END = re.compile(
    r"(?: +de +las +Oficinas +Centrales)? +del +(?:IMSS|ISSSTE|Seguro +Social|Instituto +Mexicano +del +Seguro +Social|"
    r"Instituto +de +Seguridad +y +Servicios +Sociales +de +los +Trabajadores +del +Estado)$"
)
#: "la Dirección General del IMSS" is the director general's office, a post, not a body
_HEAD_OFFICE = re.compile(r"^Dirección General(?: +del?)?(?: +(?:IMSS|ISSSTE|Seguro Social|Instituto\b.*))?$")


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
        if _HEAD_OFFICE.match(squash(surface)) or _is_unit_type(surface):
            continue
        if _INNER_BODY.match(surface) and (owner := _OWNER_AT_END.search(surface)) and not _is_known(surface):
            surface = surface[: owner.start()]
        end = start + len(surface)
        office = _OFFICE_IN_STATE.match(text, end)
        if office and _OFFICE.search(surface) and load_gazetteer().state_by_name(office.group(1)):
            end = office.end()  # "Oficina de Representación del IMSS en Chiapas" is the Chiapas office
        name = squash(view[start:end])
        key = f"org/{slug(name)}"
        if (defined := _DEFINED_AS.match(text, end)) and (known := _known_acronym(defined.group(1))):
            key, name = known.key, known.name  # "Instituto Mexicano de Seguro Social (IMSS)": a slip, the IMSS
        found.append(Mention("Organization", text[start:end], start, end, key, "org-head", name))
    return found


_DEFINED_AS = re.compile(r" +\(([A-ZÁÉÍÓÚÑ][A-Za-zÁÉÍÓÚÑ-]{1,14})\)")


def _known_acronym(acronym: str) -> Known | None:
    """The organization the gazetteer knows by this acronym (an alias in capitals)."""
    return next(
        (k for k in load_gazetteer().known if k.type == "Organization" and acronym in k.aliases and acronym.isupper()),
        None,
    )


def _is_unit_type(name: str) -> bool:
    """Whether ``name`` is a kind of medical unit ("Unidad de Medicina Familiar"), not a body."""
    folded = re.sub(r" +(?:no|num|numero)$", "", fold(squash(name)))  # "Unidad de Medicina Familiar No. 48"
    return any(folded in (fold(u.name), fold(u.plural)) for u in load_gazetteer().unit_types)


def _is_known(name: str) -> bool:
    """Whether ``name`` is a name or alias of an organization the gazetteer knows."""
    folded = fold(squash(name))
    return any(k.type == "Organization" and folded in map(fold, k.aliases) for k in load_gazetteer().known)


#: IMSS's organ in each state (since 2020), in full or by its acronym: "Órgano de Operación
#: Administrativa Desconcentrada (OOAD) del IMSS en Guerrero", "OOAD IMSS Edomex Oriente".
_OOAD = re.compile(
    r"(?:Órgano +de +Operación +Administrativa +Desconcentrada(?: +\(OOAD\))?|OOAD)"
    r"(?: +(?:del +)?(?:IMSS|Instituto +Mexicano +del +Seguro +Social))?(?: +(?:en|de) +(?:el +)?)? *"
    r"(?P<place>[A-ZÁÉÍÓÚÑ][\wáéíóúñ.]*(?: +(?:de +)?[A-ZÁÉÍÓÚÑ][\wáéíóúñ.]*){0,3})"
)
_REGION = re.compile(r"^(?P<state>.*?)(?: +(?P<region>Norte|Sur|Oriente|Poniente))?$")


def find_ooads(text: str) -> list[Mention]:
    """The IMSS organ of a state, however it is written; one key per state (and region).

    >>> [ooad] = find_ooads("En el OOAD IMSS Edomex Oriente fue designado el titular.")
    >>> ooad.key, ooad.name.split(" del ")[-1]
    ('org/ooad-imss-15-oriente', 'IMSS en Estado de México Oriente')
    """
    found: list[Mention] = []
    for match in _OOAD.finditer(text):
        words = match["place"].split()
        for n in range(len(words), 0, -1):  # the longest state name the words start with
            where = _REGION.match(" ".join(words[:n]))
            state = load_gazetteer().state_by_name(where["state"]) if where else None
            if where and state:
                region = f" {where['region']}" if where["region"] else ""
                end = match.start("place") + len(" ".join(words[:n]))
                name = f"Órgano de Operación Administrativa Desconcentrada del IMSS en {state.name}{region}"
                key = f"org/ooad-imss-{state.inegi}" + (f"-{slug(region)}" if region else "")
                found.append(Mention("Organization", text[match.start() : end], match.start(), end, key, "ooad", name))
                break
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
