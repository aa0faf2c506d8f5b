"""The library of named SPARQL queries (``queries/*.rq``) and how to run and print them.

Each file starts with a ``#`` comment saying what it answers, then ``# title: …`` and
``# es: …`` (its Spanish title and summary in the web app); ``# param NAME = "default"``
lines declare parameters, bound as SPARQL variables (never pasted into the text); a
parameter is listed in the SELECT clause, where Oxigraph substitutes it.

>>> library = named_queries()
>>> "officials" in library and library["post-holders"].params["role"]
'director general'
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from importlib.resources import files
from pathlib import Path
from typing import TextIO

import pyoxigraph as ox
from imsskg.graph.store import IRI, Rows, Store, Value, value
from imsskg.ontology import PREFIXES, RDF

from imsskg.lang.dates import read_date
from imsskg.lang.text import lookup_word, search_key, squash

_PARAM = re.compile(r'^#\s*param\s+(\w+)\s*=\s*"([^"]*)"\s*$', re.M)
_TITLE = re.compile(r"^#\s*title:\s*(.+?)\s*$", re.M)
_SPANISH = re.compile(r"^#\s*es:\s*(.+?)\s*$", re.M)
_PAGES = re.compile(r"^#\s*pages:\s*\?(\w+)\s+(?:a\s+(\w+:\w+)\s+)?by\s+(\w+:\w+)(?:\s+else\s+(\w+:\w+))?\s*$", re.M)
_AMONG = re.compile(r"^#\s*among:\s*(.+?)\s*$", re.M)


@dataclass(frozen=True)
class Window:
    """How a listing is read one thing at a time (``# pages: ?h a ikg:Hospital by
    ikg:documentCount``, ``# pages: ?d by schema:datePublished else ikg:sourceFile``): the
    variable naming the thing, its class if any, the predicate whose object orders the things
    (greatest first), and the one that finds those without it.

    ``# among: PATTERN`` (a group pattern over the query's parameters) names the few things a
    lookup can answer from, e.g. the press releases mentioning an entity named like ``?name``:
    those are read newest first when they are few (at most :data:`LARGEST_WINDOW`), every thing
    of the store newest first when they are many (the first of them then fill a page)."""

    variable: str
    key: str
    kind: str | None = None
    otherwise: str | None = None
    among: str | None = None


def _expand(name: str | None) -> str | None:
    if name is None:
        return None
    prefix, _, local = name.partition(":")
    return PREFIXES[prefix] + local


@dataclass(frozen=True)
class NamedQuery:
    """A query of the library: its name, what it answers, its text and parameters, and the
    Spanish title the web app shows."""

    name: str
    description: str
    text: str
    params: dict[str, str] = field(default_factory=dict)
    title: str = ""
    #: what it answers, in Spanish (the web app's words)
    summary: str = ""
    #: a listing read one thing at a time (see :func:`solutions`)
    window: Window | None = None
    #: the page to read (see :func:`paged`)
    limit: int | None = None
    offset: int = 0

    @property
    def sparql(self) -> str:
        """The text with the page's ``LIMIT``/``OFFSET`` (what a remote store is sent)."""
        page = (f"LIMIT {self.limit} " if self.limit is not None else "") + (
            f"OFFSET {self.offset}" if self.offset else ""
        )
        return f"{self.text.rstrip()}\n{page.strip()}" if page else self.text


def bare(text: str) -> str:
    """A query's text without its comments, IRIs and strings (what prefixed names are read from).

    >>> bare('SELECT ?x { ?x <http://a/b:c> "d:e" } # f:g')
    'SELECT ?x { ?x   } '
    """
    return re.sub(r"(?m)#.*$|<[^>]*>|\"[^\"]*\"", "", text)


def declare_prefixes(text: str) -> str:
    """The query with the ontology's prefixes it uses but does not declare declared (after its
    leading comment line, if any).

    >>> declare_prefixes("SELECT ?l WHERE { ?e skos:prefLabel ?l }").splitlines()[0][:13]
    'PREFIX skos: '
    """
    declared = set(re.findall(r"(?im)^\s*PREFIX\s+(\w*):", text))
    used = set(re.findall(r"\b([a-z]+):\w", bare(text)))
    missing = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items() if p in used - declared)
    if not missing:
        return text
    head, sep, rest = text.partition("\n") if text.startswith("#") else ("", "", text)
    return f"{head}{sep}{missing}{rest}"


def parse_query(name: str, text: str) -> NamedQuery:
    """Read the description and parameters from a query's leading comments (and declare the
    ontology's prefixes it leaves undeclared)."""
    first = next((line for line in text.splitlines() if line.startswith("#")), "")
    description = first.lstrip("#").strip()
    title, summary, pages = _TITLE.search(text), _SPANISH.search(text), _PAGES.search(text)
    window = None
    if pages:
        variable, kind, key, otherwise = pages.groups()
        among = _AMONG.search(text)
        window = Window(variable, _expand(key) or "", _expand(kind), _expand(otherwise), among and among.group(1))
    return NamedQuery(
        name, description, declare_prefixes(text), dict(_PARAM.findall(text)), title.group(1) if title else name,
        summary.group(1) if summary else description, window,
    )  # fmt: skip


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
    if path.suffix == ".rq" or "/" in name_or_file:
        raise KeyError(f"no file {name_or_file}")
    raise KeyError(f"no query named {name_or_file!r}; known: {', '.join(library)}")


def parameter(value: str) -> Value:
    """A parameter's value as given on a command line or in a URL: an IRI for ``http(s)://…``,
    else a string."""
    return IRI(value) if re.match(r"https?://", value) else value


class ParameterError(ValueError):
    """A parameter the query does not take, or a value it cannot read."""


def checked(query: NamedQuery, values: Mapping[str, str]) -> dict[str, str]:
    """The query's parameters with ``values`` over the defaults, each read as its kind: a
    parameter named ``date`` (or ``…_date``) takes any date form users write (read to ISO).
    Where the text uses ``?X_key`` or ``?X_word``, parameter ``X`` also gives its search key
    and its longest word (:func:`~imsskg.lang.text.search_key`): the corpus graph holds both
    for every label (``ikg:searchKey``, ``ikg:searchToken``), so a lookup by name is an index
    lookup, not a scan of every label.

    >>> q = NamedQuery("who-held", "", "", {"date": "2020-06-01"})
    >>> checked(q, {"date": "31/01/2019"})
    {'date': '2019-01-31'}
    >>> checked(q, {"nosuch": "1"})
    Traceback (most recent call last):
    ...
    imsskg.queries.ParameterError: who-held takes no parameter 'nosuch'; its parameters: date
    """
    unknown = sorted(set(values) - set(query.params))
    if unknown:
        known = ", ".join(query.params) or "none"
        raise ParameterError(f"{query.name} takes no parameter {unknown[0]!r}; its parameters: {known}")
    out = {**query.params, **values}
    for name in out:
        if name == "date" or name.endswith("_date"):
            try:
                out[name] = read_date(out[name]).isoformat()
            except ValueError as exc:
                raise ParameterError(f"{name}: {exc}") from exc
    for name in list(out):  # the lookup forms the text asks for: ?X_key, ?X_word
        if f"?{name}_key" in query.text:
            out[f"{name}_key"] = search_key(out[name])
        if f"?{name}_word" in query.text:
            out[f"{name}_word"] = lookup_word(out[name])
    return out


_FINAL_LIMIT = re.compile(r"\bLIMIT\s+\d+\s*(OFFSET\s+\d+\s*)?$", re.I)


def paged(query: NamedQuery, limit: int | None = None, offset: int = 0) -> NamedQuery:
    """The query reading ``limit`` rows from ``offset`` on, in the order its ``ORDER BY``
    gives (every listing of the library has one, so that pages follow each other). A query
    that ends with its own ``LIMIT`` (who-held answers one row) takes no page.

    >>> print(paged(NamedQuery("x", "", "SELECT ?a WHERE { ?a ?b ?c } ORDER BY ?a"), 100, 200).sparql)
    SELECT ?a WHERE { ?a ?b ?c } ORDER BY ?a
    LIMIT 100 OFFSET 200
    """
    if limit is None and not offset:
        return query
    if (limit is not None and limit < 0) or offset < 0:
        raise ParameterError("limit and offset are numbers of rows, 0 or more")
    if _FINAL_LIMIT.search(re.sub(r"(?m)#.*$", "", query.text).rstrip()):
        raise ParameterError(f"{query.name} sets its own LIMIT: it takes no limit or offset")
    return replace(query, limit=limit, offset=offset)


#: How many things a listing reads at first, doubled at each window up to the largest.
FIRST_WINDOW, LARGEST_WINDOW = 16, 4096


def _growing(things: Iterator[ox.NamedNode]) -> Iterator[list[ox.NamedNode]]:
    """``things`` in windows of :data:`FIRST_WINDOW`, doubled up to :data:`LARGEST_WINDOW`."""
    size = FIRST_WINDOW
    while window := list(itertools.islice(things, size)):
        yield window
        size = min(2 * size, LARGEST_WINDOW)


def _windows(store: Store, window: Window, bindings: Mapping[str, Value]) -> Iterator[list[ox.NamedNode]]:
    """The things a listing reads, from the greatest key to the least (the newest date first,
    ties in the store's order), then those without a key, a window at a time.

    The things are sorted once (an ``ORDER BY`` over the store's encoded values; a read-only
    store keeps the order: see :meth:`Store.kept`) and read a window at a time: no string is
    read but those of the window's subjects. With ``among`` (see :class:`Window`): the things
    it finds, in that order (ties by IRI), when they are at most :data:`LARGEST_WINDOW`; when
    they are more, every thing (the query itself keeps those it is about)."""
    v = f"?{window.variable}"
    kind = ox.NamedNode(window.kind) if window.kind else None

    def of_kind(nodes: list[ox.NamedNode]) -> list[ox.NamedNode]:
        # the class by an index lookup each (joined in SPARQL, it costs a sort of the join)
        return [n for n in nodes if kind is None or next(store.quads(n, RDF.type, kind), None) is not None]

    if window.among:
        used = {k: b for k, b in bindings.items() if re.search(rf"\?{k}\b", window.among)}
        projected = " ".join(f"?{k}" for k in used)  # a bound variable is projected (pyoxigraph)
        few = declare_prefixes(f"SELECT DISTINCT {v} {projected} WHERE {{ {window.among} }} LIMIT {LARGEST_WINDOW + 1}")
        candidates = [row[0] for row in store.terms(few, bindings=used)]
        if len(candidates) <= LARGEST_WINDOW:
            if candidates:
                ordered = store.terms(
                    f"SELECT {v} WHERE {{ VALUES {v} {{ {' '.join(map(str, candidates))} }} "
                    f"OPTIONAL {{ GRAPH ?g {{ {v} <{window.key}> ?key }} }} }} ORDER BY DESC(?key) {v}"
                )
                nodes = dict.fromkeys(n for row in ordered if isinstance(n := row[0], ox.NamedNode))
                for part in _growing(iter(nodes)):
                    if kept := of_kind(part):
                        yield kept
            return
    queries = [f"SELECT DISTINCT {v} WHERE {{ GRAPH ?g {{ {v} <{window.key}> ?key }} }} ORDER BY DESC(?key)"]
    if window.otherwise:
        queries.append(
            f"SELECT DISTINCT {v} WHERE {{ GRAPH ?g {{ {v} <{window.otherwise}> ?other }} "
            f"FILTER NOT EXISTS {{ GRAPH ?k {{ {v} <{window.key}> ?key }} }} }}"
        )
    for query in queries:
        # sorted once (once per read-only store: its order is kept), read a window at a time
        def read(q: str = query) -> list[ox.NamedNode]:
            return [row[0] for row in store.terms(q)]  # type: ignore[misc]

        found = iter(store.kept(query, read) if store.read_only else (row[0] for row in store.terms(query)))
        for part in _growing(found):  # type: ignore[arg-type]
            if kept := of_kind(part):
                yield kept


def _masked(text: str) -> str:
    """``text`` with its comments blanked out, every other character in its place."""
    return re.sub(r"(?m)#.*$", lambda m: " " * len(m.group(0)), text)


def where_clause(text: str) -> tuple[int, int]:
    """Where the outer ``WHERE { … }`` of a query starts and ends (past its closing brace),
    comments left aside.

    >>> text = "SELECT ?a WHERE { ?a ?b ?c # }\\n { ?a ?b ?d } } ORDER BY ?a"
    >>> start, end = where_clause(text); text[start:end][-14:]
    '{ ?a ?b ?d } }'
    """
    masked = _masked(text)
    where = re.search(r"\bWHERE\s*\{", masked, re.I)
    if where is None:
        raise ValueError("the query has no WHERE clause")
    depth = 0
    for i in range(where.end() - 1, len(masked)):
        depth += {"{": 1, "}": -1}.get(masked[i], 0)
        if depth == 0:
            return where.start(), i + 1
    raise ValueError("the query's WHERE clause is not closed")


#: The variable that keeps a window's rows in the window's order (see :func:`_for_window`).
_RANK = "?window_rank"


def _for_window(text: str, variable: str, nodes: list[ox.NamedNode]) -> str:
    """``text`` answering for the ``nodes`` as values of ``?variable``, one after the other: its
    ``WHERE`` clause evaluated for each (``LATERAL``, SPARQL 1.2 draft; Oxigraph), the rows of
    each node in the query's order, the nodes in the order given.

    >>> print(_for_window("SELECT ?n WHERE { ?d ?p ?n } ORDER BY ?n", "d", [ox.NamedNode("urn:a")]))
    SELECT ?n WHERE { VALUES (?d ?window_rank) { (<urn:a> 0) } LATERAL { ?d ?p ?n } } ORDER BY ?window_rank ?n
    >>> _for_window("SELECT ?n WHERE { ?d ?p ?n } GROUP BY ?n # not ORDER BY ?d\\nORDER BY ?n", "d", [])[-69:]
    '} GROUP BY ?window_rank ?n # not ORDER BY ?d\\nORDER BY ?window_rank ?n'
    """
    start, end = where_clause(text)
    opened, close = text.index("{", start), end - 1
    values = " ".join(f"({node} {i})" for i, node in enumerate(nodes))
    tail, masked = text[close:], _masked(text[close:])
    # the outer query's ORDER BY, then its GROUP BY (which comes before: its place stays right),
    # found where comments are masked
    for clause in (r"\bORDER\s+BY\b", r"\bGROUP\s+BY\b"):
        if found := re.search(clause, masked, re.I):
            tail = f"{tail[: found.end()]} {_RANK}{tail[found.end() :]}"
    body = text[opened + 1 : close]
    return f"{text[: opened + 1]} VALUES (?{variable} {_RANK}) {{ {values} }} LATERAL {{{body}}} {tail}"


Solution = tuple[ox.NamedNode | ox.BlankNode | ox.Literal | None, ...]


def solutions(
    store: Store, query: NamedQuery, values: Mapping[str, str] | None = None
) -> tuple[tuple[str, ...], Iterator[Solution]]:
    """The query's columns (its parameters left out) and its rows as RDF terms, streamed, for
    the page the query holds (:func:`paged`).

    A listing with a window (``# pages: ?d by schema:datePublished else ikg:sourceFile``: see
    :class:`Window`) is read a window of values of ``?d`` at a time, the query evaluated for
    each (:func:`_for_window`): the press releases newest first (those of one date in the
    store's order, then those without a date), each one's rows in the query's ``ORDER BY``.
    Those are the query's own rows; a page costs the press releases it spans (a query per
    window, the first of :data:`FIRST_WINDOW`), not a sort of every row of the corpus, and a
    whole listing streams in the memory of one window's rows.

    >>> store = Store.memory()
    >>> turtle = "".join(f"@prefix {p}: <{iri}> .\\n" for p, iri in PREFIXES.items()) + '''
    ...     <urn:a> ikg:sourceFile "a.txt" ; schema:datePublished "2024-01-19"^^xsd:date .
    ...     <urn:b> ikg:sourceFile "b.txt" ; schema:datePublished "2025-02-01"^^xsd:date .
    ...     <urn:c> ikg:sourceFile "c.txt" .'''
    >>> store.load(turtle, format=ox.RdfFormat.TURTLE, graph=ox.NamedNode("urn:g"))
    >>> files = parse_query("files", "# pages: ?d by schema:datePublished else ikg:sourceFile\\n"
    ...     "SELECT ?file ?date WHERE { GRAPH ?g { ?d ikg:sourceFile ?file "
    ...     "OPTIONAL { ?d schema:datePublished ?date } } } ORDER BY DESC(?date) ?file")
    >>> columns, rows = solutions(store, paged(files, 2, 1))
    >>> columns, [row[0].value for row in rows]
    (('file', 'date'), ['a.txt', 'c.txt'])
    """
    bindings = bound(query, values)
    if query.window is None:
        answer = store.solutions(query.sparql, bindings=bindings)
        if not isinstance(answer, ox.QuerySolutions):
            raise ValueError("not a SELECT query")
        names = [v.value for v in answer.variables]
        keep = [i for i, name in enumerate(names) if name not in bindings]
        return tuple(names[i] for i in keep), (tuple(row[i] for i in keep) for row in answer)
    window = query.window
    variable = window.variable
    first = store.solutions(_for_window(query.text, variable, []), bindings=bindings)  # what the columns are
    if not isinstance(first, ox.QuerySolutions):
        raise ValueError("not a SELECT query")
    names = [v.value for v in first.variables]
    keep = [i for i, name in enumerate(names) if name not in bindings]

    def rows() -> Iterator[Solution]:
        skip, left = query.offset, query.limit
        if left == 0:
            return
        for things in _windows(store, window, bindings):
            for row in store.solutions(_for_window(query.text, variable, things), bindings=bindings):  # type: ignore[union-attr]
                if skip:
                    skip -= 1
                    continue
                yield tuple(row[i] for i in keep)
                if left is not None:
                    left -= 1
                    if left == 0:
                        return

    return tuple(names[i] for i in keep), rows()


def bound(query: NamedQuery, values: Mapping[str, str] | None = None) -> dict[str, Value]:
    """The query's parameters (see :func:`checked`) as the values a store binds."""
    return {key: parameter(value) for key, value in checked(query, values or {}).items()}


def run(store: Store, query: NamedQuery, values: Mapping[str, str] | None = None) -> Rows:
    """Run a SELECT query with its parameters bound (defaults, overridden by ``values``, each
    checked: see :func:`checked`); the parameters' own columns are left out of the rows."""
    columns, terms = solutions(store, query, values)
    return Rows(columns, tuple(tuple(map(value, row)) for row in terms))


def text_of(v: Value) -> str:
    """A value as text for a table or CSV cell (``""`` when unbound).

    >>> text_of(None), text_of(3), text_of(Decimal("52387000000"))
    ('', '3', '52387000000')
    """
    if v is None:
        return ""
    if isinstance(v, dt.date):
        return v.isoformat()
    return str(v)


def json_value(v: Value) -> str | int | float | bool | None:
    """A value for JSON: numbers stay numbers, dates become ISO strings."""
    if isinstance(v, Decimal):
        return int(v) if v == v.to_integral_value() else float(v)
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, IRI):
        return str(v)
    return v


def write_csv(store: Store, query: NamedQuery, values: Mapping[str, str] | None, out: TextIO) -> int:
    """Write a query's answer to ``out`` as CSV, row by row as the store gives them (a listing
    read in windows in the memory of one window: see :func:`solutions`); the number of rows
    written."""
    columns, terms = solutions(store, query, values)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    written = 0
    for row in terms:
        writer.writerow([text_of(value(t)) for t in row])
        written += 1
    return written


def to_csv(rows: Rows) -> str:
    """CSV with a header row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(rows.columns)
    writer.writerows([[text_of(v) for v in row] for row in rows])
    return out.getvalue()


def to_json(rows: Rows) -> str:
    """A JSON list of objects, one per row."""
    objects = [{c: json_value(v) for c, v in zip(rows.columns, row, strict=True)} for row in rows]
    return json.dumps(objects, ensure_ascii=False, indent=1)


#: A column ``X_iri`` holds the IRI of the thing column ``X`` names: tables for people show ``X``
#: linked to it (the web app) or ``X`` alone (the terminal); CSV and JSON keep both.
IRI_SUFFIX = "_iri"


def for_people(rows: Rows) -> Rows:
    """``rows`` without the ``X_iri`` columns that sit beside a label column ``X``.

    >>> for_people(Rows(("name", "name_iri"), (("Zoé", "https://w3id.org/imsskg/id/person/zoe"),))).columns
    ('name',)
    """
    labelled = {c for c in rows.columns if c.endswith(IRI_SUFFIX) and c.removesuffix(IRI_SUFFIX) in rows.columns}
    keep = [i for i, c in enumerate(rows.columns) if c not in labelled]
    return Rows(tuple(rows.columns[i] for i in keep), tuple(tuple(row[i] for i in keep) for row in rows))


def to_text(rows: Rows, *, width: int = 60) -> str:
    """An aligned plain-text table (long cells are cut with an ellipsis; ``X_iri`` columns left out).

    >>> print(to_text(Rows(("a", "b"), (("x", None),))))
    a  b
    -  -
    x
    """

    def cell(v: Value) -> str:
        text = squash(text_of(v))
        return text if len(text) <= width else text[: width - 1] + "…"

    rows = for_people(rows)
    cells = [list(rows.columns), *[[cell(v) for v in row] for row in rows]]
    widths = [max(len(r[i]) for r in cells) for i in range(len(rows.columns))]
    lines = ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
