"""Scale benchmark: build generated corpora of growing size and report documents per second,
peak memory, store size, the cost of a rebuild with nothing changed and of adding 100
documents, and the speed-up of two extraction processes over one.

Each build runs in its own process (``imsskg build``), so that peak memory is its own.

    python bench/scale.py --sizes 1000 10000 100000
"""

from __future__ import annotations

import argparse
import resource
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
    """Seconds and peak resident memory (MiB) of one ``imsskg build`` in its own process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    subprocess.run(
        [IMSSKG, "build", str(corpus), "--store", str(store), "--processes", str(processes)],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    took = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return took, max(peak, before) / 1024


def size_mib(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--processes", type=int, default=2)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="imsskg-scale-"))
    try:
        base_rate = None
        for n in args.sizes:
            corpus, store = work / f"c{n}", work / f"kg{n}"
            generate(corpus, n)
            took, peak = run_build(corpus, store, args.processes)
            rate = n / took
            base_rate = base_rate or rate
            print(f"{n:>7} docs: {rate:6.1f} docs/s ({rate / base_rate:.2f}× the first size), "
                  f"peak {peak:7.0f} MiB, store {size_mib(store):7.1f} MiB, {took:7.1f} s")  # fmt: skip
            again, _ = run_build(corpus, store, args.processes)
            print(f"         rebuild with nothing changed: {again:6.1f} s ({again / took:.3f}× the build)")
            generate(corpus, 100, start=n)
            more, _ = run_build(corpus, store, args.processes)
            print(f"         adding 100 documents: {more:6.1f} s (100 docs of the first build: {100 / rate:.1f} s)")
        n = min(args.sizes)
        one, _ = run_build(work / f"c{n}", work / "single", 1)
        two, _ = run_build(work / f"c{n}", work / "double", 2)
        print(
            f"two extraction processes vs one, {n} docs: {one / two:.2f}× faster ({n / one:.1f} → {n / two:.1f} docs/s)"
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
