"""The embedded, persistent Oxigraph store behind an rdflib :class:`~rdflib.Dataset`.

Writes are all-or-nothing: :func:`writing` copies the store to a staging folder (a RocksDB
checkpoint, cheap), lets the build change the copy, and swaps it in only when the build
completes. An interrupted build leaves the previous graph in place; the next one cleans up.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp()) / "kg"
>>> with writing(folder) as ds:
...     _ = ds.update("INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:b> <urn:c> } }")
>>> with reading(folder) as ds:
...     len(ds)
1
"""

from __future__ import annotations

import gc
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from oxrdflib import OxigraphStore
from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.term import Node


class StoreError(Exception):
    """The store folder cannot be opened."""


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


def select(ds: Dataset, query: str) -> list[tuple[Any, ...]]:
    """Rows of a SELECT query as plain tuples of rdflib terms (``None`` when unbound)."""
    result = ds.query(query)
    width = len(result.vars or [])
    return [tuple(row[i] for i in range(width)) for row in result]  # type: ignore[index]


def scalar(ds: Dataset, query: str) -> int:
    """The single integer a counting query returns."""
    return int(select(ds, query)[0][0])


def oxigraph(ds: Dataset) -> ox.Store:
    """The pyoxigraph store under an rdflib Dataset made by :func:`dataset`."""
    store = ds.store
    assert isinstance(store, OxigraphStore)
    return store._inner


def to_oxigraph(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """An rdflib term as a pyoxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)) if term.datatype else None)
    raise TypeError(f"not an RDF term: {term!r}")


def dataset(store: ox.Store) -> Dataset:
    """An rdflib Dataset over a pyoxigraph store; queries see the union of all graphs."""
    return Dataset(store=OxigraphStore(store=store), default_union=True)


@contextmanager
def reading(path: Path) -> Iterator[Dataset]:
    """Open the store read-only (several readers may share it)."""
    if not path.exists() and not _previous(path).exists():
        raise StoreError(f"no graph at {path}: run 'imsskg build' first")
    if not path.exists():
        recover(path)
    try:
        store = ox.Store.read_only(str(path))
    except OSError as exc:
        raise StoreError(f"cannot open the graph at {path}: {exc}") from exc
    ds = dataset(store)
    try:
        yield ds
    finally:
        _close(ds)
        del store
        gc.collect()


def _close(ds: Dataset) -> None:
    """Release the Oxigraph store held by ``ds`` (RocksDB keeps a lock while it is open)."""
    ds.close()


@contextmanager
def writing(path: Path) -> Iterator[Dataset]:
    """Open a staging copy of the store for writing; swap it in when the block succeeds."""
    recover(path)
    staging = _staging(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        current = ox.Store(str(path))
        current.backup(str(staging))
        del current
        gc.collect()
    store = ox.Store(str(staging))
    ds = dataset(store)
    try:
        yield ds
        store.flush()
    except BaseException:
        _close(ds)
        del store
        gc.collect()
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _close(ds)
    del store
    gc.collect()
    previous = _previous(path)
    if path.exists():
        os.rename(path, previous)
    os.rename(staging, path)
    shutil.rmtree(previous, ignore_errors=True)
