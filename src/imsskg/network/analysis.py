"""The entity graph as a networkx graph: nodes are entities, edges are relations and co-mentions.

>>> g = nx.Graph()
>>> g.add_edge("a", "b", weight=1.0)
>>> g.add_edge("b", "c", weight=1.0)
>>> [n for n, _ in top_central(centrality(g), k=1)]
['b']
"""

from __future__ import annotations

import heapq
import itertools
import json
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx
import pyoxigraph as ox

from imsskg.config import settings
from imsskg.graph.store import Store
from imsskg.ontology import CLASS_TYPE, CLASSES, IKG, ORG, PREDICATES, RDF, SKOS, SPARQL_PREFIXES

_NODES = (
    SPARQL_PREFIXES
    + """
SELECT ?e ?class ?label ?documents WHERE {
  GRAPH ?cg {
    ?cg a ikg:CorpusGraph .
    ?e a ?class ; skos:prefLabel ?label ; ikg:documentCount ?documents .
    VALUES ?class { $CLASSES }
  }
}""".replace("$CLASSES", " ".join(str(c) for c in CLASSES.values()))
)
_RELATIONS = (
    SPARQL_PREFIXES
    + """
SELECT DISTINCT ?s ?p ?o WHERE {
  GRAPH ?cg {
    ?cg a ikg:CorpusGraph .
    { ?s ?pred ?o . VALUES (?pred ?p) { $PREDICATES } }
    UNION
    { ?s org:holds ?post . ?post org:postIn ?o . BIND("holdsPost" AS ?p) }
  }
}""".replace("$PREDICATES", " ".join(f'({p} "{name}")' for name, p in PREDICATES.items() if name != "holdsPost"))
)


_COMENTIONS = (
    SPARQL_PREFIXES
    + """
SELECT DISTINCT ?s ?e WHERE { GRAPH ?g { ?m ikg:denotes ?e ; nif:sentence ?s } }"""
)


def entity_network(
    store: Store, *, comentions: bool = False, min_comentions: int = 1, top: int | None = None
) -> nx.Graph:
    """Nodes: entities (``label``, ``type``, ``documents``); edges: the relations the press
    releases state, and with ``comentions`` also pairs of entities named in the same sentence
    (in at least ``min_comentions`` sentences). With ``top``, only the ``top`` entities named
    in most press releases, chosen in SPARQL (the counts the build keeps), and their links.

    An edge's ``relations`` lists the predicates that link its ends, ``comentions`` counts the
    sentences naming both and ``weight`` is one per relation plus one per such sentence.

    >>> from imsskg.graph.store import Store
    >>> entity_network(Store.memory()).number_of_nodes()
    0
    """
    if top is not None:
        return _most_mentioned_network(store, top)
    g = nx.Graph()
    for entity, klass, label, documents in store.select(_NODES):  # counts kept by the build
        g.add_node(str(entity), label=str(label), type=CLASS_TYPE[str(klass)], documents=documents)
    for row in store.select(_RELATIONS):
        s, p, o = (str(v) for v in row)
        _relate(g, s, o, p)
    if comentions:
        by_sentence: dict[str, set[str]] = defaultdict(set)
        for sentence, entity in store.select(_COMENTIONS):
            if str(entity) in g:
                by_sentence[str(sentence)].add(str(entity))
        counts: dict[tuple[str, str], int] = defaultdict(int)
        for entities in by_sentence.values():
            for pair in itertools.combinations(sorted(entities), 2):
                counts[pair] += 1
        for (a, b), n in counts.items():
            if n >= min_comentions or g.has_edge(a, b):
                data = g.get_edge_data(a, b, default={"weight": 0.0, "comentions": 0, "relations": ""})
                g.add_edge(a, b, weight=data["weight"] + n, comentions=n, relations=data["relations"])
    return g


def _relate(g: nx.Graph, s: str, o: str, relation: str) -> None:
    """Add ``relation`` to the edge between two entities of ``g`` (one weight per relation)."""
    if s in g and o in g and s != o:
        data = g.get_edge_data(s, o, default={"relations": ""})
        relations = sorted(set(filter(None, data["relations"].split(","))) | {relation})
        g.add_edge(s, o, weight=float(len(relations)), comentions=0, relations=",".join(relations))


def _most_mentioned_network(store: Store, top: int) -> nx.Graph:
    """The ``top`` entities named in most press releases and the relations between them, read
    by index lookups: the kept counts, then each entity's type, label and relations (no query
    over the whole corpus graph, no sort of every entity in SPARQL)."""
    g = nx.Graph()
    corpus = store.corpus_graph()
    if corpus is None:
        return g

    def objects(s: ox.NamedNode, p: ox.NamedNode) -> list[str]:
        return [
            q.object.value for q in store.quads(s, p, None, corpus) if isinstance(q.object, ox.NamedNode | ox.Literal)
        ]

    counts = (
        (q.subject, int(q.object.value))
        for q in store.quads(None, IKG.documentCount, None, corpus)
        if isinstance(q.subject, ox.NamedNode) and isinstance(q.object, ox.Literal)
    )
    chosen = heapq.nlargest(top, counts, key=lambda c: (c[1], c[0].value))
    for entity, documents in chosen:
        kinds = [CLASS_TYPE[o] for o in objects(entity, RDF.type) if o in CLASS_TYPE]
        labels = objects(entity, SKOS.prefLabel)
        if kinds and labels:
            g.add_node(entity.value, label=labels[0], type=kinds[0], documents=documents)
    for entity, _ in chosen:
        if entity.value not in g:
            continue
        links: list[tuple[str, str]] = [
            (o, name) for name, p in PREDICATES.items() if name != "holdsPost" for o in objects(entity, p)
        ]
        links += [
            (o, "holdsPost") for post in objects(entity, ORG.holds) for o in objects(ox.NamedNode(post), ORG.postIn)
        ]
        for other, name in links:
            _relate(g, entity.value, other, name)
    return g


#: Above this many nodes, betweenness is estimated from this many seeded pivots (Brandes'
#: exact algorithm costs a shortest-path search from every node).
PIVOTS = 200
#: The most entities the interactive view draws (WebGL, laid out in the browser): a larger
#: network shows those named in most documents, and filters (type, document, dates, an entity)
#: reach the rest.
MAX_VIEW_NODES = 20_000
#: The most entities the view without filters shows (the rest is reached by the filters).
OVERVIEW_NODES = 2_000
#: The most entities a static picture lays out (networkx lays out 500 nodes or more with scipy,
#: which imsskg does not need).
MAX_PICTURE_NODES = 400


def centrality(g: nx.Graph) -> dict[str, dict[str, float]]:
    """Degree, betweenness and eigenvector centrality of every node (betweenness estimated from
    :data:`PIVOTS` seeded pivots on networks of more than five times as many nodes)."""
    if g.number_of_nodes() == 0:
        return {}
    degree = nx.degree_centrality(g)
    pivots = PIVOTS if g.number_of_nodes() > 5 * PIVOTS else None
    betweenness = nx.betweenness_centrality(g, k=pivots, weight=None, seed=0)
    try:
        eigen = nx.eigenvector_centrality(g, max_iter=1000, weight="weight")
    except nx.PowerIterationFailedConvergence:
        eigen = dict.fromkeys(g, 0.0)
    return {n: {"degree": degree[n], "betweenness": betweenness[n], "eigenvector": eigen[n]} for n in g}


def most_mentioned(g: nx.Graph, k: int | None = None) -> nx.Graph:
    """A copy of the network restricted to the ``k`` entities named in most documents (ties:
    most neighbours, then IRI); ``k`` is :data:`MAX_VIEW_NODES` by default.

    >>> g = nx.path_graph(["a", "b", "c"])
    >>> g.nodes["c"]["documents"] = 3
    >>> sorted(most_mentioned(g, k=2))
    ['b', 'c']
    """
    k = MAX_VIEW_NODES if k is None else k
    if g.number_of_nodes() <= k:
        return g.copy()
    ranked = sorted(g.nodes, key=lambda n: (-g.nodes[n].get("documents", 0), -g.degree(n), str(n)))
    return g.subgraph(ranked[:k]).copy()


def top_central(scores: dict[str, dict[str, float]], *, k: int = 10, by: str = "degree") -> list[tuple[str, float]]:
    """The ``k`` most central nodes by one measure, ties broken by name."""
    return sorted(((n, s[by]) for n, s in scores.items()), key=lambda t: (-t[1], t[0]))[:k]


def annotate(g: nx.Graph) -> nx.Graph:
    """Write the centrality scores onto the nodes (for GraphML/GEXF and the HTML view)."""
    for node, scores in centrality(g).items():
        g.nodes[node].update(scores)
    return g


def write(g: nx.Graph, path: Path) -> None:
    """Write ``g`` as GraphML (``.graphml``), GEXF (``.gexf``) or node-link JSON (``.json``)."""
    suffix = path.suffix.lower()
    if suffix == ".graphml":
        nx.write_graphml(g, path)
    elif suffix == ".gexf":
        nx.write_gexf(g, path)
    elif suffix == ".json":
        path.write_text(json.dumps(nx.node_link_data(g, edges="edges"), ensure_ascii=False, indent=1), encoding="utf-8")
    else:
        raise ValueError(f"unknown network format {suffix!r}: use .graphml, .gexf, .json, .html, .png or .svg")


def short_id(iri: str) -> str:
    """An entity IRI without the base (``person/zoe-robledo``)."""
    return iri[len(settings.base_iri) :] if iri.startswith(settings.base_iri) else iri


def positions(g: nx.Graph) -> dict[str, tuple[float, float]]:
    """Seeded spring layout (the same graph always looks the same), each axis from -1 to 1.

    Relations pull harder than co-mentions, which otherwise pack each document into a ball.
    """
    if not g.number_of_nodes():
        return {}
    pull = nx.Graph()
    pull.add_nodes_from(g)
    for a, b, d in g.edges(data=True):
        pull.add_edge(a, b, pull=(3.0 if d.get("relations") else 0.0) + 0.2 * d.get("comentions", 0))
    raw = nx.spring_layout(pull, seed=7, weight="pull", k=2.5 / g.number_of_nodes() ** 0.5, iterations=100)
    xs, ys = [p[0] for p in raw.values()], [p[1] for p in raw.values()]
    span_x, span_y = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0
    return {
        str(k): (float((p[0] - min(xs)) / span_x * 2 - 1), float((p[1] - min(ys)) / span_y * 2 - 1))
        for k, p in raw.items()
    }


#: Above this many links the view keeps every relation but only the strongest co-mentions.
MAX_EDGES = 60_000


def view_data(
    g: nx.Graph, *, page_of: Callable[[str], str | None] | None = None, chosen: set[str] | None = None
) -> dict[str, Any]:
    """What the interactive view draws: nodes (with the number of links they have in the view,
    their page, and whether a query ``chosen`` them) and links, relations first.

    >>> g = nx.Graph()
    >>> g.add_node("a", label="A", type="State", documents=1)
    >>> g.add_node("b", label="B", type="City", documents=2)
    >>> g.add_edge("a", "b", weight=1.0, relations="locatedIn")
    >>> view_data(g)["edges"]
    [{'source': 0, 'target': 1, 'weight': 1.0, 'relations': 'locatedIn'}]
    """
    nodes = [
        {
            "id": n,
            "label": d["label"],
            "type": d["type"],
            "documents": d.get("documents", 0),
            "links": g.degree(n),
            **({"page": page} if page_of and (page := page_of(n)) else {}),
            **({"chosen": True} if chosen and n in chosen else {}),
        }
        for n, d in sorted(g.nodes(data=True))
    ]
    index = {n["id"]: i for i, n in enumerate(nodes)}
    edges = sorted(g.edges(data=True), key=lambda e: (not e[2].get("relations"), -e[2]["weight"], e[0], e[1]))
    return {
        "nodes": nodes,
        "edges": [
            {"source": index[a], "target": index[b], "weight": d["weight"], "relations": d.get("relations", "")}
            for a, b, d in edges[:MAX_EDGES]
        ],
    }


def communities(g: nx.Graph) -> list[set[str]]:
    """Louvain communities (seeded: the same graph gives the same partition), largest first.

    >>> g = nx.barbell_graph(4, 0)
    >>> [len(c) for c in communities(g)]
    [4, 4]
    """
    if not g.number_of_edges():
        return [{n} for n in g]
    found = nx.community.louvain_communities(g, weight="weight", seed=0)
    return sorted((set(c) for c in found), key=lambda c: (-len(c), sorted(c)))


def ego(g: nx.Graph, node: str, *, radius: int = 1) -> nx.Graph:
    """The entity and its neighbours up to ``radius`` links away."""
    return nx.ego_graph(g, node, radius=radius)


def path(g: nx.Graph, source: str, target: str) -> list[tuple[str, str, str]]:
    """The shortest path between two entities, preferring stated relations over co-mentions:
    each step is (from, to, what links them).

    >>> g = nx.Graph()
    >>> g.add_edge("a", "b", weight=2.0, relations="holdsPost")
    >>> g.add_edge("b", "c", weight=1.0, relations="")
    >>> path(g, "a", "c")
    [('a', 'b', 'holdsPost'), ('b', 'c', 'co-mentioned')]
    """
    nodes = nx.shortest_path(g, source, target, weight=lambda a, b, d: 1.0 / (1.0 + d.get("weight", 1.0)))
    return [(a, b, g.edges[a, b].get("relations") or "co-mentioned") for a, b in itertools.pairwise(nodes)]


COLORS = {"Person": "#1c7ed6", "Organization": "#e8590c", "Hospital": "#c2255c", "Program": "#2f9e44",
          "State": "#7048e8", "City": "#0c8599"}  # fmt: skip


def picture(g: nx.Graph, out: Path, *, labels: int = 25) -> None:
    """A static picture for reports (``.png`` or ``.svg``): nodes coloured by type, sized by
    centrality, the ``labels`` most central entities named (at most :data:`MAX_PICTURE_NODES`)."""
    try:
        import matplotlib
    except ImportError as exc:
        raise ImportError("pictures need matplotlib: pip install 'imsskg[viz]'") from exc
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    g = most_mentioned(g, MAX_PICTURE_NODES)
    where = positions(g)
    fig, ax = plt.subplots(figsize=(12, 9), dpi=120)
    ax.axis("off")
    nx.draw_networkx_edges(g, where, ax=ax, alpha=0.15, width=0.6, edge_color="#8a94a6")
    sizes = [30 + 600 * g.nodes[n].get("degree", 0.0) for n in g]
    colors = [COLORS.get(g.nodes[n].get("type", ""), "#868e96") for n in g]
    nx.draw_networkx_nodes(g, where, ax=ax, node_size=sizes, node_color=colors, linewidths=0.5, edgecolors="white")
    top = sorted(g, key=lambda n: -g.nodes[n].get("degree", 0.0))[:labels]
    nx.draw_networkx_labels(g, where, labels={n: g.nodes[n]["label"][:40] for n in top}, font_size=7, ax=ax)
    fig.tight_layout()
    fig.savefig(out, format=out.suffix.lstrip(".").lower())
    plt.close(fig)
