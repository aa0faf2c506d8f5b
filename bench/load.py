"""Load test of ``imsskg serve``: N queries from C concurrent clients against a graph of at
least 100,000 triples, each answer checked against the store read directly.

Reports throughput, p50/p99 latency and the number of wrong answers, and the same queries run
in-process through pyoxigraph on one thread as the baseline of the same run. With
``--runaway N``, N more clients keep sending a query that never ends (a three-way cartesian
COUNT) during the whole run: the report then says how the ordinary queries fared, the server's
peak memory (its process and its query workers), and how long after the last runaway query was
stopped the server's CPU went back to idle.

    python bench/load.py --queries 1000 --clients 8 --runaway 5
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

import httpx
import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent))
from imsskg.extract.pipeline import load_pipeline
from imsskg.graph.corpus import CORPUS
from imsskg.graph.store import Store

from corpus import make_corpus
from imsskg._build import build
from imsskg.stats import statements

#: Five shapes of query, as users write them for the endpoint (whose default graph is the corpus
#: graph; press releases, statements and amounts are in the documents' named graphs).
QUERIES = [
    "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { GRAPH ?g { ?d a <https://w3id.org/imsskg/ontology#PressRelease> } }",
    "SELECT ?l WHERE { ?e <http://www.w3.org/2004/02/skos/core#prefLabel> ?l } ORDER BY ?l LIMIT 50",
    "SELECT ?s ?o WHERE { ?s <https://schema.org/containedInPlace> ?o } ORDER BY ?s ?o LIMIT 100",
    "SELECT ?f ?sentence WHERE { GRAPH ?g { ?f a <https://w3id.org/imsskg/ontology#Statement> ; "
    "<https://w3id.org/imsskg/ontology#sentence> ?sentence } } ORDER BY ?f LIMIT 20",
    'SELECT ?a ?v WHERE { GRAPH ?g { ?a <https://w3id.org/imsskg/ontology#amountKind> "investment" ; '
    "<https://schema.org/value> ?v } } ORDER BY DESC(?v) ?a LIMIT 10",
]


def answer(rows: list[dict[str, dict[str, str]]]) -> list[tuple[str, ...]]:
    """Comparable form of SPARQL JSON bindings."""
    return [tuple(sorted((k, v["value"]) for k, v in row.items())) for row in rows]


def direct(store: ox.Store, query: str) -> list[tuple[str, ...]]:
    result = store.query(query, default_graph=[CORPUS])  # the endpoint's dataset
    assert isinstance(result, ox.QuerySolutions)
    names = [v.value for v in result.variables]
    return [tuple(sorted((n, s[n].value) for n in names if s[n] is not None)) for s in result]


RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def _tree(pid: int) -> list[int]:
    """The process and its children (the query workers)."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            children.append(int(stat.parent.name))
    return [pid, *children]


def _usage(pids: list[int]) -> tuple[float, float]:
    """CPU seconds used so far and resident MiB now, summed over ``pids``."""
    ticks, pages = 0, 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])
            pages += int(Path(f"/proc/{pid}/statm").read_text().split()[1])
        except (OSError, IndexError):
            continue
    return ticks / os.sysconf("SC_CLK_TCK"), pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--triples", type=int, default=100_000, help="grow the corpus until the graph has this many")
    parser.add_argument("--runaway", type=int, default=0, help="clients sending never-ending queries meanwhile")
    parser.add_argument("--timeout", type=float, default=10.0, help="the server's time limit per query")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="imsskg-load-"))
    server = None
    try:
        corpus, store_path = work / "corpus", work / "kg"
        corpus.mkdir()
        nlp = load_pipeline()
        docs, triples = 100, 0
        while triples < args.triples:
            docs = docs if not triples else int(docs * args.triples / triples * 1.05) + 1
            shutil.rmtree(corpus)
            corpus.mkdir()
            make_corpus(corpus, docs)
            build([corpus], store_path, nlp=nlp)
            with Store.open(store_path) as kg:
                triples = statements(kg)
        print(f"graph: {docs} documents, {triples} triples")

        store = ox.Store.read_only(str(store_path))
        expected = {q: direct(store, q) for q in QUERIES}
        started = time.perf_counter()
        for i in range(args.queries):
            direct(store, QUERIES[i % len(QUERIES)])
        baseline = time.perf_counter() - started
        del store

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        imsskg = Path(sys.executable).with_name("imsskg")
        server = subprocess.Popen(
            [str(imsskg), "serve", "--store", str(store_path), "--port", str(port), "--timeout", str(args.timeout)],
            stderr=subprocess.DEVNULL,
        )
        url = f"http://127.0.0.1:{port}/sparql"
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(url, params={"query": QUERIES[0]}, timeout=5)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

        def client(worker: int) -> list[tuple[float, bool]]:
            out = []
            with httpx.Client(timeout=30) as http:
                for i in range(worker, args.queries, args.clients):
                    query = QUERIES[i % len(QUERIES)]
                    t0 = time.perf_counter()
                    response = http.get(
                        f"{url}?query={quote(query)}", headers={"Accept": "application/sparql-results+json"}
                    )
                    took = time.perf_counter() - t0
                    rows = json.loads(response.content)["results"]["bindings"] if response.status_code == 200 else None
                    out.append((took, rows is not None and answer(rows) == expected[query]))
            return out

        running = True
        stopped_at: list[float] = []

        def runaway(_: int) -> int:
            sent = 0
            with httpx.Client(timeout=args.timeout * 3) as http:
                while running:
                    response = http.get(url, params={"query": RUNAWAY})
                    stopped_at.append(time.monotonic())
                    sent += response.status_code == 503
            return sent

        peak = 0.0

        def watch() -> None:
            nonlocal peak
            while running:
                peak = max(peak, _usage(_tree(server.pid))[1])
                time.sleep(0.1)

        watcher = ThreadPoolExecutor(1 + args.runaway)
        watcher.submit(watch)
        runaways = [watcher.submit(runaway, i) for i in range(args.runaway)]
        if args.runaway:
            time.sleep(1.0)  # the runaway queries are in flight before the ordinary ones start
        started = time.perf_counter()
        with ThreadPoolExecutor(args.clients) as pool:
            results = [r for batch in pool.map(client, range(args.clients)) for r in batch]
        elapsed = time.perf_counter() - started
        running = False
        stopped = sum(f.result() for f in runaways)
        watcher.shutdown()
        latencies = sorted(t for t, _ in results)
        correct = sum(ok for _, ok in results)
        p50 = statistics.median(latencies) * 1000
        p99 = latencies[max(0, int(len(latencies) * 0.99) - 1)] * 1000
        rate, base_rate = len(results) / elapsed, args.queries / baseline
        print(f"{len(results)} queries from {args.clients} clients: {rate:.1f} queries/s, ", end="")
        print(f"p50 {p50:.1f} ms, p99 {p99:.1f} ms, {correct} correct")
        print(f"baseline, in-process pyoxigraph, one thread: {base_rate:.1f} queries/s ", end="")
        print(f"(server throughput {rate / base_rate:.2f}× the baseline)")
        if args.runaway:
            last = max(stopped_at)
            idle_after = None
            cpu, _ = _usage(_tree(server.pid))
            while time.monotonic() - last < 30:  # CPU back to idle: under 5 % of a core over 0.5 s
                time.sleep(0.5)
                now, _ = _usage(_tree(server.pid))
                if (now - cpu) / 0.5 < 0.05:
                    idle_after = time.monotonic() - last
                    break
                cpu = now
            print(
                f"with {args.runaway} runaway clients: {stopped} runaway queries stopped at the "
                f"{args.timeout:g} s limit; ",
                end="",
            )
            print(f"server peak memory {peak:.0f} MiB (server and workers); ", end="")
            print(
                f"CPU idle {idle_after:.1f} s after the last was stopped" if idle_after is not None else "CPU not idle"
            )
    finally:
        if server:
            server.terminate()
            server.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
