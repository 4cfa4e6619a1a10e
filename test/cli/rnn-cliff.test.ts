import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import * as mn from "../../src/index.node.js";
import { cliffStep, measureRnnCliff, AddingRnn, type RnnCliffSettings } from "../../src/cli/experiments/rnn-cliff-measure.js";
import { nonFiniteReviver } from "../../src/io/non-finite-json.js";
import { useCli } from "./run-minima.js";

// minima experiment rnn-cliff on a tiny problem: the two runs agree step for step until clipping first acts; the cliff
// slice at distance 0 is the unclipped run's own loss at that step; the last step's gradient through time equals its
// closed form (2/B)·‖pred − y‖·‖w_head‖ with pred from the RNN module itself; the command writes its JSON and figures.
const SMALL: RnnCliffSettings = {
  length: 6, hidden: 4, trainSize: 64, batchSize: 8, steps: 14, lr: 0.3, momentum: 0.9, clipNorm: 0.05, seed: 3,
  radii: [0.5, 1.5], testSize: 16, slicePoints: 13,
};
const result = measureRnnCliff(SMALL);

describe("the measurements", () => {
  test("same weights, data and batches: the runs' losses are equal up to the first step whose gradient norm exceeds clip-norm, and differ after", () => {
    const [plain, clipped] = result.runs;
    const first = plain.gradNorm.findIndex((g) => g > SMALL.clipNorm);
    assert.ok(first >= 0 && first < SMALL.steps - 1, `first clipped step ${first}`);
    assert.deepEqual(clipped.loss.slice(0, first + 1), plain.loss.slice(0, first + 1));
    assert.notEqual(clipped.loss[first + 1], plain.loss[first + 1]);
  });
  test("the cliff slice at distance 0 is the unclipped run's loss at that step (same weights, same batch)", () => {
    const c = result.cliff;
    assert.equal(c.distances[2], 0);
    assert.equal(c.losses[2], result.runs[0].loss[c.step]);
    assert.ok(Math.abs(c.gradNorm - result.runs[0].gradNorm[c.step]!) <= 1e-5 * c.gradNorm, `${c.gradNorm} against ${result.runs[0].gradNorm[c.step]}`);
    assert.equal(c.unclippedStep, SMALL.lr * c.gradNorm);
  });
  test("‖∂L/∂h_T‖ equals (2/B)·‖pred − y‖·‖w_head‖, pred from mn.nn.RNN with W_hh scaled to each radius", () => {
    const test = mn.data.addingProblem(SMALL.testSize, SMALL.length, { generator: new mn.Generator(SMALL.seed + 1) });
    for (const t of result.throughTime) {
      const model = new AddingRnn(SMALL.hidden, new mn.Generator(SMALL.seed + 2));
      const w = model.weightHh;
      const scale = t.radius / mn.landscape.spectralRadius(w);
      for (let i = 0; i < w.data.length; i++) w.data[i]! *= scale;
      assert.ok(Math.abs(mn.landscape.spectralRadius(w) - t.radius) < 1e-5, "the radius after scaling");
      const pred = model.forward(test.x);
      const residual = Math.hypot(...Array.from(pred.data, (p, i) => p - test.y.data[i]!));
      const expected = (2 / SMALL.testSize) * residual * Math.hypot(...model.head.weight.data);
      const got = t.gradNorms[SMALL.length - 1]!;
      assert.ok(Math.abs(got - expected) <= 1e-5 * expected, `ρ ${t.radius}: ${got} against ${expected}`);
    }
  });
  test("cliffStep: the first step (after 10) 10× the median before it; else the largest finite", () => {
    assert.equal(cliffStep([1, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 9, 30, 5]), 12);
    assert.equal(cliffStep([1, 2, 3, 2, NaN]), 2);
  });
});

describe("minima experiment rnn-cliff", () => {
  const cli = useCli();
  test("writes rnn-cliff.json and five figures (SVG, PNG), and prints the summary", () => {
    const out = join(cli.tmp(), "cliff");
    const r = cli.run("experiment", "rnn-cliff", "--length", "5", "--hidden", "3", "--steps", "12", "--train-size", "40", "--test-size", "8", "--out", out);
    assert.equal(r.code, 0, r.err);
    for (const name of ["loss", "grad-norm", "radius", "cliff", "through-time"]) {
      assert.ok(existsSync(join(out, `${name}.svg`)) && existsSync(join(out, `${name}.png`)), name);
    }
    const json = JSON.parse(readFileSync(join(out, "rnn-cliff.json"), "utf8"), nonFiniteReviver);
    assert.equal(json.runs[0].clipNorm, null);
    assert.equal(json.runs[1].clipNorm, 1);
    assert.equal(json.runs[1].loss.length, 12);
    assert.deepEqual(json.throughTime.map((t: { radius: number }) => t.radius), [0.5, 0.9, 1, 1.1, 1.5, 2]);
    assert.match(r.out, /^adding problem, 5 steps; held-out MSE of remembering nothing /);
    assert.match(r.out, /cliff at step \d+ of the unclipped run/);
  });
});
