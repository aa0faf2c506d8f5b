"""The ``imsskg`` command line: build, extract, query, export, network, stats."""

from __future__ import annotations

import json
import logging
import re
import socket
import sys
from collections.abc import Sequence
from importlib.resources import as_file, files
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)  # fmt: skip
from rich.table import Table as RichTable

import imsskg
from imsskg import _build
from imsskg.config import settings
from imsskg.graph.store import StoreError
from imsskg.lang.text import fold

if TYPE_CHECKING:
    from spacy.language import Language

    from imsskg.graph.store import Rows

app = typer.Typer(
    help="Turn Spanish press releases of Mexico's public health institutions into a knowledge graph.",
    no_args_is_help=True,
    add_completion=False,
)
out = Console(width=None if sys.stdout.isatty() else 160)
err = Console(stderr=True, soft_wrap=True)

StoreOption = Annotated[Path, typer.Option("--store", help="Folder of the graph store.")]
PathsArgument = Annotated[
    list[Path] | None, typer.Argument(help="Files or folders of press releases (default: the sample corpus).")
]
ModelOption = Annotated[str, typer.Option("--model", help="spaCy pipeline to load, or 'none' for the rules alone.")]

#: Exit codes
EXIT_SKIPPED = 3


def _sample_corpus() -> Path:
    with as_file(files("imsskg.corpus")) as folder:
        return Path(folder)


def _paths(paths: list[Path] | None) -> list[Path]:
    return list(paths) if paths else [_sample_corpus()]


def _fail(message: str, code: int = 1) -> typer.Exit:
    err.print(f"[red]error:[/red] {message}")
    return typer.Exit(code)


def _version(asked: bool) -> None:
    if asked:
        out.print(f"imsskg {imsskg.__version__}")
        raise typer.Exit()


@app.callback()
def main(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log progress.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print errors only.")] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Configure logging once for every command."""
    level = logging.ERROR if quiet else logging.INFO if verbose else logging.WARNING
    logging.basicConfig(level=level, format="%(levelname)s: %(message)s")
    if quiet:
        out.quiet = True


def _pipeline(model: str) -> Language:
    """The pipeline ``model``, or one clear line when it is not installed."""
    from imsskg.extract.pipeline import ModelError, load_pipeline

    try:
        return load_pipeline(model)
    except ModelError as exc:
        raise _fail(str(exc)) from exc


def _rich(columns: list[str], rows: Sequence[Sequence[str | None]], title: str | None = None) -> RichTable:
    table = RichTable(title=title, show_lines=False, header_style="bold")
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*("" if v is None else v for v in row))
    return table


def _holds(report: _build.BuildReport) -> str:
    """What the graph holds after a build, merge or removal."""
    if report.stats is None:
        return "no graph"
    return f"{report.stats.documents} documents, {sum(report.stats.entities.values())} entities"


@app.command()
def build(
    paths: PathsArgument = None,
    store: StoreOption = settings.store,
    model: ModelOption = settings.model,
    force: Annotated[bool, typer.Option("--force", help="Extract every document again, changed or not.")] = False,
    verify: Annotated[
        bool, typer.Option("--verify", help="Hash every file, even those whose size, time and inode did not change.")
    ] = False,
    processes: Annotated[
        int, typer.Option("--processes", help="Extraction processes (0: one per core for 200 files or more).")
    ] = 0,
    target: Annotated[
        str | None,
        typer.Option("--target", help="Also send what changed to this SPARQL 1.1 Update endpoint."),
    ] = None,
    shard: Annotated[
        str | None, typer.Option("--shard", help="K/N: build only the K-th of N slices of the files (by name).")
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option("--scheduler", help="Extract on a Dask cluster: its scheduler's address, or local:N workers."),
    ] = None,
) -> None:
    """Build (or update) the graph from press releases and show what it found.

    Unreadable files are reported by name with the reason and the rest still build; the exit
    code is then 3. An interrupted build leaves the previous graph intact.
    """
    from imsskg.extract.pipeline import ModelError, check_model, load_pipeline

    sources = _paths(paths)
    try:
        check_model(model)
    except ModelError as exc:
        raise _fail(str(exc)) from exc
    try:
        slice_ = _build.parse_shard(shard) if shard else None
    except ValueError as exc:
        raise _fail(str(exc)) from exc
    if scheduler:
        from imsskg.extract.distributed import parse_scheduler

        try:
            parse_scheduler(scheduler)
        except ValueError as exc:
            raise _fail(str(exc)) from exc
    processes = processes or _build.default_processes(sources)
    nlp = load_pipeline(model) if processes == 1 and not scheduler else None
    from imsskg.read import iter_paths

    columns = (TextColumn("building"), BarColumn(), MofNCompleteColumn(), TextColumn("documents"),
               TimeElapsedColumn(), TextColumn("left"), TimeRemainingColumn())  # fmt: skip
    with Progress(*columns, console=err, transient=True, disable=out.quiet) as bar:
        task = bar.add_task("build", total=sum(1 for _ in iter_paths(sources)))
        try:
            report = _build.build(
                sources, store, nlp=nlp, model=model, force=force, verify=verify, processes=processes, shard=slice_,
                scheduler=scheduler, progress=lambda _: bar.advance(task),
            )  # fmt: skip
        except StoreError as exc:
            raise _fail(str(exc)) from exc
    for path, reason in report.skipped:
        err.print(f"[yellow]skipped[/yellow] {path}: {reason}")
    if target and report.built:
        from imsskg.graph.rdf import document_graph_iri

        _push(store, target, [document_graph_iri(Path(name).stem).value for name in report.built], [], report)
    out.print(
        f"[bold]{len(report.built)}[/bold] built, {len(report.unchanged)} unchanged, "
        f"{len(report.skipped)} skipped → {store} ({_holds(report)})"
    )
    if stats := report.stats:
        out.print(_rich(["type", "entities"], [[k, str(v)] for k, v in stats.entities.items()], "Entities"))
        out.print(_rich(["predicate", "facts"], [[k, str(v)] for k, v in stats.relations.items()], "Relations"))
        if stats.documents <= 100:
            _print_query(store, "officials", "table", {})
        else:
            out.print("officials and their posts: imsskg query officials")
    if report.skipped:
        raise typer.Exit(EXIT_SKIPPED)


@app.command()
def merge(
    sources: Annotated[list[Path], typer.Argument(help="Stores built by shards (imsskg build --shard K/N).")],
    store: StoreOption = settings.store,
) -> None:
    """Merge the stores of several shards into one graph, as if one build had read them all."""
    if not any(source.exists() for source in sources):
        raise _fail(
            f"none of {', '.join(map(str, sources))} is a store: build the shards first (imsskg build --shard K/N)"
        )
    try:
        report = _build.merge(sources, store)
    except StoreError as exc:
        raise _fail(str(exc)) from exc
    for path, reason in report.skipped:
        err.print(f"[yellow]skipped[/yellow] {path}: {reason}")
    out.print(f"{len(report.built)} documents merged → {store} ({_holds(report)})")
    if report.skipped:
        raise typer.Exit(EXIT_SKIPPED)


@app.command()
def remove(
    names: Annotated[list[str], typer.Argument(help="File names of the documents to remove (as built).")],
    store: StoreOption = settings.store,
    target: Annotated[
        str | None, typer.Option("--target", help="Also send the removal to this SPARQL 1.1 Update endpoint.")
    ] = None,
) -> None:
    """Remove documents and the facts read from them; entities no other document names go too."""
    try:
        report = _build.remove([Path(n).name for n in names], store)
    except StoreError as exc:
        raise _fail(str(exc)) from exc
    for name, reason in report.skipped:
        err.print(f"[yellow]not removed[/yellow] {name}: {reason}")
    out.print(f"{len(report.built)} removed → {store} ({_holds(report)})")
    if target and report.built:
        from imsskg.graph.rdf import document_graph_iri

        _push(store, target, [], [document_graph_iri(Path(name).stem).value for name in report.built], report)
    if report.skipped:
        raise typer.Exit(EXIT_SKIPPED)


@app.command()
def extract(
    paths: PathsArgument = None,
    fmt: Annotated[str, typer.Option("--format", help="jsonl (the extraction report) or table.")] = "jsonl",
    model: ModelOption = settings.model,
) -> None:
    """Extract entities and relations and print them, without touching the store."""
    from imsskg.extract.pipeline import extract as run_extract
    from imsskg.report import report

    skipped: list[tuple[str, str]] = []
    documents = list(_build.read_all(_paths(paths), skipped))
    extractions = list(run_extract(documents, _pipeline(model)))
    for path, reason in skipped:
        err.print(f"[yellow]skipped[/yellow] {path}: {reason}")
    for line in report(extractions):
        if fmt == "jsonl":
            sys.stdout.write(json.dumps(line, ensure_ascii=False) + "\n")
        elif fmt == "table":
            rows = [[e["type"], e["name"], ", ".join(e["mentions"])] for e in line["entities"]]
            out.print(_rich(["type", "name", "mentions"], rows, line["doc"]))
        else:
            raise _fail(f"unknown format {fmt!r}: use jsonl or table")
    if skipped:
        raise typer.Exit(EXIT_SKIPPED)


def _push(store: Path, target: str, graphs: list[str], dropped: list[str], report: _build.BuildReport) -> None:
    """Send what a build or removal changed to the Update endpoint ``target``."""
    from imsskg.graph.remote import RemoteError, push

    try:
        sent = push(store, target, graphs, dropped, report.changes)
    except RemoteError as exc:
        raise _fail(f"{exc} (the local graph is built; the remote store may be behind it)") from exc
    out.print(
        f"{sent.graphs} document graphs written and {sent.dropped} dropped, corpus graph "
        f"−{sent.removed} +{sent.added} triples, in {sent.requests} updates to {target}"
    )


def _print_query(
    store: Path, name: str, fmt: str, values: dict[str, str], endpoint: str | None = None,
    page: tuple[int | None, int] = (None, 0),
) -> None:  # fmt: skip
    from imsskg.graph.remote import RemoteError
    from imsskg.queries import ParameterError, for_people, load_query, paged, run, text_of, to_csv, to_json, write_csv
    from imsskg.queries.remote import remote_select

    try:
        query = paged(load_query(name), *page)
        table: Rows
        if fmt == "csv" and not endpoint:  # streamed: a whole listing in constant memory
            with imsskg.open(store) as kg:
                write_csv(kg.store, query, values, sys.stdout)
            return
        if endpoint:
            table = remote_select(endpoint, query, values)
        else:
            with imsskg.open(store) as kg:
                table = run(kg.store, query, values)
    except (KeyError, StoreError, RemoteError, ParameterError) as exc:
        raise _fail(str(exc).strip("'\"")) from exc
    except SyntaxError as exc:  # the parser says where, then lists every character it expected there
        where = re.search(r"error at \d+:\d+", str(exc))
        raise _fail(f"{name} is not valid SPARQL ({where.group(0) if where else str(exc)[:120]})") from exc
    except (ValueError, RuntimeError) as exc:
        raise _fail(f"query failed: {str(exc).splitlines()[0][:300]}") from exc
    if fmt == "csv":
        sys.stdout.write(to_csv(table))
    elif fmt == "json":
        sys.stdout.write(to_json(table) + "\n")
    else:
        shown = for_people(table)
        out.print(_rich(list(shown.columns), [[text_of(v) for v in row] for row in shown], query.description))


@app.command()
def query(
    name_or_file: Annotated[str | None, typer.Argument(help="A named query (see --list) or a .rq file.")] = None,
    store: StoreOption = settings.store,
    fmt: Annotated[str, typer.Option("--format", help="table, csv or json.")] = "table",
    param: Annotated[
        list[str] | None, typer.Option("--param", "-p", help="NAME=VALUE for a query parameter (repeatable).")
    ] = None,
    list_queries: Annotated[bool, typer.Option("--list", help="List the named queries.")] = False,
    endpoint: Annotated[
        str | None, typer.Option("--endpoint", help="Query this SPARQL endpoint instead of the local store.")
    ] = None,
    limit: Annotated[int | None, typer.Option("--limit", help="At most this many rows (a page of a listing).")] = None,
    offset: Annotated[int, typer.Option("--offset", help="Skip this many rows first (the next page).")] = 0,
) -> None:
    """Run a named SPARQL query of the library, or a .rq file, against the graph."""
    from imsskg.queries import named_queries

    if list_queries or not name_or_file:
        rows = [
            [q.name, q.description, ", ".join(f"{k}={v}" for k, v in q.params.items())]
            for q in named_queries().values()
        ]
        out.print(_rich(["name", "answers", "parameters"], rows))
        return
    if fmt not in {"table", "csv", "json"}:
        raise _fail(f"unknown format {fmt!r}: use table, csv or json")
    values = {}
    for item in param or []:
        key, sep, value = item.partition("=")
        if not sep:
            raise _fail(f"--param takes NAME=VALUE, not {item!r}")
        values[key.strip()] = value
    _print_query(store, name_or_file, fmt, values, endpoint, (limit, offset))


@app.command()
def export(
    fmt: Annotated[str, typer.Option("--format", help="turtle, nt, jsonld, xml, trig or nquads.")] = "turtle",
    output: Annotated[Path | None, typer.Option("-o", "--output", help="File to write (default: stdout).")] = None,
    store: StoreOption = settings.store,
) -> None:
    """Export the whole graph as linked data (TriG, N-Quads and JSON-LD keep one graph per document)."""
    from imsskg.graph.export import Format
    from imsskg.graph.export import export as run_export

    try:
        chosen = Format(fmt)
    except ValueError as exc:
        raise _fail(f"unknown format {fmt!r}: use {', '.join(f.value for f in Format)}") from exc
    try:
        with imsskg.open(store) as kg:
            if output:
                kg.export(output, chosen.value)
                err.print(f"wrote {output}")
            else:
                run_export(kg.store, chosen, sys.stdout.buffer)
    except StoreError as exc:
        raise _fail(str(exc)) from exc


@app.command()
def network(
    output: Annotated[
        list[Path] | None, typer.Option("-o", "--output", help="Write .html, .graphml, .gexf or .json (repeatable).")
    ] = None,
    store: StoreOption = settings.store,
    top: Annotated[int, typer.Option("--top", help="How many central entities to print.")] = 10,
    around: Annotated[
        str | None, typer.Option("--ego", help="Keep only this entity (name or IRI) and its neighbours.")
    ] = None,
    between: Annotated[
        tuple[str, str] | None, typer.Option("--path", help="Print the shortest path between two entities.")
    ] = None,
    show_communities: Annotated[bool, typer.Option("--communities", help="Print the Louvain communities.")] = False,
    comentions: Annotated[
        int, typer.Option("--comentions", help="Also link entities named in the same sentence at least N times.")
    ] = 0,
) -> None:
    """The entity network: most central entities, communities, ego networks, paths, and files
    for Gephi (.graphml, .gexf), the web (.html, .json) or reports (.png, .svg)."""
    from imsskg.network.analysis import communities, ego, path, picture, top_central, write
    from imsskg.network.html import render

    try:
        with imsskg.open(store) as kg:
            g = kg.network(comentions=comentions > 0, min_comentions=max(comentions, 1))
    except StoreError as exc:
        raise _fail(str(exc)) from exc

    def find(name: str) -> str:
        if name in g:
            return name
        wanted = fold(name)
        hits = sorted((n for n, d in g.nodes(data=True) if wanted in fold(d["label"])), key=lambda n: -g.degree(n))
        if not hits:
            raise _fail(f"no entity named like {name!r}")
        return str(hits[0])

    if between:
        a, b = find(between[0]), find(between[1])
        try:
            steps = path(g, a, b)
        except Exception as exc:  # networkx.NetworkXNoPath
            raise _fail(f"no path between {g.nodes[a]['label']} and {g.nodes[b]['label']}") from exc
        for x, y, how in steps:
            out.print(f"{g.nodes[x]['label']} —[{how}]→ {g.nodes[y]['label']}", markup=False, highlight=False)
    if show_communities:
        for i, members in enumerate(communities(g), 1):
            names = sorted(g.nodes[n]["label"] for n in members)
            out.print(f"[bold]{i}[/bold] ({len(names)}): {', '.join(names[:12])}{' …' if len(names) > 12 else ''}")
    if around:
        g = ego(g, find(around))
    scores = {n: {k: d[k] for k in ("degree", "betweenness", "eigenvector")} for n, d in g.nodes(data=True)}
    rows = [
        [g.nodes[n]["label"], g.nodes[n]["type"], f"{s:.3f}", f"{scores[n]['betweenness']:.3f}", str(g.degree(n))]
        for n, s in top_central(scores, k=top)
    ]
    out.print(f"{g.number_of_nodes()} entities, {g.number_of_edges()} links")
    out.print(_rich(["entity", "type", "degree centrality", "betweenness", "neighbours"], rows, "Most central"))
    for target in output or []:
        suffix = target.suffix.lower()
        if suffix == ".html":
            target.write_text(render(g), encoding="utf-8")
        elif suffix in {".png", ".svg"}:
            try:
                picture(g, target)
            except ImportError as exc:
                raise _fail(str(exc)) from exc
        else:
            try:
                write(g, target)
            except ValueError as exc:
                raise _fail(str(exc)) from exc
        err.print(f"wrote {target}")


@app.command()
def serve(
    store: StoreOption = settings.store,
    host: Annotated[str, typer.Option("--host", help="Address to listen on (loopback by default).")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds a SPARQL query may run.")] = 10.0,
    max_results: Annotated[int, typer.Option("--max-results", help="Rows or triples a query may return.")] = 10_000,
    cors: Annotated[bool, typer.Option("--cors", help="Let web pages of other origins query the endpoint.")] = False,
    memory: Annotated[int, typer.Option("--memory", help="MiB a query's evaluation may hold.")] = 512,
    workers: Annotated[int, typer.Option("--workers", help="Most processes evaluating SPARQL at once.")] = 8,
) -> None:
    """Serve the graph: SPARQL endpoint, query page, entity pages, network view, VoID and dumps."""
    import uvicorn

    from imsskg.server.app import create_app
    from imsskg.server.sparql import Limits

    with socket.socket() as probe:
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise _fail(f"cannot listen on {host}:{port} ({exc.strerror}): choose another with --port") from exc
    try:
        limits = Limits(timeout=timeout, max_results=max_results, memory_mib=memory)
        web = create_app(store, limits=limits, cors=cors, workers=workers)
    except StoreError as exc:
        raise _fail(str(exc)) from exc
    err.print(f"serving {store} on http://{host}:{port}/ (SPARQL at /sparql)")
    uvicorn.run(web, host=host, port=port, log_level="warning")


@app.command()
def why(
    subject: Annotated[str, typer.Argument(help='The subject\'s name, or part of it ("Robledo").')],
    predicate: Annotated[str, typer.Argument(help="holdsPost, represents, locatedIn, operatesIn or partOf.")],
    obj: Annotated[str, typer.Argument(metavar="OBJECT", help="The object's name or post, or part of it.")],
    store: StoreOption = settings.store,
) -> None:
    """Show the sentences behind a fact: document, date, sentence, rule and confidence."""
    try:
        with imsskg.open(store) as kg:
            found = kg.query("why", subject=subject, predicate=predicate)
            assert not isinstance(found, bool | list)
            rows = found.dicts()
    except StoreError as exc:
        raise _fail(str(exc)) from exc
    rows = [r for r in rows if fold(obj) in fold(str(r["o_label"] or ""))]
    if not rows:
        raise _fail(f"the graph states no {predicate} from {subject!r} to {obj!r}")
    for row in rows:
        out.print(
            f"[bold]{row['s_label']}[/bold] {predicate} [bold]{row['o_label']}[/bold]  "
            f"({row['document']}, {row['date'] or 'undated'}, characters {row['begin']}-{row['end']}, "
            f"rule {row['rule']}, confidence {row['confidence']})",
            highlight=False,
        )
        out.print(f"  “{row['sentence']}”", markup=False, highlight=False)


@app.command()
def evaluate(
    gold: Annotated[Path, typer.Argument(help="Folder of gold annotations (*.json), one per document.")],
    paths: PathsArgument = None,
    model: ModelOption = settings.model,
    show_errors: Annotated[bool, typer.Option("--show-errors", help="List every miss and spurious item.")] = False,
) -> None:
    """Extract the documents and score the result against hand annotations."""
    from imsskg.evaluate import load_gold, score, table
    from imsskg.extract.pipeline import extract as run_extract
    from imsskg.report import report

    try:
        annotations = load_gold(gold)
    except (OSError, ValueError) as exc:
        raise _fail(str(exc)) from exc
    skipped: list[tuple[str, str]] = []
    extractions = list(run_extract(_build.read_all(_paths(paths), skipped), _pipeline(model)))
    result = score(annotations, {line["doc"]: line for line in report(extractions)})
    if show_errors:
        for error in result.errors:
            out.print(error, markup=False, highlight=False)
    out.print(_rich(["", "P", "R", "F1", "tp", "fp", "fn"], table(result), f"Scores against {gold}"))
    e, r = result.entity_micro, result.relation_micro
    out.print(f"entities F1 {e.f1:.3f} | relations F1 {r.f1:.3f} | identity {result.identity:.3f}")


@app.command()
def fetch(
    urls: Annotated[list[str] | None, typer.Argument(help="Pages to download.")] = None,
    to: Annotated[Path, typer.Option("--to", help="Folder to save the pages in (for imsskg build).")] = Path("pages"),
    sitemap: Annotated[str | None, typer.Option("--sitemap", help="Download every page a sitemap lists.")] = None,
    listing: Annotated[Path | None, typer.Option("--list", help="A file with one URL per line.")] = None,
    delay: Annotated[float, typer.Option("--delay", help="Seconds between two requests to one host.")] = 1.0,
) -> None:
    """Download press releases into a folder ready for imsskg build: robots.txt honoured, a
    delay per host, retries with backoff, and only what changed on a second run."""
    import httpx

    from imsskg.fetch import FetchError, client, sitemap_urls
    from imsskg.fetch import fetch as run_fetch

    wanted = list(urls or [])
    if listing:
        try:
            wanted += [line.strip() for line in listing.read_text(encoding="utf-8").splitlines() if line.strip()]
        except OSError as exc:
            raise _fail(f"cannot read {listing}: {exc.strerror}") from exc
    with client() as http:
        if sitemap:
            try:
                wanted += list(sitemap_urls(http, sitemap))
            except (FetchError, httpx.HTTPError) as exc:
                raise _fail(str(exc)) from exc
        if not wanted:
            raise _fail("give URLs, --list FILE or --sitemap URL")
        report = run_fetch(wanted, to, delay=delay, http=http)
    for url in report.refused:
        err.print(f"[yellow]refused by robots.txt[/yellow] {url}")
    for url, reason in report.failed:
        err.print(f"[yellow]failed[/yellow] {url}: {reason}")
    out.print(f"{len(report.saved)} saved, {len(report.unchanged)} unchanged, {len(report.refused)} refused, "
              f"{len(report.failed)} failed → {to} (imsskg build {to})")  # fmt: skip
    if report.failed or report.refused:
        raise typer.Exit(EXIT_SKIPPED)


@app.command()
def validate(
    store: StoreOption = settings.store,
    show: Annotated[int, typer.Option("--show", help="How many violations to print.")] = 20,
) -> None:
    """Check the graph against the SHACL shapes of ontology/shapes.ttl (needs imsskg[validate])."""
    try:
        from pyshacl import validate as shacl
    except ImportError as exc:
        raise _fail("validation needs pyshacl: pip install 'imsskg[validate]'") from exc
    from rdflib import Graph, URIRef

    from imsskg.ontology import ontology_graph, shapes_graph

    try:
        with imsskg.open(store) as kg:
            union = Graph()
            for s, p, o, _ in kg.rdflib().quads((None, None, None, None)):
                union.add((s, p, o))
    except StoreError as exc:
        raise _fail(str(exc)) from exc
    conforms, report, _ = shacl(union, shacl_graph=shapes_graph(), ont_graph=ontology_graph(), inference="none")
    if conforms:
        out.print(f"{store} conforms to the shapes ({len(union)} triples)")
        return
    sh = "http://www.w3.org/ns/shacl#"
    messages = sorted({str(m) for m in report.objects(None, URIRef(sh + "resultMessage"))})
    for message in messages[:show]:
        err.print(f"[red]violation[/red] {message}", markup=True, highlight=False)
    raise _fail(f"{store} does not conform to the shapes: {len(messages)} kinds of violation")


@app.command()
def stats(store: StoreOption = settings.store) -> None:
    """Documents, entities per type, facts per predicate and statements in the graph."""
    try:
        with imsskg.open(store) as kg:
            s, n = kg.stats(), len(kg.store)
    except StoreError as exc:
        raise _fail(str(exc)) from exc
    out.print(f"{s.documents} documents, {n} statements")
    out.print(_rich(["type", "entities"], [[k, str(v)] for k, v in s.entities.items()], "Entities"))
    out.print(_rich(["predicate", "facts"], [[k, str(v)] for k, v in s.relations.items()], "Relations"))


def run() -> None:
    """The ``imsskg`` command: a mistake of the tool's own is one line, not a traceback, unless
    ``--debug`` asks for it."""
    debug = "--debug" in sys.argv
    if debug:
        sys.argv.remove("--debug")
    try:
        app(prog_name="imsskg", standalone_mode=True)
    except Exception as exc:
        if debug:
            raise
        err.print(
            f"[red]error:[/red] {type(exc).__name__}: {exc} (run with --debug for the traceback)", highlight=False
        )
        sys.exit(1)


if __name__ == "__main__":
    run()
