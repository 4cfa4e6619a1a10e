import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import * as mn from "../../src/index.node.js";
import { MAIN, useCli } from "./run-minima.js";
import { writeIdx } from "./model-files.js";

// Issue 11, items 2, 3, 4, 5 and 8: the run folder's life. References: the files on disk before and
// after (bytes, names), the processes' pids, the metrics.jsonl each run wrote, and hashes computed here.

const cli = useCli();
const SMALL = ["--epochs", "2", "--train-size", "300", "--hidden", "16", "--batch-size", "50"];
const read = (path: string) => readFileSync(path);
const epochsOf = (run: string) => readFileSync(join(run, "metrics.jsonl"), "utf8").trim().split("\n")
  .map((l) => JSON.parse(l) as Record<string, unknown>).filter((r) => r["kind"] === "epoch");
/** minima run in `cwd` (the scratch folder by default). */
const minimaIn = (cwd: string, ...args: string[]) => {
  const r = spawnSync(process.execPath, [MAIN, ...args], { ...cli.spawnOptions, cwd, encoding: "utf8" });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

describe("minima train --out: an existing run is never overwritten by accident (item 2)", () => {
  test("--out of a run is refused (exit 2) and leaves its files byte for byte; --overwrite replaces it, nothing of the old run left; --out of an empty folder works", () => {
    const root = cli.tmp(), run = join(root, "run");
    assert.equal(cli.run("train", ...SMALL, "--png", "--out", run).code, 0);
    const files = readdirSync(run, { recursive: true }).map(String).sort();
    const bytes = files.filter((f) => f.includes(".")).map((f) => read(join(run, f)));
    const again = minimaIn(root, "train", ...SMALL, "--out", "run");
    assert.equal(again.code, 2);
    assert.equal(again.err, `minima: --out: ${run} holds a run already (its config.json); continue it with --resume run, or replace it with --overwrite\n`);
    assert.deepEqual(readdirSync(run, { recursive: true }).map(String).sort(), files);
    files.filter((f) => f.includes(".")).forEach((f, i) => assert.ok(read(join(run, f)).equals(bytes[i]!), f));

    writeFileSync(join(run, "notes.txt"), "mine");
    const replaced = cli.run("train", "--epochs", "1", "--train-size", "300", "--hidden", "8", "--batch-size", "100", "--out", run, "--overwrite");
    assert.equal(replaced.code, 0, replaced.err);
    assert.ok(!existsSync(join(run, "plots")), "the old run's plots are gone");
    assert.deepEqual(epochsOf(run).map((e) => e["steps"]), [3], "metrics.jsonl holds the new run's one epoch of 3 steps only");
    assert.equal((JSON.parse(readFileSync(join(run, "config.json"), "utf8")) as { hidden: number[] }).hidden[0], 8);
    assert.equal(readFileSync(join(run, "notes.txt"), "utf8"), "mine", "a file minima did not write stays");

    const empty = join(root, "empty");
    mkdirSync(empty);
    assert.equal(cli.run("train", "--epochs", "1", "--train-size", "100", "--hidden", "4", "--batch-size", "100", "--out", empty).code, 0);
    assert.ok(existsSync(join(empty, "model.safetensors")));
  });

  test("--overwrite without --out is refused: every run without --out gets a new folder", () => {
    const r = cli.run("train", "--overwrite", "--epochs", "1");
    assert.deepEqual([r.code, r.err], [2, "minima: --overwrite: replaces the run in the folder --out names; without --out every run gets a new folder\n"]);
  });

  test("a usage error found after the data is loaded leaves no run folder (--out, or the default runs/<name>)", () => {
    const cwd = cli.tmp(), run = join(cwd, "run");
    mn.io.saveSafetensors(join(cwd, "other.safetensors"), { "head.weight": mn.zeros([2, 2]) });
    for (const out of [["--out", run], []]) {
      const r = minimaIn(cwd, "train", ...SMALL, "--init-from", "other.safetensors", ...out);
      assert.equal(r.code, 2);
      assert.match(r.err, /^minima: --init-from: other\.safetensors has no tensor this model has/);
      assert.deepEqual(readdirSync(cwd), ["other.safetensors"], "no run folder, no runs/");
    }
  });

  test("--val-fraction that rounds to no validation sample is refused before training (it failed after the first epoch, leaving a run folder)", () => {
    const cwd = cli.tmp();
    const r = minimaIn(cwd, "train", ...SMALL, "--val-fraction", "0.000001", "--out", "run");
    assert.deepEqual([r.code, r.err], [2, "minima: --val-fraction: 0.000001 holds no validation sample (it rounds to 0 samples of the training set); expected 0 for no validation set, or a larger fraction\n"]);
    assert.deepEqual(readdirSync(cwd), []);
  });

  test("RunDir.discardUnstarted removes a folder this process made while it holds no result, and nothing else", () => {
    const root = cli.tmp();
    const made = mn.io.RunDir.create(join(root, "a"), { overwrite: false });
    made.writeConfig({ command: "train" });
    assert.equal(made.discardUnstarted(), true);
    assert.ok(!existsSync(join(root, "a")));
    const trained = mn.io.RunDir.create(join(root, "b"), { overwrite: false });
    writeFileSync(join(trained.path, "checkpoints", "last.json"), "{}");
    assert.equal(trained.discardUnstarted(), false);
    assert.ok(existsSync(join(root, "b", "checkpoints", "last.json")));
    trained.release();
  });
});

/** Spawns minima; resolves when it exits. */
function start(...args: string[]) {
  const child = spawn(process.execPath, [MAIN, ...args], cli.spawnOptions);
  let out = "";
  child.stdout.on("data", (d) => { out += d; });
  child.stderr.on("data", (d) => { out += d; });
  const ended = new Promise<{ code: number | null; signal: string | null; out: string }>((resolve) => child.on("exit", (code, signal) => resolve({ code, signal, out })));
  return { child, ended };
}

/** Waits until `check` holds (polling), failing after 60 s. */
async function until(check: () => boolean, what: string): Promise<void> {
  for (const t0 = Date.now(); !check(); await new Promise((r) => setTimeout(r, 20))) {
    if (Date.now() - t0 > 60_000) assert.fail(`timed out waiting: ${what}`);
  }
}

const holder = (run: string) => {
  try {
    return (JSON.parse(readFileSync(join(run, "minima.lock"), "utf8")) as { pid: number }).pid;
  } catch {
    return null;
  }
};

describe("the run folder's lock: one process per run (item 3)", () => {
  test("real processes: a second fresh run and a --resume are refused naming the holder; after kill -9 the stale lock is taken over; two --resume: the second refused; the log stays one run's", async () => {
    const run = join(cli.tmp(), "run");
    const flags = ["train", "--epochs", "3", "--train-size", "3000", "--hidden", "32", "--batch-size", "50", "--out", run];
    const inUse = (where: string, pid: number) =>
      `minima: ${where}: ${run} is in use by process ${pid} on ${hostname()} (lock file ${join(run, "minima.lock")}); wait for that process to end\n`;
    // Each holder is frozen (SIGSTOP) while the others try: alive, holding the lock, whatever the machine's speed.
    const a = start(...flags);
    await until(() => holder(run) === a.child.pid && existsSync(join(run, "config.json")), "the first run's lock and config.json");
    a.child.kill("SIGSTOP");
    const second = cli.run(...flags);
    assert.deepEqual([second.code, second.err], [1, inUse("--out", a.child.pid!)]);
    const resumed = cli.run("train", "--resume", run);
    assert.deepEqual([resumed.code, resumed.err], [1, inUse("--resume", a.child.pid!)]);
    a.child.kill("SIGKILL");
    await a.ended;
    assert.equal(holder(run), a.child.pid, "kill -9 leaves the lock file behind");

    const c = start("train", "--resume", run);
    await until(() => holder(run) === c.child.pid, "the stale lock taken over");
    c.child.kill("SIGSTOP");
    const d = cli.run("train", "--resume", run);
    assert.deepEqual([d.code, d.err], [1, inUse("--resume", c.child.pid!)]);
    c.child.kill("SIGCONT");
    const end = await c.ended;
    assert.equal(end.code, 0, end.out);
    assert.ok(!existsSync(join(run, "minima.lock")), "the lock is removed at the end");
    const records = readFileSync(join(run, "metrics.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as { kind: string; step?: number });
    const steps = records.filter((r) => r.kind === "step").map((r) => r.step);
    assert.deepEqual(steps, Array.from({ length: 180 }, (_, i) => i + 1), "steps 1..180 once each, in order");
    assert.equal(records.filter((r) => r.kind === "end").length, 1);
  });

  test("a lock released by a failing process (exit 2) and by one that ends well; an unreadable lock file is refused, naming it", () => {
    const run = join(cli.tmp(), "run");
    assert.equal(cli.run("train", ...SMALL, "--out", run).code, 0);
    assert.ok(!existsSync(join(run, "minima.lock")));
    writeFileSync(join(run, "minima.lock"), "");
    const r = cli.run("train", "--resume", run);
    assert.deepEqual([r.code, r.err], [1, `minima: --resume: ${run} is in use by another process: its lock file ${join(run, "minima.lock")} is unreadable; remove it if no minima uses this run\n`]);
    rmSync(join(run, "minima.lock"));
    const lock = mn.io.lockRunDir(run, "--resume");
    assert.equal(holder(run), process.pid);
    assert.throws(() => mn.io.lockRunDir(run, "--resume"), { message: `--resume: ${run} is in use by process ${process.pid} on ${hostname()} (lock file ${join(run, "minima.lock")}); wait for that process to end` });
    lock.release();
    assert.ok(!existsSync(join(run, "minima.lock")));
  });
});

describe("a diverged run never writes diverged weights as its model, and fails (item 4)", () => {
  test("--optimizer sgd --lr 1e30, stopped or continued, and --lr 1e6 continued: exit 1, no model.safetensors, and the output says so", () => {
    const stopped = (out: string) => `minima: train: the run stopped: ${/^stopped: (diverged: loss became NaN at step \d+ \(epoch 1\); the learning rate is probably too high)$/m.exec(out)?.[1]}\n`;
    const cases: [string[], (run: string, out: string, err: string) => string][] = [
      [["--optimizer", "sgd", "--lr", "1e30"], (_run, out) => stopped(out)],
      [["--optimizer", "sgd", "--lr", "1e30", "--on-divergence", "continue"], firstNonFinite],
      [["--lr", "1e6", "--on-divergence", "continue"], firstNonFinite],
    ];
    for (const [flags, err] of cases) {
      const run = join(cli.tmp(), "run");
      const r = cli.run("train", ...SMALL, ...flags, "--out", run);
      assert.equal(r.code, 1, flags.join(" "));
      assert.equal(r.err, err(run, r.out, r.err), flags.join(" "));
      assert.match(r.out, /^the run diverged before any epoch ended with a finite loss within 10× the first: no model\.safetensors written$/m);
      assert.ok(!existsSync(join(run, "model.safetensors")), flags.join(" "));
      assert.ok(existsSync(join(run, "report.html")));
    }
  });

  test("a run healthy in epoch 1 that diverges in epoch 2 (step schedule, gamma 1e5) keeps epoch 1's weights, the best validation loss in metrics.jsonl, equal to checkpoints/best", () => {
    for (const action of ["stop", "continue"]) {
      const run = join(cli.tmp(), "run");
      const r = cli.run("train", "--epochs", "3", "--train-size", "500", "--hidden", "16", "--batch-size", "50", "--optimizer", "sgd", "--lr", "0.1",
        "--schedule", "step", "--gamma", "1e5", "--on-divergence", action, "--out", run);
      assert.equal(r.code, 1, r.out);
      const logs = epochsOf(run) as { epoch: number; valLoss: number }[];
      const best = logs.filter((e) => Number.isFinite(e.valLoss)).reduce((a, b) => (b.valLoss < a.valLoss ? b : a));
      assert.equal(best.epoch, 1);
      assert.match(r.out, new RegExp(`^the run diverged: ${join(run, "model.safetensors").replace(/[.]/g, "\\.")} holds the weights of epoch 1, its best epoch before it diverged \\(checkpoints/best\\), not the diverged ones$`, "m"));
      const model = mn.io.loadSafetensors(join(run, "model.safetensors")), kept = mn.io.loadSafetensors(join(run, "checkpoints", "best.safetensors"));
      assert.deepEqual(Object.keys(model).sort(), Object.keys(kept).sort());
      for (const k of Object.keys(kept)) assert.deepEqual(Array.from(model[k]!.data), Array.from(kept[k]!.data), k);
      if (action === "continue") assert.match(r.err, /^minima: train: the run diverged: epoch 3's training loss .* is over 10× the first loss 2\.\d{3}\n$/);
    }
  });
});

/**
 * The refusal of a continued run whose final weights hold a non-finite value: the tensor it names
 * must hold that value in checkpoints/last (the final weights, saved at the last epoch's end).
 */
function firstNonFinite(run: string, out: string, err: string): string {
  const [, name, value] = /^minima: train: the run diverged: tensor "(.+)" holds (NaN|Infinity|-Infinity)\n$/.exec(err) ?? [];
  const weights = mn.io.loadSafetensors(join(run, "checkpoints", "last.safetensors"));
  assert.ok(name !== undefined && Array.from(weights[name]!.data).some((v) => String(v) === value), `${err}${out}`);
  return err;
}

describe("checkpoints/last.json is checked before --resume trusts it (item 5)", () => {
  const made = join(cli.tmp(), "made");
  const copy = () => {
    if (!existsSync(made)) assert.equal(cli.run("train", ...SMALL, "--out", made).code, 0);
    const run = join(cli.tmp(), "run");
    cpSync(made, run, { recursive: true });
    return { run, dir: join(run, "checkpoints"), json: join(run, "checkpoints", "last.json") };
  };

  test("last.json deleted while its weights remain: --resume refuses, naming both, and touches nothing", () => {
    const { run, dir, json } = copy();
    rmSync(json);
    const before = readdirSync(run, { recursive: true }).map(String).sort();
    const weights = read(join(dir, "last.safetensors"));
    const r = cli.run("train", "--resume", run);
    assert.deepEqual([r.code, r.err], [1, `minima: --resume: ${json} is missing, but last.safetensors and last.state.safetensors remain in ${dir}: the checkpoint cannot be read without its JSON, and starting over would overwrite them; put last.json back, or start a new run\n`]);
    assert.deepEqual(readdirSync(run, { recursive: true }).map(String).sort(), before);
    assert.ok(read(join(dir, "last.safetensors")).equals(weights));
  });

  test("edited fields are refused by name (type, count, agreement with the history); an edit that keeps every field valid is caught by the JSON's own SHA-256", () => {
    const edits: [(c: Record<string, unknown>) => void, (json: string) => string][] = [
      [(c) => { c["step"] = "abc"; }, (f) => `${f}: field "step" is of the wrong type; expected a number, got "abc"`],
      [(c) => { c["epochsDone"] = 99; }, (f) => `${f}: field "epochsDone" is 99, but its history holds 2 epochs`],
      [(c) => { c["batchesDone"] = 1e6; }, (f) => `${f}: field "batchesDone" is 1000000, but 12 steps with 12 by the end of epoch 2 leave 0 in the epoch in progress`],
      [(c) => { c["step"] = 2.5; }, (f) => `${f}: field "step" is 2.5, not a count (an integer >= 0)`],
      [(c) => { (c["running"] as Record<string, unknown>)["seen"] = -1; }, (f) => `${f}: field "running.seen" is -1, not a count (an integer >= 0)`],
      [(c) => { c["learningRate"] = 1; }, (f) => `${f}: unknown field "learningRate"; expected only the fields saveCheckpoint writes`],
      [(c) => { (c["running"] as Record<string, unknown>)["lossSum"] = 1; }, (f) => `${f} was edited or is corrupt: its content does not match the SHA-256 it records (field "sha256")`],
      [(c) => { c["version"] = 1; delete c["sha256"]; }, (f) => `${f} is a checkpoint of format version 1 (an older minima), whose JSON records no digest of itself, so an edit to it would go unseen; finish that run with the minima that started it, or start it again; expected version 2`],
    ];
    for (const [edit, message] of edits) {
      const { run, json } = copy();
      const c = JSON.parse(readFileSync(json, "utf8")) as Record<string, unknown>;
      edit(c);
      writeFileSync(json, JSON.stringify(c));
      const r = cli.run("train", "--resume", run);
      assert.deepEqual([r.code, r.err], [1, `minima: loadCheckpoint: ${message(json)}\n`]);
    }
  });

  test("the run's own shape: a checkpoint with more epochs than the run, or another number of steps per epoch, is refused naming the field", () => {
    const { dir } = copy();
    const json = join(dir, "last.json");
    assert.equal(mn.train.loadCheckpoint(dir, "last", { epochs: 2, stepsPerEpoch: 6 }).state.step, 12);
    assert.throws(() => mn.train.loadCheckpoint(dir, "last", { epochs: 1, stepsPerEpoch: 6 }), { message: `loadCheckpoint: ${json}: field "epochsDone" is 2, but the run has 1 epoch` });
    assert.throws(() => mn.train.loadCheckpoint(dir, "last", { epochs: 2, stepsPerEpoch: 5 }), { message: `loadCheckpoint: ${json}: field "step" is 12, but 2 epochs of 5 steps and 0 batches make 10` });
  });
});

describe("--resume trains on the data the run started on (item 8)", () => {
  /** A folder of IDX files: `n` train and `m` test images of 8×8 bytes, labels i mod 10 (test ones changed by `labels`). */
  const writeData = (dir: string, n: number, m: number, labels = (i: number) => i % 10) => {
    mkdirSync(dir, { recursive: true });
    const pixels = (k: number) => Uint8Array.from({ length: k * 64 }, (_, i) => (i * 37 + Math.floor(i / 64) * 11) % 256);
    writeIdx(join(dir, "train-images-idx3-ubyte"), [n, 8, 8], pixels(n));
    writeIdx(join(dir, "train-labels-idx1-ubyte"), [n], Array.from({ length: n }, (_, i) => i % 10));
    writeIdx(join(dir, "t10k-images-idx3-ubyte"), [m, 8, 8], pixels(m));
    writeIdx(join(dir, "t10k-labels-idx1-ubyte"), [m], Array.from({ length: m }, (_, i) => labels(i)));
  };
  const sha = (labels: number[]) => createHash("sha256").update(new Uint8Array(Int32Array.from(labels).buffer)).digest("hex");

  test("config.json holds absolute --dataset and --init-from and the data's fingerprint; --resume from another folder uses them; changed labels or sizes are refused, naming the differences", () => {
    const home = cli.tmp(), elsewhere = cli.tmp();
    writeData(join(home, "good"), 200, 50);
    writeData(join(elsewhere, "good"), 200, 50, (i) => (i + 1) % 10); // a different good/ beside the second folder
    const flags = ["train", "--dataset", "good", "--epochs", "1", "--hidden", "8", "--batch-size", "50"];
    assert.equal(minimaIn(home, ...flags, "--out", "first").code, 0);
    cpSync(join(home, "first", "model.safetensors"), join(home, "w.safetensors"));
    const made = minimaIn(home, ...flags, "--init-from", "w.safetensors", "--out", "run");
    assert.equal(made.code, 0, made.err);
    const run = join(home, "run"), configPath = join(run, "config.json");
    const config = JSON.parse(readFileSync(configPath, "utf8")) as { dataset: string; initFrom: string; data: { test: { samples: number; labelsSha256: string } } };
    assert.deepEqual([config.dataset, config.initFrom], [join(home, "good"), join(home, "w.safetensors")]);
    const labels = Array.from({ length: 50 }, (_, i) => i % 10);
    assert.deepEqual(config.data.test, { samples: 50, labelsSha256: sha(labels) });

    const resumed = minimaIn(elsewhere, "train", "--resume", run);
    assert.equal(resumed.code, 0, resumed.err);
    assert.ok(resumed.out.includes(` tensors from ${join(home, "w.safetensors")}`), resumed.out);

    const swapped = labels.map((l, i) => (i === 0 ? 9 : l));
    writeIdx(join(home, "good", "t10k-labels-idx1-ubyte"), [50], swapped);
    const r = minimaIn(elsewhere, "train", "--resume", run);
    const show = (n: number, l: number[]) => `${n} samples, labels sha256 ${sha(l).slice(0, 12)}…`;
    assert.deepEqual([r.code, r.err], [1, `minima: --resume: the data set ${join(home, "good")} is not the one ${run} started on (${configPath}): test: ${show(50, labels)} when the run started; ${show(50, swapped)} now\n`]);

    writeData(join(home, "good"), 200, 40);
    const fewer = minimaIn(elsewhere, "train", "--resume", run);
    assert.equal(fewer.err, `minima: --resume: the data set ${join(home, "good")} is not the one ${run} started on (${configPath}): test: ${show(50, labels)} when the run started; ${show(40, labels.slice(0, 40))} now\n`);
  });
});
