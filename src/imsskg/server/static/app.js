"use strict";
// The query page and the search box. Everything from the graph is written with textContent.
(function () {
  const el = (tag, text, attrs) => {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    return node;
  };

  // search box, on every page
  const box = document.getElementById("search-box"), list = document.getElementById("search-results");
  let pending = null;
  const searchForm = document.getElementById("search-form");
  if (searchForm) searchForm.addEventListener("submit", ev => ev.preventDefault());
  if (box) {
    box.addEventListener("input", () => {
      clearTimeout(pending);
      pending = setTimeout(async () => {
        const q = box.value.trim();
        if (q.length < 2) { list.hidden = true; return; }
        const hits = await (await fetch("/search?q=" + encodeURIComponent(q))).json();
        list.replaceChildren(...hits.map(h => {
          const li = el("li"), a = el("a", null, {href: h.page || "#"});
          a.append(el("span", h.label), " ", el("small", h.type + (h.matched !== h.label ? " · " + h.matched : "")));
          li.append(a);
          return li;
        }));
        if (!hits.length) list.append(el("li", "Sin resultados"));
        list.hidden = false;
      }, 150);
    });
    document.addEventListener("click", ev => { if (!list.contains(ev.target) && ev.target !== box) list.hidden = true; });
  }

  // query page
  const form = document.getElementById("query-form");
  if (!form) return;
  const textarea = document.getElementById("query"), status = document.getElementById("status");
  const results = document.getElementById("results"), asNetwork = document.getElementById("as-network");
  const library = JSON.parse(document.getElementById("library").textContent);
  const params = document.getElementById("params");
  let chosen = null;  // the named query on screen, while its text is unchanged
  const syncLink = () => { asNetwork.href = "/network?sparql=" + encodeURIComponent(textarea.value); };
  function choose(q) {
    chosen = q;
    textarea.value = q.text;
    params.replaceChildren(...Object.entries(q.params).map(([name, value]) => {
      const label = el("label", name + " ");
      label.append(el("input", null, {name, value, "data-param": name}));
      return label;
    }));
    document.querySelectorAll("button.named").forEach(b => b.classList.toggle("active", b.dataset.name === q.name));
    syncLink();
  }
  document.querySelectorAll("button.named").forEach(button => button.addEventListener("click", () => {
    choose(library.find(x => x.name === button.dataset.name));
    form.requestSubmit();
  }));
  textarea.addEventListener("input", () => { if (chosen && textarea.value !== chosen.text) { chosen = null; params.replaceChildren(); } });
  textarea.addEventListener("input", syncLink);
  syncLink();

  function cell(term) {
    const td = el("td");
    if (!term) return td;
    if (term.type === "uri") {
      const local = term.value.match(/\/id\/(.+)$/);
      td.append(local ? el("a", term.value, {href: "/id/" + local[1], class: "iri"}) : el("span", term.value));
    } else {
      td.textContent = term.value;
    }
    return td;
  }

  form.addEventListener("submit", async ev => {
    ev.preventDefault();
    status.className = ""; status.textContent = "Ejecutando…";
    const started = performance.now();
    let response;
    if (chosen) {  // a named query: its parameters travel as bindings, not pasted into the text
      const search = new URLSearchParams();
      params.querySelectorAll("input[data-param]").forEach(i => search.set(i.dataset.param, i.value));
      response = await fetch(`/queries/${encodeURIComponent(chosen.name)}?${search}`);
    } else {
      response = await fetch("/sparql", {
        method: "POST",
        headers: {"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"},
        body: textarea.value,
      });
    }
    if (!response.ok) {
      status.className = "error"; status.textContent = await response.text(); results.replaceChildren();
      return;
    }
    const data = await response.json();
    const ms = Math.round(performance.now() - started);
    if ("boolean" in data) {
      results.replaceChildren(el("p", data.boolean ? "Sí (true)" : "No (false)"));
      status.textContent = `${ms} ms`;
      return;
    }
    const vars = data.head.vars, rows = data.results.bindings;
    const table = el("table", null, {id: "result-table"}), head = el("tr");
    vars.forEach(v => head.append(el("th", v)));
    table.append(el("thead")); table.tHead.append(head);
    const body = el("tbody");
    rows.forEach(row => { const tr = el("tr"); vars.forEach(v => tr.append(cell(row[v]))); body.append(tr); });
    table.append(body);
    results.replaceChildren(table);
    status.textContent = `${rows.length} fila(s), ${ms} ms`;
  });
})();
