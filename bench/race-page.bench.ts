/**
 * The lab's race (issue 15): how long `minima serve`'s race page takes to draw, and to redraw after a slider moves
 * (the worker reruns every racer with minima's optimizers, js backend, and the page redraws the paths over the
 * contours). Debian's Chromium, headless, driven by puppeteer-core. Standalone: `node dist/bench/race-page.bench.js`
 * prints the Markdown for BENCHMARKS.md.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import puppeteer from "puppeteer-core";
import { startServer } from "../src/serve/server.js";
import { CHROMIUM, CHROMIUM_ARGS } from "../test/web/harness.js";
import { DATE, fmt, median, table } from "./common.js";

const ALL = "sgd,momentum,nesterov,adagrad,adadelta,rmsprop,adam,adamw,adamax,nadam,radam,lion";
const SETUPS = [
  { name: "3 optimizers (sgd, momentum, adam) × 200 steps, valley", hash: "#/lab/race?surface=valley&racers=sgd,momentum,adam&steps=200" },
  { name: "all 12 optimizers × 200 steps, valley", hash: `#/lab/race?surface=valley&racers=${ALL}&steps=200` },
  { name: "all 12 optimizers × 1000 steps, Rosenbrock", hash: `#/lab/race?surface=rosenbrock&racers=${ALL}&steps=1000` },
];
const MOVES = 30;

// Runs in the page: moves sgd's lr slider one notch at a time and times each move until the new race is drawn
// (window.__race replaced, the page ready, then two animation frames: the paint). Also collects the worker's own ms.
const MOVE_SCRIPT = (moves: number) => `(async () => {
  const slider = document.querySelector('input[aria-label="sgd lr"]');
  const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
  const out = [];
  for (let i = 0; i < ${moves}; i++) {
    const before = window.__race;
    const t0 = performance.now();
    slider.value = String(Number(slider.value) + (i % 2 === 0 ? 1 : -1));
    slider.dispatchEvent(new Event("input", { bubbles: true }));
    while (!(window.__race !== before && document.querySelector('.race[data-ready="true"]'))) await new Promise((r) => setTimeout(r, 0));
    await frame(); await frame();
    out.push([performance.now() - t0, window.__race.ms]);
  }
  return out;
})()`;

export async function run(): Promise<string> {
  const root = mkdtempSync(join(tmpdir(), "minima-race-bench-"));
  const server = await startServer({ root, port: 0 });
  const browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  const rows: string[][] = [];
  try {
    for (const setup of SETUPS) {
      const firsts: number[] = [];
      let moves: [number, number][] = [];
      for (let load = 0; load < 3; load++) {
        const page = await browser.newPage();
        await page.setViewport({ width: 1280, height: 900 });
        const t0 = performance.now();
        await page.goto(server.url + setup.hash);
        await page.waitForSelector('.race[data-ready="true"]', { timeout: 120_000 });
        firsts.push(performance.now() - t0);
        if (load === 2) moves = (await page.evaluate(MOVE_SCRIPT(MOVES))) as [number, number][];
        await page.close();
      }
      const redraw = moves.map((m) => m[0]).sort((a, b) => a - b), worker = moves.map((m) => m[1]);
      rows.push([setup.name, `${fmt(median(firsts), 0)} ms`, `${fmt(median(redraw), 0)} ms`, `${fmt(redraw[Math.ceil(0.95 * redraw.length) - 1]!, 0)} ms`, `${fmt(median(worker), 0)} ms`]);
      process.stderr.write(`${setup.name}: done\n`);
    }
  } finally {
    await browser.close();
    await server.close();
    rmSync(root, { recursive: true, force: true });
  }
  return [
    `## The lab's race page — ${DATE}`,
    "",
    `\`node dist/bench/race-page.bench.js\`: Debian's Chromium (headless), the page served by \`minima serve\` in the same process. First draw: from navigation to the ` +
      `first race shown (contours and paths; median of 3 loads). Redraw: from a move of sgd's lr slider to the new race painted (${MOVES} moves; median, p95); ` +
      "worker: the part of it the worker spends running the optimizers (mn.landscape.trajectory, js backend; only the racer whose slider moved runs again). " +
      "A 2-core machine shared with other jobs (load average about 20 when measured): the times include waiting for a core.",
    "",
    table(["race", "first draw", "redraw (median)", "redraw (p95)", "worker (median)"], rows),
  ].join("\n");
}

if (import.meta.url === pathToFileURL(process.argv[1]!).href) console.log(await run());
