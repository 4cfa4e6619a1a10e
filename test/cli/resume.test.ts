import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { decodeSafetensors } from "../../src/io/safetensors.js";
import { loadCheckpoint } from "../../src/train/checkpoint-files.js";
import { Generator } from "../../src/tensor/random.js";
import { MAIN, useCli } from "./run-minima.js";

const cli = useCli();
const options = cli.spawnOptions;
// Everything random at once: shuffling, dropout, augmentation, gradient noise; a per-step schedule; checkpoints inside epochs.
const FLAGS = ["train", "--epochs", "3", "--hidden", "48", "--train-size", "3000", "--batch-size", "50", "--dropout", "0.2",
  "--augment", "shift:1", "--grad-noise", "0.001", "--optimizer", "adam", "--schedule", "cosine", "--checkpoint-every", "7", "--seed", "4"];

/** Runs the CLI until it exits or is SIGKILLed after `killAfter` ms; resolves with how it ended. */
function runFor(args: string[], killAfter: number): Promise<{ code: number | null; signal: string | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [MAIN, ...args], options);
    let out = "";
    child.stdout.on("data", (d) => { out += d; });
    child.stderr.on("data", (d) => { out += d; });
    const timer = setTimeout(() => child.kill("SIGKILL"), killAfter);
    child.on("exit", (code, signal) => { clearTimeout(timer); resolve({ code, signal, out }); });
  });
}

const stepLosses = (run: string) => readFileSync(join(run, "metrics.jsonl"), "utf8").trim().split("\n")
  .map((l) => JSON.parse(l) as { kind: string; loss: number }).filter((l) => l.kind === "step").map((l) => l.loss);

describe("minima train --resume", () => {
  test("SIGKILL at random points, resume each time: the final weights are bit-identical to a run never interrupted; no checkpoint is ever torn", async (t) => {
    const root = cli.tmp();
    const whole = join(root, "whole"), killed = join(root, "killed");
    const started = performance.now();
    const r = spawnSync(process.execPath, [MAIN, ...FLAGS, "--out", whole], { ...options, encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    const duration = performance.now() - started;

    const g = new Generator(2026);
    let attempt = 0, midRunResumes = 0;
    for (let finished = false; !finished; attempt++) {
      assert.ok(attempt < 12, "the run finishes after a few resumes");
      // A run killed before it wrote config.json (while loading its data) left nothing to resume: it is started again.
      const args = existsSync(join(killed, "config.json")) ? ["train", "--resume", killed] : [...FLAGS, "--out", killed];
      // Random kill times over the whole run (start-up included); later attempts may run to the end.
      const end = await runFor(args, attempt < 6 ? 300 + g.random() * duration : 10 * 60 * 1000);
      if (/resuming .* after step \d+/.test(end.out) && !/after step 180\b/.test(end.out)) midRunResumes++;
      finished = end.code === 0;
      if (!finished) assert.equal(end.signal, "SIGKILL", end.out);
      for (const name of ["last", "best"]) {
        const dir = join(killed, "checkpoints");
        // The visible files are always whole: they decode; the pair is consistent (or completable) per its JSON.
        if (existsSync(join(dir, `${name}.safetensors`))) decodeSafetensors(readFileSync(join(dir, `${name}.safetensors`)));
        if (existsSync(join(dir, `${name}.json`))) loadCheckpoint(dir, name);
      }
    }
    t.diagnostic(`${attempt} processes, ${attempt - 1} SIGKILLs, ${midRunResumes} resumes from a mid-run checkpoint`);
    assert.ok(midRunResumes >= 1, `at least one kill landed mid-run (${attempt} attempts)`);
    const a = readFileSync(join(whole, "model.safetensors")), b = readFileSync(join(killed, "model.safetensors"));
    assert.equal(a.length, b.length);
    assert.ok(a.equals(b), "model.safetensors differs");
    assert.deepEqual(stepLosses(killed), stepLosses(whole));
    assert.equal(stepLosses(whole).length, 180);
  });

  test("resuming something that is not a run fails clearly", () => {
    const dir = cli.tmp();
    const r = spawnSync(process.execPath, [MAIN, "train", "--resume", dir], { ...options, encoding: "utf8" });
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, new RegExp(`--resume: ${dir.replace(/[.]/g, "\\.")} is not a run directory \\(no config\\.json\\)`));
    const extra = spawnSync(process.execPath, [MAIN, "train", "--resume", dir, "--epochs", "5", "--batch-size", "10"], { ...options, encoding: "utf8" });
    assert.notEqual(extra.status, 0);
    assert.match(extra.stderr, /--resume: continues a run with the flags it was started with \(its config\.json\); drop --epochs, --batch-size/);
  });

  test("config.json is checked against its schema, naming the bad field (exact text); a run log from a newer format is refused", () => {
    const real = join(cli.tmp(), "real");
    const made = spawnSync(process.execPath, [MAIN, "train", "--epochs", "1", "--train-size", "100", "--hidden", "8", "--batch-size", "50", "--augment", "flip", "--out", real], { ...options, encoding: "utf8" });
    assert.equal(made.status, 0, made.stderr);
    const config = JSON.parse(readFileSync(join(real, "config.json"), "utf8")) as Record<string, unknown>;
    const resume = (edit: (c: Record<string, unknown>) => void, metrics?: string) => {
      const dir = cli.tmp();
      const c = structuredClone(config);
      edit(c);
      writeFileSync(join(dir, "config.json"), JSON.stringify(c));
      if (metrics !== undefined) writeFileSync(join(dir, "metrics.jsonl"), metrics);
      mkdirSync(join(dir, "checkpoints"));
      const r = spawnSync(process.execPath, [MAIN, "train", "--resume", dir], { ...options, encoding: "utf8" });
      assert.notEqual(r.status, 0);
      return { err: r.stderr, file: join(dir, "config.json") };
    };
    let r = resume((c) => { c["epochs"] = "ten"; });
    assert.equal(r.err, `minima: --resume: ${r.file}: field "epochs" is of the wrong type; expected a number, got "ten"\n`);
    r = resume((c) => { c["optimizer"] = "adamm"; });
    assert.equal(r.err, `minima: --resume: ${r.file}: field "optimizer" is invalid; expected one of sgd, momentum, nesterov, adagrad, adadelta, rmsprop, adam, adamw, adamax, nadam, radam, lion, got "adamm"\n`);
    r = resume((c) => { delete c["batchSize"]; });
    assert.equal(r.err, `minima: --resume: ${r.file}: field "batchSize" is missing; expected a number\n`);
    r = resume((c) => { c["learningRate"] = 0.1; });
    assert.equal(r.err, `minima: --resume: ${r.file}: unknown field "learningRate"; expected only the fields minima train writes\n`);
    r = resume((c) => { (c["augment"] as { name: string }[])[0]!.name = "rotate"; });
    assert.equal(r.err, `minima: --resume: ${r.file}: field "augment[0].name" is invalid; expected one of flip, crop, shift, cutout, got "rotate"\n`);
    r = resume(() => {}, '{"kind":"header","format":"minima.metrics","version":"2.0","minimaVersion":"7.0.0"}\n');
    const pkg = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as { version: string };
    assert.equal(r.err, `minima: ${join(r.file, "..", "metrics.jsonl")}:1: written in run-log format 2.0 by minima 7.0.0; this minima (${pkg.version}) reads format 1.x: upgrade minima to read it\n`);
    const notJson = cli.tmp();
    writeFileSync(join(notJson, "config.json"), "{ oops");
    const bad = spawnSync(process.execPath, [MAIN, "train", "--resume", notJson], { ...options, encoding: "utf8" });
    assert.match(bad.stderr, new RegExp(`^minima: --resume: ${join(notJson, "config.json").replace(/[.]/g, "\\.")} is not valid JSON \\(`));
  });
});
