import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findFashionMnist, mnist } from "../../src/data/index.node.js";
import * as mn from "../../src/index.node.js";
import { MAIN, useCli } from "./run-minima.js";

const cli = useCli({ MINIMA_BACKEND: "" });
const minima = cli.run, tmp = cli.tmp;

/** The run's epoch records (metrics.jsonl also holds step, layer and end lines). */
function metrics(dir: string): Record<string, number | null>[] {
  return readFileSync(join(dir, "metrics.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l)).filter((l) => l.kind === "epoch");
}

/**
 * The run's confusion record (the saved model on the test split) counts every test sample, its diagonal gives the last
 * epoch's test accuracy (which fit measured on its own), and the report draws it and the per-class accuracy with the class names.
 */
function checkConfusion(dir: string, classes: string[], samples: number, testAccuracy: number): void {
  const lines = readFileSync(join(dir, "metrics.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as { kind: string; split?: string; classes?: string[]; matrix?: number[][] });
  const record = lines.find((l) => l.kind === "confusion")!;
  assert.equal(record.split, "test");
  assert.deepEqual(record.classes, classes);
  const total = record.matrix!.flat().reduce((a, b) => a + b, 0), right = record.matrix!.reduce((a, row, i) => a + row[i]!, 0);
  assert.equal(total, samples);
  assert.equal(right / total, testAccuracy);
  const html = readFileSync(join(dir, "report.html"), "utf8");
  for (const id of ["plot-confusion-matrix", "plot-per-class-accuracy"]) assert.match(html, new RegExp(`<figure id="${id}">\n<svg`));
  const perClass = html.slice(html.indexOf('<figure id="plot-per-class-accuracy">'));
  classes.forEach((c, i) => {
    const row = record.matrix![i]!, n = row.reduce((a, b) => a + b, 0);
    assert.ok(perClass.includes(`>${c}</text>`), c);
    assert.ok(perClass.includes(`>${(100 * row[i]! / n).toFixed(2)}%</text>`), `${c}: ${(100 * row[i]! / n).toFixed(2)}%`);
  });
}

describe("minima train", () => {
  test("learns the embedded MNIST digits: one epoch of a small MLP passes 85% test accuracy; the run directory holds config and metrics", () => {
    const out = join(tmp(), "run");
    const r = minima("train", "--epochs", "1", "--hidden", "64", "--out", out);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /epoch 1\/1 .*train loss .* val loss .* test loss .* acc/);
    const config = JSON.parse(readFileSync(join(out, "config.json"), "utf8"));
    assert.deepEqual(config.hidden, [64]);
    assert.equal(config.dataset, "mnist");
    assert.equal(config.lr, 0.05);
    const [m] = metrics(out);
    assert.ok(m!["testAccuracy"]! > 0.85, `test accuracy ${m!["testAccuracy"]}`);
    for (const key of ["loss", "accuracy", "valLoss", "valAccuracy", "testLoss", "testAccuracy"]) assert.equal(typeof m![key], "number", key);
    // Piped (the test reads stdout through a pipe): one line per epoch, and no bar.
    assert.equal(r.out.split("\n").filter((l) => l.startsWith("epoch ")).length, 1);
    assert.doesNotMatch(r.err, /samples\/s/);
    checkConfusion(out, ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"], 2004, m!["testAccuracy"]!);
  });

  test("--model cnn trains the benchmark CNN on the embedded digits: one epoch passes 90% test accuracy", () => {
    const out = join(tmp(), "cnn");
    const r = minima("train", "--model", "cnn", "--epochs", "1", "--optimizer", "adam", "--lr", "0.001", "--out", out);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /CNN conv3x3 32, conv3x3 64, dense 128-10 \(225034 parameters\)/);
    const config = JSON.parse(readFileSync(join(out, "config.json"), "utf8"));
    assert.deepEqual([config.model, config.channels, config.hidden], ["cnn", [32, 64], [128]]);
    assert.ok(metrics(out)[0]!["testAccuracy"]! > 0.9, `test accuracy ${metrics(out)[0]!["testAccuracy"]}`);
  });

  test("the same seed gives the same run, number for number", () => {
    const a = join(tmp(), "a"), b = join(tmp(), "b");
    const args = ["train", "--epochs", "1", "--hidden", "16", "--batch-size", "128", "--seed", "3"];
    assert.equal(minima(...args, "--out", a).code, 0);
    assert.equal(minima(...args, "--out", b).code, 0);
    const strip = (ms: Record<string, number | null>[]) => ms.map(({ seconds: _s, samplesPerSecond: _r, ...rest }) => rest);
    assert.deepEqual(strip(metrics(a)), strip(metrics(b)));
  });

  test("Fashion-MNIST (60,000 real images): one epoch passes 80% test accuracy", (t) => {
    let dir: string;
    try { dir = findFashionMnist(); } catch (e) { t.skip(`dataset-fashion-mnist is not installed: ${(e as Error).message}`); return; }
    assert.ok(existsSync(dir));
    const out = join(tmp(), "fashion");
    const r = minima("train", "--dataset", "fashion-mnist", "--epochs", "1", "--hidden", "128", "--batch-size", "128", "--out", out);
    assert.equal(r.code, 0, r.err);
    assert.ok(metrics(out)[0]!["testAccuracy"]! > 0.8);
    checkConfusion(out, ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"], 10000, metrics(out)[0]!["testAccuracy"]!);
  });

  test("unknown flags, bad values and missing data are refused with a clear message", () => {
    const bogus = minima("train", "--bogus");
    assert.notEqual(bogus.code, 0);
    assert.match(bogus.err, /unknown option '--bogus'/);
    const lr = minima("train", "--lr", "-0.1");
    assert.notEqual(lr.code, 0);
    assert.match(lr.err, /option '--lr <rate>' argument '-0.1' is invalid. expected a number ≥ 0/);
    const hidden = minima("train", "--hidden", "256,x");
    assert.match(hidden.err, /expected positive integers separated by commas/);
    const act = minima("train", "--activation", "swish");
    assert.match(act.err, /argument 'swish' is invalid. Allowed choices are relu, leaky-relu, tanh, sigmoid, gelu/);
    const missing = minima("train", "--dataset", join(tmpdir(), "no-such-folder-minima"));
    assert.notEqual(missing.code, 0);
    assert.match(missing.err, /unknown data set ".*no-such-folder-minima"; expected mnist, fashion-mnist, a \.csv file, or an existing folder \(IDX files, or class folders of PNG images\)/);
    const empty = tmp();
    const noFiles = minima("train", "--dataset", empty);
    assert.match(noFiles.err, /has no train-images-idx3-ubyte \(or train-images-idx3-ubyte.gz\)/);
  });

  test("--help lists the options", () => {
    const r = minima("train", "--help");
    assert.equal(r.code, 0);
    for (const flag of ["--hidden", "--activation", "--init", "--dataset", "--epochs", "--batch-size", "--lr", "--momentum", "--seed", "--out"]) {
      assert.ok(r.out.includes(flag), flag);
    }
  });
});

describe("minima train --optimizer adam --schedule cosine --warmup --clip-norm", () => {
  const ADAM = ["train", "--optimizer", "adam", "--lr", "0.003", "--schedule", "cosine", "--warmup", "40", "--clip-norm", "1.5",
    "--epochs", "3", "--hidden", "16", "--batch-size", "256"];

  /** Linear warmup from 1% of lr over `warmup` steps, then a half cosine from lr to 0 over the remaining steps. */
  const warmupCosine = (lr: number, warmup: number, total: number) => (t: number) =>
    t < warmup ? lr * (0.01 + (0.99 * t) / warmup) : (lr * (1 + Math.cos((Math.PI * (t - warmup)) / (total - warmup)))) / 2;

  test("config.json records the flags; each epoch's lr is the closed form of warmup then cosine, stepped once per batch; the run learns", () => {
    const out = join(tmp(), "adam");
    const r = minima(...ADAM, "--seed", "1", "--out", out);
    assert.equal(r.code, 0, r.err);
    const config = JSON.parse(readFileSync(join(out, "config.json"), "utf8"));
    assert.deepEqual([config.optimizer, config.lr, config.schedule, config.warmup, config.clipNorm], ["adam", 0.003, "cosine", 40, 1.5]);
    // The train split: the embedded MNIST training set less the default 10% held out for validation.
    const n = mnist().train.length, trainSize = n - Math.round(0.1 * n);
    assert.match(r.out, new RegExp(`\\b${trainSize} train / `));
    const steps = Math.ceil(trainSize / 256), lrAt = warmupCosine(0.003, 40, 3 * steps);
    assert.ok(steps < 40 && 40 < 2 * steps, `the epochs should start in warmup, in warmup and in the cosine (${steps} steps per epoch)`);
    const ms = metrics(out);
    assert.equal(ms.length, 3);
    // Each record holds the lr the epoch started with: the lr after (epoch − 1) · steps optimizer steps.
    ms.forEach((m, i) => assert.ok(Math.abs(m["lr"]! - lrAt(i * steps)) <= 1e-12, `epoch ${i + 1}: lr ${m["lr"]}, expected ${lrAt(i * steps)}`));
    assert.ok(ms[2]!["testAccuracy"]! > 0.8, `test accuracy ${ms[2]!["testAccuracy"]}`);
  });

  test("the same seed gives identical metrics, another seed different ones", () => {
    const run = (seed: string) => {
      const out = join(tmp(), "run");
      assert.equal(minima(...ADAM, "--epochs", "2", "--seed", seed, "--out", out).code, 0);
      return metrics(out).map(({ seconds: _s, ...rest }) => rest);
    };
    const a = run("5");
    assert.deepEqual(run("5"), a);
    assert.notDeepEqual(run("6"), a);
  });

  test("a non-positive --clip-norm, a negative --warmup and an unknown --schedule are refused, naming the flag and the value", () => {
    const refused = (args: string[], message: RegExp) => {
      const r = minima("train", ...args, "--epochs", "1", "--out", join(tmp(), "never"));
      assert.equal(r.code, 2, `${args.join(" ")}: exit code ${r.code} (a usage error)`);
      assert.match(r.err, message);
      assert.equal(r.out, "", "nothing trained");
    };
    refused(["--clip-norm", "0"], /option '--clip-norm <max>' argument '0' is invalid. expected a number > 0/);
    refused(["--clip-norm", "-1"], /option '--clip-norm <max>' argument '-1' is invalid. expected a number > 0/);
    refused(["--warmup", "-3"], /option '--warmup <steps>' argument '-3' is invalid. expected an integer ≥ 0/);
    refused(["--schedule", "bogus"], /option '--schedule <name>' argument 'bogus' is invalid. Allowed choices are .*\bcosine\b/);
  });
});

describe("the backend in the header of train and compare", () => {
  test("names the backend and its threads (exact text): native as chosen by MINIMA_NUM_THREADS, js on one thread, without a notice", () => {
    const run = (command: string[], env: NodeJS.ProcessEnv) => spawnSync(process.execPath, [MAIN, ...command, "--epochs", "1", "--train-size", "200", "--hidden", "8", "--out", join(tmp(), "run")],
      { ...cli.spawnOptions, encoding: "utf8", env: { ...cli.spawnOptions.env, ...env } });
    const cases: [string[], string][] = [[["train"], "minima train: "], [["compare", "--optimizers", "sgd"], "minima compare: "]];
    for (const [command, head] of cases) {
      const js = run(command, { MINIMA_BACKEND: "js" });
      assert.equal(js.status, 0, js.stderr);
      assert.equal(js.stderr, "");
      const first = js.stdout.split("\n")[0]!;
      assert.ok(first.startsWith(head) && first.endsWith("; js backend, 1 thread"), first);
      if (!mn.listBackends().includes("native")) continue;
      const native = run(command, { MINIMA_BACKEND: "native", MINIMA_NUM_THREADS: "2" });
      assert.equal(native.status, 0, native.stderr);
      assert.ok(native.stdout.split("\n")[0]!.endsWith("; native backend, 2 threads"), native.stdout.split("\n")[0]);
    }
  });
});

describe("minima info", () => {
  test("prints the version, the backend, native's state and the threads; MINIMA_BACKEND and MINIMA_NUM_THREADS choose", () => {
    const r = minima("info");
    assert.equal(r.code, 0);
    assert.match(r.out, /^minima\s+\d+\.\d+\.\d+/m);
    if (mn.listBackends().includes("native")) {
      assert.match(r.out, /^backend\s+native /m);
      assert.match(r.out, /^native\s+loaded: (avx2\+fma|baseline), OpenBLAS \d.*, convolutions (on oneDNN \d|as im2col)/m);
      assert.match(r.out, /^threads\s+\d+ of \d+ cores/m);
      const js = spawnSync(process.execPath, [MAIN, "info"], { encoding: "utf8", env: { ...process.env, MINIMA_BACKEND: "js", MINIMA_NUM_THREADS: "1" } });
      assert.match(js.stdout, /^backend\s+js /m);
      assert.match(js.stdout, /^threads\s+1 of \d+ cores/m);
    } else {
      assert.match(r.out, /^backend\s+js /m);
      assert.match(r.out, /^native\s+not available: .+ \(fix: .+\)$/m);
    }
  });
});
