// Bundles the browser front end of `minima serve` (web/) into dist/web/ with esbuild: the app (app.js, app.css),
// one script per Web Worker (every web/**/*-worker.ts, named after its file) and the page shell. Everything the
// page loads ships in the package: the server serves these files and nothing from elsewhere.
import { build } from "esbuild";
import { copyFileSync, mkdirSync, readdirSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const web = join(root, "web"), out = join(root, "dist", "web");
const workers = readdirSync(web, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith("-worker.ts")).map((f) => join(web, f));
const names = workers.map((f) => basename(f, ".ts"));
const repeated = names.filter((n, i) => names.indexOf(n) !== i);
if (repeated.length > 0) throw new Error(`build-web: two workers share the name ${repeated[0]}.ts; worker files need distinct names (they are bundled side by side)`);

mkdirSync(out, { recursive: true });
await build({
  entryPoints: [join(web, "app.tsx"), ...workers],
  outdir: out,
  entryNames: "[name]",
  bundle: true,
  platform: "browser",
  format: "iife",
  target: "es2022",
  minify: true,
  sourcemap: "linked",
  jsx: "automatic",
  jsxImportSource: "preact",
  loader: { ".css": "css" },
  logLevel: "warning",
});
for (const file of ["index.html", "favicon.svg"]) copyFileSync(join(web, file), join(out, file));
