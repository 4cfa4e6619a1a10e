import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { scheduleCurve } from "../../src/cli/commands/schedule.js";
import { MODELS } from "../../src/cli/models.js";
import { useCli } from "./run-minima.js";

const cli = useCli();
const tmp = cli.tmp;
const minima = (...args: string[]) => { const r = cli.run(...args); return { status: r.code, stdout: r.out, stderr: r.err }; };
/** A quick comparison: one epoch of a small MLP on 300 digits. */
const small = ["--epochs", "1", "--train-size", "300", "--hidden", "16"];
const epochRecords = (out: string) => readFileSync(join(out, "metrics.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l["kind"] === "epoch");

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

  test("the help names every model --model takes", () => {
    const help = minima("compare", "--help").stdout;
    const description = help.split("\n\n")[1]!.replace(/\s+/g, " ");
    assert.match(description, /^train one model \(--model mlp, resmlp or cnn\) with each optimizer/);
    for (const model of MODELS) assert.ok(description.includes(model), `${model} in: ${description}`);
  });

  test("--lr name=rate gives each optimizer its own learning rate; the others keep their usual one; a bare number applies to all", () => {
    const out = join(tmp(), "lrs");
    const r = minima("compare", "--optimizers", "sgd,momentum,adam", "--lr", "sgd=0.1,adam=0.003", ...small, "--out", out);
    assert.equal(r.status, 0, r.stderr);
    // The lr each run's epochs record (the optimizer's param group's), the table and config.json agree.
    const lrs = { sgd: 0.1, momentum: 0.05, adam: 0.003 };
    assert.deepEqual(epochRecords(out).map((l) => [l.optimizer, l.lr]), Object.entries(lrs));
    for (const [name, lr] of Object.entries(lrs)) assert.match(r.stdout, new RegExp(`\\| ${name} \\| ${lr} \\| `));
    assert.deepEqual(JSON.parse(readFileSync(join(out, "config.json"), "utf8")).lr, lrs);
    // The sgd run is the run of sgd alone with --lr 0.1: the same initial weights and batches.
    const alone = join(tmp(), "alone");
    assert.equal(minima("compare", "--optimizers", "sgd", "--lr", "0.1", ...small, "--out", alone).status, 0);
    assert.deepEqual(epochRecords(alone)[0]!.loss, epochRecords(out)[0]!.loss);
    const all = join(tmp(), "all");
    assert.equal(minima("compare", "--optimizers", "sgd,adam", "--lr", "0.02", ...small, "--out", all).status, 0);
    assert.deepEqual(epochRecords(all).map((l) => l.lr), [0.02, 0.02]);
  });

  test("--lr that names an optimizer --optimizers does not run, or is malformed, is refused (exact text)", () => {
    const usage = (args: string[], message: string) => {
      const r = minima("compare", ...args);
      assert.equal(r.status, 2, r.stderr);
      assert.equal(r.stderr.trim().split("\n")[0], message);
    };
    usage(["--optimizers", "sgd,adam", "--lr", "sgd=0.1,adamw=0.001"],
      "minima: --lr: adamw=0.001 would do nothing: --optimizers runs sgd, adam; expected learning rates for those only, or adamw added to --optimizers");
    const bad = (value: string) => `error: option '--lr <rate|name=rate,...>' argument '${value}' is invalid. `;
    usage(["--lr", "adm=0.1"], bad("adm=0.1") + 'unknown optimizer "adm" in "adm=0.1"; expected names from sgd, momentum, nesterov, adagrad, adadelta, rmsprop, adam, adamw, adamax, nadam, radam, lion; did you mean "adam"?');
    usage(["--lr", "sgd=0.1,sgd=0.2"], bad("sgd=0.1,sgd=0.2") + "sgd is given two learning rates; expected one per optimizer.");
    usage(["--lr", "sgd"], bad("sgd") + "expected one learning rate for every optimizer (like 0.01) or name=lr pairs (like sgd=0.1,adam=0.003).");
    usage(["--lr", "0.1,adam=0.2"], bad("0.1,adam=0.2") + 'expected one learning rate for every optimizer (like 0.01) or name=lr pairs (like sgd=0.1,adam=0.003); "0.1" is not a name=lr pair.');
    usage(["--lr", "sgd=-1"], bad("sgd=-1") + "sgd=-1: expected a number ≥ 0.");
    usage(["--lr", "-1"], bad("-1") + "expected a number ≥ 0.");
    usage(["--optimizers", "sgd,adam,sgd"], "minima: --optimizers: names sgd twice; expected each optimizer once");
  });

  test("--seeds N runs each optimizer with seeds --seed … --seed+N−1; the table is the mean ± sample standard deviation of the logged last epochs; the chart draws a band per optimizer", () => {
    const out = join(tmp(), "seeds");
    const r = minima("compare", "--optimizers", "sgd,adam", "--seeds", "3", "--seed", "4", ...small, "--out", out);
    assert.equal(r.status, 0, r.stderr);
    const records = epochRecords(out);
    // Seed by seed, every optimizer within a seed.
    assert.deepEqual(records.map((l) => `${l.optimizer}/${l.seed}`), ["sgd/4", "adam/4", "sgd/5", "adam/5", "sgd/6", "adam/6"]);
    assert.match(r.stdout, /Mean ± standard deviation over 3 seeds \(4, 5, 6\) of each run's last epoch:/);
    for (const name of ["sgd", "adam"]) {
      const losses = records.filter((l) => l.optimizer === name).map((l) => l.valLoss as number);
      const mean = losses.reduce((a, b) => a + b, 0) / 3;
      const std = Math.sqrt(losses.reduce((a, b) => a + (b - mean) ** 2, 0) / 2);
      const row = r.stdout.split("\n").find((line) => line.startsWith(`| ${name} |`))!;
      assert.equal(row.split(" | ")[4], `${mean.toFixed(4)} ± ${std.toFixed(4)}`, row);
    }
    assert.match(r.stdout, /^sgd seed 4 +epoch 1\/1/m);
    const svg = readFileSync(join(out, "compare.svg"), "utf8");
    assert.equal([...svg.matchAll(/fill-opacity="0.2"/g)].length, 2, "a band per optimizer");
    assert.equal([...svg.matchAll(/<path d="M/g)].length, 4);
    assert.equal(JSON.parse(readFileSync(join(out, "config.json"), "utf8")).seeds, 3);
    // The first seed's runs are the runs of --seeds 1 (the default) with the same --seed.
    const one = join(tmp(), "one");
    assert.equal(minima("compare", "--optimizers", "sgd,adam", "--seed", "4", ...small, "--out", one).status, 0);
    assert.deepEqual(epochRecords(one).map((l) => l.loss), records.slice(0, 2).map((l) => l.loss));
  });

  test("--seeds past the largest seed is refused (exact text)", () => {
    const r = minima("compare", "--seed", "4294967290", "--seeds", "7");
    assert.equal(r.status, 2);
    assert.equal(r.stderr.trim(), "minima: --seeds: 7 seeds from --seed 4294967290 run past the largest seed, 4294967295; expected at most 6 seeds from --seed 4294967290");
  });

  test("compares a CNN too (--model cnn), with the same weights for each optimizer", () => {
    const out = join(tmp(), "cnn");
    const r = minima("compare", "--model", "cnn", "--channels", "4", "--hidden", "8", "--optimizers", "sgd,adam", "--epochs", "1", "--train-size", "100", "--out", out);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /CNN conv3x3 4, dense 8-10/);
    assert.deepEqual(epochRecords(out).map((l) => l.optimizer), ["sgd", "adam"]);
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
