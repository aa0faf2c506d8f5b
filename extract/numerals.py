"""Read Spanish numerals as bulletins write them into exact decimal values.

Digits with either separator convention ("52,387", "1.531", "83.2", "1.234,5"), words
("cinco millones", "dos mil 852", "trescientos"), mixed forms ("22 millones 643 mil 638",
"103 mil 714 millones") and the scales mil, millón, mil millones and billón.

>>> parse_number("22 millones 643 mil 638")
Decimal('22643638')
>>> parse_number("103 mil 714 millones")
Decimal('103714000000')
>>> parse_number("83.2 millones")
Decimal('83200000.0')
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from imsskg.lang.text import fold
from imsskg.lang.words import table

#: Spanish number words (folded) and their values.
UNITS = {word: int(value) for word, value in table("numerals.csv")}
SCALES = {"mil": 10**3, "millon": 10**6, "millones": 10**6, "billon": 10**12, "billones": 10**12}
_WORD = "|".join(sorted(UNITS, key=len, reverse=True))
_DIGITS = r"\d{1,3}(?:[.,]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?"
_TENS = (
    r"(?:treinta|cuarenta|cincuenta|sesenta|setenta|ochenta|noventa)"
    r" +y +(?:un[oa]?|dos|tres|cuatro|cinco|seis|siete|ocho|nueve)"
)
# "por ciento" is a percentage, not a hundred
_TOKEN = rf"(?:{_DIGITS}|{_TENS}(?![a-z])|(?<!por )(?:{_WORD})(?![a-z]))"
_SCALE = r"(?:mil(?![a-z])|mill[oó]n(?:es)?(?![a-z])|bill[oó]n(?:es)?(?![a-z]))"
#: A numeral: number tokens and scales ("22 millones 643 mil 638", "treinta y cinco", "mil 531").
NUMERAL = re.compile(rf"(?<![\w.,])(?:{_TOKEN}|{_SCALE})(?: +(?:{_TOKEN}|{_SCALE}))*(?![\w])", re.IGNORECASE)
#: Words that alone are an article or pronoun more often than a figure ("un total de").
_ARTICLES = {"un", "una", "uno"}


def parse_digits(text: str) -> Decimal:
    """A number written with digits, whichever the separators.

    >>> parse_digits("1.531"), parse_digits("52,387"), parse_digits("244.7"), parse_digits("1.234,5")
    (Decimal('1531'), Decimal('52387'), Decimal('244.7'), Decimal('1234.5'))
    """
    if "," in text and "." in text:
        decimal_mark = "," if text.rfind(",") > text.rfind(".") else "."
        thousands = "." if decimal_mark == "," else ","
        return Decimal(text.replace(thousands, "").replace(decimal_mark, "."))
    for mark in (",", "."):
        if mark in text:
            groups = text.split(mark)
            if len(groups) > 2 or (len(groups[-1]) == 3 and len(groups[0]) <= 3 and groups[0] != "0"):
                return Decimal(text.replace(mark, ""))  # thousands: "1.531", "52,387", "1,234,567"
            return Decimal(text.replace(mark, "."))  # decimals: "83.2", "5,3"
    return Decimal(text)


def parse_number(text: str) -> Decimal | None:
    """The value of a Spanish numeral, or ``None`` if ``text`` is not one (or is only "un")."""
    words = re.findall(rf"{_DIGITS}|[a-záéíóúñü]+", text.lower())
    if not words or all(fold(w) in _ARTICLES for w in words):
        return None
    total = Decimal(0)
    current: Decimal | None = None
    for word in words:
        folded = fold(word)
        if word[0].isdigit():
            try:
                value = parse_digits(word)
            except InvalidOperation:
                return None
            current = (current or Decimal(0)) + value
        elif folded in UNITS:
            current = (current or Decimal(0)) + UNITS[folded]
        elif folded == "y":
            continue
        elif folded == "mil":
            current = (current if current is not None else Decimal(1)) * 1000
        elif folded in SCALES:
            total += (current if current is not None else Decimal(1)) * SCALES[folded]
            current = None
        else:
            return None
    return total + (current or 0)
