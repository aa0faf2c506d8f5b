"""Find amounts and counts in a document: value, unit, kind, what they are about, and purpose.

>>> [(a.text, a.value, a.unit, a.kind) for a in find_amounts("Se invirtieron 52,387 millones de pesos en hospitales.")]
[('52,387 millones de pesos', Decimal('52387000000'), 'MXN', 'investment')]
>>> [(a.value, a.unit) for a in find_amounts("En un día típico se atienden 832 partos y 404 mil 118 consultas.")]
[(Decimal('832'), 'partos'), (Decimal('404118'), 'consultas')]
"""

from __future__ import annotations

import re
from decimal import Decimal

from imsskg.extract.numerals import NUMERAL, parse_number

from imsskg.lang.text import fold, squash
from imsskg.lang.words import word_list
from imsskg.model import Amount

_CURRENCY = re.compile(
    r"^ *(?:de +)?(?P<cur>millones de pesos|mil millones de pesos|pesos|mdp|mmdp|MXN|dólares|dolares|USD|euros|EUR)"
    r"(?: +\((?:mdp|mmdp|MXN)\))?(?![\w])",
    re.IGNORECASE,
)
_PERCENT = re.compile(r"^ *(?:%|por ciento)(?![\w])")
_CURRENCY_CODES = {
    "pesos": "MXN", "mdp": "MXN", "mmdp": "MXN", "mxn": "MXN", "millones de pesos": "MXN",
    "mil millones de pesos": "MXN", "dolares": "USD", "usd": "USD", "euros": "EUR", "eur": "EUR",
}  # fmt: skip
_CURRENCY_SCALE = {"mdp": 10**6, "millones de pesos": 10**6, "mmdp": 10**9, "mil millones de pesos": 10**9}
_CAPITALISED_UNIT = re.compile(
    r"^ *(?:de +)?((?:[A-ZÁÉÍÓÚÑ][\wáéíóúñü-]+)(?: +(?:de +(?:la +|los +|las +)?|del +|y +)?[A-ZÁÉÍÓÚÑ][\wáéíóúñü-]+)*)"
)
_WORD_UNIT = re.compile(
    r"^ *(?:de +)?([a-záéíóúñü]{3,})(?: +([a-záéíóúñü]{3,}(?:os|as|es|ales|ares|ivos|ivas)))?"
    r"(?P<of> +de +[A-ZÁÉÍÓÚÑ][\wáéíóúñü]+(?: +[A-ZÁÉÍÓÚÑ][\wáéíóúñü]+)*)?\b"
)
#: "54 mil 335 de Especialidades": the counted noun is left out and said before in the sentence
_ELIDED = re.compile(
    r"^ +de +([A-ZÁÉÍÓÚÑa-záéíóúñ][\wáéíóúñü]+(?: +[A-ZÁÉÍÓÚÑ][\wáéíóúñü]+)*(?: +[a-záéíóúñ]+(?=[,;.]))?)"
)
_NOT_UNITS = word_list("not_units")
_TIME = {"anos", "horas", "dias", "semanas", "meses", "minutos", "segundos"}
_KINDS = (
    ("daily_average", re.compile(r"d[ií]a t[ií]pico|diari|al d[ií]a|por d[ií]a|cada d[ií]a", re.I)),
    ("average", re.compile(r"en promedio|promedio de", re.I)),
    ("investment", re.compile(r"invers|invirt|invert|invier|destin|asign|presupuest|financ", re.I)),
    ("savings", re.compile(r"ahorr", re.I)),
    ("revenue", re.compile(r"recaud|ingres", re.I)),
    ("cost", re.compile(r"cost|gast|d[ée]ficit|pag[oa]", re.I)),
    ("growth", re.compile(r"crecimiento|increment|aument|creci[oó]|superior en|m[aá]s que", re.I)),
)
_MONEY_KINDS = {"investment", "savings", "revenue", "cost"}
_PURPOSE_AFTER = re.compile(r"^[^.;:]*?\bpara +((?:la|el|los|las) +[^,.;:]{5,140})")
# "En equipamiento médico, la inversión fue de ...", "En la digitalización ... se han invertido ..."
_PURPOSE_BEFORE = re.compile(
    r"^[\s·•-]*(?:En|Para) +((?:la |el |los |las )?.{4,140}?)"
    r"(?:,| +(?:se +)?(?:han? +)?(?:invirt|invert|destin|asign))",
    re.DOTALL,
)


def _unit(text: str, end: int, value: Decimal) -> tuple[str, int, Decimal] | None:
    """The unit after a numeral: currency (scaling "mdp"), percent, or the thing counted."""
    tail = text[end : end + 120]
    if m := _PERCENT.match(tail):
        return "%", end + m.end(), value
    if m := _CURRENCY.match(tail):
        word = fold(m.group("cur")).lower()
        return _CURRENCY_CODES[word], end + m.end(), value * _CURRENCY_SCALE.get(word, 1)
    if m := _CAPITALISED_UNIT.match(tail):
        if not re.match(r"\w+[sS]\b", m.group(1)) and value != 1:
            return None  # "la 115 Asamblea General": an ordinal, not a count
        return re.sub(r"\s+", " ", m.group(1)), end + m.end(), value
    if (m := _WORD_UNIT.match(tail)) and fold(m.group(1)) not in _NOT_UNITS:
        words = [m.group(1)] + ([m.group(2)] if m.group(2) and fold(m.group(2)) not in _NOT_UNITS else [])
        if fold(words[0]) in _TIME and value < 1000:
            return None  # "las 24 horas", "79 años": not figures of the health system
        if not words[0].endswith("s") and value != 1:
            return None  # counted nouns are plural: "2012 ninguno", "500 millones corresponden" are not
        of = m.group("of") or ""
        if re.match(r",? +(?:[A-ZÁÉÍÓÚÑ]|[a-záéíóúñ]+ +y +)", tail[m.end() : m.end() + 30]):
            of = ""  # "consultas de Medicina Familiar, Especialidades y Urgencias": a list, not one kind
        unit = " ".join(words) + of
        return re.sub(r"\s+", " ", unit), end + tail.index(words[0]) + len(unit), value
    return None


def _kind(before: str, after: str, unit: str) -> str:
    """The kind of figure, from the cue word nearest to it: before it in its clause, then after."""
    money = unit in {"MXN", "USD", "EUR"}
    cues = [(kind, pattern) for kind, pattern in _KINDS if kind not in _MONEY_KINDS or money]
    nearest_before = [(max(m.end() for m in p.finditer(before)), k) for k, p in cues if p.search(before)]
    if nearest_before:
        return max(nearest_before)[1]
    if unit == "%":  # "59 por ciento ... de incremento"
        nearest_after = [(m.start(), k) for k, p in cues if (m := p.search(after))]
        if nearest_after:
            return min(nearest_after)[1]
    if unit == "%":
        return "share"
    return "amount" if unit in {"MXN", "USD", "EUR"} else "count"


def _purpose(sentence_before: str, sentence_after: str) -> str | None:
    if m := _PURPOSE_BEFORE.match(sentence_before):
        return squash(m.group(1))
    if m := _PURPOSE_AFTER.match(sentence_after):
        return squash(m.group(1))
    return None


def find_amounts(text: str, sentences: list[tuple[int, int]] | None = None) -> list[Amount]:
    """Every figure with a unit in ``text``; years, dates and bulletin numbers are left out."""
    spans = sentences or [(0, len(text))]
    found: list[Amount] = []
    for match in NUMERAL.finditer(fold(text)):  # folded: "veintidós", "millón" (same length)
        start, end = match.span()
        if text[max(0, start - 1) : start] in {"-", "/", "$"} and text[start - 1 : start] != "$":
            continue
        if text[end : end + 1] in {"/", "-"}:
            continue
        value = parse_number(text[start:end])
        if value is None:
            continue
        year = re.fullmatch(r"(?:19|20)\d\d", match.group(0))
        if year and not _PERCENT.match(text[end : end + 12]) and not _CURRENCY.match(text[end : end + 40]):
            continue  # a year
        unit = _unit(text, end, value)
        s_start, s_end = next(((a, b) for a, b in spans if a <= start < b), (0, len(text)))
        before = re.split(r"[;:]", text[s_start:start])[-1][-120:]  # the clause the figure is in
        after = text[end:s_end].split(",", 1)[0][:80]
        previous = next((f for f in reversed(found) if f.start >= s_start and f.unit[:1].islower()), None)
        elided = _ELIDED.match(text[end : end + 80])
        named_after = unit is None or (unit[0] not in {"MXN", "USD", "EUR", "%"} and unit[0][:1].isupper())
        if previous and elided and named_after:
            # "404 mil 118 consultas, de las cuales ... 54 mil 335 de Especialidades"
            noun = previous.unit.split(" de ")[0]
            unit = (f"{noun} de {elided.group(1)}", end + elided.end(), value)
        if unit is None:
            # "se invirtieron 15 mil millones": money by context, when a scale word says how much
            said = re.search(r"millon|millones", match.group(0), re.I)
            if text[start - 1 : start] == "$" or (said and _kind(before[-40:], "", "MXN") in _MONEY_KINDS):
                unit = ("MXN", end, value)
            else:
                continue
        code, unit_end, scaled = unit
        if text[max(0, start - 1) : start] == "$" and code not in {"MXN", "USD", "EUR", "%"}:
            code = "MXN"
        kind = _kind(before, after, code)
        purpose = _purpose(text[s_start:start], text[unit_end:s_end]) if kind == "investment" else None
        found.append(Amount(text[start:unit_end], start, unit_end, scaled, code, kind, s_start, s_end, None, purpose))
    return found
