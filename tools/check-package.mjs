#!/usr/bin/env node
// Checks minima-ml as a user gets it, from the packed tarball in a fresh project (CI runs this; nothing is
// published): the tarball's contents; `npm install <tarball>` with dependency install scripts not run (npm ≥ 11's
// default, forced here with --ignore-scripts); a plain .mjs consumer and the CLI, which must say in one stderr line
// that they run on wasm (the WebAssembly kernels built into the package) and how to get native; strict TypeScript consumers for Node (NodeNext, @types/node) and for
// the browser (bundler resolution, no @types/node); an esbuild browser bundle of the package; `minima serve` from the
// installed package answering its page and script (the front end ships built in dist/web); then the fix the
// notice gives (approve the install script, rebuild), after which the same consumer runs on native.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const repo = fileURLToPath(new URL("..", import.meta.url));
const here = fileURLToPath(new URL("package-check/", import.meta.url));
const work = mkdtempSync(join(tmpdir(), "minima-package-"));
const consumer = join(work, "consumer");
const keep = process.argv.includes("--keep");
let failures = 0;

function check(ok, what, detail = "") {
  console.log(`${ok ? "ok    " : "FAIL  "} ${what}${!ok && detail ? `\n       ${detail.replace(/\n/g, "\n       ")}` : ""}`);
  if (!ok) failures++;
}
function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { cwd: consumer, encoding: "utf8", env: { ...process.env, MINIMA_BACKEND: "", npm_config_yes: "true" }, ...options });
  return { status: r.status, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
}
const npm = (...args) => run("npm", [...args, "--no-audit", "--no-fund"]);
const tsc = join(repo, "node_modules", "typescript", "bin", "tsc");
/** A run's last line of output: the consumers print their result after fit's epoch lines. */
const lastLine = (text) => text.trim().split("\n").at(-1) ?? "";

/** Starts `minima serve --port 0 <folder>`, asks it for /, /assets/app.js and /api/index, then stops it with SIGTERM. */
async function serveOnce(bin, folder) {
  const child = spawn(bin, ["serve", "--port", "0", folder], { cwd: consumer, env: { ...process.env, MINIMA_BACKEND: "js" } });
  let out = "", err = "";
  child.stderr.on("data", (d) => { err += d; });
  const exited = new Promise((ok) => child.on("close", (code) => ok(code)));
  const killer = setTimeout(() => child.kill("SIGKILL"), 60_000);
  const url = await new Promise((ok) => {
    child.stdout.on("data", (d) => { out += d; const m = /^open (\S+)$/m.exec(out); if (m) ok(m[1]); });
    void exited.then(() => ok(null));
  });
  const result = { page: "", script: "", runs: -1, exit: -1, detail: "" };
  try {
    if (url !== null) {
      const answer = async (path) => { const r = await fetch(new URL(path, url)); return `${r.status} ${r.headers.get("content-type")}`; };
      result.page = await answer("/");
      result.script = await answer("/assets/app.js");
      result.runs = (await (await fetch(new URL("/api/index", url))).json()).runs.length;
    }
  } catch (e) {
    result.detail = String(e);
  } finally {
    child.kill("SIGTERM");
  }
  result.exit = await exited;
  clearTimeout(killer);
  result.detail += `\n${out}${err}`;
  return result;
}

try {
  // 1. The tarball.
  const packed = JSON.parse(execFileSync("npm", ["pack", "--json", "--pack-destination", work], { cwd: repo, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }))[0];
  const files = new Set(packed.files.map((f) => f.path));
  console.log(`packed ${packed.filename}: ${packed.entryCount} files, ${(packed.size / 1024).toFixed(0)} KiB (${(packed.unpackedSize / 1024 / 1024).toFixed(1)} MiB unpacked)`);
  check(packed.name === "minima-ml", `the package is named minima-ml (got ${packed.name})`);
  for (const f of ["LICENSE", "README.md", "package.json", "dist/src/index.js", "dist/src/index.d.ts", "dist/src/index.node.js", "dist/src/index.node.d.ts", "dist/src/cli/main.js", "native/binding.gyp", "native/build.mjs", "dist/web/index.html", "dist/web/app.js", "dist/web/app.css"]) {
    check(files.has(f), `the tarball holds ${f}`);
  }
  const stray = [...files].filter((f) => /^(dist\/)?(test|bench)\//.test(f) || f.startsWith("native/build/"));
  check(stray.length === 0, "the tarball holds no tests, benches or build outputs", stray.slice(0, 5).join(", "));
  const license = JSON.parse(readFileSync(join(repo, "package.json"), "utf8")).license;
  check(readFileSync(join(repo, "LICENSE"), "utf8").startsWith(`${license} License`), `LICENSE is the ${license} license package.json names`);
  const unresolved = [...files].filter((f) => f.endsWith(".map")).flatMap((map) => {
    // A source whose text the map holds (sourcesContent, as esbuild writes dist/web's maps of preact and uPlot) needs no file.
    const { sources, sourcesContent = [] } = JSON.parse(readFileSync(join(repo, map), "utf8"));
    return sources.map((s, i) => typeof sourcesContent[i] === "string" ? null : join(dirname(map), s)).filter((s) => s !== null && !files.has(s)).map((s) => `${map} → ${s}`);
  });
  check(unresolved.length === 0, "every source map's sources ship in the tarball or inside the map", unresolved.slice(0, 5).join("\n"));

  // 2. A fresh project installs it; dependency install scripts do not run.
  mkdirSync(consumer);
  writeFileSync(join(consumer, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }, null, 2));
  for (const f of ["app.mjs", "node-app.ts", "browser-app.ts"]) copyFileSync(join(here, f), join(consumer, f));
  const install = npm("install", "--ignore-scripts", join(work, packed.filename));
  check(install.status === 0, "npm install <tarball> --ignore-scripts", install.stderr);
  const installed = run("du", ["-sk", "node_modules"]).stdout.split("\t")[0];
  console.log(`installed: node_modules is ${(Number(installed) / 1024).toFixed(1)} MiB`);

  // 3. On wasm, with one line that says why and how to get native.
  const notice = "minima: running on the wasm backend, slower than native: the native addon was not built: minima-ml's install script did not run (npm ≥ 11 and pnpm ≥ 10 skip a dependency's install script until it is approved, as --ignore-scripts does). Fix: npm install-scripts approve minima-ml, then npm rebuild minima-ml. (MINIMA_BACKEND=wasm chooses wasm and silences this.)\n";
  const app = run("node", ["app.mjs"]);
  check(app.status === 0 && app.stderr === notice, "node app.mjs (import * as mn from \"minima-ml\") runs, with exactly the notice on stderr", `${app.status} ${app.stderr}`);
  // fit prints its epoch line by default (verbose "auto", a pipe here), then the app its JSON.
  const [line = "", json = "{}"] = app.stdout.trim().split("\n");
  check(/^epoch 1\/1  train loss \d/.test(line) && app.stdout.trim().split("\n").length === 2, "fit prints one line per epoch by default", app.stdout);
  const result = app.status === 0 ? JSON.parse(json) : {};
  check(result.backend === "wasm" && result.testAccuracy > 0.8, `it trains on wasm (${json})`);
  const info = run("npx", ["minima", "info"]);
  check(info.status === 0 && /^backend +wasm /m.test(info.stdout) && /^native +not available: the native addon was not built/m.test(info.stdout), "npx minima info names wasm and why native is missing", info.stdout + info.stderr);
  const train = run("npx", ["minima", "train", "--epochs", "1", "--train-size", "1000", "--out", join(work, "run")]);
  check(train.status === 0 && train.stderr === notice, "npx minima train says it once on stderr", train.stderr);
  check(/^minima train: .*; wasm backend, \d+ threads?$/m.test(train.stdout), "its header names the wasm backend", train.stdout.split("\n")[0]);

  // 3b. minima serve from the installed package: its page and the built front end, offline, on the run just trained.
  const served = await serveOnce(join(consumer, "node_modules", ".bin", "minima"), join(work, "run"));
  check(served.page === "200 text/html; charset=utf-8", "npx minima serve answers / with the page", served.detail);
  check(served.script === "200 text/javascript; charset=utf-8", "and /assets/app.js, the front end built into dist/web", served.detail);
  check(served.runs === 1, "and /api/index lists the run just trained", served.detail);
  check(served.exit === 0, "and stops with exit 0 on SIGTERM", served.detail);

  // 4. Strict TypeScript consumers, with skipLibCheck off: Node (NodeNext, @types/node) and browser (bundler, no @types/node).
  const types = npm("install", "--ignore-scripts", "--no-save", "@types/node@20");
  check(types.status === 0, "npm install @types/node@20 (for the Node consumer only)", types.stderr);
  const strict = { strict: true, exactOptionalPropertyTypes: true, noUncheckedIndexedAccess: true, skipLibCheck: false, target: "ES2022", noEmit: false, outDir: "out" };
  writeFileSync(join(consumer, "tsconfig.node.json"), JSON.stringify({ compilerOptions: { ...strict, module: "NodeNext", moduleResolution: "NodeNext", types: ["node"] }, files: ["node-app.ts"] }));
  writeFileSync(join(consumer, "tsconfig.browser.json"), JSON.stringify({ compilerOptions: { ...strict, module: "ESNext", moduleResolution: "Bundler", lib: ["ES2022", "DOM"], types: [], outDir: "out-browser" }, files: ["browser-app.ts"] }));
  for (const config of ["tsconfig.node.json", "tsconfig.browser.json"]) {
    const r = run("node", [tsc, "-p", config]);
    check(r.status === 0, `tsc -p ${config} (strict, exactOptionalPropertyTypes, noUncheckedIndexedAccess, skipLibCheck false)`, r.stdout + r.stderr);
  }
  const nodeApp = run("node", ["out/node-app.js"], { env: { ...process.env, MINIMA_BACKEND: "js" } });
  check(nodeApp.status === 0 && /^\d\.\d+ 4 js$/.test(lastLine(nodeApp.stdout)), "the compiled Node consumer runs", nodeApp.stdout + nodeApp.stderr);
  const bundle = run("node", ["-e", `require(${JSON.stringify(join(repo, "node_modules", "esbuild"))}).buildSync({ entryPoints: ["out-browser/browser-app.js"], bundle: true, platform: "browser", outfile: "bundle.js", logLevel: "error" })`]);
  check(bundle.status === 0, "esbuild bundles the installed package for the browser (the default export condition)", bundle.stderr);

  // 5. The fix the notice gives: approve minima-ml's install script and rebuild it.
  const approve = npm("install-scripts", "approve", "minima-ml");
  check(approve.status === 0, "npm install-scripts approve minima-ml", approve.stderr);
  const rebuild = npm("rebuild", "minima-ml");
  check(rebuild.status === 0 && existsSync(join(consumer, "node_modules/minima-ml/native/build/Release/minima_native.node")), "npm rebuild minima-ml builds the addon", rebuild.stdout + rebuild.stderr);
  const again = run("node", ["app.mjs"]);
  check(again.status === 0 && again.stderr === "" && JSON.parse(lastLine(again.stdout) || "{}").backend === "native", "then the same consumer runs on native, silently", again.stdout + again.stderr);
  const infoNative = run("npx", ["minima", "info"]);
  check(/^backend +native /m.test(infoNative.stdout), "and npx minima info names native", infoNative.stdout);
} finally {
  if (keep) console.log(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
console.log(failures ? `${failures} check(s) failed` : "the package works as a dependency");
process.exit(failures ? 1 : 0);
