"""Scale benchmark: build generated corpora of growing size and report documents per second,
peak memory, store size, the cost of a rebuild with nothing changed, of adding 100 documents
and of removing them, each named query's latency, and the speed-up of two extraction
processes over one.

Each build runs in its own process (``imsskg build``), so that peak memory is its own; each
named query runs in its own process too, with a time limit.

    python bench/scale.py --sizes 1000 10000 100000 [--work DIR] [--query-limit 600]
    python bench/scale.py --sizes 100000 --work DIR --reuse --no-compare   # increments again
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


def run_build(corpus: Path, store: Path, processes: int) -> tuple[float, float]:
    """Seconds and peak resident memory (MiB) of one ``imsskg build`` in its own process: the
    largest of the build process and its extraction workers (``wait4`` reports that one tree)."""
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
    return took, usage.ru_maxrss / 1024


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
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="imsskg-scale-"))
    try:
        base_rate = None
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
            query_latencies(store, args.query_limit, args.queries)
        if args.no_compare:
            return
        n = min(args.sizes)
        for name in ("single", "double"):
            shutil.rmtree(work / name, ignore_errors=True)
        one, _ = run_build(work / f"c{n}", work / "single", 1)
        two, _ = run_build(work / f"c{n}", work / "double", 2)
        print(
            f"two extraction processes vs one, {n} docs: {one / two:.2f}× faster ({n / one:.1f} → {n / two:.1f} docs/s)"
        )
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
