"""A self-contained interactive view of the entity network: one HTML file, no network access.

Labels come from press releases, so the data travels as JSON inside a
``<script type="application/json">`` block with ``<``, ``>`` and ``&`` escaped, and the page
writes every label with ``textContent``: nothing in a label can run.

>>> "\\\\u003cscript" in embed_json({"label": "<script>"})
True
"""

from __future__ import annotations

import json
from collections.abc import Callable
from importlib.resources import files
from typing import Any

import networkx as nx

from imsskg.network.analysis import layout


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
    g: nx.Graph,
    *,
    toolbar: str = "",
    page_of: Callable[[str], str | None] | None = None,
    positions: dict[str, tuple[float, float]] | None = None,
) -> str:
    """The HTML page for a network annotated with centrality (see :func:`~imsskg.network.analysis.annotate`).

    ``toolbar`` is trusted HTML put above the legend (the server's filters); ``page_of`` gives a
    node's page, linked from its panel; ``positions`` keeps a layout computed before.
    """
    template = files("imsskg.network").joinpath("view.html").read_text(encoding="utf-8")
    data = embed_json(layout(g, where=positions, page_of=page_of))
    return template.replace("<!--TOOLBAR-->", toolbar).replace("/*GRAPH_DATA*/", data)
