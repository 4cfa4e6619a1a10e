import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as mn from "../../src/index.node.js";
import { DataLoader } from "../../src/data/data-loader.js";
import { Generator } from "../../src/tensor/random.js";
import type { Tensor } from "../../src/tensor/tensor.js";
import { digits, model, sameWeights, tmp } from "./fit-helpers.js";

const { fit, callbacks: cb } = mn.train;

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
