"""Scale benchmark: build generated corpora of growing size and report documents per second,
peak memory, store size, the cost of a rebuild with nothing changed, of adding 100 documents
and of removing them, each named query's latency, and the speed-up of two extraction
processes over one.

Each build runs in its own process (``imsskg build``), so that peak memory is its own; each
named query runs in its own process too, with a time limit.

    python bench/scale.py --sizes 1000 10000 100000 [--work DIR] [--query-limit 600]
    python bench/scale.py --sizes 100000 --work DIR --reuse --no-compare   # increments again
    python bench/scale.py --lookups-at DIR/kg1000 DIR/kg10000 DIR/kg100000  # lookups, built stores
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate

IMSSKG = str(Path(sys.executable).with_name("imsskg"))


#: CPU seconds (user + system) of the last :func:`run_build`, its workers included.
LAST_CPU = [0.0]


def run_build(corpus: Path, store: Path, processes: int) -> tuple[float, float]:
    """Seconds and peak resident memory (MiB) of one ``imsskg build`` in its own process: the
    largest of the build process and its extraction workers (``wait4`` reports that one tree).
    Its CPU seconds, workers included, are left in :data:`LAST_CPU`."""
    started = time.perf_counter()
    child = subprocess.Popen(
        [IMSSKG, "build", str(corpus), "--store", str(store), "--processes", str(processes)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(child.pid, 0)
    took = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"imsskg build {corpus} failed")
    LAST_CPU[0] = usage.ru_utime + usage.ru_stime
    return took, usage.ru_maxrss / 1024


_PIPELINE_ALONE = """
import sys, time
from pathlib import Path
from imsskg._build import read_all
from imsskg.extract.pipeline import load_pipeline
texts = [d.text for d in read_all([Path(sys.argv[1])], [])]
nlp = load_pipeline(sys.argv[2])
list(nlp.pipe(texts[:16]))  # warm
started = time.perf_counter()
for _ in nlp.pipe(texts, batch_size=16):
    pass
print(len(texts) / (time.perf_counter() - started))
"""


def pipeline_alone(corpus: Path, model: str = "none") -> float:
    """Documents per second of the build's own spaCy pipeline (the same components) alone,
    ``nlp.pipe`` over the same texts, in one process: what a build could at best reach."""
    done = subprocess.run([sys.executable, "-c", _PIPELINE_ALONE, str(corpus), model], check=True,
                          capture_output=True, text=True)  # fmt: skip
    return float(done.stdout.split()[-1])


def size_mib(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20


_TIME_QUERY = """
import statistics, sys, time
from pathlib import Path
from imsskg.graph.store import Store
from imsskg.queries import named_queries, run
with Store.open(Path(sys.argv[1])) as kg:
    query = named_queries()[sys.argv[2]]
    times = []
    while len(times) < 3 and sum(times) < 10:  # the median of 3, or one run of a slow query
        started = time.perf_counter()
        rows = len(run(kg, query).rows)
        times.append(time.perf_counter() - started)
print(statistics.median(times), rows)
"""


_LOOKUPS = """
import json, random, statistics, sys, time
from pathlib import Path
from imsskg.graph.store import Store
from imsskg.queries import named_queries, paged, run
from imsskg.ontology import SPARQL_PREFIXES as P
from imsskg.server import pages
lookups = {}
samples = int(sys.argv[2])
with Store.open(Path(sys.argv[1])) as kg:
    rng = random.Random(7)
    people = [str(r[0]) for r in kg.select(P +
        "SELECT ?l WHERE { GRAPH ?cg { ?cg a ikg:CorpusGraph . ?p a ikg:Person ; skos:prefLabel ?l } }")]
    roles = [str(r[0]) for r in kg.select(P +
        "SELECT DISTINCT ?l WHERE { GRAPH ?cg { ?cg a ikg:CorpusGraph . ?r a org:Role ; rdfs:label ?l } }")]
    entities = [str(r[0]) for r in kg.select(P +
        "SELECT ?e WHERE { GRAPH ?cg { ?cg a ikg:CorpusGraph . ?e a ikg:Person } }")]
    names = rng.sample(people, min(samples - samples // 5, len(people))) + ["Nadie Ningunez"] * (samples // 5)
    library = named_queries()
    cases = {
        "who-held": [{"role": rng.choice(roles), "org": "", "date": "2020-01-01"} for _ in range(samples)],
        "post-holders": [{"role": rng.choice(roles), "org": ""} for _ in range(samples)],
        "why": [{"subject": n.split()[-1]} for n in names],
        "documents-mentioning": [{"name": n.split()[-1]} for n in names],
    }
    for name, values in cases.items():
        # the first page of 100 rows (what the web app shows first) of those that page
        query = paged(library[name], 100) if library[name].window else library[name]
        label = f"{name} (first 100 rows)" if library[name].window else name
        run(kg, query, values[0])  # warm
        times = []
        for v in values:
            started = time.perf_counter()
            run(kg, query, v)
            times.append(time.perf_counter() - started)
        lookups[label] = times
    picked = rng.sample(entities, min(samples, len(entities)))
    pages.entity_page(kg, picked[0])
    times = []
    for iri in picked:
        started = time.perf_counter()
        pages.entity_page(kg, iri)
        times.append(time.perf_counter() - started)
    lookups["entity page"] = times
    times = []
    for n in names:
        started = time.perf_counter()
        pages.search_by_word(kg, n.split()[-1])
        times.append(time.perf_counter() - started)
    lookups["search box, whole words (from start)"] = times
    started = time.perf_counter()
    index = pages.labels(kg)
    lookups["search index (built in background)"] = [time.perf_counter() - started]
    times = []
    for n in names:
        started = time.perf_counter()
        pages.search(index, {}, n.split()[-1][:5])
        times.append(time.perf_counter() - started)
    lookups["search box"] = times
    from imsskg.network.analysis import OVERVIEW_NODES, entity_network
    from imsskg.network.html import render
    started = time.perf_counter()
    overview = entity_network(kg, top=OVERVIEW_NODES)
    lookups["network view (built in background)"] = [time.perf_counter() - started]
    times = []
    for _ in range(samples):
        started = time.perf_counter()
        render(overview, script_src="/static/vendor/network.js")
        times.append(time.perf_counter() - started)
    lookups["network view, a request"] = times
    for measure in ("units", "programs", "officials"):
        started = time.perf_counter()
        pages.state_map(kg, measure)
        lookups.setdefault("map (a measure)", []).append(time.perf_counter() - started)
    for name in ("entities", "officials", "hospitals", "programs-states", "figures", "investments", "evidence",
                 "post-by-document"):
        started = time.perf_counter()
        run(kg, paged(library[name], 100, 0))
        lookups[f"first page of 100: {name}"] = [time.perf_counter() - started]
    started = time.perf_counter()
    run(kg, library["cooccurrence"])  # the 200 pairs named together most, from the kept counts
    lookups["cooccurrence (200 largest)"] = [time.perf_counter() - started]
print(json.dumps(lookups))
"""


def lookup_latencies(store: Path, samples: int = 25) -> dict[str, tuple[float, float]]:
    """p50 and p99 (ms) of each lookup a user waits on: who-held, post-holders and why for one
    role or name, documents-mentioning, an entity page, the search box (25 different inputs
    each, a fifth of the names matching nothing), the network view (built once per opened graph
    in the background, then each request), the map,
    and the first page of 100 rows of each listing, in one process with the store open."""
    import json

    command = [sys.executable, "-c", _LOOKUPS, str(store), str(samples)]
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    out = {}
    for name, times in json.loads(done.stdout).items():
        ordered = sorted(t * 1000 for t in times)
        p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
        out[name] = (ordered[len(ordered) // 2], p99)
    return out


def query_latencies(store: Path, limit: float, only: list[str] | None = None) -> None:
    """Each named query's latency on ``store`` (in-process; the median of 3 runs for queries
    under a few seconds)."""
    from imsskg.queries import named_queries

    for name in only or named_queries():
        try:
            done = subprocess.run(
                [sys.executable, "-c", _TIME_QUERY, str(store), name],
                check=True, capture_output=True, text=True, timeout=limit,
            )  # fmt: skip
        except subprocess.TimeoutExpired:
            print(f"         query {name:22} over the limit of {limit:.0f} s")
            continue
        took, rows = done.stdout.split()
        print(f"         query {name:22} {float(took) * 1000:10.1f} ms {int(rows):9} rows")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--work", type=Path, help="keep corpora and stores here (default: a temporary folder)")
    parser.add_argument("--query-limit", type=float, default=600, help="seconds allowed to each named query")
    parser.add_argument("--reuse", action="store_true", help="keep a store built by an earlier run in --work")
    parser.add_argument("--no-compare", action="store_true", help="skip the one-vs-two-processes comparison")
    parser.add_argument("--queries", nargs="*", help="time these named queries only")
    parser.add_argument("--lookups-only", action="store_true", help="time the lookups, not every named query")
    parser.add_argument("--samples", type=int, default=25, help="inputs per lookup (a fifth match nothing)")
    parser.add_argument("--lookups-at", type=Path, nargs="+", help="only time the lookups on these stores")
    args = parser.parse_args()
    if args.lookups_at:
        first: dict[str, tuple[float, float]] = {}
        for store in args.lookups_at:
            print(store)
            for name, (p50, p99) in lookup_latencies(store, args.samples).items():
                base = first.setdefault(name, (p50, p99))[0]
                ratio = p50 / base if base else float("nan")
                print(f"  lookup {name:44} p50 {p50:8.1f} ms  p99 {p99:8.1f} ms  ({ratio:.2f}× the first store's p50)")
        return
    work = args.work or Path(tempfile.mkdtemp(prefix="imsskg-scale-"))
    try:
        base_rate = None
        first_lookups: dict[str, tuple[float, float]] | None = None
        for n in args.sizes:
            corpus, store = work / f"c{n}", work / f"kg{n}"
            if not corpus.exists():
                generate(corpus, n)
            if args.reuse and store.exists():  # measure the increments on the store kept in --work
                print(f"{n:>7} docs: the store kept from an earlier run, {size_mib(store):7.1f} MiB")
                took = rate = float("nan")
            else:
                shutil.rmtree(store, ignore_errors=True)
                took, peak = run_build(corpus, store, args.processes)
                rate = n / took
                base_rate = base_rate or rate
                print(f"{n:>7} docs: {rate:6.1f} docs/s ({rate / base_rate:.2f}× the first size), "
                      f"peak {peak:7.0f} MiB, store {size_mib(store):7.1f} MiB, {took:7.1f} s")  # fmt: skip
            again, _ = run_build(corpus, store, args.processes)
            print(f"         rebuild with nothing changed: {again:6.1f} s ({again / took:.3f}× the build)")
            added = generate(corpus, 100, start=n)
            more, peak = run_build(corpus, store, args.processes)
            print(f"         adding 100 documents: {more:6.1f} s, peak {peak:5.0f} MiB "
                  f"(100 docs of the first build: {100 / rate:.1f} s)")  # fmt: skip
            started = time.perf_counter()
            names = [p.name for p in added]
            subprocess.run([IMSSKG, "remove", *names, "--store", str(store)], check=True, stdout=subprocess.DEVNULL)
            print(f"         removing them again: {time.perf_counter() - started:6.1f} s")
            for path in added:
                path.unlink()
            lookups = lookup_latencies(store, args.samples)
            first_lookups = first_lookups or lookups
            for name, (p50, p99) in lookups.items():
                ratio = p50 / first_lookups[name][0] if first_lookups[name][0] else float("nan")
                print(f"         lookup {name:31} p50 {p50:8.1f} ms  p99 {p99:8.1f} ms  "
                      f"({ratio:.2f}× the first size's p50)")  # fmt: skip
            if not args.lookups_only:
                query_latencies(store, args.query_limit, args.queries)
        if args.no_compare:
            return
        n = min(args.sizes)
        for name in ("single", "double"):
            shutil.rmtree(work / name, ignore_errors=True)
        alone = pipeline_alone(work / f"c{n}")
        one, _ = run_build(work / f"c{n}", work / "single", 1)
        cpu_one = LAST_CPU[0]
        two, _ = run_build(work / f"c{n}", work / "double", 2)
        print(f"the pipeline alone (nlp.pipe, same components, same texts), {n} docs: {alone:.1f} docs/s")
        print(f"one process: {n / one:.1f} docs/s, {n / one / alone:.2f}× the pipeline alone; "
              f"{cpu_one:.1f} CPU s in {one:.1f} s ({cpu_one / one:.2f} cores busy: the writer's thread "
              f"loads beside extraction), so two cores can give it at most {2 * one / cpu_one:.2f}×")  # fmt: skip
        print(
            f"two extraction processes vs one, {n} docs: {one / two:.2f}× faster ({n / one:.1f} → {n / two:.1f} docs/s)"
        )
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
