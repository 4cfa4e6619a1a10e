import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import * as mn from "../../src/index.node.js";
import { loadDatasetParts } from "../../src/cli/dataset.js";
import { writeIdxFolder } from "../data/idx-files.js";
import { useCli } from "./run-minima.js";

// The fault pass's data cases through the CLI: a NaN pixel, labels that would silently make classes, a
// data set past ~120k samples (Math.max(...labels) overflowed the stack), and NaN weights for --init-from.

const cli = useCli();
const minima = cli.run;
const bytes = (n: number) => Array.from({ length: 4 * n }, (_, i) => (i * 37) % 256);
/** n labels cycling through 0..classes-1. */
const cycle = (n: number, classes: number) => Array.from({ length: n }, (_, i) => i % classes);

describe("minima train refuses bad data at load, naming the file and the index", () => {
  test("a float IDX folder with one NaN pixel fails before training (it trained to NaN weights with exit 0)", () => {
    const images = Array.from({ length: 4 * 20 }, (_, i) => (i === 45 ? NaN : (i % 7) / 7));
    const dir = writeIdxFolder(cli.tmp(), { images, labels: cycle(20, 2), imageType: "float32" }, { images: bytes(4), labels: cycle(4, 2) });
    const out = join(cli.tmp(), "run");
    const r = minima("train", "--dataset", dir, "--epochs", "1", "--out", out);
    assert.deepEqual([r.code, r.err], [1,
      `minima: loadIdxDataset: ${join(dir, "train-images-idx3-ubyte")} holds NaN at index 45 (image 11, row 0, column 1); expected finite pixel values\n`]);
    assert.ok(!existsSync(join(out, "model.safetensors")), "no model written");
  });

  test("label 12 in a 10-class folder is refused, not a 13-class model", () => {
    const labels = cycle(30, 10);
    labels[17] = 12;
    const dir = writeIdxFolder(cli.tmp(), { images: bytes(30), labels }, { images: bytes(10), labels: cycle(10, 10) });
    const r = minima("train", "--dataset", dir, "--epochs", "1", "--out", join(cli.tmp(), "run"));
    assert.deepEqual([r.code, r.err], [1, `minima: --dataset: ${join(dir, "train-labels-idx1-ubyte")}: label 12 at index 17 makes 13 classes, ` +
      "but no sample has class 10, 11; expected labels 0..K-1 with every class present (a mislabelled sample?)\n"]);
  });

  test("label 255 in a 10-class folder (it made 256 classes): the classes missing, five named", () => {
    const labels = cycle(300, 10);
    labels[3] = 255;
    const dir = writeIdxFolder(cli.tmp(), { images: bytes(300), labels }, { images: bytes(10), labels: cycle(10, 10) });
    const r = minima("train", "--dataset", dir, "--epochs", "1", "--out", join(cli.tmp(), "run"));
    assert.deepEqual([r.code, r.err], [1, `minima: --dataset: ${join(dir, "train-labels-idx1-ubyte")}: label 255 at index 3 makes 256 classes, ` +
      "but no sample has class 10, 11, 12, 13, 14 and 240 more; expected labels 0..K-1 with every class present (a mislabelled sample?)\n"]);
  });

  test("a label in the test file only, outside the training classes, fails at load naming the test file", () => {
    const dir = writeIdxFolder(cli.tmp(), { images: bytes(20), labels: cycle(20, 3) }, { images: bytes(5), labels: [0, 1, 2, 7, 1] });
    const r = minima("train", "--dataset", dir, "--epochs", "1", "--out", join(cli.tmp(), "run"));
    assert.deepEqual([r.code, r.err], [1, `minima: loadIdxDataset: ${join(dir, "t10k-labels-idx1-ubyte")}: label 7 at index 3 is not a class of the training set; ` +
      `expected 0..2 (the classes of ${join(dir, "train-labels-idx1-ubyte")})\n`]);
  });
});

describe("no spread over data: 150,000 samples, 150,000 steps, 160,000 confusion-matrix cells", () => {
  test("loadDatasetParts counts the classes of 150,001 labels (Math.max(...labels) overflowed the stack)", () => {
    const n = 150_001;
    const dir = writeIdxFolder(cli.tmp(), { images: new Uint8Array(n), labels: cycle(n, 7), size: [1, 1] }, { images: new Uint8Array(7), labels: cycle(7, 7), size: [1, 1] });
    const parts = loadDatasetParts(dir);
    assert.equal(parts.train.length, n);
    assert.deepEqual(parts.classNames, ["0", "1", "2", "3", "4", "5", "6"]);
  });

  test("minima schedule over 150,000 steps prints its min and max (Math.min(...lrs) overflowed the stack)", () => {
    const r = minima("schedule", "cosine", "--steps", "150000", "--lr", "0.1", "--out", join(cli.tmp(), "s.svg"));
    assert.equal(r.code, 0, r.err);
    // The reference: cosine annealing to 0 over 150,000 steps is 0.1 at step 0 and 0.05·(1 + cos(π·149999/150000)) at the last.
    const last = 0.05 * (1 + Math.cos((Math.PI * 149999) / 150000));
    assert.match(r.out, new RegExp(`; min ${last.toPrecision(4).replace(".", "\\.")}, max 0\\.1000\n`));
  });

  test("minima evaluate on 400 classes prints the whole confusion matrix (Math.max(...cells) over 160,000 cells overflowed the stack)", () => {
    const labels = cycle(400, 400);
    const part = { images: cycle(400, 256), labels, labelType: "int32" as const, size: [1, 1] as [number, number] };
    const dir = writeIdxFolder(cli.tmp(), part, part);
    const run = join(cli.tmp(), "run");
    assert.equal(minima("train", "--dataset", dir, "--epochs", "1", "--hidden", "4", "--val-fraction", "0", "--out", run).code, 0);
    const r = minima("evaluate", join(run, "model.safetensors"), "--dataset", dir);
    assert.equal(r.code, 0, r.err);
    const rows = r.out.split("\n").filter((l) => /^ *\d+( +\d+){400}$/.test(l));
    assert.equal(rows.length, 400, "one matrix row per class, 400 counts each");
  });
});

describe("minima train --init-from refuses non-finite weights, naming the tensor", () => {
  test("a NaN in one tensor of the file", () => {
    const base = join(cli.tmp(), "base");
    assert.equal(minima("train", "--epochs", "1", "--train-size", "100", "--hidden", "8", "--out", base).code, 0);
    const weights = mn.io.loadSafetensors(join(base, "model.safetensors"));
    const [name, t] = Object.entries(weights)[2]!;
    t.data[5] = NaN;
    const bad = join(cli.tmp(), "nan.safetensors");
    mn.io.saveSafetensors(bad, weights);
    const r = minima("train", "--init-from", bad, "--epochs", "1", "--train-size", "100", "--hidden", "8", "--out", join(cli.tmp(), "run"));
    assert.deepEqual([r.code, r.err], [1, `minima: --init-from: ${bad}: tensor ${name} holds NaN at index 5; expected finite weights (a diverged run's?)\n`]);
  });
});
