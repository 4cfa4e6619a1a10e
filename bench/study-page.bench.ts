/**
 * The study page's first paint on large studies (issue 15): `node dist/bench/study-page.bench.js [trials…]`
 * (default 1000 and 10000) writes a synthetic study's journal.log (test/helpers/synthetic-study.ts), serves
 * it with minima serve in this process and opens #/study/<folder> in headless Chromium, five times each.
 * Measured: the server's first answer (the journal replayed from its start) and a warm one (only new lines
 * read), the JSON's size, and in the page the time from navigation to the first paint of the trials
 * table (50 rows) and both canvas charts, and to the report's SVG views (noted by a frame callback in
 * the page, loads 2 to 6 of one tab: the server and the browser's cache warm). Prints Markdown.
 */
import { mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeSyntheticStudy } from "../test/helpers/synthetic-study.js";
import { openPage, serveFolder } from "../test/web/harness.js";
import { fmt, median, table } from "./common.js";

const LOADS = 5;
/**
 * Installed in the page before its scripts: a frame callback that notes the time of the first frame in which
 * the table and both canvas charts are there (a frame's callbacks run just before it is painted), then the
 * same for the report's SVG views.
 */
const WATCH = `(() => {
  const firstPaint = () => document.querySelectorAll(".trials-table tbody tr").length === 50 && document.querySelector("[data-chart=history] canvas") && document.querySelector("[data-chart=intermediate] canvas");
  const figures = () => document.querySelector("[data-figure=coverage] svg");
  const tick = () => {
    if (window.__paint === undefined && firstPaint()) window.__paint = performance.now();
    if (window.__figures === undefined && figures()) window.__figures = performance.now();
    if (window.__figures === undefined) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})()`;

async function measure(trials: number): Promise<(string | number)[]> {
  const root = mkdtempSync(join(tmpdir(), "minima-bench-study-"));
  try {
    mkdirSync(join(root, "s"));
    writeSyntheticStudy(join(root, "s"), trials);
    const server = await serveFolder(root);
    try {
      const api = async () => { const s = performance.now(); const body = await (await fetch(`${server.url}api/study/s`)).text(); return [performance.now() - s, body.length] as const; };
      const [cold, bytes] = await api();
      const warm = median(await sequential(LOADS, async () => (await api())[0]));
      const paints: number[] = [], figures: number[] = [];
      const opened = await openPage(`${server.url}#/study/s`, { width: 1400, height: 1000 });
      try {
        await opened.page.evaluateOnNewDocument(WATCH);
        for (let i = 0; i < LOADS; i++) {
          await opened.page.reload({ waitUntil: "load" });
          const [paint, drawn] = await (await opened.page.waitForFunction("window.__figures !== undefined && [window.__paint, window.__figures]", { timeout: 120_000 })).jsonValue() as [number, number];
          paints.push(paint);
          figures.push(drawn);
        }
        if (opened.problems.length > 0) throw new Error(`the page had problems: ${opened.problems.join("; ")}`);
      } finally {
        await opened.close();
      }
      return [trials, fmt(statSync(join(root, "s", "journal.log")).size / 1e6), fmt(bytes / 1e6), fmt(cold, 0), fmt(warm, 0), fmt(median(paints), 0), fmt(median(figures), 0)];
    } finally {
      await server.close();
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

async function sequential(n: number, fn: () => Promise<number>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(await fn());
  return out;
}

const sizes = process.argv.slice(2).map(Number);
const rows: (string | number)[][] = [];
for (const trials of sizes.length > 0 ? sizes : [1000, 10_000]) {
  process.stderr.write(`${trials} trials…\n`);
  rows.push(await measure(trials));
}
console.log(table(["trials", "journal.log MB", "/api/study JSON MB", "API first answer ms (replay)", "API warm ms", "first paint ms (table + canvas charts)", "SVG views drawn ms"], rows));
console.log(`\nMedians of ${LOADS} page loads in headless Chromium (Debian's, ${new Date().toISOString().slice(0, 10)}); times from navigation start (performance.now() in the page).`);
