"""Evaluate SPARQL in worker processes that can be stopped: Oxigraph cannot cancel a running
evaluation, so a query over its time or memory limit has its process killed and replaced.

Each worker opens the store read-only (and again after a build swapped a new one in), runs one
job at a time and sends back bytes ready for the response. The server waits for the answer at
most the time limit, reading the worker's resident memory meanwhile; past either limit it kills
the worker (its CPU goes back to idle at once) and starts another.

>>> import asyncio, tempfile, pathlib
>>> from imsskg.graph.store import writing
>>> folder = pathlib.Path(tempfile.mkdtemp()) / "kg"
>>> with writing(folder) as s:
...     s.load("<urn:a> <urn:b> <urn:c> .", format=ox.RdfFormat.TURTLE, graph=ox.NamedNode("urn:g"))
>>> pool = QueryPool(folder, Limits(timeout=5), size=1)
>>> answer = asyncio.run(pool.sparql("SELECT ?s ?o WHERE { GRAPH ?g { ?s ?p ?o } }", accept="text/csv"))
>>> answer.status, answer.body.decode().split()
(200, ['s,o', 'urn:a,urn:c'])
>>> pool.close()
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from imsskg.graph.store import Store, folder_identity
from imsskg.queries import named_queries, paged, solutions
from imsskg.server.sparql import (
    GRAPH_TYPES,
    SELECT_TYPES,
    Limits,
    QueryError,
    Result,
    bounded,
    execute,
    negotiate,
    serialize,
)

_PAGE = os.sysconf("SC_PAGE_SIZE")


@dataclass(frozen=True)
class Answer:
    """What a worker sends back: an HTTP status, a body and its media type."""

    status: int
    body: bytes
    media_type: str = "text/plain; charset=utf-8"


def _sparql(
    store: Store, limits: Limits, query: str, accept: str, bindings: dict[str, str] | None,
    dataset: tuple[list[str], list[str]] | None,
) -> Answer:  # fmt: skip
    result = execute(store, query, limits=limits, bindings=bindings, dataset=dataset)
    offered = list(GRAPH_TYPES) if result.kind == "graph" else list(SELECT_TYPES)
    default = "text/turtle" if result.kind == "graph" else "application/sparql-results+json"
    media = negotiate(accept, offered, default)
    if media is None:
        raise QueryError(406, f"cannot answer in the accepted types; offered: {', '.join(offered)}")
    body, content_type = serialize(result, media)
    return Answer(200, body, content_type)


def _iris(store: Store, limits: Limits, query: str, bindings: dict[str, str] | None) -> Answer:
    """The IRIs a query's answer names, one a line (for the network view)."""
    result = execute(store, query, limits=limits, bindings=bindings)
    iris = {t.value for row in result.rows for t in row if isinstance(t, ox.NamedNode)}
    iris |= {x.value for t in result.triples for x in (t.subject, t.object) if isinstance(x, ox.NamedNode)}
    return Answer(200, "\n".join(sorted(iris)).encode())


def _named(store: Store, limits: Limits, name: str, values: dict[str, str], limit: int | None, offset: int) -> Answer:
    """A page of a named query as SPARQL JSON results (a listing read document by document:
    see :func:`imsskg.queries.solutions`)."""
    started = time.monotonic()
    query = paged(named_queries()[name], limit, offset)
    columns, rows = solutions(store, query, values)
    items, problem = bounded(rows, limits, started)
    del rows
    if problem:
        raise problem
    body, content_type = serialize(Result("select", columns, tuple(items)), "application/sparql-results+json")
    return Answer(200, body, content_type)


_JOBS: dict[str, Callable[..., Answer]] = {"sparql": _sparql, "iris": _iris, "named": _named}


def _work(conn: Connection, path: Path, limits: Limits) -> None:
    """A worker's loop: open the store, answer jobs until the pipe closes."""
    store, seen = Store.open(path), folder_identity(path)
    while True:
        try:
            kind, args = conn.recv()
        except EOFError:
            return
        try:
            if (now := folder_identity(path)) != seen:  # a build swapped a new store in
                store.close()
                store, seen = Store.open(path), now
            answer = _JOBS[kind](store, limits, *args)
        except QueryError as exc:
            answer = Answer(exc.status, str(exc).encode())
        except Exception as exc:
            answer = Answer(400, f"query failed: {exc}".encode())
        conn.send(answer)


def _set(readable: asyncio.Future[None]) -> None:
    if not readable.done():
        readable.set_result(None)


class _Worker:
    def __init__(self, path: Path, limits: Limits) -> None:
        context = multiprocessing.get_context("spawn")
        self.conn, child = context.Pipe()
        self.process: BaseProcess = context.Process(target=_work, args=(child, path, limits), daemon=True)
        self.process.start()
        child.close()

    def resident_mib(self) -> float:
        try:
            with open(f"/proc/{self.process.pid}/statm", encoding="ascii") as statm:
                return int(statm.read().split()[1]) * _PAGE / 2**20
        except (OSError, IndexError, ValueError):
            return 0.0

    def kill(self) -> None:
        self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


class QueryPool:
    """Worker processes over the store at ``path``: ``size`` started when first needed, and more
    while every one is busy, up to ``most`` (so that a few queries running to their deadline
    never starve the others: each worker holds at most ``limits.memory_mib``)."""

    def __init__(self, path: Path, limits: Limits, *, size: int = 2, most: int = 8) -> None:
        self.path = path
        self.limits = limits
        self.size = size
        self.most = max(size, most)
        self._idle: asyncio.Queue[_Worker] | None = None
        self._all: list[_Worker] = []
        self.killed = 0  # workers stopped at a limit, for tests and monitoring

    async def _take(self) -> _Worker:
        if self._idle is None:
            self._idle = asyncio.Queue()
            for _ in range(self.size):
                self._add()
        if self._idle.empty() and len(self._all) < self.most:
            self._add()  # every worker is busy: one more rather than a wait behind slow queries
        return await self._idle.get()

    def _add(self) -> None:
        assert self._idle is not None
        worker = _Worker(self.path, self.limits)
        self._all.append(worker)
        self._idle.put_nowait(worker)

    async def _run(self, kind: str, *args: Any) -> Answer:
        worker = await self._take()
        deadline = time.monotonic() + self.limits.timeout + 0.5
        worker.conn.send((kind, args))
        loop = asyncio.get_running_loop()
        readable: asyncio.Future[None] = loop.create_future()
        fd = worker.conn.fileno()
        loop.add_reader(fd, _set, readable)
        try:
            answer, healthy = await self._wait(worker, readable, deadline)
        finally:
            loop.remove_reader(fd)  # before the worker (and its pipe's number) can be replaced
        if healthy:
            assert self._idle is not None
            self._idle.put_nowait(worker)
        else:
            self._replace(worker)
        return answer

    async def _wait(self, worker: _Worker, readable: asyncio.Future[None], deadline: float) -> tuple[Answer, bool]:
        """The worker's answer and whether it can take another job: past the time or memory
        limit, or dead, it cannot."""
        while True:
            await asyncio.wait({readable}, timeout=0.05)
            if readable.done():
                try:
                    return worker.conn.recv(), True
                except EOFError:  # the worker died (out of memory, say)
                    return Answer(503, b"the query stopped the worker that ran it"), False
            if time.monotonic() > deadline:
                stopped = f"the query ran longer than {self.limits.timeout:g} s and was stopped"
                return Answer(503, stopped.encode()), False
            if worker.resident_mib() > self.limits.memory_mib:
                stopped = f"the query needed more than {self.limits.memory_mib} MiB and was stopped"
                return Answer(503, stopped.encode()), False

    def _replace(self, worker: _Worker) -> None:
        worker.kill()
        self._all.remove(worker)
        self.killed += 1
        self._add()

    @property
    def pids(self) -> list[int]:
        """The process ids of the workers now running."""
        return [w.process.pid for w in self._all if w.process.pid is not None]

    async def sparql(
        self, query: str, *, accept: str = "", bindings: dict[str, str] | None = None,
        dataset: tuple[list[str], list[str]] | None = None,
    ) -> Answer:  # fmt: skip
        """A query's answer, serialised for the ``Accept`` header; ``dataset`` is the SPARQL
        protocol's default and named graph IRIs."""
        return await self._run("sparql", query, accept, bindings, dataset)

    async def named(self, name: str, values: dict[str, str], limit: int | None = None, offset: int = 0) -> Answer:
        """A page of the named query ``name`` with ``values`` (checked), as SPARQL JSON results."""
        return await self._run("named", name, values, limit, offset)

    async def iris(self, query: str, bindings: dict[str, str] | None = None) -> set[str]:
        """The IRIs a query's answer names; :class:`QueryError` when it cannot be answered."""
        answer = await self._run("iris", query, bindings)
        if answer.status != 200:
            raise QueryError(answer.status, answer.body.decode())
        return set(filter(None, answer.body.decode().split("\n")))

    def close(self) -> None:
        """Stop every worker."""
        for worker in self._all:
            worker.kill()
        self._all.clear()
        self._idle = None
