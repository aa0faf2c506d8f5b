"""The one handle on the graph: an embedded Oxigraph store, persistent or in memory.

:class:`Store` wraps ``pyoxigraph.Store``: it opens a folder read-only or writable (or keeps the
graph in memory), runs SPARQL with bindings and answers typed rows (:class:`Rows`: Python
ints, decimals, dates; IRIs as :class:`IRI` strings), loads and dumps RDF, and gives rdflib
users a ``Dataset`` over the same data. Writes are all-or-nothing: :func:`writing` copies the
store to a staging folder (a RocksDB checkpoint, cheap), lets the caller change the copy, and
swaps it in only when the block completes; an interrupted write leaves the previous graph in
place, and a lock keeps a second writer out meanwhile.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp()) / "kg"
>>> with writing(folder) as store:
...     store.load('<urn:a> <urn:b> 3 .', format=ox.RdfFormat.TURTLE, graph=ox.NamedNode("urn:g"))
>>> with Store.open(folder) as store:
...     store.select("SELECT ?s ?n WHERE { ?s ?p ?n }").dicts()
[{'s': IRI('urn:a'), 'n': 3}]
"""

from __future__ import annotations

import datetime as dt
import errno
import fcntl
import gc
import os
import re
import shutil
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from types import TracebackType
from typing import IO, TYPE_CHECKING, Any, TypeVar, overload

import pyoxigraph as ox
from imsskg.ontology import IKG, RDF, XSD

#: ``GRAPH ?cg { ?cg a ikg:CorpusGraph`` (prefixed or in full): the idiom that finds the corpus graph.
_CORPUS_CLASS = rf"(?:ikg:CorpusGraph|<{re.escape(IKG.CorpusGraph.value)}>)"
_NAMED_CORPUS = re.compile(rf"GRAPH\s+\?(\w+)\s*\{{\s*\?\1\s+(?:a|rdf:type)\s+(?={_CORPUS_CLASS})")

if TYPE_CHECKING:
    import pandas
    from rdflib import Dataset

Term = ox.NamedNode | ox.BlankNode | ox.Literal
GraphName = ox.NamedNode | ox.BlankNode | ox.DefaultGraph
Value = str | int | float | bool | Decimal | dt.date | dt.datetime | None


_T = TypeVar("_T")


class StoreError(Exception):
    """The store folder cannot be opened or written."""


class IRI(str):
    """An IRI in a result row: a string that names something (an entity, a document…)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"IRI({str(self)!r})"


_CONVERT: dict[str, Any] = {
    XSD.integer.value: int, XSD.int.value: int, XSD.long.value: int, XSD.decimal.value: Decimal,
    XSD.double.value: float, XSD.float.value: float, XSD.date.value: dt.date.fromisoformat,
    XSD.dateTime.value: dt.datetime.fromisoformat, XSD.boolean.value: lambda v: v in ("true", "1"),
}  # fmt: skip


def value(term: Term | ox.Triple | None) -> Value:
    """A term as a Python value: an :class:`IRI`, a number, a date or a string.

    >>> value(ox.Literal("2024-01-19", datatype=XSD.date)), value(ox.NamedNode("urn:x"))
    (datetime.date(2024, 1, 19), IRI('urn:x'))
    """
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return IRI(term.value)
    if isinstance(term, ox.Literal):
        convert = _CONVERT.get(term.datatype.value)
        if convert is not None:
            try:
                return convert(term.value)  # type: ignore[no-any-return]
            except (ValueError, InvalidOperation):
                return term.value  # an ill-typed literal stays as written
        return term.value
    return str(term)


def term(v: Value | Term) -> Term:
    """A Python value as an RDF term (an :class:`IRI` as a named node, a ``str`` as a string).

    >>> term(IRI("urn:x")), term(3).datatype == XSD.integer
    (<NamedNode value=urn:x>, True)
    """
    if isinstance(v, ox.NamedNode | ox.BlankNode | ox.Literal):
        return v
    if isinstance(v, IRI):
        return ox.NamedNode(v)
    if isinstance(v, bool):
        return ox.Literal("true" if v else "false", datatype=XSD.boolean)
    if isinstance(v, int):
        return ox.Literal(str(v), datatype=XSD.integer)
    if isinstance(v, Decimal):
        return ox.Literal(str(v), datatype=XSD.decimal)
    if isinstance(v, float):
        return ox.Literal(repr(v), datatype=XSD.double)
    if isinstance(v, dt.datetime):
        return ox.Literal(v.isoformat(), datatype=XSD.dateTime)
    if isinstance(v, dt.date):
        return ox.Literal(v.isoformat(), datatype=XSD.date)
    if v is None:
        raise TypeError("a binding needs a value")
    return ox.Literal(str(v))


@dataclass(frozen=True)
class Rows(Sequence[tuple[Value, ...]]):
    """The answer of a SELECT query: column names and rows of Python values (``None`` when
    unbound).

    >>> rows = Rows(("name", "n"), (("Puebla", 3),))
    >>> rows.dicts(), rows.column("n")
    ([{'name': 'Puebla', 'n': 3}], [3])
    """

    columns: tuple[str, ...]
    rows: tuple[tuple[Value, ...], ...]

    @overload
    def __getitem__(self, i: int) -> tuple[Value, ...]: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[tuple[Value, ...]]: ...
    def __getitem__(self, i: int | slice) -> tuple[Value, ...] | Sequence[tuple[Value, ...]]:
        return self.rows[i]

    def __len__(self) -> int:
        return len(self.rows)

    def dicts(self) -> list[dict[str, Value]]:
        """The rows as dictionaries keyed by column."""
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]

    def column(self, name: str) -> list[Value]:
        """The values of one column."""
        i = self.columns.index(name)
        return [row[i] for row in self.rows]

    def to_pandas(self) -> pandas.DataFrame:
        """A pandas DataFrame of the rows (pandas is an optional dependency: ``imsskg[pandas]``)."""
        try:
            import pandas
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ImportError("to_pandas() needs pandas: pip install 'imsskg[pandas]'") from exc
        return pandas.DataFrame(list(self.rows), columns=list(self.columns))


Bindings = Mapping[str, Value | Term]
#: What hides a keyword from the parser (comments, IRIs, strings), and a query's own dataset.
_OPAQUE = re.compile(r"#[^\n]*|<[^<>\s]*>|\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'")
_DATASET = re.compile(r"\bFROM\b", re.IGNORECASE)


class Store:
    """A graph store: one pyoxigraph store and the folder it lives in (``None`` in memory).

    Open one with :meth:`open` (read-only by default), :meth:`memory`, or :func:`writing` for an
    all-or-nothing change of a folder. The default graph of queries is the union of all graphs.
    """

    def __init__(self, inner: ox.Store, *, path: Path | None = None, read_only: bool = False) -> None:
        self._inner: ox.Store | None = inner
        self.path = path
        self.read_only = read_only
        self._kept: dict[str, Any] = {}

    # -- opening and closing ---------------------------------------------------------------

    @classmethod
    def open(cls, path: str | os.PathLike[str], *, read_only: bool = True) -> Store:
        """The store in the folder ``path``; several read-only handles may share it."""
        folder = Path(path)
        if not folder.exists():
            recover(folder)
        if not folder.exists():
            raise StoreError(f"no graph at {folder}: run 'imsskg build' first")
        try:
            inner = ox.Store.read_only(str(folder)) if read_only else ox.Store(str(folder))
        except OSError as exc:
            raise StoreError(f"cannot open the graph at {folder}: {exc}") from exc
        return cls(inner, path=folder, read_only=read_only)

    @classmethod
    def memory(cls) -> Store:
        """An empty store in memory."""
        return cls(ox.Store())

    @property
    def oxigraph(self) -> ox.Store:
        """The pyoxigraph store itself (for what this class does not wrap)."""
        if self._inner is None:
            raise StoreError(f"the store at {self.path} is closed")
        return self._inner

    def close(self) -> None:
        """Release the store (RocksDB keeps a lock on the folder while it is open)."""
        self._inner = None
        gc.collect()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def __repr__(self) -> str:
        where = self.path or "memory"
        return f"<Store {where}{' read-only' if self.read_only else ''}{' closed' if self._inner is None else ''}>"

    # -- SPARQL ----------------------------------------------------------------------------

    def solutions(
        self, query: str, *, bindings: Bindings | None = None, default_graphs: list[ox.NamedNode] | None = None,
        named_graphs: list[ox.NamedNode] | None = None,
    ) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:  # fmt: skip
        """Run a query and return pyoxigraph's own answer (terms, streamed).

        The dataset is the one given (``default_graphs``, ``named_graphs``, as the SPARQL
        protocol's parameters give it), else the query's own ``FROM`` / ``FROM NAMED``, else
        the union of all graphs as default graph and every named graph.
        """
        query = self.pin_corpus(query)
        options: dict[str, Any] = {"substitutions": {ox.Variable(k): term(v) for k, v in (bindings or {}).items()}}
        if default_graphs is not None or named_graphs is not None:
            options |= {"default_graph": default_graphs or [], "named_graphs": named_graphs}
        elif not declares_dataset(query):
            options["use_default_graph_as_union"] = True
        return self.oxigraph.query(query, **options)

    def corpus_graph(self) -> ox.NamedNode | None:
        """The IRI of the corpus graph (the graph that says of itself it is one), if any."""
        for q in self.oxigraph.quads_for_pattern(None, RDF.type, IKG.CorpusGraph):
            if q.graph_name == q.subject and isinstance(q.subject, ox.NamedNode):
                return q.subject
        return None

    def kept(self, key: str, compute: Callable[[], _T]) -> _T:
        """``compute()`` once for this read-only handle (nothing changes under it; a rebuild
        is a new store), at every call for a writable store.

        >>> store = Store.memory()
        >>> store.kept("n", lambda: 1)
        1
        """
        if not self.read_only:
            return compute()
        if key not in self._kept:
            self._kept[key] = compute()
        return self._kept[key]  # type: ignore[no-any-return]

    def pin_corpus(self, query: str) -> str:
        """``query`` with the variable of ``GRAPH ?cg { ?cg a ikg:CorpusGraph …`` replaced by this
        store's corpus graph (the type pattern dropped): the same answers, but Oxigraph reads one
        graph where, given a variable, it tries every graph (an entity page on 10,000 documents:
        2.2 s → 16 ms; a press release's officials 284 → 4 ms).
        Queries stay portable (the named queries find the corpus graph by its type on any store).

        >>> store = Store.memory()
        >>> corpus = "https://w3id.org/imsskg/id/graph/corpus"
        >>> store.add(ox.Quad(ox.NamedNode(corpus), RDF.type, IKG.CorpusGraph, ox.NamedNode(corpus)))
        >>> store.pin_corpus("SELECT * WHERE { GRAPH ?cg { ?cg a ikg:CorpusGraph . ?s ?p ?o } "
        ...                  "OPTIONAL { GRAPH ?cg { ?o ?q ?r } } }")  # doctest: +NORMALIZE_WHITESPACE
        'SELECT * WHERE { GRAPH <https://w3id.org/imsskg/id/graph/corpus> { ?s ?p ?o }
        OPTIONAL { GRAPH <https://w3id.org/imsskg/id/graph/corpus> { ?o ?q ?r } } }'
        """
        if "CorpusGraph" not in query:
            return query
        graph = self.corpus_graph()
        if graph is None:
            return query
        iri = f"<{graph.value}>"
        query = re.sub(r"(?m)^[ \t]*#.*\n?", "", query)  # comment lines (a directive names ?cg too)
        where = re.search(r"\bWHERE\b|\{", query, re.I)
        cut = where.start() if where else 0
        head, body = query[:cut], query[cut:]
        for name in {m.group(1) for m in _NAMED_CORPUS.finditer(body)}:
            # every GRAPH ?cg, not the first alone, and no ?cg left to join on: Oxigraph plans
            # an OPTIONAL { GRAPH ?cg … } on its own, over every graph, before the join
            body = re.sub(rf"GRAPH\s+\?{name}\s*\{{", f"GRAPH {iri} {{", body)
            if not re.search(rf"\?{name}\b", head):
                body = re.sub(rf"\?{name}\s+(?:a|rdf:type)\s+{_CORPUS_CLASS}\s*\.?", "", body)
                body = re.sub(rf"\?{name}\b", iri, body)
        return head + body

    def query(self, query: str, *, bindings: Bindings | None = None) -> Rows | bool | list[ox.Triple]:
        """Run a query: a SELECT gives :class:`Rows`, an ASK a ``bool``, a CONSTRUCT or DESCRIBE
        its triples. ``bindings`` give variables their values (substituted, never pasted)."""
        answer = self.solutions(query, bindings=bindings)
        if isinstance(answer, ox.QueryBoolean):
            return bool(answer)
        if isinstance(answer, ox.QueryTriples):
            return list(answer)
        return _rows(answer)

    def select(self, query: str, *, bindings: Bindings | None = None) -> Rows:
        """Run a SELECT query; its rows."""
        answer = self.solutions(query, bindings=bindings)
        if not isinstance(answer, ox.QuerySolutions):
            raise ValueError("not a SELECT query")
        return _rows(answer)

    def terms(self, query: str, *, bindings: Bindings | None = None) -> Iterator[tuple[Term | None, ...]]:
        """The rows of a SELECT query as RDF terms, streamed (for code that writes RDF back)."""
        answer = self.solutions(query, bindings=bindings)
        if not isinstance(answer, ox.QuerySolutions):
            raise ValueError("not a SELECT query")
        for row in answer:
            yield tuple(row)

    # -- quads -----------------------------------------------------------------------------

    def quads(
        self, s: Term | None = None, p: ox.NamedNode | None = None, o: Term | None = None, g: GraphName | None = None
    ) -> Iterator[ox.Quad]:
        """The quads that match a pattern (``None`` matches anything)."""
        return iter(self.oxigraph.quads_for_pattern(s, p, o, g))  # type: ignore[arg-type]

    def count(self, s: Term | None = None, p: ox.NamedNode | None = None, o: Term | None = None,
              g: GraphName | None = None) -> int:  # fmt: skip
        """How many quads match a pattern (an index scan)."""
        return sum(1 for _ in self.quads(s, p, o, g))

    def __contains__(self, quad: ox.Quad) -> bool:
        return quad in self.oxigraph

    def __len__(self) -> int:
        return len(self.oxigraph)

    def __iter__(self) -> Iterator[ox.Quad]:
        return iter(self.oxigraph)

    def add(self, quad: ox.Quad) -> None:
        """Add one quad."""
        self.oxigraph.add(quad)

    def extend(self, quads: Iterable[ox.Quad]) -> None:
        """Add quads in one transaction."""
        self.oxigraph.extend(quads)

    def remove(self, quad: ox.Quad) -> None:
        """Remove one quad."""
        self.oxigraph.remove(quad)

    def bulk_extend(self, quads: Iterable[ox.Quad]) -> None:
        """Add many quads without a transaction (for a staging copy: see :func:`writing`)."""
        self.oxigraph.bulk_extend(quads)

    def graphs(self) -> Iterator[ox.NamedNode]:
        """The named graphs."""
        return (g for g in self.oxigraph.named_graphs() if isinstance(g, ox.NamedNode))

    def has_graph(self, graph: ox.NamedNode) -> bool:
        """Whether the named graph ``graph`` is in the store."""
        return self.oxigraph.contains_named_graph(graph)

    def remove_graph(self, graph: ox.NamedNode) -> None:
        """Remove a named graph and its quads."""
        self.oxigraph.remove_graph(graph)

    def flush(self) -> None:
        """Write buffered changes to disk (and free the buffers)."""
        self.oxigraph.flush()

    # -- RDF in and out --------------------------------------------------------------------

    def load(
        self, data: str | bytes | IO[bytes], *, format: ox.RdfFormat, graph: ox.NamedNode | None = None,
        base_iri: str | None = None, bulk: bool = False,
    ) -> None:  # fmt: skip
        """Parse RDF into the store (into ``graph`` for triples); ``bulk`` skips transactions."""
        load = self.oxigraph.bulk_load if bulk else self.oxigraph.load
        load(data, format=format, to_graph=graph, base_iri=base_iri)

    def dump(
        self, out: IO[bytes] | None = None, *, format: ox.RdfFormat, graph: GraphName | None = None,
        prefixes: Mapping[str, str] | None = None,
    ) -> bytes | None:  # fmt: skip
        """Serialise the store (or one graph of it) to ``out``, or return the bytes."""
        options: dict[str, Any] = {"format": format}
        if graph is not None:
            options["from_graph"] = graph
        if prefixes and format in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG):
            options["prefixes"] = dict(prefixes)
        return self.oxigraph.dump(out, **options)

    def backup(self, folder: Path) -> None:
        """A consistent copy of the store in ``folder`` (a RocksDB checkpoint)."""
        self.oxigraph.backup(str(folder))

    def rdflib(self) -> Dataset:
        """An rdflib ``Dataset`` over this store (queries see the union of all graphs)."""
        from oxrdflib import OxigraphStore
        from rdflib import Dataset

        return Dataset(store=OxigraphStore(store=self.oxigraph), default_union=True)


def declares_dataset(query: str) -> bool:
    """Whether a query names its own dataset (``FROM`` or ``FROM NAMED``).

    >>> declares_dataset("SELECT * FROM <urn:g> WHERE { ?s ?p ?o }"), declares_dataset("SELECT * { ?s <urn:from> ?o }")
    (True, False)
    """
    return bool(_DATASET.search(code_of(query)))


def code_of(query: str) -> str:
    """A query with its comments, IRIs and strings blanked, so that a keyword search sees only
    what the parser reads as keywords.

    >>> code_of('SELECT * { ?s ?p "FROM" } # FROM')
    'SELECT * { ?s ?p   }  '
    """
    return _OPAQUE.sub(" ", query)


def folder_identity(path: Path) -> tuple[int, int]:
    """What changes when :func:`writing` swaps a new store in at ``path``: the folder itself."""
    info = path.stat()
    return info.st_dev, info.st_ino


def _rows(answer: ox.QuerySolutions) -> Rows:
    width = len(answer.variables)
    return Rows(
        tuple(v.value for v in answer.variables), tuple(tuple(value(row[i]) for i in range(width)) for row in answer)
    )


# -- all-or-nothing writes -----------------------------------------------------------------


def _staging(path: Path) -> Path:
    return path.with_name(path.name + ".staging")


def _previous(path: Path) -> Path:
    return path.with_name(path.name + ".previous")


def recover(path: Path) -> None:
    """Finish or undo a swap that a crash interrupted, and drop a stale staging copy."""
    previous = _previous(path)
    if previous.exists():
        if path.exists():
            shutil.rmtree(previous)
        else:
            previous.rename(path)
    staging = _staging(path)
    if staging.exists():
        shutil.rmtree(staging)


@contextmanager
def _lock(path: Path) -> Iterator[None]:
    """Hold the writer's lock of the store at ``path`` (a file beside it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = path.with_name(path.name + ".lock")
    try:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise StoreError(f"cannot write the graph at {path}: {exc.strerror}") from exc
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno in (errno.EAGAIN, errno.EACCES):
                raise StoreError(f"another build is writing the graph at {path}: wait for it to finish") from exc
            raise
        yield
    finally:
        os.close(fd)


@contextmanager
def writing(path: str | os.PathLike[str]) -> Iterator[Store]:
    """A writable staging copy of the store at ``path``, swapped in when the block succeeds."""
    folder = Path(path)
    with _lock(folder):
        recover(folder)
        staging = _staging(folder)
        try:
            if folder.exists():
                Store.open(folder).backup(staging)
                gc.collect()
            store = Store(ox.Store(str(staging)), path=staging)
        except OSError as exc:
            shutil.rmtree(staging, ignore_errors=True)
            raise StoreError(f"cannot write the graph at {folder}: {exc}") from exc
        try:
            yield store
            store.flush()
        except BaseException:
            store.close()
            shutil.rmtree(staging, ignore_errors=True)
            raise
        store.close()
        previous = _previous(folder)
        if folder.exists():
            os.rename(folder, previous)
        os.rename(staging, folder)
        shutil.rmtree(previous, ignore_errors=True)
