import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import * as mn from "../../src/index.node.js";
import { openRun } from "../../src/cli/open-run.js";
import { parseRunLog } from "../../src/io/run-log.js";
import { useCli } from "./run-minima.js";

const cli = useCli();
const minima = cli.run;
const SMALL = ["--batches", "2", "--batch-size", "16", "--k", "2", "--trace-matvecs", "8", "--density-runs", "2", "--density-steps", "10"];

/** A tiny trained run on the embedded MNIST (one epoch: best and last checkpoints). */
function trainedRun(...extra: string[]): string {
  const dir = join(cli.tmp(), "run");
  const r = minima("train", "--train-size", "120", "--hidden", "6", "--epochs", "1", "--batch-size", "32", "--out", dir, ...extra);
  assert.equal(r.code, 0, r.err);
  return dir;
}

describe("minima curvature", () => {
  const run = trainedRun();

  test("writes curvature.json, the spectrum SVG and PNG into the run, and its figures are curvatureSummary's on the run's first training batches", () => {
    const r = minima("curvature", run, "--checkpoint", "last", ...SMALL);
    assert.equal(r.code, 0, r.err);
    const json = JSON.parse(readFileSync(join(run, "curvature.json"), "utf8"));
    // The reference: the library on the same checkpoint, samples (the first 2 × 16 of the training split) and seed.
    const opened = openRun(run, { checkpoint: "last", where: "test" });
    const [x, y] = opened.data.train.tensors as [mn.Tensor, mn.Tensor];
    const batches = [0, 1].map((i) => [x.narrow(0, 16 * i, 16), y.narrow(0, 16 * i, 16)]);
    const want = mn.landscape.curvatureSummary(mn.landscape.hessian(opened.model, opened.lossFn, batches),
      { k: 2, traceMatvecs: 8, densityRuns: 2, densitySteps: 10, lr: opened.config.lr, seed: opened.config.seed });
    for (const key of ["parameters", "topEigenvalues", "lambdaMax", "lambdaMin", "minOverMax", "trace", "traceOverN", "negativeFraction", "layers", "stability", "density"] as const) {
      assert.deepEqual(json[key], JSON.parse(JSON.stringify(want[key])), key);
    }
    assert.deepEqual([json.checkpoint, json.epoch, json.data], ["last", 1, { split: "train", samples: 32, batches: 2, batchSize: 16 }]);
    assert.equal(json.parameters, 784 * 6 + 6 + 6 * 10 + 10);
    assert.match(readFileSync(join(run, "curvature.svg"), "utf8"), /^<svg[\s\S]*density \(SLQ\)[\s\S]*<\/svg>\n?$/);
    assert.deepEqual([...readFileSync(join(run, "curvature.png")).subarray(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10]);
    const lines = r.out.split("\n");
    const line = (label: string) => lines.find((l) => l.startsWith(label)) ?? assert.fail(`no "${label}" line in\n${r.out}`);
    assert.match(line("λmax "), new RegExp(`^λmax\\s+${Number(want.lambdaMax.toPrecision(4))}\\b`));
    assert.match(line("lr·λmax "), /gradient descent is stable on a quadratic while it is below 2; with momentum β = 0\.9 the heavy-ball limit is 2\(1 \+ β\) = 3\.8$/);
    assert.ok(!/condition number\s+\d/.test(r.out), "prints no condition number");
  });

  test("a run without checkpoints is refused with openRun's message (exact)", () => {
    const dir = trainedRun();
    rmSync(join(dir, "checkpoints"), { recursive: true });
    const r = minima("curvature", dir);
    const ck = join(dir, "checkpoints");
    assert.deepEqual([r.code, r.err], [1, `minima: curvature: ${dir} has no checkpoints (${join(ck, "best.json")} and ${join(ck, "last.json")} are missing): minima train writes them at each epoch's end; train the run for at least one epoch\n`]);
    assert.ok(!existsSync(join(dir, "curvature.json")));
  });

  test("more batches than the training split holds are refused (exact message)", () => {
    const r = minima("curvature", run, "--batches", "20", "--batch-size", "16");
    assert.deepEqual([r.code, r.err], [2, "minima: --batches: 20 batches of 16 need 320 samples; the run's training split has 120; expected at most 7 (or a smaller --batch-size)\n"]);
  });
});

describe("minima train --sharpness-every", () => {
  test("logs λmax every N steps into metrics.jsonl beside the step's lr, and the report draws it", () => {
    const dir = trainedRun("--sharpness-every", "2");
    const log = parseRunLog(readFileSync(join(dir, "metrics.jsonl"), "utf8"), "metrics.jsonl");
    assert.deepEqual(log.history.sharpness!.map((s) => s.step), [2, 4]);
    for (const s of log.history.sharpness!) {
      assert.ok(Number.isFinite(s.lambdaMax) && s.lambdaMax > 0, String(s.lambdaMax));
      assert.equal(s.lr, log.history.steps[s.step - 1]!.lr);
    }
    assert.match(readFileSync(join(dir, "report.html"), "utf8"), /<figure id="plot-sharpness">\n<svg/);
  });

  test("a value past the run's last step is refused (exact message), leaving no run folder", () => {
    const dir = join(cli.tmp(), "never");
    const r = minima("train", "--train-size", "120", "--hidden", "6", "--epochs", "1", "--batch-size", "32", "--sharpness-every", "5", "--out", dir);
    assert.deepEqual([r.code, r.err], [2, "minima: --sharpness-every: 5 steps is more than the run's 4 (1 epoch × 4 batches): λmax would never be measured; expected at most 4\n"]);
    assert.ok(!existsSync(dir));
  });
});
