import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../src/index.node.js";
import { decay, epochsOnly, healthyLayers, historyOf, kinds, type LayerSpec } from "./diagnose-helpers.js";

// Issue 11, item 19: each default threshold of mn.train.diagnose is tested with a pair of runs just below and just above
// it, built so that the statistic the rule compares is known in closed form (noise-free curves, or residual patterns
// whose robust std is known); and every verdict is the same with all losses scaled by 0.1 and by 10, since the
// margins are relative (lossFloor, "a loss near zero", is the one absolute: every scenario stays above it).

type History = mn.train.History;
const verdict = (h: History) => mn.train.diagnose(h).findings.map((f) => `${f.kind}/${f.severity}`);
const has = (h: History, kind: mn.train.FindingKind) => kinds(mn.train.diagnose(h)).includes(kind);

/** Every loss of the history (steps, epochs, validation, test) times `s`. */
function scaled(h: History, s: number): History {
  const c = mn.train.History.fromJSON(structuredClone(h.toJSON()));
  for (const st of c.steps) st.loss *= s;
  for (const e of c.epochs) {
    e.loss *= s;
    if (e.valLoss !== null) e.valLoss *= s;
    if (e.testLoss !== null) e.testLoss *= s;
  }
  return c;
}

/**
 * A curve whose moving median is `level` and whose relative residuals cycle 0, +a, −a: any window of the moving median
 * holds them in equal numbers, so the level is exact, and the robust std (1.4826 × the median |residual|) is 1.4826·a.
 */
function patterned(level: (i: number) => number, n: number, a: number): number[] {
  return Array.from({ length: n }, (_, i) => level(i) * (1 + a * [0, 1, -1][i % 3]!));
}
const SWING = (swing: number) => swing / 1.4826;

const g = new mn.Generator(21);
const SCENARIOS: [string, () => History][] = [
  ["healthy", () => historyOf(decay(1000, { start: 2.3, floor: 0.6, tau: 150, noise: 0.1 }), { val: (_e, l) => ({ valLoss: l * 1.1 }), layers: healthyLayers() })],
  ["diverging (NaN)", () => historyOf([...decay(49, { start: 2.3, floor: 0.8, tau: 20, noise: 0.05 }), NaN])],
  ["diverging (jump)", () => historyOf([2.3, 25, ...Array.from({ length: 200 }, () => 18 * Math.exp(0.005 * g.normal()))], { lr: 10 })],
  ["diverging (runaway)", () => historyOf([...decay(100, { start: 2.3, floor: 0.8, tau: 30, noise: 0.02 }), ...Array.from({ length: 50 }, (_, i) => 0.8 * 1.2 ** (i + 1))])],
  ["lr-too-low", () => historyOf(Array.from({ length: 300 }, (_, i) => 2.3 * (1 - 0.005 * (i / 300)) * Math.exp(0.002 * g.normal())), { lr: 1e-7 })],
  ["oscillating (swings)", () => historyOf(Array.from({ length: 400 }, () => 1.5 * Math.exp(0.4 * g.normal())), { lr: 0.5 })],
  ["oscillating (epochs)", () => epochsOnly([1.2, 0.9, 1.1, 0.8, 1.3, 0.95, 1.2].map((l) => [l, null, null, null] as const))],
  ["oscillating (rebound)", () => historyOf([...decay(300, { start: 2.3, floor: 0.6, tau: 40, noise: 0.05 }), ...Array.from({ length: 300 }, (_, i) => 0.6 + 1.2 * (i / 299))])],
  ["noisy", () => historyOf(decay(1000, { start: 2.3, floor: 0.6, tau: 150, noise: 0.9, seed: 4 }))],
  ["overfitting", () => epochsOnly([4.5, 3, 2.25, 2.05, 1.75, 1.5, 1.25, 1.05, 0.9, 0.75, 0.65, 0.6].map((l, i) => [l, [3.5, 2.5, 2.1, 1.9, 1.95, 2.05, 2.15, 2.25, 2.35, 2.45, 2.5, 2.6][i]!, null, null] as const))],
  ["underfitting (falling)", () => epochsOnly([[1.2, 1.25, null, null], [0.9, 0.95, null, null], [0.7, 0.75, null, null], [0.55, 0.6, null, null]])],
  ["underfitting (low accuracy)", () => epochsOnly([1.9, 1.7, 1.65, 1.63, 1.62].map((l, i) => [l, l + 0.02, 0.3 + 0.01 * i, 0.29 + 0.01 * i] as const))],
];

describe("diagnose: the same verdict with every loss scaled by 0.1 and by 10 (relative margins)", () => {
  for (const [name, make] of SCENARIOS) {
    test(name, () => {
      const h = make(), base = verdict(h);
      assert.ok(base.length > 0 && !(name !== "healthy" && base[0] === "healthy/info"), `${name}: ${base.join(", ")}`);
      if (name !== "healthy") assert.ok(base.some((v) => v.startsWith(name.split(" ")[0]!)), `${name}: ${base.join(", ")}`);
      assert.deepEqual(verdict(scaled(h, 0.1)), base, "× 0.1");
      assert.deepEqual(verdict(scaled(h, 10)), base, "× 10");
    });
  }
});

describe("diagnose: each default threshold, just below and just above", () => {
  test("explodeFactor 3: a loss that ends 2.9× / 3.1× its lowest, above its start", () => {
    // Down from 1.0 to 0.4 (noise-free), 100 steps there, then up to the end and staying there.
    const run = (f: number) => historyOf([...Array.from({ length: 100 }, (_, i) => 1 - 0.6 * (i / 99)), ...Array.from({ length: 100 }, () => 0.4),
      ...Array.from({ length: 100 }, () => 0.4 * f)]);
    assert.ok(!has(run(2.9), "diverging"));
    assert.ok(has(run(3.1), "diverging"));
  });

  test("reboundFactor 1.5: the last tenth of the run 1.45× / 1.55× the lowest tenth", () => {
    const run = (f: number) => historyOf([...Array.from({ length: 150 }, () => 1), ...Array.from({ length: 100 }, () => 0.5), ...Array.from({ length: 50 }, () => 0.5 * f)]);
    assert.ok(!has(run(1.45), "oscillating"));
    assert.ok(has(run(1.55), "oscillating"));
  });

  test("epochMargin 0.05: epoch losses rising 4% / 6% twice, ending 4% / 6% above the best", () => {
    const run = (r: number) => epochsOnly([1, 0.8, 0.8 * (1 + r), 0.8, 0.8 * (1 + r)].map((l) => [l, null, null, null] as const));
    assert.ok(!has(run(0.04), "oscillating"));
    assert.ok(has(run(0.06), "oscillating"));
  });

  test("epochMargin 0.05: a validation loss 4% / 6% above its best is not / is overfitting", () => {
    // Validation falls linearly to its best at epoch 3 and rises linearly after (second differences ~0: no noise allowance);
    // the training loss falls by more than 5% but by less than trendProgress after the gap opens (no "stalled").
    const run = (r: number) => epochsOnly([[0.5, 0.5], [0.45, 0.45], [0.4, 0.4], [0.39, 0.4 * (1 + r / 3)], [0.385, 0.4 * (1 + (2 * r) / 3)], [0.379, 0.4 * (1 + r)]]
      .map(([l, v]) => [l!, v!, null, null] as const));
    assert.ok(!has(run(0.04), "overfitting"));
    assert.equal(mn.train.diagnose(run(0.06)).findings.find((f) => f.kind === "overfitting")?.severity, "warning");
  });

  test("minEpochs 3: a validation loss that rose, over 2 / 3 epochs", () => {
    const rows = [[0.5, 0.4], [0.4, 0.5], [0.3, 0.6]] as const;
    assert.ok(!has(epochsOnly(rows.slice(0, 2).map(([l, v]) => [l, v, null, null] as const)), "overfitting"));
    assert.ok(has(epochsOnly(rows.map(([l, v]) => [l, v, null, null] as const)), "overfitting"));
  });

  test("minProgress 0.02: a noise-free loss that fell 1.8% / 2.2% (halfway, as a step) is / is not lr-too-low", () => {
    const run = (p: number) => historyOf(Array.from({ length: 400 }, (_, i) => (i < 200 ? 2 : 2 * (1 - p))));
    assert.ok(has(run(0.018), "lr-too-low"));
    assert.ok(!has(run(0.022), "lr-too-low"));
  });

  test("trendProgress 0.1: a loss that jumped and came back to 91% / 89% of where it stood is / is not diverging", () => {
    const run = (f: number) => historyOf([...Array.from({ length: 30 }, () => 1), 5, ...Array.from({ length: 100 }, () => f)]);
    assert.ok(has(run(0.91), "diverging"));
    assert.ok(!has(run(0.89), "diverging"));
  });

  test("swingRatio 0.1: a trendless loss scattering 9% / 11% (robust std) is lr-too-low / oscillating", () => {
    const run = (s: number) => historyOf(patterned(() => 2, 400, SWING(s)));
    assert.deepEqual(kinds(mn.train.diagnose(run(0.09))), ["lr-too-low"]);
    assert.deepEqual(kinds(mn.train.diagnose(run(0.11))), ["oscillating"]);
  });

  test("noisyRatio 0.5: a falling loss whose second half scatters 45% / 55% (robust std)", () => {
    const run = (s: number) => historyOf([...Array.from({ length: 300 }, (_, i) => 3 - 2 * (i / 299)), ...patterned(() => 1, 300, SWING(s))]);
    assert.ok(!has(run(0.45), "noisy-loss"));
    assert.ok(has(run(0.55), "noisy-loss"));
  });

  test("lossFloor 0.05: a flat loss at 0.048 / 0.052 is near zero / lr-too-low", () => {
    const run = (l: number) => historyOf(Array.from({ length: 300 }, () => l));
    assert.ok(!has(run(0.048), "lr-too-low"));
    assert.ok(has(run(0.052), "lr-too-low"));
  });

  test("minSteps 20: a flat loss over 19 / 21 steps (no epochs) is too short to judge / lr-too-low", () => {
    const run = (n: number) => {
      const h = historyOf(Array.from({ length: n }, () => 2));
      h.epochs = [];
      return h;
    };
    assert.ok(!has(run(19), "lr-too-low"));
    assert.ok(has(run(21), "lr-too-low"));
  });

  test("stillFalling 0.1: epoch losses falling 9% / 11% in each of the last two epochs", () => {
    const run = (d: number) => epochsOnly([1, 1 - d, (1 - d) ** 2].map((l) => [l, null, null, null] as const));
    assert.ok(!has(run(0.09), "underfitting"));
    assert.ok(has(run(0.11), "underfitting"));
  });

  test("lowAccuracy 0.5: train accuracy 51% / 49% with validation 1 point below", () => {
    // The loss falls by a third, so the flat-loss rules (which come first) stay out of it.
    const run = (acc: number) => epochsOnly([[1.5, 1.52, acc, acc - 0.01], [1, 1.02, acc, acc - 0.01]]);
    assert.ok(!has(run(0.51), "underfitting"));
    assert.ok(has(run(0.49), "underfitting"));
  });

  test("accuracyGap 0.05: low train accuracy 30% with validation 6 / 4 points below", () => {
    const run = (gap: number) => epochsOnly([[1.5, 1.52, 0.3, 0.3 - gap], [1, 1.02, 0.3, 0.3 - gap]]);
    assert.ok(!has(run(0.06), "underfitting"));
    assert.ok(has(run(0.04), "underfitting"));
  });

  const withLayer = (spec: LayerSpec, others = healthyLayers()) =>
    historyOf(decay(1000, { start: 2.3, floor: 0.6, tau: 150, noise: 0.1 }), { layers: [spec, ...others] });
  const constant = (name: string, ratio: number, grad: number): LayerSpec => ({ name, ratio: () => ratio, grad: () => grad });

  test("slowRatio 1e-5 and fastRatio 0.1: median update/weight ratios 0.9e-5 / 1.1e-5 and 0.09 / 0.11", () => {
    assert.ok(has(withLayer(constant("x", 0.9e-5, 0.5)), "slow-layer"));
    assert.ok(!has(withLayer(constant("x", 1.1e-5, 0.5)), "slow-layer"));
    assert.ok(!has(withLayer(constant("x", 0.09, 0.5)), "fast-layer"));
    assert.ok(has(withLayer(constant("x", 0.11, 0.5)), "fast-layer"));
  });

  test("deadGrad 1e-12 and deadFraction 0.5: gradient norms 0.9e-12 / 1.1e-12, and zero at 9 / 11 of 20 recorded steps", () => {
    assert.ok(has(withLayer(constant("x", 1e-3, 0.9e-12)), "dead-layer"));
    assert.ok(!has(withLayer(constant("x", 1e-3, 1.1e-12)), "dead-layer"));
    // 1000 steps sampled every 10: 100 records; zero at the first 45 / 55 of them.
    const partly = (zeros: number): LayerSpec => ({ name: "x", ratio: () => 1e-3, grad: (s) => (s <= zeros * 10 ? 0 : 0.5) });
    assert.ok(!has(withLayer(partly(45)), "dead-layer"));
    assert.ok(has(withLayer(partly(55)), "dead-layer"));
  });

  test("explodingGrad 1e3 and explodingSpread 100: median gradient norms 900 / 1100 against others at 1, and 2000 against others at 21 / 19", () => {
    const others = (grad: number) => ["a", "b", "c"].map((name) => constant(name, 1e-3, grad));
    assert.ok(!has(withLayer(constant("x", 1e-3, 900), others(1)), "exploding-layer"));
    assert.ok(has(withLayer(constant("x", 1e-3, 1100), others(1)), "exploding-layer"));
    assert.ok(!has(withLayer(constant("x", 1e-3, 2000), others(21)), "exploding-layer"));
    assert.ok(has(withLayer(constant("x", 1e-3, 2000), others(19)), "exploding-layer"));
  });

  test("10 × slowRatio: a flat loss with update ratios 0.9e-4 / 1.1e-4 is lr-too-low / underfitting (the updates do not help)", () => {
    const flat = (ratio: number) => historyOf(Array.from({ length: 300 }, () => 2), { layers: [constant("x", ratio, 0.5)] });
    assert.ok(has(flat(0.9e-4), "lr-too-low"));
    assert.ok(has(flat(1.1e-4), "underfitting"));
  });
});
