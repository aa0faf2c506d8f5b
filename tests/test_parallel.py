"""Extraction in worker processes and on a Dask cluster: input read in step with the workers,
one math thread each, the same graph as one process."""

from __future__ import annotations

import functools
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import CORPUS
from imsskg.extract import pipeline
from imsskg.extract.distributed import AHEAD, connect, extract_on_cluster, parse_scheduler
from imsskg.extract.pipeline import extract_parallel
from imsskg.graph.store import Store
from spacy.language import Language

from imsskg._build import build, read_all
from imsskg.model import Document


def _many(count: int, pulled: list[int]) -> Iterator[Document]:
    sample = list(read_all([CORPUS], []))
    for i in range(count):
        pulled.append(i)
        yield sample[i % len(sample)]


def test_parallel_extraction_reads_documents_in_step_with_the_workers() -> None:
    pulled: list[int] = []
    results = extract_parallel(_many(400, pulled), id, processes=2, model="none", batch_size=4)
    next(results)  # the first extraction is back: the workers have loaded their pipelines
    assert len(pulled) < 100  # a few batches ahead of the workers, not the whole input
    assert sum(1 for _ in results) == 399
    assert len(pulled) == 400


def test_parallel_extraction_waits_for_a_slow_caller() -> None:
    """Workers run a few batches ahead of the caller, not through the whole input: a build that
    folds slowly does not get every extraction piled up in its memory."""
    pulled: list[int] = []
    results = extract_parallel(_many(400, pulled), id, processes=2, model="none", batch_size=4)
    next(results)
    time.sleep(3)  # the caller folds; the workers would extract everything meanwhile
    assert len(pulled) <= (pipeline.AHEAD * 2 + 1) * 4
    assert sum(1 for _ in results) == 399


def test_parallel_extraction_workers_run_one_math_thread_each() -> None:
    before = os.environ.get("OPENBLAS_NUM_THREADS")
    then = functools.partial(os.getenv, "OPENBLAS_NUM_THREADS")  # the worker's value, else x
    seen = set(extract_parallel(_many(8, []), then, processes=2, model="none", batch_size=2))
    assert seen == {"1"}
    assert os.environ.get("OPENBLAS_NUM_THREADS") == before  # the parent's settings are restored


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """The address of a LocalCluster of two worker processes (dask.distributed)."""
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        yield cluster.scheduler_address


def test_a_dask_cluster_builds_the_same_graph_as_one_process(tmp_path: Path, rules: Language, scheduler: str) -> None:
    """Extraction on a cluster of two worker processes, each partition sent back as N-Quads and
    folded here: the same quads as a build in this process."""
    alone = build([CORPUS], tmp_path / "alone", nlp=rules)
    cluster = build([CORPUS], tmp_path / "cluster", scheduler=scheduler)
    assert sorted(cluster.built) == sorted(alone.built)
    with Store.open(tmp_path / "alone") as a, Store.open(tmp_path / "cluster") as b:
        assert set(a) == set(b)
        assert len(a) > 1000


def test_documents_are_sent_to_the_cluster_a_few_partitions_ahead(scheduler: str) -> None:
    pulled: list[int] = []
    with connect(scheduler) as client:
        results = extract_on_cluster(_many(200, pulled), id, client, model="none", partition=5)
        next(results)
        assert len(pulled) <= 2 * AHEAD * 5 + 5  # the partitions in flight, not the whole input
        assert sum(1 for _ in results) == 199


def test_a_scheduler_is_an_address_or_local_workers() -> None:
    assert parse_scheduler("local:3") == 3
    with pytest.raises(ValueError, match="local:N"):
        parse_scheduler("local:zero")
