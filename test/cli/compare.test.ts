import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { scheduleCurve } from "../../src/cli/commands/schedule.js";
import { useCli } from "./run-minima.js";

const cli = useCli();
const tmp = cli.tmp;
const minima = (...args: string[]) => { const r = cli.run(...args); return { status: r.code, stdout: r.out, stderr: r.err }; };

describe("minima compare", () => {
  test("trains each optimizer from the same weights on the same batches, prints a table and draws one SVG", () => {
    const out = join(tmp(), "cmp");
    const r = minima("compare", "--optimizers", "sgd,momentum,adam", "--epochs", "1", "--hidden", "32", "--out", out);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /\| optimizer \| lr \| train loss \| train acc \| val loss \| val acc \| test loss \| test acc \| time \|/);
    for (const name of ["sgd", "momentum", "adam"]) assert.match(r.stdout, new RegExp(`\\| ${name} \\| `));
    const svg = readFileSync(join(out, "compare.svg"), "utf8");
    assert.equal([...svg.matchAll(/<path d="M/g)].length, 3);
    const records = readFileSync(join(out, "metrics.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
    assert.deepEqual(records.map((l) => l.kind), ["header", "epoch", "epoch", "epoch"]);
    const lines = records.slice(1);
    assert.deepEqual(lines.map((l) => l.optimizer), ["sgd", "momentum", "adam"]);
    // Momentum with μ = 0.9 learns faster than plain SGD at the same lr over the same batches.
    assert.ok(lines[1].loss < lines[0].loss, `momentum ${lines[1].loss} vs sgd ${lines[0].loss}`);
  });

  test("an unknown optimizer is refused naming the choices", () => {
    const r = minima("compare", "--optimizers", "sgd,adamm");
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /unknown "adamm"; expected names from sgd, momentum, nesterov/);
  });
});

describe("minima schedule", () => {
  const base = { steps: 100, lr: 0.1, stepsPerEpoch: 10, etaMin: 0, tMult: 2, decayRate: 1, power: 1, factor: 0.1, patience: 2 };

  test("cosine with warmup: linear warmup to lr, then a half cosine to etaMin (closed form)", () => {
    const lrs = scheduleCurve("cosine", { ...base, warmup: 10 });
    assert.ok(Math.abs(lrs[0]! - 0.001) < 1e-12);
    assert.ok(Math.abs(lrs[10]! - 0.1) < 1e-12);
    for (let t = 10; t < 100; t++) {
      const expected = 0.05 * (1 + Math.cos((Math.PI * (t - 10)) / 90));
      assert.ok(Math.abs(lrs[t]! - expected) < 1e-12, `step ${t}: ${lrs[t]} vs ${expected}`);
    }
  });

  test("step decays by gamma every epoch by default (closed form)", () => {
    const lrs = scheduleCurve("step", base);
    lrs.forEach((lr, t) => assert.ok(Math.abs(lr - 0.1 * 0.1 ** Math.floor(t / 10)) < 1e-15, `step ${t}`));
  });

  test("the command writes an SVG and prints key values", () => {
    const file = join(tmp(), "s.svg");
    const r = minima("schedule", "one-cycle", "--steps", "200", "--lr", "0.01", "--out", file);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /one-cycle: step 0: .*max 0.1000/);
    assert.match(readFileSync(file, "utf8"), /<svg/);
    assert.match(minima("schedule", "cosinee").stderr, /value 'cosinee' is invalid for argument 'name'. Allowed choices are constant, step/);
  });
});
