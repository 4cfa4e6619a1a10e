import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { builtinModules } from "node:module";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { build, type Metafile } from "esbuild";
import puppeteer from "puppeteer-core";
import * as core from "../../src/index.js";
import { runJob, type JobResult } from "./job.js";

const CHROMIUM = process.env["MINIMA_CHROMIUM"] || "/usr/bin/chromium";
/** A path under dist/ (this file is dist/test/browser/core-bundle.test.js). */
const dist = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));
const NODE_BUILTINS = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

/** Bundles a compiled entry for the browser as esbuild does for any web app; a Node built-in anywhere fails the build. */
async function bundleForBrowser(entry: string): Promise<{ code: string; metafile: Metafile }> {
  const result = await build({ entryPoints: [entry], bundle: true, platform: "browser", format: "iife", minify: true, write: false, metafile: true, logLevel: "silent" });
  return { code: result.outputFiles[0]!.text, metafile: result.metafile };
}

/** Runs a bundled worker script in a Web Worker of a page served from 127.0.0.1 in headless Chromium; resolves with its message. */
async function runInWorker(workerCode: string): Promise<{ ok: boolean; result?: JobResult; backend?: string; error?: string }> {
  const page = `<!doctype html><script>
    window.done = new Promise((resolve) => { const w = new Worker("worker.js"); w.onmessage = (e) => resolve(e.data); w.onerror = (e) => resolve({ ok: false, error: e.message }); });
  </script>`;
  const server: Server = createServer((req, res) => {
    const body = req.url === "/worker.js" ? workerCode : req.url === "/" ? page : null;
    res.writeHead(body === null ? 404 : 200, { "content-type": req.url === "/worker.js" ? "text/javascript" : "text/html" }).end(body ?? "");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"] });
  try {
    const tab = await browser.newPage();
    await tab.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    return await tab.evaluate("window.done") as { ok: boolean; result?: JobResult; backend?: string; error?: string };
  } finally {
    await browser.close();
    server.close();
  }
}

/** Indices where two number arrays differ in any bit (Object.is: -0 and NaN count). */
function differences(a: readonly number[], b: readonly number[]): string[] {
  if (a.length !== b.length) return [`lengths ${a.length} and ${b.length}`];
  return a.flatMap((x, i) => (Object.is(x, b[i]) ? [] : [`[${i}] ${x} vs ${b[i]}`])).slice(0, 5);
}

describe("the browser core (the package's default entry)", () => {
  test("bundles for the browser with esbuild: no Node built-in is reachable from it", async () => {
    const { metafile } = await bundleForBrowser(dist("src/index.js"));
    const inputs = Object.keys(metafile.inputs);
    assert.ok(inputs.some((f) => f.endsWith("src/autograd/backward.js")), "the bundle holds the core");
    const reached = inputs.filter((f) => NODE_BUILTINS.has(f) || f.includes("backend/native/") || f.includes("/cli/"));
    assert.deepEqual(reached, [], "Node-only modules reached from the browser entry");
  });

  test("runs nothing at import: importing it in Node registers no native backend and prints nothing", () => {
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", `const mn = await import(${JSON.stringify(dist("src/index.js"))}); console.log(mn.listBackends().join(","), mn.getBackend());`], { encoding: "utf8", env: { ...process.env, MINIMA_BACKEND: "" } });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, "js js\n");
    assert.equal(r.stderr, "");
  });

  test("in a Web Worker of headless Chromium, gives the Node js backend's numbers bit for bit (100 Adam steps on Rosenbrock, 20 SGD steps of an MLP, a Hessian-vector product)", { timeout: 60_000 }, async () => {
    assert.ok(existsSync(CHROMIUM), `no Chromium at ${CHROMIUM}: install Debian's chromium package (apt-get install chromium) or point MINIMA_CHROMIUM at a Chromium binary`);
    const { code } = await bundleForBrowser(dist("test/browser/worker.js"));
    const inBrowser = await runInWorker(code);
    assert.ok(inBrowser.ok, `the worker failed: ${inBrowser.error}`);
    assert.equal(inBrowser.backend, "js");
    const chosen = core.getBackend();
    try {
      const inNode = runJob(core);
      for (const key of ["rosenbrock", "mlp", "hvp"] as const) {
        assert.deepEqual(differences(inBrowser.result![key], inNode[key]), [], `${key}: browser vs Node`);
      }
      assert.equal(inNode.rosenbrock.length, 102);
      assert.ok(inNode.rosenbrock[100]! < inNode.rosenbrock[0]! / 2, "Adam went down the valley");
      assert.ok(inNode.mlp[19]! < inNode.mlp[0]!, "SGD lowered the MLP's loss");
    } finally {
      core.setBackend(chosen);
    }
  });
});
