import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { repoRoot } from "./helpers/repo-root.js";

// Every training script imports the Node entry; what it loads stays in the heap for the whole run, and a
// process just over V8's 8 MB old generation marks continuously (BENCHMARKS.md, issue 11). The libraries
// for files, bars and pictures load when first used.
const LOADED_ON_FIRST_USE = ["ajv", "cli-progress", "@resvg/resvg-js"];

test("importing the Node entry loads none of the libraries used only for checks, bars and PNGs", () => {
  const entry = pathToFileURL(join(repoRoot(), "dist/src/index.node.js")).href;
  const script = `import { createRequire } from "node:module";
await import(${JSON.stringify(entry)});
const loaded = Object.keys(createRequire(import.meta.url).cache).filter((p) => p.includes("node_modules"))
  .map((p) => p.split("node_modules/").at(-1).split("/")).map((s) => (s[0].startsWith("@") ? s[0] + "/" + s[1] : s[0]));
console.log(JSON.stringify([...new Set(loaded)]));`;
  const loaded = JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" })) as string[];
  assert.deepEqual(LOADED_ON_FIRST_USE.filter((name) => loaded.includes(name)), []);
});

// The ES modules the entry imports, seen by a resolve hook (the require cache above lists CommonJS only).
const IMPORTED_ON_FIRST_USE = ["fast-png", "csv-parse"];

test("importing the Node entry imports neither the PNG decoder nor the CSV parser (they load with the first image folder or table)", () => {
  const entry = pathToFileURL(join(repoRoot(), "dist/src/index.node.js")).href;
  const hooks = "let port; export function initialize(data) { port = data.port; } " +
    "export async function resolve(specifier, context, next) { const r = await next(specifier, context); port.postMessage(r.url); return r; }";
  const script = `import { register } from "node:module";
import { MessageChannel } from "node:worker_threads";
const { port1, port2 } = new MessageChannel();
const urls = [];
port1.on("message", (url) => urls.push(url));
register("data:text/javascript," + encodeURIComponent(${JSON.stringify(hooks)}), { data: { port: port2 }, transferList: [port2] });
await import(${JSON.stringify(entry)});
await new Promise((done) => setTimeout(done, 100));
port1.close();
console.log(JSON.stringify(urls));`;
  const urls = JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" })) as string[];
  assert.ok(urls.some((u) => u.includes("/d3-scale/")), "the hook sees the entry's ES module imports (d3-scale)");
  assert.deepEqual(IMPORTED_ON_FIRST_USE.filter((name) => urls.some((u) => u.includes(`/node_modules/${name}/`))), []);
});
