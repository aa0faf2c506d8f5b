"""A self-contained interactive view of the entity network: one HTML file, no network access.

Labels come from press releases, so the data travels as JSON inside a
``<script type="application/json">`` block with ``<``, ``>`` and ``&`` escaped, and the page
writes every label with ``textContent``: nothing in a label can run.

>>> "\\\\u003cscript" in embed_json({"label": "<script>"})
True
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from importlib.resources import files
from typing import Any

import networkx as nx

from imsskg.network.analysis import annotate, layout, most_mentioned


def embed_json(data: Any) -> str:
    """JSON that is safe inside an HTML ``<script>`` element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for raw, escaped in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(raw, escaped)
    return text


def render(
    g: nx.Graph, *, toolbar: str = "", page_of: Callable[[str], str | None] | None = None, nonce: str | None = None
) -> str:
    """The HTML page for a network: nodes sized by their centrality in the view.

    A network larger than :data:`~imsskg.network.analysis.MAX_VIEW_NODES` shows its most-mentioned
    entities, and says so. ``toolbar`` is trusted HTML put above the legend (the server's
    filters); ``page_of`` gives a node's page, linked from its panel; ``nonce`` is put on the
    page's script for a Content-Security-Policy that allows no other inline script.

    The markers of the template are replaced in one pass, so that text put in (the toolbar
    echoes request parameters) is never read again as a marker.
    """
    template = files("imsskg.network").joinpath("view.html").read_text(encoding="utf-8")
    data = {**layout(annotate(most_mentioned(g)), page_of=page_of), "total": g.number_of_nodes()}
    parts = {
        "<!--TOOLBAR-->": toolbar,
        "/*GRAPH_DATA*/": embed_json(data),
        "<script>": f'<script nonce="{nonce}">' if nonce else "<script>",
    }
    return _MARKERS.sub(lambda m: parts[m.group(0)], template)


_MARKERS = re.compile(r"<!--TOOLBAR-->|/\*GRAPH_DATA\*/|<script>")
