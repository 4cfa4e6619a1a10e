import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { jsKernels } from "../../src/backend/js/index.js";
import type { Kernels } from "../../src/backend/kernels.js";
import { instantiateWasm, type WasmModule } from "../../src/backend/wasm/module.js";
import { openPage } from "./harness.js";
import { bundle, bundleText, dist, serveFiles } from "./wasm/bundle-server.js";
import { productBits } from "./wasm/kernels-page.js";
import { PRODUCT_CASES } from "./wasm/product-cases.js";

/** Runs `body` on a page of headless Chromium that loads `scripts` (path → bundled script). */
async function onPage<T>(scripts: Record<string, string>, body: (evaluate: (expression: string) => Promise<unknown>) => Promise<T>): Promise<T> {
  const tags = Object.keys(scripts).map((p) => `<script src="${p}"></script>`).join("");
  const served = await serveFiles({ "/": `<!doctype html><link rel="icon" href="data:,">${tags}`, ...scripts });
  try {
    const opened = await openPage(served.url);
    try {
      const out = await body((e) => opened.page.evaluate(e));
      assert.deepEqual(opened.problems, []);
      return out;
    } finally {
      await opened.close();
    }
  } finally {
    await served.close();
  }
}

const f32 = (bits: number[]) => new Float32Array(Int32Array.from(bits).buffer);
/** |a|·|b| through the js product: the sum Higham's bound scales with. */
const absProducts: Kernels = {
  ...jsKernels,
  matmul: (a, b, out, ...rest) => jsKernels.matmul(a.map(Math.abs), b.map(Math.abs), out, ...rest),
};

// Part 7's shared table of cases (test/backend/wasm/cases.ts: every kernel but the products, convolution and pooling),
// run in the page on the same module as in Node's kernels.test.ts. Present once that part is on the branch.
const SHARED_CASES = dist("test/backend/wasm/cases.js");

describe("the wasm kernels in Chromium", () => {
  test(`products, im2col/col2im and pooling (${PRODUCT_CASES.length} cases: odd sizes, every transpose and batch stride, padding, stride, dilation, ties, NaN): Chromium's bits equal Node's wasm bits, which equal the js kernels' (or, for products, lie within Higham's float32 bound γₖ·Σ|a||b| of them)`, { timeout: 120_000 }, async () => {
    const inChromium = await onPage({ "/kernels.js": await bundle(dist("test/web/wasm/kernels-page.js")) }, (e) => e("productBits()")) as number[][][];
    const inNode = productBits();
    const js = PRODUCT_CASES.map((c) => c.run(jsKernels)), abs = PRODUCT_CASES.map((c) => c.run(absProducts));
    const failures: string[] = [];
    PRODUCT_CASES.forEach((c, i) => {
      if (JSON.stringify(inChromium[i]) !== JSON.stringify(inNode[i])) failures.push(`${c.name}: Chromium's bits differ from Node's`);
      inNode[i]!.forEach((bits, o) => {
        const want = js[i]![o]!, got = want instanceof Int32Array ? Int32Array.from(bits) : f32(bits);
        if (c.check === "exact") {
          const at = want.findIndex((w, j) => !Object.is(w, got[j]));
          if (at >= 0) failures.push(`${c.name}, output ${o}: element ${at}: wasm ${got[at]}, js ${want[at]}`);
        } else {
          const u = 2 ** -24, gamma = (c.check.higham * u) / (1 - c.check.higham * u), scale = abs[i]![o]!;
          const at = want.findIndex((w, j) => !(Math.abs(got[j]! - w) <= 2 * gamma * scale[j]! + 1e-30));
          if (at >= 0) failures.push(`${c.name}: element ${at}: wasm ${got[at]}, js ${want[at]}, bound ${2 * gamma * scale[at]!}`);
        }
      });
    });
    assert.deepEqual(failures, []);
  });

  test("the shared kernel cases (test/backend/wasm/cases.ts) agree with the js kernels in Chromium as in Node, and the module's own outputs have Node's digest", { timeout: 120_000, skip: existsSync(SHARED_CASES) ? false : "test/backend/wasm/cases.ts (the wasm-kernels part) is not on this branch" }, async () => {
    const source = `import * as cases from ${JSON.stringify(SHARED_CASES)};
      import { wasmKernels } from ${JSON.stringify(dist("src/backend/wasm/index.js"))};
      import { instantiateWasm } from ${JSON.stringify(dist("src/backend/wasm/module.js"))};
      globalThis.sharedCases = () => ({ count: cases.KERNEL_CASES.length, failures: cases.runKernelCases({ ...wasmKernels() }), digest: cases.digestKernelCases(instantiateWasm()) });`;
    const result = await onPage({ "/shared.js": await bundleText(source, dist("test/web/wasm")) }, (e) => e("sharedCases()")) as { count: number; failures: string[]; digest: string };
    const shared = await import(SHARED_CASES) as { KERNEL_CASES: readonly unknown[]; digestKernelCases(mod: WasmModule): string };
    assert.equal(result.count, shared.KERNEL_CASES.length);
    assert.ok(result.count > 0);
    assert.deepEqual(result.failures, []);
    assert.equal(result.digest, shared.digestKernelCases(instantiateWasm()));
  });
});
