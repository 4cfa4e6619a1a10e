import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { encodeRecord, runLogHeader, type RunRecord } from "../../src/io/run-log.js";
import { openPage, serveFolder } from "./harness.js";

const MAIN = fileURLToPath(new URL("../../src/cli/main.js", import.meta.url));

/** A real run: `minima train` on 512 MNIST samples for one epoch, into root/<out>. */
function train(root: string, out: string, ...flags: string[]): void {
  const r = spawnSync(process.execPath, [MAIN, "train", "--epochs", "1", "--train-size", "512", "--out", join(root, out), ...flags], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
}

/** The records of a run log's text, by kind. */
function records(root: string, run: string): RunRecord[] {
  return readFileSync(join(root, run, "metrics.jsonl"), "utf8").split("\n").filter((l) => l !== "").map((l) => JSON.parse(l) as RunRecord);
}

const step = (s: number): RunRecord => ({ kind: "step", step: s, epoch: 1, loss: 2 / s, lr: 0.1, gradNorm: 1 });

describe("minima serve: the runs pages", () => {
  test("clicking a run in the list shows its charts (as many points as the run log has steps), its diagnosis and config; ticking a second run puts it on the same charts and in the URL", { timeout: 120_000 }, async () => {
    const root = mkdtempSync(join(tmpdir(), "minima-serve-runs-"));
    train(root, "runs/a");
    train(root, "runs/b", "--lr", "0.01");
    const logged = records(root, "runs/a"), steps = logged.filter((r) => r.kind === "step").length;
    const end = logged.find((r) => r.kind === "end");
    assert.ok(steps > 0 && end?.kind === "end" && end.diagnosis !== null);
    const server = await serveFolder(root);
    try {
      const opened = await openPage(server.url);
      const { page } = opened;
      try {
        await page.waitForSelector('tr[data-run="runs/a"] a');
        const rows = await page.$$eval("table.runs tbody tr", (trs) => trs.map((tr) => [tr.getAttribute("data-run"), tr.querySelector(".status")!.textContent]));
        assert.deepEqual(rows.sort(), [["runs/a", "finished"], ["runs/b", "finished"]]);
        await page.type('input[name="filter"]', "s/b");
        await page.waitForFunction('document.querySelectorAll("table.runs tbody tr").length === 1');
        assert.deepEqual(await page.$$eval("table.runs tbody tr", (trs) => trs.map((tr) => tr.getAttribute("data-run"))), ["runs/b"]);
        assert.equal(new URL(page.url()).hash, "#/runs?filter=s%2Fb");
        for (let i = 0; i < 3; i++) await page.keyboard.press("Backspace");
        await page.waitForSelector('tr[data-run="runs/a"] a');
        await page.click('tr[data-run="runs/a"] a');
        // Default smoothing: the raw loss and its smoothed curve, each one point a step.
        await page.waitForSelector(`[data-chart="step-loss"][data-source-points="${2 * steps}"]`, { timeout: 10_000 });
        assert.equal(new URL(page.url()).hash, "#/run/runs/a");
        const charts = await page.$$eval("[data-chart]", (cs) => cs.map((c) => c.getAttribute("data-chart")));
        assert.deepEqual(charts, ["step-loss", "epoch-loss", "accuracy", "lr", "grad-norm", "update-ratio"]);
        assert.ok(await page.$$eval('[data-chart="step-loss"] canvas', (cs) => cs.length > 0), "uPlot drew on a canvas");
        assert.equal(await page.$eval(".diagnosis p", (p) => p.textContent), end.diagnosis!.summary);
        const config = JSON.parse(readFileSync(join(root, "runs/a/config.json"), "utf8")) as Record<string, unknown>;
        await page.waitForSelector("table.config");
        assert.equal(await page.$eval("table.config", (t) => t.querySelectorAll("tr").length), Object.keys(config).length);

        await page.click("details.compare summary");
        await page.click('details.compare input[type="checkbox"]');
        await page.waitForSelector(`[data-chart="step-loss"][data-source-points="${4 * steps}"]`, { timeout: 10_000 });
        assert.equal(new URL(page.url()).hash, "#/run/runs/a?compare=runs%2Fb");
        const legend = await page.$$eval('[data-chart="step-loss"] .u-legend .u-label', (ls) => ls.map((l) => l.textContent));
        assert.deepEqual(legend, ["optimizer step", "a loss", "a smoothed (w=0.6)", "b loss", "b smoothed (w=0.6)"]);

        await page.$eval('input[name="smooth"]', (input) => {
          const slider = input as unknown as { value: string; dispatchEvent(e: unknown): boolean };
          slider.value = "0.9";
          slider.dispatchEvent(new (globalThis as unknown as { Event: new (type: string, init: object) => unknown }).Event("input", { bubbles: true }));
        });
        await page.waitForFunction(() => (globalThis as unknown as { location: { hash: string } }).location.hash.includes("smooth=0.9"), { timeout: 5_000 });
        assert.equal(new URL(page.url()).hash, "#/run/runs/a?smooth=0.9&compare=runs%2Fb");
        const relabelled = await page.$$eval('[data-chart="step-loss"] .u-legend .u-label', (ls) => ls.map((l) => l.textContent));
        assert.deepEqual(relabelled, ["optimizer step", "a loss", "a smoothed (w=0.9)", "b loss", "b smoothed (w=0.9)"]);
        assert.deepEqual(opened.problems, []);
      } finally {
        await opened.close();
      }
    } finally {
      await server.close();
      rmSync(root, { recursive: true, force: true });
    }
  });

  test("a step appended to a running run's metrics.jsonl reaches its chart within a second; settings come from the URL and a bad one is named", { timeout: 60_000 }, async (t) => {
    const root = mkdtempSync(join(tmpdir(), "minima-serve-live-"));
    const file = join(root, "live", "metrics.jsonl");
    mkdirSync(join(root, "live"));
    writeFileSync(file, [runLogHeader(), step(1), step(2), step(3)].map((r) => encodeRecord(r) + "\n").join(""));
    const server = await serveFolder(root);
    try {
      const opened = await openPage(`${server.url}#/run/live?smooth=0&logy=1&logx=yes&compare=ghost`);
      const { page } = opened;
      try {
        const points = () => page.$eval('[data-chart="step-loss"]', (c) => Number(c.getAttribute("data-source-points")));
        await page.waitForSelector('[data-chart="step-loss"][data-source-points="3"]', { timeout: 10_000 });
        assert.equal(await page.$eval(".run-page .status", (s) => s.textContent), "live");
        assert.deepEqual(await page.$$eval(".run-page p.error", (ps) => ps.map((p) => p.textContent)), ["logx=yes in the URL is not 0 or 1: using 0", 'No run "ghost" to compare with under the served folder.']);
        assert.equal(await page.$eval('input[name="logy"]', (i) => (i as unknown as { checked: boolean }).checked), true);
        for (const s of [4, 5]) {
          const started = Date.now();
          appendFileSync(file, encodeRecord(step(s)) + "\n");
          await page.waitForSelector(`[data-chart="step-loss"][data-source-points="${s}"]`, { timeout: 5_000 });
          const ms = Date.now() - started;
          t.diagnostic(`step ${s} reached the chart ${ms} ms after it was appended`);
          assert.ok(ms < 1000, `step ${s} reached the chart after ${ms} ms`);
        }
        assert.equal(await points(), 5);
        assert.equal(await page.$eval(".diagnosis p", (p) => p.textContent), "None yet: the diagnosis comes with the run's end record (a run still going, or killed, has none).");

        await page.evaluate('location.hash = "#/run/nope"');
        await page.waitForSelector("main p.error");
        assert.equal(await page.$eval("main p.error", (p) => p.textContent), 'No run "nope" under the served folder (a run folder holds a metrics.jsonl). All runs');
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
