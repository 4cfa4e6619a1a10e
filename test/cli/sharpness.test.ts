import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import * as mn from "../../src/index.node.js";
import { openRun } from "../../src/cli/open-run.js";
import { firstBatches, sharpnessCommand } from "../../src/cli/commands/sharpness.js";
import { parseCli, useCli } from "./run-minima.js";

describe("minima sharpness", () => {
  const cli = useCli();
  const minima = cli.run, tmp = cli.tmp;
  let run: string;
  before(() => {
    run = join(tmp(), "mlp");
    const r = minima("train", "--epochs", "1", "--hidden", "16", "--batch-size", "128", "--out", run);
    assert.equal(r.code, 0, r.err);
  });

  test("writes sharpness.json with φ for each ε, equal to mn.landscape.epsSharpness on the run's best checkpoint over the same samples (rebuilt in this process)", () => {
    const r = minima("sharpness", run, "--epsilon", "1e-2,1e-3", "--batches", "2", "--batch-size", "100", "--iterations", "3", "--seed", "7");
    assert.equal(r.code, 0, r.err);
    const written = JSON.parse(readFileSync(join(run, "sharpness.json"), "utf8"));
    assert.equal(written.samples, 200);
    assert.deepEqual(written.sharpness.map((s: { epsilon: number }) => s.epsilon), [1e-2, 1e-3]);
    const opened = openRun(run, { checkpoint: "best", where: "test" });
    const batches = firstBatches(opened.data.train, 2, 100);
    for (const [i, epsilon] of [1e-2, 1e-3].entries()) {
      const want = mn.landscape.epsSharpness(opened.model, opened.lossFn, batches, { epsilon, iterations: 3, generator: new mn.Generator(7) });
      assert.equal(written.sharpness[i].value, want.value);
      assert.equal(written.sharpness[i].maxLoss, want.maxLoss);
      assert.ok(want.value > 0);
    }
    assert.equal(written.loss, mn.train.evaluate(opened.model, batches.map((b) => [...b]), opened.lossFn).loss);
    const lines = r.out.trim().split("\n");
    assert.equal(lines[1], `f(x) = ${written.loss.toPrecision(6)}`);
    assert.equal(lines[2], `ε = 0.01: sharpness ${written.sharpness[0].value.toPrecision(4)} (max f(x+y) = ${written.sharpness[0].maxLoss.toPrecision(6)}, ${written.sharpness[0].evaluations} evaluations)`);
    assert.equal(lines[lines.length - 1], `written: ${join(run, "sharpness.json")}`);
  });

  test("--subspace p searches a random p-dimensional subspace: equal to mn.landscape.epsSharpness with subspace p and the same seed", () => {
    const r = minima("sharpness", run, "--epsilon", "1e-2", "--batches", "1", "--batch-size", "100", "--iterations", "3", "--subspace", "4", "--checkpoint", "last");
    assert.equal(r.code, 0, r.err);
    const written = JSON.parse(readFileSync(join(run, "sharpness.json"), "utf8"));
    assert.equal(written.subspace, 4);
    const opened = openRun(run, { checkpoint: "last", where: "test" });
    const want = mn.landscape.epsSharpness(opened.model, opened.lossFn, firstBatches(opened.data.train, 1, 100), { epsilon: 1e-2, iterations: 3, subspace: 4, generator: new mn.Generator(0) });
    assert.equal(written.sharpness[0].value, want.value);
    assert.match(r.out.split("\n")[0]!, /; a random 4-dimensional subspace, lbfgs, 3 iterations; /);
  });

  test("a run without checkpoints is refused with openRun's message", () => {
    const bare = join(tmp(), "bare");
    assert.equal(minima("train", "--epochs", "1", "--hidden", "8", "--batch-size", "256", "--out", bare).code, 0);
    rmSync(join(bare, "checkpoints"), { recursive: true });
    const r = minima("sharpness", bare);
    assert.equal(r.code, 1);
    const dir = join(bare, "checkpoints");
    assert.equal(r.err, `minima: sharpness: ${bare} has no checkpoints (${join(dir, "best.json")} and ${join(dir, "last.json")} are missing): minima train writes them at each epoch's end; train the run for at least one epoch\n`);
  });

  test("a bad --epsilon is refused naming what was expected", () => {
    assert.equal(parseCli(sharpnessCommand, "some-run", "--epsilon", "1e-3,0").error,
      "error: option '--epsilon <list>' argument '1e-3,0' is invalid. expected numbers > 0 separated by commas, like 1e-3,5e-4.");
  });
});
