/**
 * The lab's playground (issue 15): how soon the default network learns the spirals past 95% training accuracy, in
 * epochs and seconds, in the page (Debian's Chromium, the worker on minima's js backend, frames and the decision grid
 * drawn as it trains) and in Node (the same trainer on the js backend, nothing drawn). `npm run bench -- --only playground`.
 */
import { fileURLToPath } from "node:url";
import { DATE, fmt, measured, median, table } from "./common.js";

interface NodeRow { seed: number; epochs: number; msPerEpoch: number }
interface PageRow { seed: number; epoch: number; seconds: number }

/** One child measurement (re-run when other processes kept the machine busy meanwhile, as every bench's). */
function child<T>(mode: string): T {
  const o = measured<T>(`playground ${mode}`, process.execPath, [fileURLToPath(new URL("./playground-child.js", import.meta.url)), mode], { ...process.env, MINIMA_BACKEND: "js" });
  if (!o.ok) throw new Error(`playground bench (${mode}) failed: ${o.why}`);
  return o.value;
}

export function run(): string {
  const node = child<NodeRow[]>("node"), page = child<PageRow[]>("page");
  const rows = node.map((n, i) => {
    const p = page[i]!;
    return [n.seed, n.epochs, fmt(n.msPerEpoch, 2), p.epoch, fmt(p.seconds, 2), fmt((1000 * p.seconds) / p.epoch, 2)];
  });
  return [
    `## The lab's playground: spirals past 95% — ${DATE}`,
    "",
    "`npm run bench -- --only playground` (bench/playground.bench.ts): the page's default settings (spirals, 300 training samples, noise 0.05, " +
      "MLP 2-16-16-2 relu, Adam lr 0.01, batch 16) for seeds 1–5. Node: the playground's trainer bundled by esbuild and run on the js backend, " +
      "scored after every epoch; the first epoch past 95% training accuracy. Page: the same trainer in the page's Web Worker in headless Chromium, " +
      "which scores and redraws the 64 × 64 decision grid after each ~30 ms slice of epochs; the epoch of the first frame past 95%, and the " +
      "seconds from pressing Train.",
    "",
    table(["seed", "Node: epochs to 95%", "Node: ms per epoch", "page: epoch at the first frame past 95%", "page: s from Train", "page: ms per epoch (frames included)"], rows),
    "",
    `Median: ${fmt(median(page.map((p) => p.seconds)), 2)} s in the page from Train to 95% on the spirals; ` +
      `${fmt(median(node.map((n) => n.msPerEpoch)), 2)} ms per epoch in Node against ${fmt(median(page.map((p) => (1000 * p.seconds) / p.epoch)), 2)} in the page.`,
  ].join("\n");
}
