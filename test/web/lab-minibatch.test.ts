import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "puppeteer-core";
import { openPage, serveFolder } from "./harness.js";

interface ShownPath { batchSize: number; w1: number[]; w2: number[]; batchLoss: number[]; fullLoss: number[] }
interface Shown { paths: ShownPath[]; moments: { a: [number, number, number]; b: [number, number]; c: number }; hash: string }

/** The numbers behind the page's paths once it shows `settings` (page-side code as strings: the tests compile without the DOM's types). */
async function shown(page: Page, settings: string): Promise<Shown> {
  await page.waitForFunction(`(() => { const f = document.querySelector("figure.minibatch-paths"); return f !== null && f.getAttribute("data-settings") === ${JSON.stringify(settings)} && f.getAttribute("data-busy") === "false"; })()`, { timeout: 60_000 });
  return page.evaluate(`(() => { const f = document.querySelector("figure.minibatch-paths");
    return { paths: JSON.parse(f.getAttribute("data-paths")), moments: JSON.parse(f.getAttribute("data-moments")), hash: location.hash }; })()`) as Promise<Shown>;
}

/** Full-batch gradient descent on L(w) = wᵀAw − 2bᵀw + c in closed form: w ← w − lr·2(Aw − b), in float64. */
function gradientDescent(m: Shown["moments"], start: [number, number], lr: number, steps: number): [number[], number[]] {
  const w1 = [start[0]], w2 = [start[1]];
  for (let k = 0; k < steps; k++) {
    const [x, y] = [w1[k]!, w2[k]!];
    w1.push(x - lr * 2 * (m.a[0] * x + m.a[1] * y - m.b[0]));
    w2.push(y - lr * 2 * (m.a[1] * x + m.a[2] * y - m.b[1]));
  }
  return [w1, w2];
}

const rms = (xs: readonly number[]) => Math.sqrt(xs.reduce((s, x) => s + x * x, 0) / xs.length);
const relativeNoise = (p: ShownPath) => rms(p.batchLoss.map((l, i) => l / p.fullLoss[i]! - 1));

function assertClose(actual: readonly number[], expected: readonly number[], tolerance: number, what: string): void {
  assert.equal(actual.length, expected.length, what);
  const worst = Math.max(...actual.map((a, i) => Math.abs(a - expected[i]!)));
  assert.ok(worst <= tolerance, `${what}: off by ${worst}`);
}

describe("the lab's mini-batch explorer", () => {
  test("trains batch 1, 32 and full side by side: the full batch's path is gradient descent's closed form, the smaller batches take more and noisier steps; lr in the URL", { timeout: 120_000 }, async () => {
    const root = mkdtempSync(join(tmpdir(), "minima-lab-minibatch-"));
    const server = await serveFolder(root);
    try {
      const opened = await openPage(`${server.url}#/lab/minibatch?lr=0.1&epochs=4&batch=32&seed=0`);
      try {
        const first = await shown(opened.page, JSON.stringify({ lr: 0.1, epochs: 4, batch: 32, seed: 0 }));
        assert.deepEqual(first.paths.map((p) => [p.batchSize, p.batchLoss.length]), [[1, 4 * 256], [32, 4 * 8], [256, 4]], "steps: epochs × batches per epoch");
        const [one, mid, full] = first.paths as [ShownPath, ShownPath, ShownPath];
        for (const p of first.paths) assert.deepEqual([p.w1[0], p.w2[0]], [-2, 2.5], "every run starts at (−2, 2.5)");
        const [g1, g2] = gradientDescent(first.moments, [-2, 2.5], 0.1, 4);
        assertClose(full.w1, g1, 1e-12, "full batch w₁ against w ← w − lr·2(Aw − b)");
        assertClose(full.w2, g2, 1e-12, "full batch w₂ against w ← w − lr·2(Aw − b)");
        // The full batch's loss is the loss over all the data, which the moments give in closed form.
        assertClose(full.batchLoss, full.fullLoss.slice(0, -1), 1e-12, "full batch: mseLoss over the data against wᵀAw − 2bᵀw + c");
        assert.ok(relativeNoise(one) > relativeNoise(mid) && relativeNoise(mid) > 100 * relativeNoise(full),
          `the loss curve is noisier the smaller the batch: ${relativeNoise(one)}, ${relativeNoise(mid)}, ${relativeNoise(full)}`);
        assert.equal(await opened.page.$$eval(".svg-figure svg", (svgs) => svgs.length), 5, "three paths over contours and two loss charts");

        await opened.page.evaluate(`(() => { const el = document.querySelector('input[name="lr"]'); el.value = "0.05"; el.dispatchEvent(new Event("change", { bubbles: true })); })()`);
        const slower = await shown(opened.page, JSON.stringify({ lr: 0.05, epochs: 4, batch: 32, seed: 0 }));
        const [s1, s2] = gradientDescent(slower.moments, [-2, 2.5], 0.05, 4);
        assertClose(slower.paths[2]!.w1, s1, 1e-12, "full batch w₁ at lr 0.05");
        assertClose(slower.paths[2]!.w2, s2, 1e-12, "full batch w₂ at lr 0.05");
        assert.match(slower.hash, /[?&]lr=0\.05(&|$)/);

        // Each bad setting shows its own message (waited for exactly: "Mini-batch: invalid epochs" also contains "batch").
        for (const [query, message] of [
          ["lr=0.1&epochs=0&batch=32&seed=0", "Mini-batch: invalid epochs; expected an integer in [1, 100], got 0"],
          ["lr=0.1&epochs=2&batch=300&seed=0", "Mini-batch: invalid batch; expected an integer in [1, 256], got 300"],
          ["lr=-1&epochs=2&batch=32&seed=0", "SGD: invalid lr; expected a number ≥ 0, got -1"],
        ] as const) {
          await opened.page.evaluate(`location.hash = ${JSON.stringify(`#/lab/minibatch?${query}`)}`);
          await opened.page.waitForFunction(`(() => { const p = document.querySelector("p.error"); return p !== null && p.textContent === ${JSON.stringify(message)}; })()`, { timeout: 10_000 });
        }
        assert.deepEqual(opened.problems, []);
      } finally {
        await opened.close();
      }
    } finally {
      await server.close();
      rmSync(root, { recursive: true, force: true });
    }
  });
});
