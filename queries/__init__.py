"""The library of named SPARQL queries (``queries/*.rq``) and how to run and print them.

Each file starts with a ``#`` comment saying what it answers; ``# param NAME = "default"``
lines declare parameters, bound as SPARQL variables (never pasted into the text); a
parameter is listed in the SELECT clause, where Oxigraph substitutes it.

>>> library = named_queries()
>>> "officials" in library and library["post-holders"].params["role"]
'director general'
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

from rdflib import Dataset, Literal, URIRef
from rdflib.term import Identifier, Node

_PARAM = re.compile(r'^#\s*param\s+(\w+)\s*=\s*"([^"]*)"\s*$', re.M)


@dataclass(frozen=True)
class NamedQuery:
    """A query of the library: its name, what it answers, its text and parameters."""

    name: str
    description: str
    text: str
    params: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Table:
    """A SELECT result: column names and rows of plain values (``None`` when unbound)."""

    columns: list[str]
    rows: list[list[str | None]]


def parse_query(name: str, text: str) -> NamedQuery:
    """Read the description and parameters from a query's leading comments."""
    first = next((line for line in text.splitlines() if line.startswith("#")), "")
    description = first.lstrip("#").strip()
    return NamedQuery(name, description, text, dict(_PARAM.findall(text)))


def named_queries() -> dict[str, NamedQuery]:
    """Every query shipped in ``queries/``, by name."""
    folder = files("imsskg.queries")
    return {
        entry.name[:-3]: parse_query(entry.name[:-3], entry.read_text(encoding="utf-8"))
        for entry in sorted(folder.iterdir(), key=lambda e: e.name)
        if entry.name.endswith(".rq")
    }


def load_query(name_or_file: str) -> NamedQuery:
    """A named query, or a ``.rq`` file given by path."""
    library = named_queries()
    if name_or_file in library:
        return library[name_or_file]
    path = Path(name_or_file)
    if path.is_file():
        return parse_query(path.stem, path.read_text(encoding="utf-8"))
    raise KeyError(f"no query named {name_or_file!r}; known: {', '.join(library)}")


def _plain(node: Node | None) -> str | None:
    return None if node is None else str(node)


def run(ds: Dataset, query: NamedQuery, values: Mapping[str, str] | None = None) -> Table:
    """Run a SELECT query with its parameters bound (defaults, overridden by ``values``)."""
    bindings: dict[str, Identifier] = {}
    for key, value in {**query.params, **(values or {})}.items():
        bindings[key] = URIRef(value) if re.match(r"https?://", value) else Literal(value)
    result = ds.query(query.text, initBindings=bindings)
    columns = [str(v) for v in result.vars or []]
    rows = [[_plain(row[i]) for i in range(len(columns))] for row in result]  # type: ignore[index]
    keep = [i for i, c in enumerate(columns) if c not in bindings]
    return Table([columns[i] for i in keep], [[row[i] for i in keep] for row in rows])


def to_csv(table: Table) -> str:
    """CSV with a header row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(table.columns)
    writer.writerows([["" if v is None else v for v in row] for row in table.rows])
    return out.getvalue()


def to_json(table: Table) -> str:
    """A JSON list of objects, one per row."""
    return json.dumps([dict(zip(table.columns, row, strict=True)) for row in table.rows], ensure_ascii=False, indent=1)


def to_text(table: Table, *, width: int = 60) -> str:
    """An aligned plain-text table (long cells are cut with an ellipsis).

    >>> print(to_text(Table(["a", "b"], [["x", None]])))
    a  b
    -  -
    x
    """

    def cell(v: str | None) -> str:
        v = "" if v is None else re.sub(r"\s+", " ", v)
        return v if len(v) <= width else v[: width - 1] + "…"

    cells = [table.columns, *[[cell(v) for v in row] for row in table.rows]]
    widths = [max(len(r[i]) for r in cells) for i in range(len(table.columns))]
    lines = ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def rows_as_dicts(table: Table) -> Sequence[dict[str, str | None]]:
    """The rows as dictionaries keyed by column."""
    return [dict(zip(table.columns, row, strict=True)) for row in table.rows]
