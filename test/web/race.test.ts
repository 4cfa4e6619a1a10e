import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as mn from "../../src/index.node.js";
import type { RunningServer } from "../../src/serve/server.js";
import { openPage, serveFolder, type OpenedPage } from "./harness.js";

type Make = (params: mn.Tensor[]) => { zeroGrad(): void; step(): unknown };
interface Case {
  surface: mn.landscape.SurfaceName;
  start: [number, number];
  steps: number;
  /** Each racer's settings as the URL writes them, and the optimizer Node builds for the same settings. */
  racers: Record<string, { query: Record<string, number>; make: Make }>;
}

// Node 20's V8 and Chromium's differ in the last bit of `**`, Math.exp, Math.cos… (0.8 ** 13 is 0.05497558138880004 in
// Node 20, 0.054975581388800036 — the correctly rounded value — in Chromium 156): a path is the same bit for bit in both
// when its arithmetic is +, −, ×, ÷ and √ (IEEE 754 rounds those exactly). So these surfaces are polynomials; the bias
// corrections βᵗ are computed by repeated squaring (optim/whole-power.ts) and NAdam's 0.96^(tψ) from arithmetic alone
// (optim/fixed-exp.ts), so Adam and its kin match at any β.
const CASES: Case[] = [
  {
    surface: "valley", start: [-7.5, 1.25], steps: 120, racers: {
      sgd: { query: { lr: 0.9 }, make: (p) => new mn.optim.SGD(p, { lr: 0.9 }) },
      momentum: { query: { lr: 0.3, momentum: 0.8 }, make: (p) => new mn.optim.SGD(p, { lr: 0.3, momentum: 0.8 }) },
      nesterov: { query: { lr: 0.2, momentum: 0.85 }, make: (p) => new mn.optim.SGD(p, { lr: 0.2, momentum: 0.85, nesterov: true }) },
      rmsprop: { query: { lr: 0.05, alpha: 0.9, eps: 1e-6 }, make: (p) => new mn.optim.RMSprop(p, { lr: 0.05, alpha: 0.9, eps: 1e-6 }) },
      adam: { query: { lr: 0.2, beta1: 0.5, beta2: 0.5, eps: 1e-7 }, make: (p) => new mn.optim.Adam(p, { lr: 0.2, betas: [0.5, 0.5], eps: 1e-7 }) },
      adamw: { query: { lr: 0.05, beta1: 0.5, beta2: 0.5, eps: 1e-8, weightDecay: 0.1 }, make: (p) => new mn.optim.AdamW(p, { lr: 0.05, betas: [0.5, 0.5], eps: 1e-8, weightDecay: 0.1 }) },
      lion: { query: { lr: 0.05, beta1: 0.95, beta2: 0.98 }, make: (p) => new mn.optim.Lion(p, { lr: 0.05, betas: [0.95, 0.98] }) },
    },
  },
  {
    // Distill's hero figure: momentum at α 0.003, β 0.74 from (−1.21, 0.853), 150 steps.
    surface: "banana", start: [-1.21, 0.853], steps: 150, racers: {
      momentum: { query: { lr: 0.003, momentum: 0.74 }, make: (p) => new mn.optim.SGD(p, { lr: 0.003, momentum: 0.74 }) },
      adagrad: { query: { lr: 0.3, eps: 1e-10 }, make: (p) => new mn.optim.Adagrad(p, { lr: 0.3, eps: 1e-10 }) },
      adadelta: { query: { lr: 1, rho: 0.95, eps: 1e-6 }, make: (p) => new mn.optim.Adadelta(p, { lr: 1, rho: 0.95, eps: 1e-6 }) },
      adamax: { query: { lr: 0.02, beta1: 0.5, beta2: 0.995, eps: 1e-8 }, make: (p) => new mn.optim.Adamax(p, { lr: 0.02, betas: [0.5, 0.995], eps: 1e-8 }) },
      radam: { query: { lr: 0.002, beta1: 0.5, beta2: 0.5, eps: 1e-8 }, make: (p) => new mn.optim.RAdam(p, { lr: 0.002, betas: [0.5, 0.5], eps: 1e-8 }) },
    },
  },
  {
    // The bias-corrected optimizers at their usual β (0.9, 0.999).
    surface: "valley", start: [-8, 1], steps: 200, racers: {
      adam: { query: { lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8 }, make: (p) => new mn.optim.Adam(p, { lr: 0.1 }) },
      adamw: { query: { lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01 }, make: (p) => new mn.optim.AdamW(p, { lr: 0.1 }) },
      adamax: { query: { lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8 }, make: (p) => new mn.optim.Adamax(p, { lr: 0.1 }) },
      radam: { query: { lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8 }, make: (p) => new mn.optim.RAdam(p, { lr: 0.1 }) },
      nadam: { query: { lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8 }, make: (p) => new mn.optim.NAdam(p, { lr: 0.1 }) },
    },
  },
];

function caseHash(c: Case): string {
  const query = new URLSearchParams({ surface: c.surface, racers: Object.keys(c.racers).join(","), start: c.start.join(","), steps: String(c.steps) });
  for (const [name, r] of Object.entries(c.racers)) for (const [key, v] of Object.entries(r.query)) query.set(`${name}.${key}`, String(v));
  return `#/lab/race?${query}`;
}

/** The trajectory Node's wasm backend gives (the backend the page's worker has: the core's choice in a browser with WebAssembly SIMD). */
function nodeTrajectory(surface: mn.landscape.Surface, make: Make, steps: number, start: [number, number]): mn.landscape.Trajectory {
  const backend = mn.getBackend();
  mn.setBackend("wasm");
  try {
    return mn.landscape.trajectory(surface, make, { steps, start });
  } finally {
    mn.setBackend(backend);
  }
}

interface PagePath { name: string; x: string[]; y: string[]; f: string[] }
/** What the page keeps in (globalThis as unknown as PageRace).__race (web/lab/race/protocol.ts's RaceResult), as far as these tests read it. */
interface PageRace {
  __race?: { backend: string; settings: { start: number[] }; racers: { name: string; x: number[]; y: number[]; f: number[]; measuredRate: number | null }[] };
}

/** Every racer's trajectory the page drew, each number as JavaScript prints it (which reads back to the same double). */
async function pagePaths(opened: OpenedPage): Promise<PagePath[]> {
  await opened.page.waitForSelector('.race[data-ready="true"]', { timeout: 30_000 });
  return opened.page.evaluate(() => (globalThis as unknown as PageRace).__race!.racers.map((r) => ({ name: r.name, x: r.x.map(String), y: r.y.map(String), f: r.f.map(String) })));
}

async function tableEnds(opened: OpenedPage): Promise<Record<string, [string, string]>> {
  const rows = await opened.page.$$eval(".race-table tbody tr", (trs) => trs.map((tr) => [tr.getAttribute("data-racer"), tr.getAttribute("data-x"), tr.getAttribute("data-y")]));
  return Object.fromEntries(rows.map(([name, x, y]) => [name!, [x!, y!]]));
}

const startOf = (url: string) => new URLSearchParams(url.slice(url.indexOf("?") + 1)).get("start")!.split(",").map(Number) as [number, number];

describe("the lab's race page", () => {
  let root: string, server: RunningServer;
  before(async () => {
    root = mkdtempSync(join(tmpdir(), "minima-race-"));
    server = await serveFolder(root);
  });
  after(async () => {
    await server.close();
    rmSync(root, { recursive: true, force: true });
  });

  for (const c of CASES) {
    test(`${c.surface}: every trajectory in the page (${Object.keys(c.racers).join(", ")}) runs on wasm and equals Node's wasm backend's trajectory() bit for bit`, { timeout: 90_000 }, async () => {
      const opened = await openPage(server.url + caseHash(c));
      try {
        const paths = await pagePaths(opened);
        assert.equal(await opened.page.evaluate(() => (globalThis as unknown as PageRace).__race!.backend), "wasm");
        assert.deepEqual(paths.map((p) => p.name).sort(), Object.keys(c.racers).sort());
        const ends = await tableEnds(opened);
        const surface = mn.landscape.surfaces[c.surface];
        for (const path of paths) {
          const node = nodeTrajectory(surface, c.racers[path.name]!.make, c.steps, c.start);
          assert.equal(path.x.length, c.steps + 1, path.name);
          assert.deepEqual(path.x, node.x.map(String), `${path.name} x`);
          assert.deepEqual(path.y, node.y.map(String), `${path.name} y`);
          assert.deepEqual(path.f, node.f.map(String), `${path.name} f`);
          assert.deepEqual(ends[path.name], [String(node.x.at(-1)), String(node.y.at(-1))], `${path.name}: the table's end point`);
        }
        // The chart of f − f* against the step: one series per racer, on a canvas.
        assert.equal(await opened.page.$eval(".race-loss", (d) => [d.getAttribute("data-series"), d.querySelectorAll("canvas").length].join()), `${paths.length},1`);
        assert.deepEqual(opened.problems, []);
      } finally {
        await opened.close();
      }
    });
  }

  test("a click on the plot moves the start there (read against the valley's axes, x ±10 and y ±2.5) and the race reruns from it, as Node's", { timeout: 90_000 }, async () => {
    const opened = await openPage(`${server.url}#/lab/race?surface=valley&racers=sgd&sgd.lr=0.5&steps=50`);
    try {
      await pagePaths(opened);
      const area = await opened.page.$eval("rect.race-area", (r) => { const b = r.getBoundingClientRect(); return { x: b.x, y: b.y, w: b.width, h: b.height }; });
      // A quarter of the way across (x = −10 + 20/4 = −5) and three quarters down (y = 2.5 − 5·3/4 = −1.25).
      await opened.page.mouse.click(area.x + area.w / 4, area.y + (3 * area.h) / 4);
      await opened.page.waitForFunction(() => (globalThis as unknown as PageRace).__race?.settings.start[0] !== -8, { timeout: 30_000 });
      const paths = await pagePaths(opened);
      const start = startOf(opened.page.url());
      assert.ok(Math.abs(start[0] + 5) < 0.05 && Math.abs(start[1] + 1.25) < 0.02, `start ${start}`);
      const node = nodeTrajectory(mn.landscape.surfaces.valley, (p) => new mn.optim.SGD(p, { lr: 0.5 }), 50, start);
      assert.deepEqual([paths[0]!.x[0], paths[0]!.y[0]], [String(start[0]), String(start[1])]);
      assert.deepEqual(paths[0]!.x, node.x.map(String));
      assert.deepEqual(paths[0]!.y, node.y.map(String));
      assert.deepEqual(opened.problems, []);
    } finally {
      await opened.close();
    }
  });

  test("a value typed for one racer reruns it, the other keeps its path (the worker's cache), both as Node's; the URL carries the new value", { timeout: 90_000 }, async () => {
    const opened = await openPage(`${server.url}#/lab/race?surface=valley&racers=sgd,adam&sgd.lr=0.5&adam.lr=0.1&adam.beta1=0.5&adam.beta2=0.5&steps=80`);
    try {
      await pagePaths(opened);
      const field = (await opened.page.$('input[data-param="sgd.lr"]'))!;
      await field.click({ count: 3 });
      await field.type("0.7");
      await field.press("Enter");
      // sgd at lr 0.5 first stepped to x = −8 − 0.5·(−16/64) = −7.875.
      await opened.page.waitForFunction(() => (globalThis as unknown as PageRace).__race?.racers[0]?.x[1] !== -7.875, { timeout: 30_000 });
      const paths = await pagePaths(opened);
      const valley = mn.landscape.surfaces.valley;
      const sgd = nodeTrajectory(valley, (p) => new mn.optim.SGD(p, { lr: 0.7 }), 80, [-8, 1]);
      const adam = nodeTrajectory(valley, (p) => new mn.optim.Adam(p, { lr: 0.1, betas: [0.5, 0.5] }), 80, [-8, 1]);
      assert.deepEqual([paths[0]!.x, paths[0]!.y], [sgd.x.map(String), sgd.y.map(String)]);
      assert.deepEqual([paths[1]!.x, paths[1]!.y], [adam.x.map(String), adam.y.map(String)]);
      assert.match(opened.page.url(), /[?&]sgd\.lr=0\.7(&|$)/);
      assert.deepEqual(opened.problems, []);
    } finally {
      await opened.close();
    }
  });

  test("the valley's theory (κ = 64): heavy ball's α* = (2/(√2 + √(1/32)))², β* = (7/9)² set by its button, and the measured rate near (√κ − 1)/(√κ + 1) = 7/9", { timeout: 90_000 }, async () => {
    const opened = await openPage(`${server.url}#/lab/race?surface=valley&racers=sgd&steps=300`);
    try {
      await pagePaths(opened);
      // The chart below draws after the table: wait for it, so the button does not move under the click.
      await opened.page.waitForSelector(".race-loss canvas");
      const [button] = await opened.page.$$("xpath/.//button[contains(., 'momentum at α*, β*')]");
      await button!.click();
      await opened.page.waitForFunction(() => (globalThis as unknown as PageRace).__race?.racers.some((r) => r.name === "momentum"), { timeout: 30_000 });
      await pagePaths(opened);
      const query = new URLSearchParams(opened.page.url().slice(opened.page.url().indexOf("?") + 1));
      assert.ok(Math.abs(Number(query.get("momentum.lr")) - (2 / (Math.sqrt(2) + Math.sqrt(1 / 32))) ** 2) < 1e-12, `${query}`);
      assert.ok(Math.abs(Number(query.get("momentum.momentum")) - (7 / 9) ** 2) < 1e-12, `${query}`);
      const rate = await opened.page.evaluate(() => (globalThis as unknown as PageRace).__race!.racers.find((r) => r.name === "momentum")!.measuredRate!);
      // At β* both roots of heavy ball's iteration coincide, so the distance shrinks as k·(7/9)^k: a little slower than 7/9 over 150 steps.
      assert.ok(rate > 7 / 9 && rate < 7 / 9 + 0.02, `measured ${rate}`);
      assert.deepEqual(opened.problems, []);
    } finally {
      await opened.close();
    }
  });

  test("bad settings say what is wrong: in the URL (each named, with what was expected) and typed into a field", { timeout: 90_000 }, async () => {
    const opened = await openPage(`${server.url}#/lab/race?surface=valey&adam.lr=-1&lion.lr=0.1&steps=0`);
    try {
      await pagePaths(opened);
      const shown = await opened.page.$$eval(".race-url-problem", (ps) => ps.map((p) => p.textContent));
      assert.deepEqual(shown, [
        'race settings in the URL: unknown surface "valey"; expected one of valley, saddle, monkeySaddle, rosenbrock, banana, beale, himmelblau, rastrigin, plateau, cliff; did you mean "valley"?',
        'race settings in the URL: steps is "0"; expected an integer from 1 to 5000',
        'race settings in the URL: adam.lr is "-1"; expected a number ≥ 0',
        "race settings in the URL: lion.lr=0.1 does nothing: lion is not in racers; expected lion added to racers, or lion.lr left out",
      ]);
      const field = (await opened.page.$('input[data-param="sgd.lr"]'))!;
      await field.click({ count: 3 });
      await field.type("abc");
      await field.press("Enter");
      await opened.page.waitForSelector(".race-problem");
      assert.equal(await opened.page.$eval(".race-problem", (p) => p.textContent), 'race: sgd lr is "abc"; expected a number ≥ 0');
      assert.deepEqual(opened.problems, []);
    } finally {
      await opened.close();
    }
  });
});
