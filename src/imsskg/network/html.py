"""A self-contained interactive view of the entity network: one HTML file, no network access.

Labels come from press releases, so the data travels as JSON inside a
``<script type="application/json">`` block with ``<``, ``>`` and ``&`` escaped, and the page
writes every label with ``textContent``: nothing in a label can run.

>>> "\\\\u003cscript" in embed_json({"label": "<script>"})
True
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from importlib.resources import files
from typing import Any

import networkx as nx

from imsskg.network.analysis import most_mentioned, view_data


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


def bundle() -> str:
    """The view's script (sigma.js, graphology and ForceAtlas2, bundled by ``web/build.mjs``)."""
    return files("imsskg.server").joinpath("static/vendor/network.js").read_text(encoding="utf-8")


def summary(g: nx.Graph, total: int) -> str:
    """What the view shows, in Spanish: entities, links and, when cut, of how many.

    >>> summary(nx.path_graph(3), 3)
    '3 entidades, 2 vínculos (0 relaciones, 2 co-menciones)'
    """
    relations = sum(1 for *_, d in g.edges(data=True) if d.get("relations"))
    text = (
        f"{g.number_of_nodes()} entidades, {g.number_of_edges()} vínculos "
        f"({relations} relaciones, {g.number_of_edges() - relations} co-menciones)"
    )
    if total > g.number_of_nodes():
        text += f": las {g.number_of_nodes()} más mencionadas de {total}; filtre para ver las demás"
    return text


def render(
    g: nx.Graph,
    *,
    toolbar: str = "",
    page_of: Callable[[str], str | None] | None = None,
    script_src: str | None = None,
    chosen: set[str] | None = None,
    empty: str = "Ninguna entidad que mostrar.",
    total: int | None = None,
) -> str:
    """The HTML page for a network, drawn by sigma.js (WebGL) and laid out by ForceAtlas2 in
    the browser; nodes sized by their links in the view.

    A network larger than :data:`~imsskg.network.analysis.MAX_VIEW_NODES` shows its most-mentioned
    entities, and says so (of ``total`` entities, when ``g`` is already such a part).
    ``toolbar`` is trusted HTML put above the legend (the server's filters); ``page_of`` gives a
    node's page, linked from its panel; ``chosen`` marks the entities a query named; ``empty``
    says why there is nothing to draw. The script is inlined (one file that works offline)
    unless ``script_src`` gives its URL.

    The markers of the template are replaced in one pass, so that text put in (the toolbar
    echoes request parameters) is never read again as a marker.
    """
    template = files("imsskg.network").joinpath("view.html").read_text(encoding="utf-8")
    shown = most_mentioned(g)
    data = {**view_data(shown, page_of=page_of, chosen=chosen), "summary": summary(shown, total or g.number_of_nodes())}
    script = f'<script src="{html.escape(script_src)}"></script>' if script_src else f"<script>{bundle()}</script>"
    parts = {
        "<!--TOOLBAR-->": toolbar,
        "/*GRAPH_DATA*/": embed_json(data),
        "<!--SCRIPT-->": script,
        "<!--EMPTY-->": "" if shown.number_of_nodes() else f'<p id="empty">{html.escape(empty)}</p>',
    }
    return _MARKERS.sub(lambda m: parts[m.group(0)], template)


_MARKERS = re.compile(r"<!--TOOLBAR-->|/\*GRAPH_DATA\*/|<!--SCRIPT-->|<!--EMPTY-->")
