/**
 * minima serve's run page on long runs (issue 15, part 3): a metrics.jsonl of N steps (with per-layer records every
 * 50 steps and an epoch record every 1,000), served by `minima serve` in this process and opened in headless
 * Chromium. Measured: the time from opening the page until the loss chart holds every step (read over the SSE
 * tail, parsed, smoothed on the full series, downsampled to the chart's pixel columns and drawn), the points
 * uPlot draws, the page's JS heap, and the time from appending one step to the file until the chart shows it
 * (median of 5). Run: `npm run build && node dist/bench/runs-page.bench.js` (prints Markdown for BENCHMARKS.md).
 */
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encodeRecord, runLogHeader, type RunRecord } from "../src/io/run-log.js";
import { openPage, serveFolder } from "../test/web/harness.js";
import { DATE, fmt, median, table } from "./common.js";

const SIZES = [10_000, 100_000, 300_000];
const LAYERS = ["0.weight", "0.bias", "2.weight", "2.bias"];

const step = (s: number): RunRecord => ({ kind: "step", step: s, epoch: Math.ceil(s / 1000), loss: 2 / Math.sqrt(s) + ((s * 7919) % 101) / 500, lr: 0.1, gradNorm: 1 + (s % 17) / 10 });

function writeRun(file: string, n: number): void {
  const lines = [encodeRecord(runLogHeader())];
  for (let s = 1; s <= n; s++) {
    if (s % 50 === 0) for (const name of LAYERS) lines.push(encodeRecord({ kind: "layer", step: s, epoch: Math.ceil(s / 1000), name, weightNorm: 3, gradNorm: 1, updateNorm: 0.003, ratio: 0.001 }));
    lines.push(encodeRecord(step(s)));
    if (s % 1000 === 0) lines.push(encodeRecord({ kind: "epoch", epoch: s / 1000, loss: 2 / Math.sqrt(s), accuracy: 0.9, valLoss: null, valAccuracy: null, testLoss: null, testAccuracy: null, lr: 0.1, steps: s, seconds: 1 }));
  }
  writeFileSync(file, lines.join("\n") + "\n");
}

export async function run(): Promise<string> {
  const rows: (string | number)[][] = [];
  for (const n of SIZES) {
    const root = mkdtempSync(join(tmpdir(), "minima-bench-runs-page-"));
    const file = join(root, "big", "metrics.jsonl");
    mkdirSync(join(root, "big"));
    writeRun(file, n);
    const server = await serveFolder(root);
    try {
      const opened = await openPage(`${server.url}#/lab/none`);
      try {
        const { page } = opened;
        // Timed from the hash change that opens the run page, the browser and the shell already loaded.
        const started = performance.now();
        await page.evaluate('location.hash = "#/run/big?smooth=0.9"');
        await page.waitForSelector(`[data-chart="step-loss"][data-source-points="${2 * n}"]`, { timeout: 600_000 });
        const firstPaint = (performance.now() - started) / 1000;
        const drawn = await page.$eval('[data-chart="step-loss"]', (c) => Number(c.getAttribute("data-points")));
        const heap = (await page.metrics()).JSHeapUsedSize ?? NaN;
        const latencies: number[] = [];
        for (let s = n + 1; s <= n + 5; s++) {
          const t = performance.now();
          appendFileSync(file, encodeRecord(step(s)) + "\n");
          await page.waitForSelector(`[data-chart="step-loss"][data-source-points="${2 * s}"]`, { timeout: 60_000 });
          latencies.push(performance.now() - t);
        }
        if (opened.problems.length > 0) throw new Error(`the page had problems: ${opened.problems.join("; ")}`);
        rows.push([n.toLocaleString("en"), `${fmt(statSync(file).size / 2 ** 20)} MiB`, `${fmt(firstPaint)} s`, drawn.toLocaleString("en"), `${fmt(heap / 2 ** 20, 0)} MiB`, `${fmt(median(latencies), 0)} ms`]);
        process.stderr.write(`runs-page: ${n} steps done\n`);
      } finally {
        await opened.close();
      }
    } finally {
      await server.close();
      rmSync(root, { recursive: true, force: true });
    }
  }
  return [
    `## minima serve: the run page on long runs — ${DATE}`,
    "",
    "A run log of N steps (plus 4 per-layer records every 50 steps and an epoch record every 1,000) opened in headless Chromium at `#/run/big?smooth=0.9`; " +
    "first paint = from the hash change that opens the run page (the shell already loaded) until the loss chart holds every step, each read over the SSE tail, parsed by RunLogReader, smoothed on the full series and " +
    "downsampled per pixel column; drawn = the points uPlot draws for the raw and smoothed loss; live = one step appended to the file until the chart shows it (median of 5).",
    "",
    table(["steps", "metrics.jsonl", "first paint", "points drawn", "page JS heap", "live step → chart"], rows),
  ].join("\n");
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await run());
