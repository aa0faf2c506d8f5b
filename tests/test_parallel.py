"""Extraction in worker processes: input read in step with the workers, one math thread each."""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator

from helpers import CORPUS
from imsskg.extract.pipeline import extract_parallel

from imsskg._build import read_all
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


def test_parallel_extraction_workers_run_one_math_thread_each() -> None:
    before = os.environ.get("OPENBLAS_NUM_THREADS")
    then = functools.partial(os.getenv, "OPENBLAS_NUM_THREADS")  # the worker's value, else x
    seen = {value for _, value in extract_parallel(_many(8, []), then, processes=2, model="none", batch_size=2)}
    assert seen == {"1"}
    assert os.environ.get("OPENBLAS_NUM_THREADS") == before  # the parent's settings are restored
