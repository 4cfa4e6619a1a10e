import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "puppeteer-core";
import { openPage, serveFolder } from "./harness.js";

interface Shown { beta: number; raw: number[]; corrected: number[]; uncorrected: number[]; hash: string }

/** The numbers behind the page's curves once it shows β = `beta` (page-side code as a string: the tests compile without the DOM's types). */
async function shown(page: Page, beta: number): Promise<Shown> {
  await page.waitForFunction(`(() => { const f = document.querySelector("figure.ewma-curves"); return f !== null && f.getAttribute("data-beta") === ${JSON.stringify(String(beta))}; })()`, { timeout: 20_000 });
  return page.evaluate(`(() => { const f = document.querySelector("figure.ewma-curves"); const get = (k) => JSON.parse(f.getAttribute("data-" + k));
    return { beta: Number(f.getAttribute("data-beta")), raw: get("raw"), corrected: get("corrected"), uncorrected: get("uncorrected"), hash: location.hash }; })()`) as Promise<Shown>;
}

/**
 * The closed form of the EWMA (note 001, p. 8): vₜ = Σₖ (1−β)·βᵏ·θₜ₋ₖ over k = 0 … t−1 (v₀ = 0), and the
 * bias-corrected v̂ₜ = vₜ / (1 − βᵗ) — a sum, not the recursion the library runs.
 */
function closedForm(theta: readonly number[], beta: number): { v: number[]; vHat: number[] } {
  const v = theta.map((_, i) => { let sum = 0; for (let k = 0; k <= i; k++) sum += (1 - beta) * beta ** k * theta[i - k]!; return sum; });
  return { v, vHat: v.map((x, i) => x / (1 - beta ** (i + 1))) };
}

function assertClose(actual: readonly number[], expected: readonly number[], what: string): void {
  assert.equal(actual.length, expected.length, what);
  const worst = Math.max(...actual.map((a, i) => Math.abs(a - expected[i]!) / Math.max(1, Math.abs(expected[i]!))));
  assert.ok(worst < 1e-12, `${what}: off the closed form by ${worst} (relative)`);
}

describe("the lab's EWMA explorer", () => {
  test("draws a year of seeded temperatures with the EWMA of note 001, with and without bias correction, equal to the closed-form sums; the β box redraws and goes in the URL", { timeout: 90_000 }, async () => {
    const root = mkdtempSync(join(tmpdir(), "minima-lab-ewma-"));
    const server = await serveFolder(root);
    try {
      const opened = await openPage(`${server.url}#/lab/ewma`);
      try {
        const first = await shown(opened.page, 0.9);
        assert.equal(first.raw.length, 365);
        const ref = closedForm(first.raw, 0.9);
        assertClose(first.uncorrected, ref.v, "uncorrected, β 0.9");
        assertClose(first.corrected, ref.vHat, "bias-corrected, β 0.9");
        assert.ok(Math.abs(first.uncorrected[0]! - 0.1 * first.raw[0]!) < 1e-12 && first.corrected[0] === first.raw[0], "day 1: v₁ = (1−β)·θ₁ and v̂₁ = θ₁");
        assert.equal(await opened.page.$$eval(".svg-figure svg", (svgs) => svgs.length), 3, "the year, its first days and the weights");

        await opened.page.evaluate(`(() => { const el = document.querySelector('input[name="beta"]'); el.value = "0.98"; el.dispatchEvent(new Event("change", { bubbles: true })); })()`);
        const slower = await shown(opened.page, 0.98);
        assert.deepEqual(slower.raw, first.raw, "the same year");
        const ref98 = closedForm(slower.raw, 0.98);
        assertClose(slower.uncorrected, ref98.v, "uncorrected, β 0.98");
        assertClose(slower.corrected, ref98.vHat, "bias-corrected, β 0.98");
        assert.match(slower.hash, /[?&]beta=0\.98(&|$)/);

        // A β the library refuses shows its own message.
        await opened.page.evaluate(`location.hash = "#/lab/ewma?beta=1"`);
        await opened.page.waitForSelector("p.error");
        assert.equal(await opened.page.$eval("p.error", (p) => p.textContent), "ewmaSeries: invalid beta; expected a number in [0, 1), got 1");
        await opened.page.evaluate(`location.hash = "#/lab/ewma?seed=-2"`);
        await opened.page.waitForFunction(`document.querySelector("p.error") && document.querySelector("p.error").textContent.includes("seed")`);
        assert.equal(await opened.page.$eval("p.error", (p) => p.textContent), "EWMA: invalid seed; expected a non-negative integer, got -2");
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
