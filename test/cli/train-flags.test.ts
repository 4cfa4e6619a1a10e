import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { loadSafetensors, saveSafetensors } from "../../src/io/safetensors-file.js";
import { zeros } from "../../src/tensor/create.js";
import { findFashionMnist } from "../../src/data/index.node.js";
import { useCli } from "./run-minima.js";

const cli = useCli();
const minima = cli.run, tmp = cli.tmp;
const epochs = (dir: string) => readFileSync(join(dir, "metrics.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l["kind"] === "epoch");
const sameTensor = (a: { data: ArrayLike<number> }, b: { data: ArrayLike<number> }) => a.data.length === b.data.length && Array.prototype.every.call(a.data, (x: number, i: number) => Object.is(x, b.data[i]));

describe("minima train: regularization, fine-tuning and run flags", () => {
  test("every regularizer at once (dropout, L1, L2, label smoothing, augmentation, input/weight/gradient noise, mixup, cutmix) trains, and the config records them", () => {
    const out = join(tmp(), "reg");
    const r = minima("train", "--epochs", "1", "--hidden", "64", "--train-size", "4000", "--dropout", "0.2", "--l2", "1e-4", "--l1", "1e-6",
      "--label-smoothing", "0.1", "--augment", "flip,crop:2,shift:1,cutout:6", "--input-noise", "0.05", "--weight-noise", "0.001",
      "--grad-noise", "0.0001", "--mixup", "0.2", "--cutmix", "1", "--out", out);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /MLP 784-64-10, dropout 0\.2/);
    const config = JSON.parse(readFileSync(join(out, "config.json"), "utf8"));
    assert.deepEqual(config.augment, [{ name: "flip", size: 0 }, { name: "crop", size: 2 }, { name: "shift", size: 1 }, { name: "cutout", size: 6 }]);
    assert.deepEqual([config.l2, config.l1, config.labelSmoothing, config.mixup, config.cutmix, config.weightNoise, config.gradNoise, config.inputNoise], [1e-4, 1e-6, 0.1, 0.2, 1, 0.001, 0.0001, 0.05]);
    const [e] = epochs(out);
    assert.ok((e!["testAccuracy"] as number) > 0.6, `test accuracy ${e!["testAccuracy"]}`);
    // Soft targets from mixup/cutmix still give a training accuracy (against their argmax).
    assert.equal(typeof e!["accuracy"], "number");
  });

  test("a residual MLP with stochastic depth trains", () => {
    const out = join(tmp(), "res");
    const r = minima("train", "--model", "resmlp", "--hidden", "64", "--blocks", "2", "--drop-path", "0.2", "--epochs", "1", "--out", out);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /residual MLP 784-64, 2 blocks of 64, stochastic depth 0\.2/);
    assert.ok((epochs(out)[0]!["testAccuracy"] as number) > 0.85);
  });

  test("fine-tuning: --init-from loads saved weights by name, --freeze keeps a layer exactly, --lr-for gives a layer its own lr", () => {
    const base = join(tmp(), "base");
    assert.equal(minima("train", "--epochs", "1", "--hidden", "32", "--train-size", "2000", "--out", base).code, 0);
    const tuned = join(tmp(), "tuned");
    const r = minima("train", "--epochs", "1", "--hidden", "32", "--train-size", "2000", "--seed", "5", "--init-from", join(base, "model.safetensors"),
      "--freeze", "1.", "--lr-for", "3.=0.001", "--out", tuned);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /2 tensors frozen/);
    assert.match(r.out, /initialized 4 of 4 tensors from .*model\.safetensors/);
    const a = loadSafetensors(join(base, "model.safetensors")), b = loadSafetensors(join(tuned, "model.safetensors"));
    assert.ok(sameTensor(a["1.weight"]!, b["1.weight"]!) && sameTensor(a["1.bias"]!, b["1.bias"]!), "frozen layer unchanged");
    assert.ok(!sameTensor(a["3.weight"]!, b["3.weight"]!), "the head trained");
    const bad = minima("train", "--epochs", "1", "--freeze", "9.");
    assert.notEqual(bad.code, 0);
    assert.match(bad.err, /--freeze: no parameter name starts with "9\."; expected a prefix of 1\.weight, 1\.bias, 3\.weight, 3\.bias, 5\.weight, 5\.bias/);
    const wrong = minima("train", "--epochs", "1", "--hidden", "16", "--init-from", join(base, "model.safetensors"));
    assert.notEqual(wrong.code, 0);
    assert.match(wrong.err, /size mismatch for 1\.weight: the checkpoint has \[32,784\], the model has \[16,784\]/);
    const cnn = minima("train", "--epochs", "1", "--model", "cnn", "--init-from", join(base, "model.safetensors"));
    assert.notEqual(cnn.code, 0);
    assert.match(cnn.err, /size mismatch for 3\.weight: the checkpoint has \[10,32\], the model has \[64,32,3,3\]/);
    const foreign = join(tmp(), "foreign.safetensors");
    saveSafetensors(foreign, { "encoder.weight": zeros([2, 2]) });
    const none = minima("train", "--epochs", "1", "--hidden", "8", "--init-from", foreign);
    assert.notEqual(none.code, 0);
    assert.match(none.err, /--init-from: .*foreign\.safetensors has no tensor this model has; expected some of 1\.weight, 1\.bias, 3\.weight, 3\.bias, got encoder\.weight/);
  });

  test("--early-stopping stops an overfitting run and keeps the best epoch's weights (model.safetensors = best.safetensors)", () => {
    const out = join(tmp(), "early");
    const r = minima("train", "--epochs", "30", "--hidden", "256,256", "--train-size", "300", "--optimizer", "adam", "--lr", "0.003", "--batch-size", "30",
      "--early-stopping", "2", "--out", out);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /stopped: early stopping at epoch (\d+): valLoss has not improved/);
    const es = epochs(out);
    assert.ok(es.length < 30);
    const vals = es.map((e) => e["valLoss"] as number);
    assert.equal(vals.indexOf(Math.min(...vals)), es.length - 3);
    const model = loadSafetensors(join(out, "model.safetensors")), best = loadSafetensors(join(out, "checkpoints", "best.safetensors"));
    for (const k of Object.keys(best)) assert.ok(sameTensor(model[k]!, best[k]!), k);
  });

  test("--on-divergence rollback at lr 10: rolls back and cuts the lr (10 → 1 → 0.1) until training is stable, and the run learns", () => {
    const out = join(tmp(), "diverge");
    const r = minima("train", "--epochs", "2", "--optimizer", "sgd", "--lr", "10", "--train-size", "2000", "--on-divergence", "rollback", "--out", out);
    assert.equal(r.code, 0, r.err);
    const events = readFileSync(join(out, "metrics.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l)).filter((l) => l.kind === "event");
    assert.deepEqual(events.map((e) => e.message.match(/cut the learning rate to (\S+)$/)[1]), ["1.00", "0.100"]);
    assert.match(events[0].message, /^divergence guard: loss exploded to [\d.]+, over 10× the first loss [\d.]+ at step \d+ \(epoch 1\); rolled back to the initial weights/);
    assert.doesNotMatch(r.out, /stopped:/);
    assert.match(r.out, /\[warning\] Diverging at first: the divergence guard rolled the run back 2 times \(lr 10\.00 at the start, 0\.10 at the end\), first at step \d+/);
    const es = epochs(out);
    assert.deepEqual(es.map((e) => e["lr"]), [10, 0.1]);
    assert.ok((es[1]!["valAccuracy"] as number) > 0.6, `val accuracy ${es[1]!["valAccuracy"]}`);
  });

  test("--batch-norm puts BatchNorm1d before each hidden activation; its running statistics are saved with the weights", () => {
    const out = join(tmp(), "bn");
    const r = minima("train", "--batch-norm", "--hidden", "64,32", "--epochs", "1", "--out", out);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /MLP 784-64-32-10, batch norm/);
    const w = loadSafetensors(join(out, "model.safetensors"));
    assert.deepEqual(Object.keys(w).filter((k) => k.startsWith("2.")).sort(), ["2.bias", "2.num_batches_tracked", "2.running_mean", "2.running_var", "2.weight"]);
    assert.ok(Array.from(w["2.running_mean"]!.data).some((v) => v !== 0), "running statistics were updated");
    assert.ok((epochs(out)[0]!["testAccuracy"] as number) > 0.85);
  });
});

describe("minima train: the diagnosis of real runs", () => {
  test("lr 10 is diagnosed as diverging, and the guard stops the run where the loss exploded: a failed run, exit 1, the reason on stderr too", () => {
    const out = join(tmp(), "lr10");
    const r = minima("train", "--optimizer", "sgd", "--lr", "10", "--epochs", "1", "--out", out);
    assert.equal(r.code, 1, r.err);
    assert.match(r.out, /^Problem: diverging at step \d+/m);
    assert.match(r.out, /\[problem\] Diverging: /);
    const stopped = /^stopped: (diverged: loss exploded to .* at step \d+ \(epoch 1\); the learning rate is probably too high)$/m.exec(r.out);
    assert.ok(stopped, r.out);
    assert.equal(r.err, `minima: train: the run stopped: ${stopped[1]}\n`);
    assert.ok(existsSync(join(out, "report.html")), "the failed run's report is written");
    // Diverged in its first epoch: no healthy weights to keep, so no model (issue 11: never the diverged weights).
    assert.ok(!existsSync(join(out, "model.safetensors")), "no model of diverged weights");
    assert.match(r.out, /^the run diverged before any epoch ended with a finite loss within 10× the first: no model\.safetensors written$/m);
  });

  test("lr 1e-7 is diagnosed as too low, with the layers' update/weight ratios", () => {
    const r = minima("train", "--optimizer", "sgd", "--lr", "1e-7", "--epochs", "1", "--out", join(tmp(), "lr7"));
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /\[problem\] Learning rate too low: the training loss barely moved at lr 1\.0e-7 .* the median update\/weight ratio of the layers is \d\.\de-(8|9|10)/);
    assert.match(r.out, /\[warning\] Slow layers: median update\/weight ratio 1\.weight /);
  });

  test("a large MLP on 500 Fashion-MNIST images overfits, and the diagnosis says so with the epoch the gap opened", () => {
    findFashionMnist(); // fails here, saying what to install, when Debian's dataset-fashion-mnist is missing
    const out = join(tmp(), "overfit");
    const r = minima("train", "--dataset", "fashion-mnist", "--train-size", "500", "--val-fraction", "0.02", "--hidden", "512,512", "--optimizer", "adam",
      "--lr", "0.001", "--batch-size", "50", "--epochs", "15", "--out", out);
    assert.equal(r.code, 0, r.err);
    const m = /\[warning\] Overfitting: training loss kept falling \(.*\) while validation loss rose from its best [\d.]+ at epoch (\d+) to [\d.]+ at epoch 15; the gap opened at epoch (\d+)\./.exec(r.out);
    assert.ok(m, r.out);
    const vals = epochs(out).map((e) => e["valLoss"] as number);
    assert.equal(Number(m[1]), vals.indexOf(Math.min(...vals)) + 1);
    assert.equal(Number(m[2]), Number(m[1]) + 1);
  });
});
