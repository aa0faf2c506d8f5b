// The SPARQL editor of the query page: CodeMirror 6 with SPARQL highlighting (codemirror-lang-sparql),
// completion of the ontology's prefixes and terms, Ctrl/Cmd+Enter to run, and errors marked on their line.
import { EditorState } from "@codemirror/state";
import { EditorView, keymap, lineNumbers, highlightActiveLine, drawSelection } from "@codemirror/view";
import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import { autocompletion, completionKeymap, closeBrackets } from "@codemirror/autocomplete";
import { syntaxHighlighting, defaultHighlightStyle, bracketMatching } from "@codemirror/language";
import { linter, setDiagnostics, lintGutter } from "@codemirror/lint";
import { sparql } from "codemirror-lang-sparql";

// prefixes: {prefix: namespace}; terms: ["ikg:Person", ...]
function completer(prefixes, terms) {
  const declarations = Object.entries(prefixes).map(([p, ns]) => ({
    label: `PREFIX ${p}: <${ns}>`, type: "keyword", detail: "prefijo", apply: `PREFIX ${p}: <${ns}>\n`,
  }));
  const names = terms.map(t => ({ label: t.name, type: t.kind === "class" ? "class" : "property", info: t.label }));
  const keywords = ["SELECT", "DISTINCT", "WHERE", "FILTER", "OPTIONAL", "GRAPH", "UNION", "VALUES", "BIND",
    "ORDER BY", "GROUP BY", "LIMIT", "OFFSET", "COUNT", "CONTAINS", "LCASE", "STR", "ASK", "CONSTRUCT", "PREFIX"]
    .map(k => ({ label: k, type: "keyword" }));
  return context => {
    const line = context.state.doc.lineAt(context.pos);
    const before = line.text.slice(0, context.pos - line.from);
    if (/^\s*PREFIX\s+\w*$/i.test(before)) {
      const word = context.matchBefore(/PREFIX\s+\w*/i);
      return word && { from: word.from, options: declarations, validFor: /^PREFIX\s+\w*$/i };
    }
    const word = context.matchBefore(/[?$]?[\w-]+:?[\w-]*/);
    if (!word || (word.from === word.to && !context.explicit)) return null;
    if (/^[?$]/.test(word.text)) return null;  // a variable: nothing to complete
    return { from: word.from, options: word.text.includes(":") ? names : [...keywords, ...names], validFor: /^[\w-]*:?[\w-]*$/ };
  };
}

export function createEditor(parent, doc, { prefixes = {}, terms = [], onRun = () => {}, onChange = () => {} } = {}) {
  const run = () => { onRun(); return true; };
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc,
      extensions: [
        lineNumbers(), history(), drawSelection(), highlightActiveLine(), bracketMatching(), closeBrackets(),
        sparql(), syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
        autocompletion({ override: [completer(prefixes, terms)] }),
        linter(() => [], { delay: 1e9 }), lintGutter(),
        keymap.of([{ key: "Mod-Enter", run, preventDefault: true }, ...completionKeymap, ...defaultKeymap, ...historyKeymap]),
        EditorView.updateListener.of(update => { if (update.docChanged) onChange(update.state.doc.toString()); }),
        EditorView.contentAttributes.of({ "aria-label": "Consulta SPARQL" }),
      ],
    }),
  });
  return {
    view,
    get value() { return view.state.doc.toString(); },
    set value(text) { view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } }); },
    // mark an error at (1-based) line and column; null clears
    mark(line, column, message) {
      if (line === null) { view.dispatch(setDiagnostics(view.state, [])); return; }
      const l = view.state.doc.line(Math.min(Math.max(line, 1), view.state.doc.lines));
      // from the column to the end of the line; at the line's end, its last character
      let from = Math.min(l.from + Math.max(column - 1, 0), l.to);
      if (from >= l.to) from = Math.max(l.from, l.to - 1);
      const to = Math.max(l.to, Math.min(from + 1, view.state.doc.length));
      view.dispatch(setDiagnostics(view.state, [{ from, to, severity: "error", message }]));
    },
    focus() { view.focus(); },
    // declare the known prefixes the text uses and does not declare (as YASGUI does), at the top
    declarePrefixes() {
      const text = view.state.doc.toString();
      const bare = text.replace(/#.*$/gm, "").replace(/<[^>]*>/g, "").replace(/"[^"]*"/g, "");
      const declared = new Set([...bare.matchAll(/PREFIX\s+([\w-]*):/gi)].map(m => m[1]));
      const used = new Set([...bare.matchAll(/(?:^|[\s(,;.\/^|!])([a-z][\w-]*):[\w-]/gi)].map(m => m[1]));
      const missing = [...used].filter(p => !declared.has(p) && prefixes[p]).sort();
      if (!missing.length) return;
      const lines = missing.map(p => `PREFIX ${p}: <${prefixes[p]}>\n`).join("");
      view.dispatch({ changes: { from: 0, insert: lines } });
    },
  };
}

window.imsskgEditor = { createEditor };
