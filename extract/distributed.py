"""Extraction on a Dask cluster (``dask.distributed``): partitions of documents go to the
workers, each worker extracts them with its own pipeline (loaded once per worker process) and
applies a function to each extraction there (the build's writes the N-Quads of its document
graph); the caller folds what comes back into its store.

Documents travel with their text, so the workers need no access to the files: point
``imsskg build --scheduler tcp://HOST:8786`` at a scheduler whose workers have imsskg installed.
``"local:N"`` starts a :class:`~distributed.LocalCluster` of ``N`` worker processes on this machine.

>>> parse_scheduler("local:2"), parse_scheduler("tcp://10.0.0.5:8786")
(2, 'tcp://10.0.0.5:8786')
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from itertools import islice
from typing import Any, TypeVar

from imsskg.config import settings
from imsskg.model import Document, Extraction

#: Documents per task: enough to amortise a round trip, few enough to spread a small corpus.
PARTITION = 32
#: Tasks in flight per worker: the caller reads ahead this far, no further (bounded memory).
AHEAD = 4

T = TypeVar("T")
_PIPELINES: dict[str, Any] = {}  # per worker process: the pipeline of each model, loaded once


def parse_scheduler(text: str) -> int | str:
    """``"local:N"`` as ``N`` (workers of a local cluster), else the scheduler's address."""
    if text.startswith("local:"):
        count = text.partition(":")[2]
        if not count.isdigit() or int(count) < 1:
            raise ValueError(f"a local cluster is local:N with N >= 1 workers, not {text!r}")
        return int(count)
    return text


def extract_partition(documents: list[Document], model: str, then: Callable[[Extraction], T]) -> list[T]:
    """Run on a worker: ``then`` applied to the extraction of each of ``documents``."""
    from imsskg.extract.pipeline import extract, load_pipeline

    nlp = _PIPELINES.get(model)
    if nlp is None:
        nlp = _PIPELINES[model] = load_pipeline(model)
    return [then(x) for x in extract(documents, nlp)]


@contextmanager
def connect(scheduler: str) -> Iterator[Any]:
    """A ``distributed.Client`` for ``scheduler`` (a local cluster for ``local:N``), closed after."""
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:  # pragma: no cover - the extra is part of the dev install
        raise ImportError("a Dask scheduler needs dask.distributed: pip install 'imsskg[distributed]'") from exc
    target = parse_scheduler(scheduler)
    if isinstance(target, int):
        with (
            LocalCluster(n_workers=target, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
            Client(cluster) as client,
        ):
            yield client
    else:
        with Client(target) as client:
            yield client


def extract_on_cluster(
    documents: Iterable[Document], then: Callable[[Extraction], T], client: Any, *, model: str | None = None,
    partition: int = PARTITION,
) -> Iterator[T]:  # fmt: skip
    """Extract ``documents`` on the cluster of ``client``: ``then(extraction)`` for each, ``then``
    run on the workers (a module-level function: it travels by name), as the
    partitions finish (the order of a build does not change its graph). Partitions are submitted
    :data:`AHEAD` per worker at a time, so the documents are read in step with the workers."""
    from distributed import as_completed

    name = model or settings.model
    parts = _partitions(documents, partition)
    workers = max(1, len(client.scheduler_info().get("workers", {})))

    def submit(part: list[Document]) -> Any:
        return client.submit(extract_partition, part, name, then, pure=False)

    running = as_completed([submit(p) for p in islice(parts, workers * AHEAD)])
    for future in running:
        yield from future.result()
        future.release()
        for part in islice(parts, 1):
            running.add(submit(part))


def _partitions(documents: Iterable[Document], size: int) -> Iterator[list[Document]]:
    it = iter(documents)
    while part := list(islice(it, size)):
        yield part
