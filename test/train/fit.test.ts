import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as mn from "../../src/index.js";
import { mnist } from "../../src/data/index.js";
import { TensorDataset } from "../../src/data/dataset.js";
import { DataLoader } from "../../src/data/data-loader.js";
import { Generator } from "../../src/tensor/random.js";
import type { Tensor } from "../../src/tensor/tensor.js";
import { evaluate } from "../../src/train/evaluate.js";

const { fit, callbacks: cb } = mn.train;

/** Real digits: `n` training images from the embedded MNIST (flattened) and 300 for validation. */
function digits(n: number): { train: TensorDataset; val: TensorDataset } {
  const { train } = mnist();
  const take = (from: number, count: number) => {
    const [x, y] = train.tensors as [Tensor, Tensor];
    const rows = x.numel() / x.shape[0]!;
    const idx = Array.from({ length: count }, (_, i) => (from + i * 13) % train.length);
    const xs = new Float32Array(count * rows), ys = new Int32Array(count);
    idx.forEach((r, i) => { xs.set(x.data.subarray(r * rows, (r + 1) * rows), i * rows); ys[i] = y.data[r]!; });
    return new TensorDataset(new mn.Tensor(xs, [count, rows]), new mn.Tensor(ys, [count]));
  };
  return { train: take(0, n), val: take(5000, 300) };
}

function model(seed: number, dropout = 0): mn.nn.Module {
  mn.manualSeed(seed);
  return mn.nn.mlp({ inputs: 784, hidden: [32], outputs: 10, ...(dropout ? { dropout } : {}) });
}

const weights = (m: mn.nn.Module) => Object.entries(m.stateDict()).map(([k, t]) => [k, Array.from(t.data)] as const);
const sameWeights = (a: mn.nn.Module, b: mn.nn.Module) => {
  const wa = weights(a), wb = weights(b);
  assert.equal(wa.length, wb.length);
  wa.forEach(([k, v], i) => {
    assert.equal(k, wb[i]![0]);
    const u = wb[i]![1];
    const bad = v.findIndex((x, j) => !Object.is(x, u[j]));
    assert.equal(bad, -1, `${k}[${bad}]: ${v[bad]} vs ${u[bad]}`);
  });
};
const tmp = () => mkdtempSync(join(tmpdir(), "minima-fit-"));

describe("fit", () => {
  test("is exactly the hand-written loop: same batches (order from seed), zeroGrad/forward/loss/backward/step; bit-identical weights", () => {
    const { train } = digits(256);
    const a = model(1), b = model(1);
    const optA = new mn.optim.SGD(a.parameters(), { lr: 0.1, momentum: 0.9 });
    const h = fit(a, { train, optimizer: optA, epochs: 2, batchSize: 50, seed: 7 });
    const optB = new mn.optim.SGD(b.parameters(), { lr: 0.1, momentum: 0.9 });
    const loader = new DataLoader(train, { batchSize: 50, shuffle: true, generator: new Generator(7 * 2 + 1) });
    const losses: number[] = [];
    for (let e = 0; e < 2; e++) for (const [x, y] of loader) {
      optB.zeroGrad();
      const l = mn.nn.functional.crossEntropy(b.forward(x!), y!);
      l.backward();
      optB.step();
      losses.push(l.item());
    }
    sameWeights(a, b);
    assert.deepEqual(h.steps.map((s) => s.loss), losses);
    assert.equal(h.steps.length, 2 * 6);
    assert.deepEqual(h.epochs.map((e) => e.steps), [6, 12]);
    const mean0 = losses.slice(0, 6).reduce((s, l, i) => s + l * (i < 5 ? 50 : 6), 0) / 256;
    assert.ok(Math.abs(h.epochs[0]!.loss - mean0) < 1e-12, `epoch loss ${h.epochs[0]!.loss} vs ${mean0}`);
  });

  test("records gradient norms (equal to clipGradNorm's), lrs from a per-step scheduler, and per-layer update/weight ratios", () => {
    const { train, val } = digits(200);
    const m = model(2);
    const opt = new mn.optim.Adam(m.parameters(), { lr: 1e-3 });
    const sched = new mn.optim.lrScheduler.LinearLR(opt, { startFactor: 1, endFactor: 0.5, totalIters: 8 });
    const h = fit(m, { train, val, optimizer: opt, scheduler: { scheduler: sched, interval: "step" }, epochs: 2, batchSize: 50, layerStatsEvery: 2 });
    h.steps.forEach((s, k) => assert.ok(Math.abs(s.lr - 1e-3 * (1 - 0.5 * k / 8)) < 1e-15, `step ${k + 1} lr ${s.lr}`));
    assert.ok(h.steps.every((s) => s.gradNorm > 0 && Number.isFinite(s.gradNorm)));
    const sampled = [...new Set(h.layers.map((l) => l.step))];
    assert.deepEqual(sampled, [1, 2, 4, 6, 8]);
    const names = h.layers.filter((l) => l.step === 1).map((l) => l.name);
    assert.deepEqual(names, m.namedParameters().map(([n]) => n));
    // Adam's first step moves every weight by lr (its update is lr·sign-ish): ratio ≈ lr·√n / ‖w‖.
    for (const l of h.layers) assert.ok(Math.abs(l.ratio - l.updateNorm / l.weightNorm) < 1e-15 && l.ratio > 1e-5 && l.ratio < 1e-1, `${l.name} ${l.ratio}`);
    assert.equal(h.epochs.length, 2);
    assert.ok(h.epochs[1]!.valLoss! < h.epochs[0]!.valLoss! + 0.5 && h.epochs[0]!.valAccuracy! > 0.1);
  });

  test("the gradient norm it records equals clipGradNorm's total norm", () => {
    const { train } = digits(64);
    const m = model(3);
    let seen = -1;
    fit(m, { train, optimizer: new mn.optim.SGD(m.parameters(), { lr: 0.01 }), epochs: 1, batchSize: 64, shuffle: false,
      callbacks: [new cb.LambdaCallback({ onBeforeStep: (ctx) => { seen = mn.nn.utils.clipGradNorm(ctx.model.parameters(), Infinity); } })] })
      .steps.forEach((s) => assert.ok(Math.abs(s.gradNorm - seen) <= 1e-12 * seen, `${s.gradNorm} vs ${seen}`));
  });

  test("ReduceLROnPlateau steps per epoch on the validation loss", () => {
    const { train, val } = digits(100);
    const m = model(4);
    const opt = new mn.optim.SGD(m.parameters(), { lr: 1e-6 }); // nothing improves by 10%
    const plateau = new mn.optim.lrScheduler.ReduceLROnPlateau(opt, { patience: 0, factor: 0.5, threshold: 0.1 });
    const h = fit(m, { train, val, optimizer: opt, scheduler: plateau, epochs: 3, batchSize: 50 });
    assert.deepEqual(h.epochs.map((e) => e.lr), [1e-6, 1e-6, 5e-7]);
  });

  test("option errors are exact", () => {
    const { train } = digits(10);
    const m = model(0);
    const opt = new mn.optim.SGD(m.parameters(), { lr: 0.1 });
    assert.throws(() => fit(m, { train, optimizer: opt, epochs: 0 }), { message: "fit: invalid epochs; expected a positive integer, got 0" });
    assert.throws(() => fit(m, { train, optimizer: opt, epochs: 1, batch_size: 3 } as never), { message: /fit: unknown option "batch_size" — did you mean "batchSize"\?/ });
    assert.throws(() => fit(m, { train, epochs: 1 } as never), { message: "fit: missing option optimizer; expected an mn.optim optimizer" });
    assert.throws(() => fit(m, { train, optimizer: opt, epochs: 1, scheduler: { scheduler: {} as never, interval: "batch" as never } }), { message: 'fit: invalid scheduler.interval; expected "step" or "epoch", got batch' });
  });
});

describe("EarlyStopping", () => {
  // A wide MLP on 64 digits with a large lr overfits within a few epochs: validation loss turns up.
  const overfit = (callbacks: mn.train.Callback[], epochs = 12) => {
    const { train, val } = digits(64);
    const m = model(5);
    const h = fit(m, { train, val, optimizer: new mn.optim.SGD(m.parameters(), { lr: 0.3, momentum: 0.9 }), epochs, batchSize: 16, callbacks });
    return { m, h, val };
  };

  test("restoreBestWeights: the restored model's validation loss equals the best recorded one", () => {
    const stop = new cb.EarlyStopping({ patience: 2, restoreBestWeights: true });
    const { m, h, val } = overfit([stop]);
    const vals = h.metric("valLoss") as number[];
    const best = Math.min(...vals);
    assert.ok(h.epochs.length < 12, `stopped early (ran ${h.epochs.length})`);
    assert.equal(stop.best.value, best);
    assert.equal(stop.best.epoch, vals.indexOf(best) + 1);
    assert.equal(h.epochs.length, stop.best.epoch + 2); // patience 2
    assert.match(h.stopReason!, /early stopping at epoch \d+: valLoss has not improved/);
    const restored = evaluate(m, new DataLoader(val, { batchSize: 1000 }), (o, y) => mn.nn.functional.crossEntropy(o, y));
    assert.equal(restored.loss, best);
  });

  test("restores the best weights however training ends: all epochs run, or another callback stops it", () => {
    const stop = new cb.EarlyStopping({ patience: 100, restoreBestWeights: true });
    const { m, h, val } = overfit([stop], 8);
    assert.equal(h.epochs.length, 8);
    const best = Math.min(...(h.metric("valLoss") as number[]));
    assert.ok(best < h.epochs[7]!.valLoss!, "the last epoch is not the best, so restoring changes the weights");
    assert.equal(evaluate(m, new DataLoader(val, { batchSize: 1000 }), (o, y) => mn.nn.functional.crossEntropy(o, y)).loss, best);
    const halt = new cb.LambdaCallback({ onEpochEnd: (ctx, log) => { if (log.epoch === 6) ctx.stop("halted by a test"); } });
    const stop2 = new cb.EarlyStopping({ patience: 100, restoreBestWeights: true });
    const r = overfit([stop2, halt], 12);
    assert.equal(r.h.epochs.length, 6);
    assert.equal(r.h.stopReason, "halted by a test");
    assert.equal(evaluate(r.m, new DataLoader(r.val, { batchSize: 1000 }), (o, y) => mn.nn.functional.crossEntropy(o, y)).loss, stop2.best.value);
  });

  test("monitor valAccuracy maximizes; a monitored metric the run lacks, and bad options, fail clearly", () => {
    const { train } = digits(32);
    const m = model(0);
    const opt = new mn.optim.SGD(m.parameters(), { lr: 0.1 });
    assert.throws(() => fit(m, { train, optimizer: opt, epochs: 1, callbacks: [new cb.EarlyStopping()] }),
      { message: "EarlyStopping: monitors valLoss, which this run does not report (give fit() a val set); expected one of loss, accuracy, lr" });
    assert.throws(() => new cb.EarlyStopping({ patience: -1 }), { message: "EarlyStopping: invalid patience; expected a non-negative integer, got -1" });
    assert.throws(() => new cb.EarlyStopping({ monitor: "val_loss" as never }), { message: /EarlyStopping: invalid monitor; expected one of loss, accuracy, valLoss/ });
    assert.throws(() => new cb.EarlyStopping({ restore_best_weights: true } as never), { message: /unknown option "restore_best_weights" — did you mean "restoreBestWeights"/ });
    assert.throws(() => new cb.ModelCheckpoint({} as never), { message: "ModelCheckpoint: missing option dir; expected a folder path" });
    assert.throws(() => new cb.DivergenceGuard({ action: "panic" as never }), { message: 'DivergenceGuard: invalid action; expected one of "stop", "rollback", got "panic"' });
    assert.throws(() => new cb.LambdaCallback({ onEpochEnds: () => {} } as never), { message: /LambdaCallback: unknown hook "onEpochEnds" — did you mean "onEpochEnd"\?/ });
    const acc2 = new cb.EarlyStopping({ monitor: "valAccuracy", patience: 5 });
    const { val } = digits(32);
    const m2 = model(0);
    const accs = fit(m2, { train, val, optimizer: new mn.optim.SGD(m2.parameters(), { lr: 0.1 }), epochs: 3, callbacks: [acc2] }).metric("valAccuracy") as number[];
    assert.equal(acc2.best.value, Math.max(...accs));
    assert.equal(acc2.best.epoch, accs.indexOf(Math.max(...accs)) + 1);
  });
});

describe("divergence", () => {
  test("TerminateOnNaN stops at the first NaN loss; DivergenceGuard at a loss exploding past 10× the first (lr 1e4), saying where", () => {
    const { train } = digits(256);
    const poison = new cb.LambdaCallback({ onBeforeStep: (ctx) => { if (ctx.step === 9) ctx.model.parameters().at(-1)!.grad!.data[0] = NaN; } });
    const m = model(6);
    const h = fit(m, { train, optimizer: new mn.optim.SGD(m.parameters(), { lr: 0.01 }), epochs: 3, batchSize: 16, callbacks: [poison, new cb.TerminateOnNaN()] });
    assert.equal(h.steps.length, 11); // step 10 made the output bias NaN; step 11's loss is the first NaN
    assert.equal(h.stopReason, "loss became NaN at step 11 (epoch 1)");
    assert.equal(h.epochs.length, 0);
    const m2 = model(6);
    const h2 = fit(m2, { train, optimizer: new mn.optim.SGD(m2.parameters(), { lr: 1e4 }), epochs: 3, batchSize: 16, callbacks: [new cb.DivergenceGuard()] });
    const first = h2.steps[0]!.loss;
    const at = h2.steps.findIndex((s) => s.loss > 10 * first);
    assert.ok(at > 0, "the loss explodes");
    assert.equal(h2.steps.length, at + 1);
    assert.match(h2.stopReason!, new RegExp(`^diverged: loss exploded to .*, over 10× the first loss ${first.toPrecision(4).replace(".", "\\.")} at step ${at + 1} \\(epoch 1\\); the learning rate is probably too high$`));
  });

  test("DivergenceGuard rollback puts back the last healthy epoch's weights and cuts the lr, then trains on", () => {
    const { train } = digits(256);
    const m = model(7);
    const opt = new mn.optim.SGD(m.parameters(), { lr: 0.05 });
    let epoch1: [string, number[]][] = [];
    const spike = new cb.LambdaCallback({
      onEpochEnd: (ctx, log) => { if (log.epoch === 1) epoch1 = weights(ctx.model).map(([k, v]) => [k, v]); },
      // Poison one step of epoch 2: the gradient becomes NaN, so the step ruins the weights.
      onBeforeStep: (ctx) => { if (ctx.step === 20) ctx.model.parameters().at(-1)!.grad!.data[0] = NaN; },
    });
    const guard = new cb.DivergenceGuard({ action: "rollback", lrFactor: 0.5 });
    let afterRollback: [string, number[]][] = [];
    const peek = new cb.LambdaCallback({ onBatchEnd: (ctx) => { if (ctx.step === 22) afterRollback = weights(ctx.model).map(([k, v]) => [k, v]); } });
    const h = fit(m, { train, optimizer: opt, epochs: 3, batchSize: 16, callbacks: [spike, guard, peek] });
    assert.equal(h.stopReason, null);
    assert.equal(guard.rollbackCount, 1);
    assert.equal(opt.paramGroups[0]!.lr, 0.025);
    assert.equal(h.events.length, 1);
    assert.match(h.events[0]!.message, /^divergence guard: loss became NaN at step 22 \(epoch 2\); rolled back to the weights of epoch 1 and cut the learning rate to 0\.0250$/);
    assert.equal(h.epochs.length, 3);
    assert.ok(Number.isFinite(h.epochs[2]!.loss));
    assert.ok(epoch1.length > 0 && afterRollback.length > 0);
    // Step 21 made the output bias NaN, step 22's loss is NaN: the guard restores epoch 1's end right there.
    assert.ok(epoch1.length > 0);
    assert.deepEqual(afterRollback, epoch1);
    assert.ok(Number.isNaN(h.steps[21]!.loss) && h.steps.filter((s) => !Number.isFinite(s.loss)).length === 1);
  });
});

describe("checkpoints and resume", () => {
  // Everything random at once: dropout (global generator), an augmentation (ctx.generator), shuffling, a per-step schedule.
  const setup = (dir: string) => {
    const { train, val } = digits(200);
    const m = model(8, 0.2);
    const opt = new mn.optim.Adam(m.parameters(), { lr: 2e-3 });
    const sched = new mn.optim.lrScheduler.CosineAnnealingLR(opt, { tMax: 40 });
    const stop = new cb.EarlyStopping({ patience: 50, restoreBestWeights: true });
    const ckpt = new cb.ModelCheckpoint({ dir, everySteps: 3 });
    const noise = (batch: Tensor[], g: Generator) => [batch[0]!.add(mn.randn(batch[0]!.shape, { generator: g }).mul(0.05)), batch[1]!];
    const options = (callbacks: mn.train.Callback[], resume: mn.train.Checkpoint | null = null): mn.train.FitOptions => ({
      train, val, optimizer: opt, scheduler: { scheduler: sched, interval: "step" }, epochs: 5, batchSize: 32, seed: 3, transform: noise,
      callbacks: [stop, ckpt, ...callbacks], resume,
    });
    return { m, options, stop };
  };

  test("a run killed at any step and resumed from its last checkpoint ends bit-identical to one never interrupted", () => {
    const whole = setup(tmp());
    mn.manualSeed(99);
    const h = fit(whole.m, whole.options([]));
    assert.equal(h.steps.length, 35);
    for (const killAt of [2, 7, 14, 21, 33]) {
      const dir = tmp();
      const first = setup(dir);
      mn.manualSeed(99);
      const kill = new cb.LambdaCallback({ onBatchEnd: (ctx) => { if (ctx.step === killAt) throw new Error("killed"); } }); // stateless: resume without it
      assert.throws(() => fit(first.m, first.options([kill])), /killed/);
      const resumed = setup(dir);
      mn.manualSeed(12345); // the resumed process starts with another global state; the checkpoint restores it
      // Saves: every 3 steps inside an epoch, and at each epoch's end (7 steps); none at the killed step.
      const savedAt = Array.from({ length: killAt - 1 }, (_, i) => i + 1).filter((s) => s % 3 === 0 || s % 7 === 0).at(-1) ?? 0;
      const saved = mn.train.hasCheckpoint(dir, "last") ? mn.train.loadCheckpoint(dir, "last") : null;
      assert.equal(saved?.state.step ?? 0, savedAt, `kill at ${killAt}`);
      if (!saved) mn.manualSeed(99); // nothing saved: the rerun starts as the first did
      const h2 = fit(resumed.m, resumed.options([], saved));
      sameWeights(whole.m, resumed.m);
      assert.deepEqual(h2.steps.map((s) => s.loss), h.steps.map((s) => s.loss), `kill at ${killAt}`);
      assert.deepEqual(h2.epochs.map((e) => e.valLoss), h.epochs.map((e) => e.valLoss));
    }
  });

  test("checkpoint files: weights load by name into a fresh model; corrupt or mismatched files fail naming the file", () => {
    const dir = tmp();
    const s = setup(dir);
    fit(s.m, s.options([]));
    const fresh = model(0, 0.2);
    fresh.loadStateDict(mn.io.loadSafetensors(join(dir, "best.safetensors")));
    const best = mn.train.loadCheckpoint(dir, "best");
    assert.equal(best.state.epochsDone, s.stop.best.epoch);
    sameWeights(fresh, s.m); // early stopping restored the best epoch, which best.safetensors holds
    const bytes = readFileSync(join(dir, "last.safetensors"));
    mn.io.writeFileAtomic(join(dir, "last.safetensors"), bytes.subarray(0, bytes.length - 4));
    assert.throws(() => mn.train.loadCheckpoint(dir, "last"), { message: `loadCheckpoint: ${join(dir, "last.safetensors")} is corrupt or from another checkpoint: its SHA-256 does not match the one ${join(dir, "last.json")} records` });
    mn.io.writeFileAtomic(join(dir, "last.json"), "{ not json");
    assert.throws(() => mn.train.loadCheckpoint(dir, "last"), { message: new RegExp(`^loadCheckpoint: ${join(dir, "last.json").replace(/[.]/g, "\\.")} is not valid JSON`) });
    assert.throws(() => mn.train.loadCheckpoint(dir, "nothing"), { message: `loadCheckpoint: no checkpoint ${join(dir, "nothing.json")}` });
    const other = mn.nn.mlp({ inputs: 784, hidden: [16], outputs: 10, dropout: 0.2 });
    assert.throws(() => other.loadStateDict(best.weights), { message: /size mismatch for 1\.weight: the checkpoint has \[32,784\], the model has \[16,784\]/ });
    const s2 = setup(tmp());
    assert.throws(() => fit(s2.m, { ...s2.options([]), callbacks: [], resume: best }), { message: "fit: the checkpoint holds the state of callbacks [EarlyStopping, ModelCheckpoint], this run has [none]; resume with the same stateful callbacks in the same order" });
  });

  test("a save interrupted after its commit is finished by the reader (the .next file is renamed into place)", () => {
    const dir = tmp();
    const s = setup(dir);
    fit(s.m, { ...s.options([]), epochs: 1 });
    const before = readFileSync(join(dir, "last.safetensors"));
    // Simulate a kill between the JSON commit and the rename: the committed weights sit in .next.
    mn.io.writeFileAtomic(join(dir, "last.safetensors.next"), before);
    mn.io.writeFileAtomic(join(dir, "last.safetensors"), new Uint8Array([1, 2, 3]));
    const c = mn.train.loadCheckpoint(dir, "last");
    assert.ok(Object.keys(c.weights).length > 0);
    assert.deepEqual(readFileSync(join(dir, "last.safetensors")), before);
  });
});

describe("loggers", () => {
  test("JsonlLogger writes steps, layers and epochs in order and an end line; CSVLogger one row per epoch", () => {
    const dir = tmp();
    const { train, val } = digits(100);
    const m = model(9);
    const h = fit(m, {
      train, val, optimizer: new mn.optim.SGD(m.parameters(), { lr: 0.1 }), epochs: 2, batchSize: 25, layerStatsEvery: 4,
      callbacks: [new cb.JsonlLogger({ path: join(dir, "m.jsonl"), diagnose: (hh) => ({ epochs: hh.epochs.length }) }), new cb.CSVLogger({ path: join(dir, "m.csv") })],
    });
    const lines = readFileSync(join(dir, "m.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(lines.map((l) => l["kind"]), [
      "step", "step", "step", "step", "layer", "layer", "layer", "layer", "layer", "layer", "layer", "layer", "epoch",
      "step", "step", "step", "step", "layer", "layer", "layer", "layer", "epoch", "end"]);
    assert.deepEqual(lines.filter((l) => l["kind"] === "step").map((l) => l["loss"]), h.steps.map((s) => s.loss));
    assert.deepEqual(lines.at(-1), { kind: "end", stopReason: null, diagnosis: { epochs: 2 } });
    const csv = readFileSync(join(dir, "m.csv"), "utf8").trim().split("\n");
    assert.equal(csv[0], "epoch,loss,accuracy,valLoss,valAccuracy,testLoss,testAccuracy,lr,steps,seconds");
    assert.equal(csv.length, 3);
    assert.equal(csv[2]!.split(",")[1], String(h.epochs[1]!.loss));
    assert.equal(csv[2]!.split(",")[5], ""); // no test set
  });
});

describe("ProgressBar", () => {
  test("draws one bar per epoch on the given stream, and a bar for the rest of an epoch a resumed run continues", async () => {
    const { Writable } = await import("node:stream");
    let text = "";
    const stream = Object.assign(new Writable({ write(chunk, _enc, done) { text += String(chunk); done(); } }), { isTTY: true, columns: 200 }) as unknown as NodeJS.WriteStream;
    const { train } = digits(100);
    const m = model(10);
    const opt = new mn.optim.SGD(m.parameters(), { lr: 0.1 });
    const dir = tmp();
    const ckpt = new cb.ModelCheckpoint({ dir, everySteps: 2, saveBest: false });
    const stop = new cb.LambdaCallback({ onBatchEnd: (ctx) => { if (ctx.step === 7) throw new Error("killed"); } });
    assert.throws(() => fit(m, { train, optimizer: opt, epochs: 2, batchSize: 20, callbacks: [new cb.ProgressBar({ stream, force: true }), ckpt, stop] }), /killed/);
    assert.match(text, /epoch 1\/2 [░ ]+ 0\/5 .*epoch 1\/2 [█ ]+ 5\/5 \| loss \d\.\d{4}/);
    assert.match(text, /epoch 2\/2 [░ ]+ 0\/5/);
    text = "";
    fit(m, { train, optimizer: opt, epochs: 2, batchSize: 20, resume: mn.train.loadCheckpoint(dir, "last"),
      callbacks: [new cb.ProgressBar({ stream, force: true }), new cb.ModelCheckpoint({ dir, everySteps: 2, saveBest: false })] });
    // Saved after step 6 (epoch 2's first batch): the resumed bar starts at 1/5 and reaches 5/5.
    assert.match(text, /epoch 2\/2 [█░ ]+ 1\/5 .*epoch 2\/2 [█ ]+ 5\/5/);
    assert.doesNotMatch(text, /epoch 1\/2/);
  });
});
