import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../src/index.node.js";
import { openPage } from "./harness.js";
import type { ScenarioResult } from "./wasm/backend-page.js";
import { bundle, dist, serveFiles } from "./wasm/bundle-server.js";
import { trainJob, type TrainResult } from "./wasm/train-job.js";

/** Indices where two number arrays differ in any bit (Object.is: -0 and NaN count). */
function differences(a: readonly number[], b: readonly number[]): string[] {
  if (a.length !== b.length) return [`lengths ${a.length} and ${b.length}`];
  return a.flatMap((x, i) => (Object.is(x, b[i]) ? [] : [`[${i}] ${x} vs ${b[i]}`])).slice(0, 5);
}

/** The job in Node on `backend`, restoring the backend in use after. */
function inNode(backend: string): TrainResult {
  const previous = mn.getBackend();
  mn.setBackend(backend);
  try {
    return trainJob(mn);
  } finally {
    mn.setBackend(previous);
  }
}

function assertSame(browser: TrainResult, node: TrainResult, what: string): void {
  assert.deepEqual(differences(browser.mlp, node.mlp), [], `${what}: the MLP, browser vs Node`);
  assert.deepEqual(differences(browser.cnn, node.cnn), [], `${what}: the CNN, browser vs Node`);
  assert.ok(node.mlp[7]! < node.mlp[0]! && node.cnn[3]! < node.cnn[0]!, "the job trains: its losses fall");
}

const PAGE = '<!doctype html><link rel="icon" href="data:,"><script src="/page.js"></script>';

describe("the wasm backend chosen by the browser core (Chromium)", () => {
  test("in Node, mn.ready() resolves with the backend the Node entry chose, and changes nothing", async () => {
    const before = mn.getBackend();
    assert.equal(await mn.ready(), before);
    assert.equal(mn.getBackend(), before);
  });

  test("on the page, in Web Workers, and without SIMD: the choice, its notice, and the numbers equal to Node's wasm (or js) backend bit for bit", { timeout: 120_000 }, async () => {
    const served = await serveFiles({ "/": PAGE, "/page.js": await bundle(dist("test/web/wasm/backend-page.js")) }, { "content-security-policy": "script-src 'self' 'wasm-unsafe-eval'" });
    try {
      const opened = await openPage(served.url);
      try {
        const { page } = opened;
        const onPage = await page.evaluate("window.pageScenario") as ScenarioResult;
        const worker = async (name: string) => {
          const m = await page.evaluate(`window.inWorker(${JSON.stringify(name)})`) as { ok: boolean; r?: ScenarioResult; error?: string };
          assert.ok(m.ok, `the ${name} worker failed: ${m.error}`);
          return m.r!;
        };
        const byDefault = await worker("default"), chosenJs = await worker("js"), noSimd = await worker("no-simd");
        const wasm = inNode("wasm"), js = inNode("js");
        assert.notDeepEqual(differences(wasm.mlp, js.mlp), [], "wasm and js differ in bits on this job, so equality says which backend ran");

        // Importing the core registers nothing; the first op (or ready()) picks wasm.
        for (const r of [onPage, byDefault, chosenJs, noSimd]) assert.deepEqual(r.before, ["js"]);
        assert.equal(onPage.ready, "wasm");
        assert.equal(onPage.backend, "wasm");
        assert.deepEqual(onPage.warnings, []);
        assertSame(onPage.result, wasm, "the page after await mn.ready()");
        assert.equal(byDefault.backend, "wasm");
        assert.deepEqual(byDefault.warnings, []);
        assertSame(byDefault.result, wasm, "a worker's first op, no ready()");
        // setBackend("js") before the first op is a choice on purpose: js, and no notice.
        assert.equal(chosenJs.backend, "js");
        assert.deepEqual(chosenJs.warnings, []);
        assertSame(chosenJs.result, js, "a worker on js");
        // No SIMD: js, one notice, and setBackend("wasm") says why.
        assert.equal(noSimd.backend, "js");
        assert.deepEqual(noSimd.warnings, ['minima: running on the js backend, slower than wasm: this JavaScript engine has no WebAssembly SIMD. '
          + 'Fix: use a browser with WebAssembly SIMD (Chrome 91, Firefox 89, Safari 16.4 or later). (mn.setBackend("js") chooses js and silences this.)']);
        assert.equal(noSimd.setWasmError, 'setBackend: the wasm backend is not available: this JavaScript engine has no WebAssembly SIMD '
          + '(fix: use a browser with WebAssembly SIMD (Chrome 91, Firefox 89, Safari 16.4 or later)); expected one of js');
        assertSame(noSimd.result, js, "a worker without SIMD");
        assert.deepEqual(opened.problems, []);
      } finally {
        await opened.close();
      }
    } finally {
      await served.close();
    }
  });

  test("a page whose Content-Security-Policy forbids compiling WebAssembly runs on js, with the notice naming the policy as the fix", { timeout: 60_000 }, async () => {
    const served = await serveFiles({ "/": PAGE, "/page.js": await bundle(dist("test/web/wasm/backend-page.js")) }, { "content-security-policy": "script-src 'self'" });
    try {
      const opened = await openPage(served.url);
      try {
        const onPage = await opened.page.evaluate("window.pageScenario") as ScenarioResult;
        assert.equal(onPage.ready, "js");
        assert.equal(onPage.backend, "js");
        assert.equal(onPage.warnings.length, 1, onPage.warnings.join("\n"));
        const [notice] = onPage.warnings as [string];
        const head = "minima: running on the js backend, slower than wasm: the wasm module did not load (";
        const tail = `). Fix: allow 'wasm-unsafe-eval' in the page's Content-Security-Policy (script-src). (mn.setBackend("js") chooses js and silences this.)`;
        assert.ok(notice.startsWith(head) && notice.endsWith(tail), notice);
        // Between them, the engine's own words: it refused to compile because of the policy.
        assert.match(notice.slice(head.length, -tail.length), /Content Security Policy/);
        assertSame(onPage.result, inNode("js"), "the page on js");
        assert.deepEqual(opened.problems, []);
      } finally {
        await opened.close();
      }
    } finally {
      await served.close();
    }
  });
});
