"""Word lists and small tables of ``lang/data``, read once per process.

>>> "instituto" in word_list("not_names")
True
>>> dict(table("numerals.csv"))["quince"]
'15'
"""

from __future__ import annotations

import csv
from functools import cache
from importlib.resources import files

from imsskg.lang.text import fold


def data_text(name: str) -> str:
    """The text of a data file of ``lang/data``."""
    return files("imsskg.lang").joinpath("data", name).read_text(encoding="utf-8")


@cache
def word_list(name: str) -> frozenset[str]:
    """The words of ``lang/data/<name>.txt`` (one a line, ``#`` starts a comment), folded."""
    lines = (line.split("#", 1)[0].strip() for line in data_text(f"{name}.txt").splitlines())
    return frozenset(fold(line) for line in lines if line)


@cache
def table(name: str) -> tuple[tuple[str, ...], ...]:
    """The rows of a CSV file of ``lang/data`` (its header left out)."""
    rows = list(csv.reader(data_text(name).splitlines()))
    return tuple(tuple(row) for row in rows[1:] if row)
