import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "puppeteer-core";
import * as mn from "../../src/index.node.js";
import type { RunningServer } from "../../src/serve/server.js";
import { openPage, serveFolder, type OpenedPage } from "./harness.js";

const S = mn.optim.lrScheduler;
type Scheduler = InstanceType<typeof S.LRScheduler>;
type Group = { paramGroups: { lr: number }[] };

/** Node's reference: the scheduler built here, on a one-group optimizer with lr `lr`, read with lrAt(0 … steps − 1). */
function nodeCurve(lr: number, steps: number, build: (opt: Group) => Scheduler): number[] {
  const sched = build({ paramGroups: [{ lr }] });
  return Array.from({ length: steps }, (_, t) => sched.lrAt(t)[0]!);
}

/**
 * Node 20's V8 (11.3) and Chromium's (156) compute Math.cos and ** with different libms, which differ in the last
 * bit now and then (0.99 ** 100 is 0.36603234127322914 in Node, 0.3660323412732292 in Chromium): a schedule built on
 * them (cosine, exponential, step, polynomial) matches Node's to within that, 1e-15 of the base lr; one built from
 * + − × ÷ and √ alone matches bit for bit.
 */
function assertCloseToNode(actual: number[] | null, expected: number[], lr: number): void {
  assert.ok(actual !== null && actual.length === expected.length, `the page drew ${actual?.length} steps, Node ${expected.length}`);
  const worst = Math.max(...actual.map((a, t) => Math.abs(a - expected[t]!)));
  assert.ok(worst <= 1e-15 * lr, `the page's lr differs from Node's by up to ${worst}, more than 1e-15 × lr`);
}

/** Sets the page's URL query and waits until the curve (or the error) the page shows is the one for that URL. */
async function show(page: Page, query: string): Promise<{ lrs: number[] | null; error: string | null; hash: string }> {
  await page.evaluate(`location.hash = ${JSON.stringify(`#/lab/schedules?${query}`)}`);
  return settled(page);
}

async function settled(page: Page): Promise<{ lrs: number[] | null; error: string | null; hash: string }> {
  // Page-side code as strings: the tests compile without the DOM's types.
  await page.waitForFunction(`(() => {
    const el = document.querySelector("[data-query]");
    return el !== null && el.getAttribute("data-query") === location.hash.split("?")[1] && el.getAttribute("data-busy") !== "true";
  })()`, { timeout: 20_000 });
  return page.evaluate(`(() => {
    const figure = document.querySelector("figure.lr-curve"), error = document.querySelector("p.error");
    return { lrs: figure ? JSON.parse(figure.getAttribute("data-lrs")) : null, error: error ? error.textContent : null, hash: location.hash };
  })()`) as Promise<{ lrs: number[] | null; error: string | null; hash: string }>;
}

describe("the lab's schedule explorer", () => {
  let root: string, server: RunningServer, opened: OpenedPage;
  before(async () => {
    root = mkdtempSync(join(tmpdir(), "minima-lab-schedules-"));
    server = await serveFolder(root);
    opened = await openPage(`${server.url}#/lab/schedules`);
  });
  after(async () => {
    try {
      await opened?.close();
    } finally {
      await server?.close();
      rmSync(root, { recursive: true, force: true });
    }
  });

  test("opens on warmup + cosine, and its curve equals Node's SequentialLR(LinearLR, CosineAnnealingLR).lrAt to 1e-15 of the lr (Math.cos differs by an ulp)", { timeout: 60_000 }, async () => {
    const { lrs, error } = await settled(opened.page);
    assert.equal(error, null);
    const expected = nodeCurve(0.1, 1000, (opt) => new S.SequentialLR(opt, {
      schedulers: [new S.LinearLR(opt, { startFactor: 0.01, endFactor: 1, totalIters: 100 }), new S.CosineAnnealingLR(opt, { tMax: 900, etaMin: 0 })], milestones: [100],
    }));
    assertCloseToNode(lrs, expected, 0.1);
    assert.deepEqual(lrs!.slice(0, 100), expected.slice(0, 100), "the warmup's 100 steps, pure arithmetic, bit for bit");
    assert.ok(await opened.page.$("figure.lr-curve svg path"), "the curve is drawn");
    assert.deepEqual(opened.problems, []);
  });

  /** Schedules of + − × ÷ and √ alone: bit for bit. */
  const exact: [title: string, query: string, lr: number, steps: number, build: (opt: Group) => Scheduler][] = [
    ["OneCycleLR (three phases, linear)", "lr=0.1&steps=500&p0=OneCycleLR&p0.maxLr=0.3&p0.totalSteps=500&p0.threePhase=true&p0.annealStrategy=linear", 0.1, 500,
      (opt) => new S.OneCycleLR(opt, { maxLr: 0.3, totalSteps: 500, threePhase: true, annealStrategy: "linear" })],
    ["CyclicLR (triangular2, uneven halves)", "lr=0.01&steps=600&p0=CyclicLR&p0.baseLr=0.001&p0.maxLr=0.05&p0.stepSizeUp=50&p0.stepSizeDown=70&p0.mode=triangular2", 0.01, 600,
      (opt) => new S.CyclicLR(opt, { baseLr: 0.001, maxLr: 0.05, stepSizeUp: 50, stepSizeDown: 70, mode: "triangular2" })],
    ["InverseSqrtLR", "lr=0.003&steps=400&p0=InverseSqrtLR&p0.warmupSteps=40&p0.warmupInitLr=0.0001", 0.003, 400,
      (opt) => new S.InverseSqrtLR(opt, { warmupSteps: 40, warmupInitLr: 0.0001 })],
    ["ChainedScheduler(ConstantLR, MultiplicativeLR)", "lr=0.1&steps=300&compose=chained&p0=ConstantLR&p0.factor=0.1&p0.totalIters=50&p1=MultiplicativeLR&p1.factor=0.99", 0.1, 300,
      (opt) => new S.ChainedScheduler([new S.ConstantLR(opt, { factor: 0.1, totalIters: 50 }), new S.MultiplicativeLR(opt, { lrLambda: () => 0.99 })])],
    ["SequentialLR of three (LinearLR, InverseTimeLR staircase, CyclicLR)", "lr=0.5&steps=900&compose=sequential&m=100%2C500&p0=LinearLR&p0.startFactor=0.1&p0.totalIters=100&p1=InverseTimeLR&p1.decaySteps=40&p1.decayRate=0.5&p1.staircase=true&p2=CyclicLR&p2.baseLr=0.01&p2.maxLr=0.2&p2.stepSizeUp=30", 0.5, 900,
      (opt) => new S.SequentialLR(opt, {
        schedulers: [new S.LinearLR(opt, { startFactor: 0.1, totalIters: 100 }), new S.InverseTimeLR(opt, { decaySteps: 40, decayRate: 0.5, staircase: true }), new S.CyclicLR(opt, { baseLr: 0.01, maxLr: 0.2, stepSizeUp: 30 })],
        milestones: [100, 500],
      })],
    ["LambdaLR with λ(t) = 1/(1 + k·t)", "lr=0.1&steps=200&p0=LambdaLR&p0.k=0.05", 0.1, 200, (opt) => new S.LambdaLR(opt, { lrLambda: (t) => 1 / (1 + 0.05 * t) })],
    ["SWALR (linear)", "lr=0.1&steps=200&p0=SWALR&p0.swaLr=0.01&p0.annealEpochs=60&p0.annealStrategy=linear", 0.1, 200, (opt) => new S.SWALR(opt, { swaLr: 0.01, annealEpochs: 60, annealStrategy: "linear" })],
  ];
  for (const [title, query, lr, steps, build] of exact) {
    test(`${title}: the page's curve equals Node's lrAt bit for bit`, { timeout: 60_000 }, async () => {
      const { lrs, error } = await show(opened.page, query);
      assert.equal(error, null);
      assert.deepEqual(lrs, nodeCurve(lr, steps, build));
      assert.deepEqual(opened.problems, []);
    });
  }

  /** Schedules on Math.cos or **: to 1e-15 of the lr (see assertCloseToNode). */
  const libm: [title: string, query: string, lr: number, steps: number, build: (opt: Group) => Scheduler][] = [
    ["CosineAnnealingWarmRestarts", "lr=0.2&steps=700&p0=CosineAnnealingWarmRestarts&p0.t0=50&p0.tMult=2&p0.etaMin=0.001", 0.2, 700,
      (opt) => new S.CosineAnnealingWarmRestarts(opt, { t0: 50, tMult: 2, etaMin: 0.001 })],
    ["OneCycleLR (cos)", "lr=0.1&steps=1000&p0=OneCycleLR&p0.maxLr=0.4&p0.totalSteps=1000", 0.1, 1000, (opt) => new S.OneCycleLR(opt, { maxLr: 0.4, totalSteps: 1000 })],
    ["ChainedScheduler(ConstantLR, ExponentialLR)", "lr=0.1&steps=300&compose=chained&p0=ConstantLR&p0.factor=0.1&p0.totalIters=50&p1=ExponentialLR&p1.gamma=0.99", 0.1, 300,
      (opt) => new S.ChainedScheduler([new S.ConstantLR(opt, { factor: 0.1, totalIters: 50 }), new S.ExponentialLR(opt, { gamma: 0.99 })])],
    ["SequentialLR(StepLR, PolynomialLR)", "lr=0.5&steps=900&compose=sequential&m=500&p0=StepLR&p0.stepSize=150&p0.gamma=0.5&p1=PolynomialLR&p1.totalIters=400&p1.power=3", 0.5, 900,
      (opt) => new S.SequentialLR(opt, { schedulers: [new S.StepLR(opt, { stepSize: 150, gamma: 0.5 }), new S.PolynomialLR(opt, { totalIters: 400, power: 3 })], milestones: [500] })],
  ];
  for (const [title, query, lr, steps, build] of libm) {
    test(`${title}: the page's curve equals Node's lrAt to 1e-15 of the lr`, { timeout: 60_000 }, async () => {
      const { lrs, error } = await show(opened.page, query);
      assert.equal(error, null);
      assertCloseToNode(lrs, nodeCurve(lr, steps, build), lr);
      assert.deepEqual(opened.problems, []);
    });
  }

  test("ReduceLROnPlateau: the page's curve equals Node's scheduler stepped on the stated simulated loss, 0.3 + 2·e^(−t/150) + 0.01·N(0, 1) from Generator(0)", { timeout: 60_000 }, async () => {
    const { lrs, error } = await show(opened.page, "lr=0.1&steps=800&p0=ReduceLROnPlateau&p0.factor=0.5&p0.patience=15&p0.cooldown=5");
    assert.equal(error, null);
    const opt = { paramGroups: [{ lr: 0.1 }] }, sched = new S.ReduceLROnPlateau(opt, { factor: 0.5, patience: 15, cooldown: 5 });
    const g = new mn.Generator(0), loss = Array.from({ length: 800 }, (_, t) => 0.3 + 2 * Math.exp(-t / 150) + 0.01 * g.normal());
    const expected = [0.1];
    for (let t = 1; t < 800; t++) { sched.step(loss[t - 1]); expected.push(opt.paramGroups[0]!.lr); }
    assert.deepEqual(lrs, expected);
    assert.ok(new Set(expected).size > 2, "the plateau cut the lr more than once in the reference");
    assert.ok(await opened.page.$$eval(".svg-figure svg", (svgs) => svgs.length === 2), "the simulated loss is drawn under the lr");
    assert.deepEqual(opened.problems, []);
  });

  test("choosing StepLR in the form draws Node's StepLR with the page's defaults (stepSize 200, γ 0.5) and puts it in the URL", { timeout: 60_000 }, async () => {
    await show(opened.page, "lr=0.1&steps=1000&p0=ExponentialLR");
    await opened.page.select('select[name="p0"]', "StepLR");
    const { lrs, hash } = await settled(opened.page);
    assertCloseToNode(lrs, nodeCurve(0.1, 1000, (opt) => new S.StepLR(opt, { stepSize: 200, gamma: 0.5 })), 0.1);
    assert.match(hash, /[?&]p0=StepLR&p0\.stepSize=200&p0\.gamma=0\.5(&|$)/);
    // Typing a value into an option's box redraws from it.
    await opened.page.evaluate(`(() => { const el = document.querySelector('input[name="p0.stepSize"]'); el.value = "75"; el.dispatchEvent(new Event("change", { bubbles: true })); })()`);
    const typed = await settled(opened.page);
    assertCloseToNode(typed.lrs, nodeCurve(0.1, 1000, (opt) => new S.StepLR(opt, { stepSize: 75, gamma: 0.5 })), 0.1);
    assert.deepEqual(opened.problems, []);
  });

  test("every scheduler class in the form draws a curve with its defaults, and a link with only lr keeps the default schedule", { timeout: 90_000 }, async () => {
    const names = await opened.page.evaluate(`Array.from(document.querySelectorAll('select[name="p0"] option'), (o) => o.value)`) as string[];
    assert.deepEqual(names, ["StepLR", "MultiStepLR", "ExponentialLR", "InverseTimeLR", "InverseSqrtLR", "CosineAnnealingLR", "CosineAnnealingWarmRestarts",
      "LinearLR", "ConstantLR", "PolynomialLR", "OneCycleLR", "CyclicLR", "SWALR", "LambdaLR", "MultiplicativeLR", "ReduceLROnPlateau"], "every scheduler of mn.optim.lrScheduler but the two containers, which the compose menu offers");
    for (const name of names) {
      await show(opened.page, "lr=0.1&steps=1000&p0=ExponentialLR");
      await opened.page.select('select[name="p0"]', name);
      const { lrs, error, hash } = await settled(opened.page);
      assert.equal(error, null, name);
      assert.ok(lrs !== null && lrs.length === 1000 && lrs.every(Number.isFinite), `${name}: 1000 finite lrs`);
      assert.match(hash, new RegExp(`[?&]p0=${name}(&|$)`));
    }
    const lrOnly = await show(opened.page, "lr=0.5");
    assert.match(lrOnly.hash, /^#\/lab\/schedules\?lr=0\.5&steps=1000&compose=sequential&m=100&p0=LinearLR&.*p1=CosineAnnealingLR/);
    assert.equal(lrOnly.lrs![100], 0.5, "the cosine starts from lr 0.5 after the warmup");
    assert.deepEqual(opened.problems, []);
  });

  test("a refused option shows the library's own message, and bad page settings name the value and what was expected", { timeout: 60_000 }, async () => {
    const refused = await show(opened.page, "p0=StepLR&p0.stepSize=0");
    assert.equal(refused.error, "StepLR: invalid stepSize; expected a positive integer, got 0");
    const past = await show(opened.page, "steps=20&p0=OneCycleLR&p0.totalSteps=10");
    assert.equal(past.error, "OneCycleLR: tried to step 12 times, but totalSteps is 10");
    const steps = await show(opened.page, "steps=0&p0=StepLR");
    assert.equal(steps.error, "Schedules: invalid steps; expected an integer in [1, 100000], got 0");
    const lr = await show(opened.page, "lr=-1&p0=StepLR");
    assert.equal(lr.error, "Schedules: invalid lr; expected a number > 0, got -1");
    const unknown = await show(opened.page, "p0=WarmupLR");
    assert.match(unknown.error ?? "", /^Schedules: unknown scheduler "WarmupLR"; expected one of StepLR, MultiStepLR, .*ReduceLROnPlateau$/);
    assert.deepEqual(opened.problems, []);
  });
});
