import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import * as mn from "../../src/index.node.js";
import { findFashionMnist, mnist } from "../../src/data/index.node.js";
import { digitBytes, minima, tmp, writeIdx } from "./model-files.js";

// References: the run's own test loss and accuracy in metrics.jsonl (fit's evaluation during training),
// and the per-class accuracy and confusion matrix counted here by a plain loop over the predictions.

function finalEpoch(run: string): Record<string, number> {
  const epochs = readFileSync(join(run, "metrics.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l)).filter((l) => l.kind === "epoch");
  return epochs[epochs.length - 1];
}

/** The confusion matrix counted by hand from the rebuilt model's predictions on the embedded test digits. */
function countedMatrix(modelPath: string): number[][] {
  const { model, preprocessing } = mn.nn.loadModel(modelPath);
  const [x, y] = mnist().test.tensors as [mn.Tensor, mn.Tensor];
  const scores = mn.noGrad(() => model.forward(mn.data.preprocess(preprocessing, x)));
  const matrix = Array.from({ length: 10 }, () => new Array<number>(10).fill(0));
  for (let i = 0; i < y.shape[0]!; i++) {
    let best = 0;
    for (let k = 1; k < 10; k++) if (scores.data[i * 10 + k]! > scores.data[i * 10 + best]!) best = k;
    matrix[y.data[i]!]![best]!++;
  }
  return matrix;
}

/** The numbers evaluate printed: loss, correct/total, per class [correct, total, percent], the matrix. */
function parse(out: string) {
  const lines = out.trim().split("\n");
  const [, loss, correct, total] = /^loss (\S+), accuracy \S+% \((\d+)\/(\d+)\)$/.exec(lines.find((l) => l.startsWith("loss "))!)!;
  const at = lines.indexOf("per class:");
  const perClass = lines.slice(at + 1, at + 11).map((l) => { const m = /(\S+)% \((\d+)\/(\d+)\)$/.exec(l)!; return [Number(m[2]), Number(m[3]), m[1]] as const; });
  const m = lines.indexOf("confusion matrix (rows: true class, columns: predicted class):");
  const matrix = lines.slice(m + 2, m + 12).map((l) => l.trim().split(/\s+/).slice(1).map(Number));
  return { loss: loss!, correct: Number(correct), total: Number(total), perClass, matrix, lines };
}

describe("minima evaluate", () => {
  let base: string, mlpRun: string, resRun: string;
  before(() => {
    base = tmp();
    mlpRun = join(base, "mlp");
    resRun = join(base, "resmlp");
    const a = minima("train", "--epochs", "1", "--hidden", "32", "--batch-norm", "--dropout", "0.1", "--batch-size", "128", "--out", mlpRun);
    assert.equal(a.code, 0, a.err);
    const b = minima("train", "--epochs", "1", "--model", "resmlp", "--hidden", "24", "--blocks", "1", "--standardize", "feature", "--batch-size", "128", "--out", resRun);
    assert.equal(b.code, 0, b.err);
  });

  test("a run folder: the run's own final test loss and accuracy (metrics.jsonl); per class and the confusion matrix as a plain loop counts them", () => {
    const r = minima("evaluate", mlpRun);
    assert.equal(r.code, 0, r.err);
    const got = parse(r.out);
    // The child process picks its own backend (minima() clears MINIMA_BACKEND), so that part is matched by its form.
    assert.equal(got.lines[0]!.replace(/; \w+ backend, \d+ threads?$/, ""), `minima evaluate: ${join(mlpRun, "model.safetensors")} (MLP 784-32-10, batch norm, dropout 0.1) on the mnist test split (2004 samples)`);
    assert.match(got.lines[0]!, /; (native|js) backend, \d+ threads?$/);
    const epoch = finalEpoch(mlpRun);
    assert.equal(got.loss, epoch["testLoss"]!.toFixed(4));
    assert.equal(got.total, 2004);
    assert.equal(got.correct, Math.round(epoch["testAccuracy"]! * 2004));
    const matrix = countedMatrix(join(mlpRun, "model.safetensors"));
    assert.deepEqual(got.matrix, matrix);
    assert.deepEqual(got.perClass, matrix.map((row, i) => { const n = row.reduce((a, b) => a + b, 0); return [row[i]!, n, ((100 * row[i]!) / n).toFixed(2)] as const; }));
  });

  test("a model file with per-feature standardization (residual MLP): the run's test loss and accuracy; the file and its run folder print the same", () => {
    const file = minima("evaluate", join(resRun, "model.safetensors"));
    assert.equal(file.code, 0, file.err);
    const got = parse(file.out), epoch = finalEpoch(resRun);
    assert.equal(got.loss, epoch["testLoss"]!.toFixed(4));
    assert.equal(got.correct, Math.round(epoch["testAccuracy"]! * 2004));
    assert.match(got.lines[0]!, /\(residual MLP 784-24, 1 blocks of 24\) on the mnist test split/);
    assert.deepEqual(minima("evaluate", resRun, "--batch-size", "300").out.split("\n").slice(1), file.out.split("\n").slice(1));
  });

  test("--dataset: another data set of the same shape and class count (Fashion-MNIST), with a note that its class names differ", (t) => {
    try { findFashionMnist(); } catch (e) { t.skip(`dataset-fashion-mnist is not installed: ${(e as Error).message}`); return; }
    const r = minima("evaluate", mlpRun, "--dataset", "fashion-mnist");
    assert.equal(r.code, 0, r.err);
    const lines = r.out.split("\n");
    assert.match(lines[0]!, / on the fashion-mnist test split \(10000 samples\)/);
    assert.equal(lines[1], "note: fashion-mnist's class names (T-shirt/top, Trouser, Pullover, Dress, Coat, Sandal, Shirt, Sneaker, Bag, Ankle boot) are not the model's (0, 1, 2, 3, 4, 5, 6, 7, 8, 9); classes are compared by number");
    assert.equal(parse(r.out).total, 10000);
    assert.match(lines.find((l) => l.startsWith("  9 "))!, /^ {2}9 Ankle boot +\d+\.\d\d% \(\d+\/1000\)$/);
  });

  test("a folder of IDX files holding the embedded test digits: the same numbers as mnist", () => {
    const dir = join(base, "digits");
    mkdirSync(dir);
    const [x, y] = mnist().test.tensors as [mn.Tensor, mn.Tensor];
    for (const part of ["train", "t10k"]) {
      writeIdx(join(dir, `${part}-images-idx3-ubyte`), [2004, 28, 28], digitBytes(x));
      writeIdx(join(dir, `${part}-labels-idx1-ubyte`), [2004], y.data);
    }
    const r = minima("evaluate", mlpRun, "--dataset", dir);
    assert.equal(r.code, 0, r.err);
    // The folder's pixels are k/255, mnist()'s k/255 rounded to 3 decimals: the same predictions here, the loss nearly.
    assert.equal(parse(r.out).correct, parse(minima("evaluate", mlpRun).out).correct);
  });

  test("refusals: data that does not fit the model, a missing model, a file of weights only, no data set recorded", () => {
    const small = join(base, "small");
    mkdirSync(small);
    for (const part of ["train", "t10k"]) {
      writeIdx(join(small, `${part}-images-idx3-ubyte`), [3, 8, 8], new Uint8Array(192));
      writeIdx(join(small, `${part}-labels-idx1-ubyte`), [3], [0, 1, 2]);
    }
    const five = join(base, "five");
    mkdirSync(five);
    for (const part of ["train", "t10k"]) {
      writeIdx(join(five, `${part}-images-idx3-ubyte`), [5, 28, 28], new Uint8Array(5 * 784));
      writeIdx(join(five, `${part}-labels-idx1-ubyte`), [5], [0, 1, 2, 3, 4]);
    }
    const weightsOnly = join(base, "weights.safetensors");
    mn.io.saveSafetensors(weightsOnly, mn.nn.loadModel(join(mlpRun, "model.safetensors")).model.stateDict(), { format: "pt" });
    const unnamed = join(base, "unnamed.safetensors");
    const loaded = mn.nn.loadModel(join(mlpRun, "model.safetensors"));
    mn.nn.saveModel(unnamed, loaded.model, { spec: loaded.spec, preprocessing: loaded.preprocessing, classes: loaded.classes });
    const moved = join(base, "moved.safetensors");
    mn.nn.saveModel(moved, loaded.model, { spec: loaded.spec, preprocessing: loaded.preprocessing, classes: loaded.classes, dataset: join(base, "gone") });
    const cases: [string[], string, number][] = [
      [["evaluate", mlpRun, "--dataset", small], "minima: --dataset: small's samples do not fit the model; expected shape [1,28,28], got [1,8,8]", 2],
      [["evaluate", mlpRun, "--dataset", five], "minima: --dataset: five has 5 classes, the model 10", 2],
      [["evaluate", join(base, "nothing")], `minima: evaluate: no such model file or run folder: ${join(base, "nothing")}`, 1],
      [["evaluate", small], `minima: evaluate: ${small} has no model.safetensors (minima train writes it when the run ends)`, 1],
      [["evaluate", weightsOnly], `minima: ${weightsOnly}: not a valid minima model file: its metadata has no "minima.format" (a file of weights only: load it with loadSafetensors into the model it belongs to)`, 1],
      [["evaluate", unnamed], `minima: --dataset: ${unnamed} does not say which data set it was trained on; name one`, 2],
      [["evaluate", moved], `minima: evaluate: ${moved} was trained on ${join(base, "gone")}, which is not there now; name the data set with --dataset`, 1],
    ];
    for (const [args, message, code] of cases) {
      const r = minima(...args);
      assert.equal(r.code, code, `${args.join(" ")}: exit ${code} (2 usage, 1 failure)`);
      assert.equal(r.err.trim(), message);
    }
  });
});
