import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { appendFileSync, existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { openRun } from "../../src/cli/open-run.js";
import { DataLoader } from "../../src/data/data-loader.js";
import { nonFiniteReviver } from "../../src/io/non-finite-json.js";
import { loadSafetensors } from "../../src/io/safetensors-file.js";
import { slice } from "../../src/landscape/slices/slice.js";
import type { Tensor } from "../../src/tensor/tensor.js";
import { evaluate } from "../../src/train/evaluate.js";
import { MAIN, useCli } from "./run-minima.js";

const cli = useCli();
let run = "";

before(() => {
  run = join(cli.tmp(), "run");
  const r = cli.run("train", "--epochs", "3", "--train-size", "600", "--hidden", "32", "--keep-epochs", "--out", run);
  assert.equal(r.code, 0, r.err);
});

const readSlice = (dir: string) => JSON.parse(readFileSync(join(dir, "slice.json"), "utf8"), nonFiniteReviver) as { losses: number[]; accuracies: (number | null)[]; alphas: number[][] };

/** The batches minima slice averages over by default: the first 4 batches of 256 of the run's training split. */
function firstBatches(opened: ReturnType<typeof openRun>): Tensor[][] {
  return [...new DataLoader(opened.data.train, { batchSize: 256 })].slice(0, 4) as Tensor[][];
}

describe("minima slice", () => {
  test("a 1-D random slice: the point at α = 0 equals mn.train.evaluate's loss of the best checkpoint on the first 4 batches of 256, every point equals mn.landscape.slice along the saved direction", () => {
    const out = join(cli.tmp(), "line");
    const r = cli.run("slice", run, "--points", "5", "--out", out);
    assert.equal(r.code, 0, r.err);
    const opened = openRun(run, { checkpoint: "best", where: "test" }), batches = firstBatches(opened);
    const saved = readSlice(out);
    assert.deepEqual(saved.alphas, [[-1, -0.5, 0, 0.5, 1]]);
    assert.equal(saved.losses[2], evaluate(opened.model, batches, opened.lossFn).loss);
    const direction = Float64Array.from(loadSafetensors(join(out, "directions.safetensors")).direction0!.data);
    assert.deepEqual(saved.losses, slice(opened.model, opened.lossFn, batches, { directions: [direction], alphas: [-1, -0.5, 0, 0.5, 1] }).losses);
    assert.match(r.out, /^minima slice: .* \(best checkpoint, epoch \d\), a filter-normalized random direction, 5 points on 600 training samples;/);
    assert.ok(existsSync(join(out, "slice.svg")) && existsSync(join(out, "slice.png")));
  });

  test("SIGKILL in the middle of a 2-D slice, then the same command: it resumes where it stopped (a line cut short dropped) and the result equals a slice never interrupted", async () => {
    const root = cli.tmp(), whole = join(root, "whole"), killed = join(root, "killed");
    const args = (out: string) => ["slice", run, "--dim", "2", "--points", "15", "--out", out];
    assert.equal(cli.run(...args(whole)).code, 0);
    const cells = join(killed, "cells.jsonl");
    const end = await new Promise<{ signal: string | null }>((resolve) => {
      const child = spawn(process.execPath, [MAIN, ...args(killed)], cli.spawnOptions);
      const poll = setInterval(() => {
        if (existsSync(cells) && readFileSync(cells, "utf8").split("\n").length > 10) child.kill("SIGKILL");
      }, 5);
      child.on("exit", (_code, signal) => { clearInterval(poll); resolve({ signal }); });
    });
    assert.equal(end.signal, "SIGKILL", "the slice ended before it was killed");
    assert.ok(!existsSync(join(killed, "slice.json")));
    appendFileSync(cells, '{"index":'); // a line the kill cut short
    const done = readFileSync(cells, "utf8").split("\n").length - 1;
    const r = cli.run(...args(killed));
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, new RegExp(`resuming ${killed}: ${done} cells were done`));
    assert.ok(done >= 10 && done < 225, `${done} cells done at the kill`);
    assert.equal(readFileSync(cells, "utf8").trim().split("\n").length, 225);
    assert.deepEqual(readSlice(killed), readSlice(whole));
  });

  test("a folder holding a slice with other settings is refused naming them; --overwrite starts over", () => {
    const out = join(cli.tmp(), "s");
    assert.equal(cli.run("slice", run, "--points", "3", "--out", out).code, 0);
    const r = cli.run("slice", run, "--points", "4", "--out", out);
    assert.equal(r.code, 2, r.err);
    assert.equal(r.err.trim(), `minima: slice: ${out} holds a slice with other settings (points 3 there, 4 now); run it with the same flags to resume it, or give --overwrite to start over, or another --out`);
    assert.equal(cli.run("slice", run, "--points", "4", "--out", out, "--overwrite").code, 0);
    assert.equal(readSlice(out).losses.length, 4);
  });

  test("pca needs the run's epochs (train --keep-epochs); --seed with pca does nothing and is refused", () => {
    const bare = join(cli.tmp(), "bare");
    assert.equal(cli.run("train", "--epochs", "1", "--train-size", "100", "--hidden", "8", "--out", bare).code, 0);
    const r = cli.run("slice", bare, "--directions", "pca");
    assert.equal(r.err.trim(), `minima: --directions pca: ${bare} kept no epoch weights (${join(bare, "checkpoints", "epochs")}), and a PCA with --dim 1 needs at least 2: train the run with --keep-epochs`);
    const s = cli.run("slice", run, "--directions", "pca", "--seed", "3");
    assert.equal(s.err.trim(), "minima: --seed: sets random directions or the Lanczos start; --directions pca has no randomness");
  });

  test("a 2-D PCA slice lays the run's path over the plane: epoch 3 (the last checkpoint) at the origin, four points, explained variance summing to at most 1", () => {
    const out = join(cli.tmp(), "pca");
    const r = cli.run("slice", run, "--directions", "pca", "--dim", "2", "--points", "4", "--checkpoint", "last", "--out", out);
    assert.equal(r.code, 0, r.err);
    const saved = JSON.parse(readFileSync(join(out, "slice.json"), "utf8")) as { epochs: number[]; coordinates: number[][]; explainedVariance: number[] };
    assert.deepEqual(saved.epochs, [0, 1, 2, 3]);
    assert.deepEqual(saved.coordinates[3], [0, 0]);
    assert.ok(saved.explainedVariance[0]! >= saved.explainedVariance[1]! && saved.explainedVariance[0]! + saved.explainedVariance[1]! <= 1 + 1e-12);
    assert.match(readFileSync(join(out, "slice.svg"), "utf8"), /training path/);
  });
});

test("minima slice on a run without checkpoints fails with openRun's message", () => {
  const bare = join(cli.tmp(), "nock");
  assert.equal(cli.run("train", "--epochs", "1", "--train-size", "100", "--hidden", "8", "--out", bare).code, 0);
  rmSync(join(bare, "checkpoints"), { recursive: true });
  const r = cli.run("slice", bare);
  assert.notEqual(r.code, 0);
  assert.equal(r.err.trim(), `minima: slice: ${bare} has no checkpoints (${join(bare, "checkpoints", "best.json")} and ${join(bare, "checkpoints", "last.json")} are missing): minima train writes them at each epoch's end; train the run for at least one epoch`);
});

test("minima slice refuses to resume a slice through other weights (the run trained further since, or its best checkpoint changed)", () => {
  const root = cli.tmp(), other = join(root, "run"), out = join(root, "s");
  assert.equal(cli.run("train", "--epochs", "1", "--train-size", "100", "--hidden", "8", "--out", other).code, 0);
  assert.equal(cli.run("slice", other, "--points", "3", "--out", out).code, 0);
  const before = (JSON.parse(readFileSync(join(out, "spec.json"), "utf8")) as { settings: { weights: string } }).settings.weights;
  assert.equal(cli.run("train", "--epochs", "1", "--train-size", "100", "--hidden", "8", "--seed", "1", "--out", other, "--overwrite").code, 0);
  const r = cli.run("slice", other, "--points", "3", "--out", out);
  assert.match(r.err, new RegExp(`^minima: slice: ${out} holds a slice with other settings \\(weights "${before}" there, "[0-9a-f]{16}" now\\); run it with the same flags`));
});

test("minima slice --dim 3 is refused before anything runs", () => {
  const r = cli.run("slice", run, "--dim", "3");
  assert.equal(r.code, 2);
  assert.match(r.err, /--dim <n>' argument '3' is invalid\. expected an integer from 1 to 2\./);
});
