import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { openPage } from "./harness.js";
import { bundleText, dist, serveFiles } from "./wasm/bundle-server.js";

/** What a page reports of the wasm backend's threads after running the threaded gemm cases against one thread. */
interface ThreadReport { isolated: boolean; threaded: boolean; failures: string[]; jobs: number }

const PAGE_SCRIPT = `import { gemmCases } from ${JSON.stringify(dist("test/backend/wasm/gemm-cases.js"))};
  import { jsKernels } from ${JSON.stringify(dist("src/backend/js/index.js"))};
  import { wasmKernels } from ${JSON.stringify(dist("src/backend/wasm/index.js"))};
  import { instantiateWasm } from ${JSON.stringify(dist("src/backend/wasm/module.js"))};
  globalThis.threadCases = async () => {
    const mod = instantiateWasm();
    const report = { isolated: globalThis.crossOriginIsolated === true, threaded: mod.threads !== null, failures: [], jobs: 0 };
    if (!mod.threads) return report;
    mod.threads.set(3);
    await mod.threads.ready();
    const table = (m) => ({ ...jsKernels, ...wasmKernels(m, { jsBelow: 0 }) });
    const one = table(instantiateWasm({ threads: false }));
    for (const c of gemmCases.threads) {
      try { c.run(table(mod), one); } catch (e) { report.failures.push(c.name + ": " + e.message); }
    }
    report.jobs = mod.exports.pool_jobs();
    mod.threads.shutdown();
    return report;
  };`;

/** Runs the cases on a page served with `headers`, in Chromium's main thread (which spins, never waits, for its workers). */
async function onPage(headers: Record<string, string>): Promise<ThreadReport> {
  const script = await bundleText(PAGE_SCRIPT, dist("test/web/wasm"));
  const served = await serveFiles({ "/": `<!doctype html><link rel="icon" href="data:,"><script src="/threads.js"></script>`, "/threads.js": script }, headers);
  try {
    const opened = await openPage(served.url);
    try {
      const report = await opened.page.evaluate("threadCases()") as ThreadReport;
      assert.deepEqual(opened.problems, []);
      return report;
    } finally {
      await opened.close();
    }
  } finally {
    await served.close();
  }
}

describe("the wasm backend's threads in Chromium", () => {
  test("on a cross-origin-isolated page the products split across 3 threads (Web Workers on a shared memory) equal one thread bit for bit", { timeout: 120_000 }, async () => {
    const report = await onPage({ "cross-origin-opener-policy": "same-origin", "cross-origin-embedder-policy": "require-corp" });
    assert.equal(report.isolated, true);
    assert.equal(report.threaded, true, "the threaded module runs where the page is cross-origin isolated");
    assert.deepEqual(report.failures, []);
    assert.ok(report.jobs > 0, "the products were split across the workers");
  });

  test("a page that is not cross-origin isolated runs the single-threaded module", { timeout: 120_000 }, async () => {
    const report = await onPage({});
    assert.deepEqual({ isolated: report.isolated, threaded: report.threaded }, { isolated: false, threaded: false });
  });
});
