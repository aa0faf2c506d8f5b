// Bundles the browser code into the Python package's static files, with the licences of what it
// contains, and turns @svg-maps/mexico into the JSON the map page draws from.  `make web` runs it.
import { build } from "esbuild";
import { readFileSync, writeFileSync, mkdirSync, existsSync } from "node:fs";
import { join } from "node:path";

const out = "../src/imsskg/server/static/vendor";
mkdirSync(out, { recursive: true });
const bundled = new Set();
const record = { name: "licences", setup(b) { b.onLoad({ filter: /node_modules/ }, args => {
  const m = args.path.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/); if (m) bundled.add(m[1]); return undefined; }); } };
for (const name of ["editor", "network"]) {
  await build({ entryPoints: [`src/${name}.js`], bundle: true, minify: true, format: "iife", target: "es2020",
                outfile: `${out}/${name}.js`, legalComments: "none", plugins: [record], logLevel: "warning" });
}
// the map: paths of the 32 states keyed by ISO 3166-2 code (the package's ids are its lower-case suffixes)
const mexico = (await import("@svg-maps/mexico")).default;
writeFileSync(`${out}/mexico.json`, JSON.stringify({
  viewBox: mexico.viewBox,
  states: mexico.locations.map(l => ({ iso: "MX-" + l.id.toUpperCase(), name: l.name, path: l.path })),
}));
bundled.add("@svg-maps/mexico");
const lines = ["Third-party code and data in this folder (bundled by web/build.mjs from the npm packages below).", ""];
for (const name of [...bundled].sort()) {
  const dir = join("node_modules", name);
  const meta = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  const file = ["LICENSE", "LICENSE.md", "LICENSE.txt", "license", "LICENCE"].map(f => join(dir, f)).find(existsSync);
  lines.push("=".repeat(78), `${name} ${meta.version} — ${meta.license}`, "=".repeat(78));
  lines.push(file ? readFileSync(file, "utf8").trim() : `(no licence file in the package; its package.json says ${meta.license})`, "");
}
writeFileSync(`${out}/LICENSES.txt`, lines.join("\n"));
console.log(`bundled ${bundled.size} packages into ${out}`);
