// The network view: sigma.js (WebGL) over a graphology graph laid out by ForceAtlas2.
// The data (nodes, edges) is read from the page's <script type="application/json" id="graph-data">;
// every label goes through textContent or the canvas, never through HTML.
import Graph from "graphology";
import Sigma from "sigma";
import forceAtlas2 from "graphology-layout-forceatlas2";
import FA2Layout from "graphology-layout-forceatlas2/worker";

const COLORS = { Person: "#1c7ed6", Organization: "#e8590c", Hospital: "#c2255c", Program: "#2f9e44",
                 State: "#7048e8", City: "#0c8599" };
const TYPES_ES = { Person: "Persona", Organization: "Organización", Hospital: "Unidad médica", Program: "Programa",
                   State: "Estado", City: "Ciudad" };
const fold = s => s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();

// ForceAtlas2 in a web worker, its positions painted once a second (every 5 s past 5,000 nodes): sigma redraws the
// whole network at each paint, which at every iteration would leave no time for the reader
const PPN = 10;  // the worker's numbers per node (graphology-layout-forceatlas2/helpers.js)
class PaintedLayout extends FA2Layout {
  handleMessage(event) {
    if (!this.running) return;
    this.matrices.nodes = new Float32Array(event.data.nodes);
    const now = performance.now();
    if (!this.painted || now - this.painted > this.every) { this.painted = now; this.paint(); }
    this.askForIterations();
  }
  paint() {
    const matrix = this.matrices.nodes;
    let i = 0;
    this.graph.updateEachNodeAttributes((node, attrs) => { attrs.x = matrix[i]; attrs.y = matrix[i + 1]; i += PPN; return attrs; },
                                        { attributes: ["x", "y"] });
  }
}

// a seeded generator: the same network starts from the same places
function seeded(seed) {
  let t = seed >>> 0;
  return () => { t += 0x6d2b79f5; let r = Math.imul(t ^ (t >>> 15), 1 | t);
    r ^= r + Math.imul(r ^ (r >>> 7), 61 | r); return ((r ^ (r >>> 14)) >>> 0) / 4294967296; };
}

export function draw(container, data, { info, legend, search, summary } = {}) {
  const started = performance.now();
  const graph = new Graph({ type: "undirected", multi: false });
  const random = seeded(7);
  const maxDegree = Math.max(1, ...data.nodes.map(n => n.links || 0));
  data.nodes.forEach(n => {
    graph.addNode(n.id, {
      label: n.label, type_: n.type, page: n.page || null, documents: n.documents || 0, chosen: !!n.chosen,
      x: random() * 100, y: random() * 100, color: COLORS[n.type] || "#868e96",
      size: 3 + 12 * Math.sqrt((n.links || 0) / maxDegree) + (n.chosen ? 2 : 0),
    });
  });
  data.edges.forEach(e => {
    const [a, b] = [data.nodes[e.source].id, data.nodes[e.target].id];
    if (a !== b && !graph.hasEdge(a, b))
      graph.addEdge(a, b, { weight: e.weight, relations: e.relations, size: e.relations ? 1.5 : 0.6 + Math.min(e.weight, 6) / 3,
                            color: e.relations ? "#3d4b66" : "#b5bdcc" });
  });
  const settings = forceAtlas2.inferSettings(graph);
  settings.barnesHutOptimize = graph.order > 500;
  // a small network is laid out at once; a large one in a web worker while it is shown, so that
  // the page answers from the first frame on
  const inWorker = graph.order > 1000;
  if (!inWorker) forceAtlas2.assign(graph, { iterations: graph.order > 300 ? 150 : 300, settings });

  const hidden = new Set();
  let selected = null, neighbours = new Set(), found = null;
  const renderer = new Sigma(graph, container, {
    labelRenderedSizeThreshold: 7, labelDensity: 0.7, labelGridCellSize: 70, renderEdgeLabels: false,
    defaultEdgeColor: "#b5bdcc", labelFont: "system-ui, sans-serif", zIndex: true, allowInvalidContainer: true, stagePadding: 60,
    nodeReducer(node, attrs) {
      const out = { ...attrs };
      if (hidden.has(attrs.type_)) out.hidden = true;
      if (selected && node !== selected && !neighbours.has(node)) { out.color = "#dfe3ea"; out.label = ""; out.zIndex = 0; }
      if (selected && (node === selected || neighbours.has(node))) { out.forceLabel = true; out.zIndex = 1; }
      if (node === found) { out.highlighted = true; out.forceLabel = true; out.zIndex = 2; }
      return out;
    },
    edgeReducer(edge, attrs) {
      const out = { ...attrs };
      const [a, b] = graph.extremities(edge);
      if (hidden.has(graph.getNodeAttribute(a, "type_")) || hidden.has(graph.getNodeAttribute(b, "type_"))) out.hidden = true;
      if (selected && a !== selected && b !== selected) out.hidden = true;
      return out;
    },
  });
  const firstFrame = Math.round(performance.now() - started);

  if (inWorker) {
    const layout = new PaintedLayout(graph, { settings });
    layout.every = graph.order > 5000 ? 5000 : 1000;
    layout.start();
    setTimeout(() => { layout.stop(); layout.paint(); document.body.dataset.layout = "done"; }, Math.min(30000, 3 * graph.order));
  } else {
    document.body.dataset.layout = "done";
  }

  function select(node) {
    selected = node;
    neighbours = new Set(node ? graph.neighbors(node) : []);
    renderer.refresh();
    if (!info) return;
    info.replaceChildren();
    if (!node) return;
    const a = graph.getNodeAttributes(node);
    const h = document.createElement("h2"); h.textContent = a.label; info.append(h);
    const meta = document.createElement("div");
    meta.textContent = `${TYPES_ES[a.type_] || a.type_} · ${a.documents} documento(s) · ${graph.degree(node)} vínculo(s)`;
    info.append(meta);
    if (a.page) {
      const open = document.createElement("a"); open.href = a.page; open.id = "open-page"; open.target = "_top";
      open.textContent = "Abrir la página de la entidad"; info.append(open);
    }
    const list = document.createElement("ul");
    [...neighbours].sort((x, y) => graph.getNodeAttribute(x, "label").localeCompare(graph.getNodeAttribute(y, "label")))
      .forEach(m => {
        const li = document.createElement("li"), edge = graph.edge(node, m);
        const why = graph.getEdgeAttribute(edge, "relations") || "co-mención";
        li.textContent = `${graph.getNodeAttribute(m, "label")} — ${why}`; list.append(li);
      });
    info.append(list);
  }
  renderer.on("clickNode", ({ node }) => select(node));
  renderer.on("clickStage", () => select(null));

  function centre(node) {
    const at = renderer.getNodeDisplayData(node);
    if (at) renderer.getCamera().animate({ x: at.x, y: at.y, ratio: 0.3 }, { duration: 400 });
  }
  if (search) {
    const labels = graph.mapNodes((n, a) => [n, fold(a.label)]);
    search.addEventListener("input", () => {
      const q = fold(search.value.trim());
      const hit = q.length > 1 ? (labels.find(([, l]) => l.startsWith(q)) || labels.find(([, l]) => l.includes(q))) : null;
      found = hit ? hit[0] : null;
      renderer.refresh();
      if (found) { centre(found); search.dataset.found = graph.getNodeAttribute(found, "label"); }
      else delete search.dataset.found;
    });
    search.addEventListener("keydown", ev => { if (ev.key === "Enter" && found) { ev.preventDefault(); select(found); } });
  }
  if (legend) {
    const counts = {};
    graph.forEachNode((n, a) => { counts[a.type_] = (counts[a.type_] || 0) + 1; });
    Object.keys(COLORS).filter(t => counts[t]).forEach(t => {
      const row = document.createElement("button"); row.type = "button"; row.className = "type"; row.dataset.type = t;
      const dot = document.createElement("span"); dot.className = "dot"; dot.style.background = COLORS[t];
      row.append(dot, `${TYPES_ES[t]} (${counts[t]})`);
      row.addEventListener("click", () => { hidden.has(t) ? hidden.delete(t) : hidden.add(t); row.classList.toggle("off"); renderer.refresh(); });
      legend.append(row);
    });
  }
  if (summary) summary.textContent = data.summary || `${graph.order} entidades, ${graph.size} vínculos`;
  document.body.dataset.firstFrame = String(firstFrame);
  document.body.dataset.ready = "true";
  return { graph, renderer, select, centre };
}

window.imsskgNetwork = { draw };

// the page: draw the network in its data block once the document is read
function start() {
  const block = document.getElementById("graph-data"), canvas = document.getElementById("canvas");
  if (!block || !canvas) return;
  const data = JSON.parse(block.textContent);
  const $ = id => document.getElementById(id);
  if (!data.nodes.length) {
    if ($("summary")) $("summary").textContent = data.summary || "";
    document.body.dataset.ready = "true";
    return;
  }
  window.imsskgView = draw(canvas, data, { info: $("info"), legend: $("legend"), search: $("search"), summary: $("summary") });
}
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
