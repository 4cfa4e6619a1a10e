import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { lineAlphas, flatSharpCommand } from "../../src/cli/experiments/flat-sharp.js";
import { parseCli, useCli } from "./run-minima.js";

describe("minima experiment flat-sharp", () => {
  const cli = useCli();

  test("a small run on the embedded MNIST: the line's ends are the two solutions (α = 0 and 1 give their own losses and accuracies), the gap is their difference, the large batch is a tenth of the training split", () => {
    const out = join(cli.tmp(), "fs");
    const r = cli.run("experiment", "flat-sharp", "--dataset", "mnist", "--train-size", "1000", "--epochs", "2", "--hidden", "16", "--samples", "300",
      "--points", "7", "--lrs-small", "1e-3", "--lrs-large", "1e-2,3e-2", "--out", out);
    assert.equal(r.code, 0, r.err);
    const result = JSON.parse(readFileSync(join(out, "flat-sharp.json"), "utf8"));
    const [small, large] = result.regimes;
    assert.deepEqual([small.batchSize, large.batchSize], [64, 100]);
    assert.deepEqual(large.grid.map((g: { lr: number }) => g.lr), [0.01, 0.03]);
    const bestLarge = large.grid.reduce((b: { valAccuracy: number }, g: { valAccuracy: number }) => (g.valAccuracy > b.valAccuracy ? g : b));
    assert.equal(large.lr, bestLarge.lr);
    const { alphas, train, test: testLine } = result.interpolation;
    assert.deepEqual(alphas, [-1, -0.5, 0, 0.5, 1, 1.5, 2]);
    // The references: each solution's own evaluation on the full training and test splits.
    assert.equal(train.losses[2], small.train.loss);
    assert.equal(train.losses[4], large.train.loss);
    assert.equal(testLine.losses[2], small.test.loss);
    assert.equal(testLine.accuracies[4], large.test.accuracy);
    assert.equal(result.testAccuracyGap, small.test.accuracy - large.test.accuracy);
    for (const regime of [small, large]) {
      assert.ok(regime.lambdaMax > 0 && regime.trace.value > 0);
      assert.deepEqual(regime.sharpness.map((s: { epsilon: number }) => s.epsilon), [1e-3, 5e-4]);
      assert.ok(regime.sharpness[0].value > regime.sharpness[1].value, "the larger box is the sharper");
      assert.ok(regime.weightNorm > 0);
    }
    for (const f of ["flat-sharp-loss.svg", "flat-sharp-loss.png", "flat-sharp-accuracy.svg", "flat-sharp-accuracy.png"]) assert.ok(existsSync(join(out, f)), f);
    assert.ok(r.out.includes(`test accuracy gap (small − large): ${(100 * result.testAccuracyGap).toFixed(2)} points`), r.out);
  });

  test("lineAlphas: evenly from −1 to 2 with α = 0 and 1 exactly among them", () => {
    const alphas = lineAlphas(31);
    assert.equal(alphas.length, 31);
    assert.equal(alphas[0], -1);
    assert.equal(alphas[30], 2);
    assert.equal(alphas[10], 0);
    assert.equal(alphas[20], 1);
    alphas.slice(1).forEach((a, i) => assert.ok(Math.abs(a - alphas[i]! - 0.1) < 1e-12));
  });

  test("a regime whose every learning rate diverges fails, naming them and the flag", () => {
    const r = cli.run("experiment", "flat-sharp", "--dataset", "mnist", "--train-size", "200", "--epochs", "1", "--hidden", "8", "--optimizer", "sgd",
      "--lrs-small", "1e6", "--out", join(cli.tmp(), "fs"));
    assert.equal(r.code, 1);
    assert.equal(r.err, "minima: flat-sharp: every small-batch run diverged (learning rates 1000000): try smaller ones with --lrs-small\n");
  });

  test("too few points on the line are refused", () => {
    assert.equal(parseCli(flatSharpCommand, "--points", "5").error, "error: option '--points <n>' argument '5' is invalid. expected an integer ≥ 7.");
  });
});
