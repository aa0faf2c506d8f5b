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
  const $ = id => document.getElementById(id);
  const textarea = $("query"), status = $("status"), results = $("results"), asNetwork = $("as-network");
  const library = JSON.parse($("library").textContent);
  const vocabulary = JSON.parse($("vocabulary").textContent);
  const params = $("params"), share = $("share"), pager = $("pager"), downloads = $("downloads");
  const PAGE = 50, NAMED_ROWS = 1000;
  const base = vocabulary.prefixes.id;
  // longest namespace first, so that "id:" is tried before a shorter one that also matches
  const namespaces = Object.entries(vocabulary.prefixes).sort((a, b) => b[1].length - a[1].length);

  // the editor (CodeMirror, bundled in /static/vendor/editor.js); the plain textarea if it failed to load
  let editor = null;
  if (window.imsskgEditor) {
    editor = window.imsskgEditor.createEditor($("editor"), textarea.value, {
      prefixes: vocabulary.prefixes, terms: vocabulary.terms,
      onRun: () => form.requestSubmit(), onChange: text => changed(text),
    });
    textarea.hidden = true;
  } else {
    textarea.addEventListener("input", () => changed(textarea.value));
    textarea.addEventListener("keydown", ev => { if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) form.requestSubmit(); });
  }
  const text = () => (editor ? editor.value : textarea.value);
  const setText = value => { if (editor) editor.value = value; else textarea.value = value; };

  let chosen = null;  // the named query on screen, while its text is unchanged
  function changed(value) {
    if (chosen && value !== chosen.text) { chosen = null; params.replaceChildren(); markLibrary(); }
  }
  function markLibrary() {
    document.querySelectorAll("button.named").forEach(b => b.classList.toggle("active", !!chosen && b.dataset.name === chosen.name));
    $("chosen-description").textContent = chosen ? chosen.description : "";
  }
  function choose(q, values) {
    setText(q.text);
    chosen = q;
    params.replaceChildren(...Object.entries(q.params).map(([name, value]) => {
      const label = el("label", name + " ");
      label.append(el("input", null, {name, value: (values && values.get(name)) ?? value, "data-param": name}));
      return label;
    }));
    markLibrary();
  }
  document.querySelectorAll("button.named").forEach(button => button.addEventListener("click", () => {
    choose(library.find(x => x.name === button.dataset.name));
    form.requestSubmit();
  }));

  // the address of what is on screen: a named query with its parameters, or the text itself
  function address() {
    const search = new URLSearchParams();
    if (chosen) {
      search.set("named", chosen.name);
      params.querySelectorAll("input[data-param]").forEach(i => search.set(i.dataset.param, i.value));
    } else {
      search.set("query", text());
    }
    return search;
  }

  // shortened IRIs: by the ontology's prefixes; the graph's own link to their pages
  function shorten(iri) {
    for (const [prefix, ns] of namespaces) if (iri.startsWith(ns) && iri.length > ns.length) return prefix + ":" + iri.slice(ns.length);
    return iri;
  }
  const pageOf = iri => (iri.startsWith(base) ? "/id/" + iri.slice(base.length).split("#")[0].split("/").map(encodeURIComponent).join("/")
                                                  + (iri.includes("#") ? "#" + iri.split("#")[1] : "") : null);
  const isDate = term => term && term.datatype && /#date(Time)?$/.test(term.datatype);
  const isNumber = term => term && term.datatype && /#(integer|decimal|double|float|int|long)$/.test(term.datatype);

  function cell(term, link) {
    const td = el("td");
    if (!term) return td;
    if (isDate(term)) td.className = "date";
    if (isNumber(term)) td.className = "number";
    const target = link || (term.type === "uri" ? term : null);
    if (target && target.type === "uri") {
      const local = pageOf(target.value);
      const shown = term.type === "uri" ? shorten(term.value) : term.value;
      td.append(local ? el("a", shown, {href: local, class: "iri", title: target.value})
                      : el("a", shown, {href: target.value, rel: "external nofollow", title: target.value}));
    } else {
      td.textContent = term.value;
    }
    return td;
  }

  // results: sortable by any column, paged, downloadable
  let data = null, order = null, page = 0, given = new Set();
  function columns() {  // a named query's parameters and their lookup forms are in the form, not the table
    const vars = data.head.vars;
    return vars.filter(v => !(v.endsWith("_iri") && vars.includes(v.slice(0, -4))) && !given.has(v));
  }
  function sorted() {
    const rows = data.results.bindings.slice();
    if (!order) return rows;
    const {name, dir} = order;
    const key = b => (b[name] ? b[name].value : null);
    const numeric = rows.every(b => !b[name] || isNumber(b[name]));
    rows.sort((a, b) => {
      const x = key(a), y = key(b);
      if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
      return dir * (numeric ? Number(x) - Number(y) : x.localeCompare(y, "es", {numeric: true}));
    });
    return rows;
  }
  function show() {
    const cols = columns(), rows = sorted(), pages = Math.max(1, Math.ceil(rows.length / PAGE));
    page = Math.min(page, pages - 1);
    const table = el("table", null, {id: "result-table"}), head = el("tr");
    cols.forEach(v => {
      const th = el("th", v, {"data-column": v, tabindex: "0", "aria-sort": order && order.name === v ? (order.dir > 0 ? "ascending" : "descending") : "none"});
      const flip = () => { order = {name: v, dir: order && order.name === v ? -order.dir : 1}; page = 0; show(); };
      th.addEventListener("click", flip);
      th.addEventListener("keydown", ev => { if (ev.key === "Enter") flip(); });
      head.append(th);
    });
    table.append(el("thead")); table.tHead.append(head);
    const body = el("tbody");
    rows.slice(page * PAGE, (page + 1) * PAGE).forEach(row => {
      const tr = el("tr");
      cols.forEach(v => tr.append(cell(row[v], row[v + "_iri"])));
      body.append(tr);
    });
    table.append(body);
    results.replaceChildren(table);
    pager.hidden = pages < 2;
    $("page-info").textContent = `página ${page + 1} de ${pages}`;
    $("prev").disabled = page === 0; $("next").disabled = page >= pages - 1;
  }
  $("prev").addEventListener("click", () => { page -= 1; show(); });
  $("next").addEventListener("click", () => { page += 1; show(); });

  function download(format) {
    const vars = data.head.vars, rows = sorted();
    let body, type;
    if (format === "json") {
      body = JSON.stringify({head: data.head, results: {bindings: rows}}, null, 1); type = "application/sparql-results+json";
    } else {
      const sep = format === "csv" ? "," : "\t";
      const quote = s => (format === "csv" ? (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s) : s.replace(/[\t\n\r]/g, " "));
      body = [vars.join(sep), ...rows.map(r => vars.map(v => quote(r[v] ? r[v].value : "")).join(sep))].join("\r\n") + "\r\n";
      type = format === "csv" ? "text/csv" : "text/tab-separated-values";
    }
    const a = el("a", null, {href: URL.createObjectURL(new Blob([body], {type: type + ";charset=utf-8"})),
                             download: `${chosen ? chosen.name : "consulta"}.${format}`});
    document.body.append(a); a.click(); a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  }
  downloads.querySelectorAll("button[data-format]").forEach(b => b.addEventListener("click", () => download(b.dataset.format)));

  // the network of a result: of the entities it names; said so when it names none
  function networkLink() {
    const iris = data && data.results ? data.results.bindings.flatMap(b => Object.values(b)).filter(t => t.type === "uri" && t.value.startsWith(base) && !t.value.includes("/doc/")) : [];
    if (!iris.length) {
      asNetwork.removeAttribute("href"); asNetwork.setAttribute("aria-disabled", "true");
      asNetwork.title = "El resultado no nombra entidades (sus columnas no tienen IRIs de personas, organizaciones, unidades, programas, estados o ciudades)";
      asNetwork.textContent = "Sin red: el resultado no nombra entidades";
      return;
    }
    const search = address();
    if (!chosen) { search.delete("query"); search.set("sparql", text()); }
    asNetwork.href = "/network?" + search; asNetwork.removeAttribute("aria-disabled"); asNetwork.title = "";
    asNetwork.textContent = "Ver el resultado como red";
  }

  // errors in Spanish, with the line marked in the editor
  function explain(message) {
    const at = message.match(/error at (\d+):(\d+): (.*)/s);
    if (at) {
      const [line, column] = [Number(at[1]), Number(at[2])];
      const what = /Prefix not found/.test(at[3]) ? "prefijo no declarado (declárelo con PREFIX)"
        : "se esperaba " + at[3].replace(/^expected one of /, "uno de: ").slice(0, 200);
      const spanish = `Error de sintaxis en la línea ${line}, columna ${column}: ${what}`;
      if (editor) editor.mark(line, column, spanish);
      return spanish;
    }
    const known = [
      [/longer than the time limit|time limit/i, "La consulta tardó más que el límite de tiempo del servidor."],
      [/read-only/i, "Este servidor es de solo lectura: no acepta actualizaciones."],
      [/SERVICE/i, "Las consultas federadas (SERVICE) no se permiten: el servidor no consulta otros sitios."],
      [/memory/i, "La consulta necesitó más memoria que el límite del servidor."],
      [/larger than|longer than/i, "La consulta es demasiado larga."],
      [/takes no parameter|parameter/i, "Parámetro no válido: "],
    ];
    const hit = known.find(([re]) => re.test(message));
    return hit ? hit[1] + (hit[1].endsWith(": ") ? message : "") : "La consulta falló: " + message;
  }

  form.addEventListener("submit", async ev => {
    ev.preventDefault();
    if (editor) { editor.mark(null); if (!chosen) editor.declarePrefixes(); }
    status.className = ""; status.textContent = "Ejecutando…";
    const search = address();
    history.replaceState(null, "", "/?" + search);
    share.href = "/?" + search;
    const started = performance.now();
    let response;
    if (chosen) {  // a named query: its parameters travel as bindings, not pasted into the text
      search.delete("named");
      // a listing of a large graph is read a page of the server's at a time (the first here)
      if (chosen.pages && !search.has("limit")) search.set("limit", String(NAMED_ROWS));
      response = await fetch(`/queries/${encodeURIComponent(chosen.name)}?${search}`);
    } else {
      response = await fetch("/sparql", {
        method: "POST",
        headers: {"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"},
        body: text(),
      });
    }
    if (!response.ok) {
      const message = await response.text();  // read first: the error shows with its text, never before it
      status.className = "error"; status.textContent = explain(message);
      results.replaceChildren(); pager.hidden = true; downloads.hidden = true; data = null; networkLink();
      return;
    }
    const answer = await response.json();
    const ms = Math.round(performance.now() - started);
    if ("boolean" in answer) {
      data = null; networkLink(); pager.hidden = true; downloads.hidden = true;
      results.replaceChildren(el("p", answer.boolean ? "Sí (true)" : "No (false)"));
      status.textContent = `${ms} ms`;
      return;
    }
    data = answer; order = null; page = 0;
    given = new Set(chosen ? Object.keys(chosen.params).flatMap(p => [p, p + "_key", p + "_word"]) : []);
    show(); networkLink();
    downloads.hidden = false;
    const rows = data.results.bindings.length;
    const more = chosen && chosen.pages && rows === NAMED_ROWS ? ` (las primeras ${NAMED_ROWS}; en CSV por la línea de órdenes, todas)` : "";
    status.textContent = `${rows} fila(s)${more}, ${ms} ms`;
  });

  // a shared address reproduces its result
  const asked = new URLSearchParams(location.search);
  const named = library.find(q => q.name === asked.get("named"));
  if (named) { choose(named, asked); form.requestSubmit(); }
  else if (asked.get("query")) { setText(asked.get("query")); form.requestSubmit(); }
  else if (library.length && text() === library[0].text) { choose(library[0]); }
})();
