"""The project's one date parser: dates as Spanish press releases and their readers write them.

:func:`find_date` finds the first full written date in a text ("29 de noviembre de 2018",
"1° de diciembre de 2023", "1o. de mayo del 2020"); :func:`read_date` reads one date given on
its own, as a user types it: ISO (``2019-02-01``, ``2019-2-1``), day first (``31/01/2019``,
``1-2-2019``) or written.

>>> find_date("El Ciudadano · 19 de enero de 2024")
datetime.date(2024, 1, 19)
>>> read_date("31/01/2019"), read_date("1° de febrero de 2019")
(datetime.date(2019, 1, 31), datetime.date(2019, 2, 1))
>>> read_date("notadate")
Traceback (most recent call last):
...
ValueError: 'notadate' is not a date: write 2019-01-31, 31/01/2019 or 31 de enero de 2019
"""

from __future__ import annotations

import datetime as dt
import re

MONTHS = {
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7,
    "agosto": 8, "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11, "diciembre": 12,
}  # fmt: skip
_WRITTEN = re.compile(
    r"\b(?P<day>[0-3]?\d)(?:o\.?|º|°)?\s+de\s+(?P<month>"
    + "|".join(MONTHS)
    + r")\s+(?:de|del)\s+(?P<year>(?:19|20)\d\d)\b",
    re.IGNORECASE,
)
_ISO = re.compile(r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})")
_NUMERIC = re.compile(r"(?<![\d/.-])(?P<day>[0-3]?\d)/(?P<month>[01]?\d)/(?P<year>(?:19|20)\d\d)(?![\d/])")
_DAY_FIRST = re.compile(r"(?P<day>\d{1,2})[/.-](?P<month>\d{1,2})[/.-](?P<year>\d{4})")


def find_date(text: str) -> dt.date | None:
    """The first full written date in ``text`` that exists in the calendar, else the first
    numeric one written day first ("01/12/2023", as DOCX headers have them), or ``None``.

    >>> find_date("Boletín 214/2025 · 01/12/2023")
    datetime.date(2023, 12, 1)
    """
    for match in _WRITTEN.finditer(text):
        try:
            return dt.date(int(match["year"]), MONTHS[match["month"].lower()], int(match["day"]))
        except ValueError:
            continue
    for match in _NUMERIC.finditer(text):
        try:
            return dt.date(int(match["year"]), int(match["month"]), int(match["day"]))
        except ValueError:
            continue
    return None


def read_date(value: str) -> dt.date:
    """One date on its own, in any of the forms users write; ``ValueError`` says which forms
    are understood."""
    text = value.strip()
    for pattern in (_ISO, _DAY_FIRST):
        if match := pattern.fullmatch(text):
            try:
                return dt.date(int(match["year"]), int(match["month"]), int(match["day"]))
            except ValueError:
                break
    else:
        found = _WRITTEN.fullmatch(text.rstrip("."))
        if found and (date := find_date(found.group(0))):
            return date
    raise ValueError(f"{value!r} is not a date: write 2019-01-31, 31/01/2019 or 31 de enero de 2019")
