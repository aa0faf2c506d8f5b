"""Write the graph into any SPARQL 1.1 store through the Graph Store Protocol (querying one is
:mod:`imsskg.queries.remote`).

A build still writes the local store first (it keeps the content hashes that make rebuilds
cheap); then every named graph that changed is PUT to the remote store, replacing it there, and
every graph that left is DELETEd.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import httpx
import pyoxigraph as ox
from imsskg.graph.store import Store


class RemoteError(Exception):
    """The remote store answered with an error, or could not be reached."""


def push(store: Path, target: str, graphs: Iterable[str], removed: Iterable[str] = ()) -> int:
    """PUT each named graph of ``graphs`` from the local store to ``target`` (a Graph Store
    Protocol endpoint, e.g. ``http://host:7878/store``) and DELETE ``removed``; returns the
    number of graphs written."""
    written = 0
    with Store.open(store) as local, httpx.Client(timeout=120) as http:
        for graph in graphs:
            body = local.dump(format=ox.RdfFormat.N_TRIPLES, graph=ox.NamedNode(graph)) or b""
            response = http.put(target, params={"graph": graph}, content=body,
                                headers={"Content-Type": "application/n-triples"})  # fmt: skip
            if response.status_code >= 400:
                raise RemoteError(f"PUT {graph} to {target}: {response.status_code} {response.text[:200]}")
            written += 1
        for graph in removed:
            response = http.delete(target, params={"graph": graph})
            if response.status_code >= 400 and response.status_code != 404:
                raise RemoteError(f"DELETE {graph} at {target}: {response.status_code} {response.text[:200]}")
    return written
