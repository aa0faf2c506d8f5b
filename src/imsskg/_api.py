"""The public Python API: build or open a graph, query it, explore it, export it.

The command line and the web app are thin layers over these functions and
:class:`KnowledgeGraph`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

import pyoxigraph as ox

from imsskg import _build
from imsskg.config import settings
from imsskg.graph.export import Format, format_of
from imsskg.graph.export import export as write_export
from imsskg.graph.store import Rows, Store
from imsskg.model import Extraction
from imsskg.queries import declare_prefixes, load_query, named_queries, run
from imsskg.stats import Stats, graph_stats

if TYPE_CHECKING:
    import networkx as nx
    from rdflib import Dataset
    from spacy.language import Language

PathLike = str | os.PathLike[str]


class KnowledgeGraph:
    """A built graph: query it, explore it as a network, export it, hand it to rdflib.

    Get one from :func:`build` or :func:`open`; close it (or use it in a ``with`` block) to
    release the store's folder. ``report`` says what the build that made it did.
    """

    def __init__(self, store: Store, report: _build.BuildReport | None = None) -> None:
        self.store = store
        self.report = report

    @property
    def path(self) -> Path | None:
        """The store's folder (``None`` for a graph in memory)."""
        return self.store.path

    def query(self, query: str, /, **params: str) -> Rows | bool | list[ox.Triple]:
        """Run a named query of ``queries/`` (its parameters as keywords), a ``.rq`` file, or
        SPARQL text (keywords bound to its variables; the ontology's prefixes need no
        declaration). A SELECT gives :class:`~imsskg.graph.store.Rows` of typed values; ASK a
        ``bool``; CONSTRUCT its triples."""
        if query in named_queries() or (query.endswith(".rq") and Path(query).is_file()):
            return run(self.store, load_query(query), params)
        return self.store.query(declare_prefixes(query), bindings=params)

    def stats(self) -> Stats:
        """Documents, entities per type and facts per predicate."""
        return graph_stats(self.store)

    def network(self, *, comentions: bool = False, min_comentions: int = 1) -> nx.Graph:
        """The entity network (networkx): the relations between entities and, with ``comentions``,
        pairs named in the same sentence (in at least ``min_comentions`` sentences); degree,
        betweenness and eigenvector centrality on its nodes."""
        from imsskg.network.analysis import annotate, entity_network

        return annotate(entity_network(self.store, comentions=comentions, min_comentions=min_comentions))

    def export(self, path: PathLike, format: str | None = None) -> Path:
        """Write the whole graph to ``path`` in ``format`` (``turtle``, ``nt``, ``jsonld``,
        ``xml``, ``trig``, ``nquads``; by default the one the suffix names). The file appears
        whole or not at all."""
        target = Path(path)
        chosen = Format(format) if format else format_of(target.name)
        partial = target.with_name(target.name + ".part")
        with partial.open("wb") as out:
            write_export(self.store, chosen, out)
        partial.replace(target)
        return target

    def rdflib(self) -> Dataset:
        """An rdflib ``Dataset`` over the same store (the union of all graphs as default graph)."""
        return self.store.rdflib()

    def close(self) -> None:
        """Release the store."""
        self.store.close()

    def __enter__(self) -> KnowledgeGraph:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<KnowledgeGraph {self.path or 'in memory'}>"


def build(
    paths: Iterable[PathLike],
    store: PathLike | None = settings.store,
    *,
    model: str | None = None,
    force: bool = False,
    processes: int = 1,
) -> KnowledgeGraph:
    """Read press releases (files or folders), extract, and write the graph into the folder
    ``store`` (all or nothing; unchanged documents are not read again), or into memory with
    ``store=None``. Returns the graph, opened read-only; ``.report`` lists what was built,
    unchanged and skipped (with the reason). ``model`` is a spaCy pipeline or ``"none"``."""
    paths = list(paths)
    if store is None:
        memory = Store.memory()
        report = _build.build_in(memory, paths, model=model)
        return KnowledgeGraph(memory, report)
    folder = Path(store)
    report = _build.build(paths, folder, model=model, force=force, processes=processes)
    if not folder.exists():  # nothing was readable: an empty graph, not an error
        memory = Store.memory()
        return KnowledgeGraph(memory, report)
    return KnowledgeGraph(Store.open(folder), report)


def open(store: PathLike = settings.store) -> KnowledgeGraph:
    """The graph in the folder ``store``, read-only (several readers may share it)."""
    return KnowledgeGraph(Store.open(store))


@lru_cache(maxsize=4)
def _pipeline(model: str) -> Language:
    from imsskg.extract.pipeline import load_pipeline

    return load_pipeline(model)


def extract(text: str, *, source: str = "text.txt", model: str | None = None) -> Extraction:
    """What the pipeline reads in one text: entities with their mentions, relations, amounts."""
    from imsskg.extract.pipeline import extract as run_extract
    from imsskg.read import parse_document

    document = parse_document(text, source=source, data=text.encode("utf-8"), encoding="utf-8")
    return next(run_extract([document], _pipeline(model or settings.model)))
