import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import * as mn from "../../src/index.node.js";
import { digits, model, sameWeights, tmp } from "./fit-helpers.js";

const { fit, callbacks: cb } = mn.train;
const S = mn.optim.lrScheduler;
const opt = (m: mn.nn.Module) => new mn.optim.AdamW(m.parameters(), { lr: 1e-3 });

describe("fit and a scheduler's interval", () => {
  test("OneCycleLR built with stepsPerEpoch, given bare, steps after every batch: each step's lr is oneCycle's closed form, bit-identical to interval \"step\"", () => {
    const { train } = digits(100); // batches of 32: 4 per epoch, the last of 4 samples
    const a = model(1), b = model(1);
    const optA = opt(a), optB = opt(b);
    const bare = fit(a, { train, optimizer: optA, scheduler: new S.OneCycleLR(optA, { maxLr: 0.01, epochs: 3, stepsPerEpoch: 4 }), epochs: 3 });
    const given = fit(b, { train, optimizer: optB, scheduler: { scheduler: new S.OneCycleLR(optB, { maxLr: 0.01, epochs: 3, stepsPerEpoch: 4 }), interval: "step" }, epochs: 3 });
    const closed = S.oneCycle({ maxLr: 0.01, totalSteps: 12 });
    assert.equal(bare.steps.length, 12);
    bare.steps.forEach((s, k) => assert.ok(Math.abs(s.lr - closed(k, 0)) <= 1e-15, `step ${s.step}: lr ${s.lr}, closed form ${closed(k, 0)}`));
    assert.ok(Math.max(...bare.steps.map((s) => s.lr)) > 0.0099, "the lr reached the peak");
    sameWeights(a, b);
    assert.deepEqual(bare.schedule, { name: "OneCycleLR", interval: "step", totalSteps: 12, peakLr: closed(3, 0), peakStep: 3, endLr: closed(11, 0) });
    assert.equal(given.schedule!.interval, "step");
  });

  test("schedulers that count steps declare it (OneCycleLR, CyclicLR, InverseSqrtLR, containers holding one); ReduceLROnPlateau declares epochs; the rest leave it to the caller", () => {
    const o = opt(model(0));
    const cyclic = new S.CyclicLR(o, { baseLr: 1e-4, maxLr: 1e-3, stepSizeUp: 4 });
    const warm = new S.LinearLR(o, { startFactor: 0.1, totalIters: 4 });
    assert.equal(cyclic.interval, "step");
    assert.equal(new S.InverseSqrtLR(o, { warmupSteps: 10 }).interval, "step");
    assert.equal(new S.OneCycleLR(o, { maxLr: 0.01, totalSteps: 50 }).interval, "step");
    assert.equal(new S.SequentialLR(o, { schedulers: [warm, new S.OneCycleLR(o, { maxLr: 0.01, totalSteps: 50 })], milestones: [4] }).interval, "step");
    assert.equal(new S.ChainedScheduler([new S.ExponentialLR(o, { gamma: 0.9 }), cyclic]).interval, "step");
    assert.equal(new S.ReduceLROnPlateau(o).interval, "epoch");
    for (const s of [warm, new S.StepLR(o, { stepSize: 2 }), new S.CosineAnnealingLR(o, { tMax: 10 }), new S.ExponentialLR(o, { gamma: 0.9 })]) assert.equal(s.interval, null, s.constructor.name);
    // Undeclared: per epoch, as before (PyTorch's habit); History records it.
    const { train } = digits(64);
    const m = model(2), o2 = opt(m);
    const h = fit(m, { train, optimizer: o2, scheduler: new S.StepLR(o2, { stepSize: 1, gamma: 0.5 }), epochs: 3 });
    assert.deepEqual(h.epochs.map((e) => e.lr), [1e-3, 5e-4, 2.5e-4]);
    assert.deepEqual(h.schedule, { name: "StepLR", interval: "epoch", totalSteps: null, peakLr: null, peakStep: null, endLr: null });
  });

  test("an explicit interval the scheduler contradicts is refused, saying which to choose (exact text)", () => {
    const { train } = digits(64);
    const m = model(0), o = opt(m);
    assert.throws(() => fit(m, { train, optimizer: o, epochs: 1, scheduler: { scheduler: new S.OneCycleLR(o, { maxLr: 0.01, epochs: 1, stepsPerEpoch: 2 }), interval: "epoch" } }),
      { message: 'fit: scheduler.interval "epoch" contradicts OneCycleLR, whose lengths count optimizer steps; expected interval "step", or the scheduler given bare (fit then steps it after every optimizer step)' });
    assert.throws(() => fit(m, { train, optimizer: o, epochs: 1, scheduler: { scheduler: new S.ReduceLROnPlateau(o), interval: "step" } }),
      { message: 'fit: scheduler.interval "step" contradicts ReduceLROnPlateau, which steps on an epoch\'s metric; expected interval "epoch", or the scheduler given bare (fit then steps it after every epoch)' });
  });

  test("a schedule shorter than the run is refused before the first step, naming both step counts and dropLast (exact text); the weights stay as they were", () => {
    const { train } = digits(100);
    const m = model(3), o = opt(m);
    const before = m.copyStateDict();
    // The user's floor(100 / 32) = 3 batches per epoch; the loader makes ceil = 4 (dropLast false).
    const sched = new S.OneCycleLR(o, { maxLr: 0.01, epochs: 5, stepsPerEpoch: Math.floor(100 / 32) });
    assert.throws(() => fit(m, { train, optimizer: o, scheduler: sched, epochs: 5 }),
      { message: "fit: OneCycleLR is 15 steps long (totalSteps), but this run steps it 20 times: 5 epochs × 4 batches (100 samples in batches of 32; "
        + "dropLast false keeps the last, smaller batch of 4); expected a schedule of 20 steps (stepsPerEpoch 4, the DataLoader's length), fewer epochs, or dropLast: true" });
    for (const [k, t] of Object.entries(m.stateDict())) assert.deepEqual(Array.from(t.data), Array.from(before[k]!.data), k);
    // With dropLast the same schedule fits exactly and runs to its end without the crash of OneCycleLR's step 16.
    const h = fit(m, { train, optimizer: o, scheduler: sched, epochs: 5, dropLast: true });
    assert.equal(h.steps.length, 15);
    // A schedule inside SequentialLR has the horizon of its segment.
    const m2 = model(3), o2 = opt(m2);
    const seq = new S.SequentialLR(o2, { schedulers: [new S.LinearLR(o2, { totalIters: 2 }), new S.OneCycleLR(o2, { maxLr: 0.01, totalSteps: 10 })], milestones: [2] });
    assert.equal(seq.totalSteps, 12);
    assert.throws(() => fit(m2, { train, optimizer: o2, scheduler: seq, epochs: 4, batchSize: 25 }),
      { message: "fit: SequentialLR is 12 steps long (totalSteps), but this run steps it 16 times: 4 epochs × 4 batches (100 samples in batches of 25; "
        + "dropLast false, no smaller last batch); expected a schedule of 16 steps (stepsPerEpoch 4, the DataLoader's length), fewer epochs" });
  });

  test("a resumed run counts the steps its schedule has left (exact text)", () => {
    const { train } = digits(64);
    const m = model(7), o = opt(m);
    const sched = new S.OneCycleLR(o, { maxLr: 0.01, totalSteps: 8 });
    let saved: mn.train.Checkpoint | null = null;
    fit(m, { train, optimizer: o, scheduler: sched, epochs: 2, batchSize: 16, callbacks: [new cb.LambdaCallback({ onEpochEnd: (ctx) => { saved ??= ctx.checkpoint(); } })] });
    // Saved after epoch 1: 4 of the 8 steps taken. Resumed for 3 epochs in all: 8 more steps, where 4 are left.
    assert.throws(() => fit(m, { train, optimizer: o, scheduler: sched, epochs: 3, batchSize: 16, resume: saved! }),
      { message: "fit: OneCycleLR has 4 of its 8 steps (totalSteps) left, but this run steps it 8 more times: 2 epochs × 4 batches (64 samples in batches of 16; "
        + "dropLast false, no smaller last batch); expected a schedule of 12 steps (stepsPerEpoch 4, the DataLoader's length), fewer epochs" });
    assert.equal(fit(m, { train, optimizer: o, scheduler: sched, epochs: 2, batchSize: 16, resume: saved! }).steps.length, 8);
  });

  test("an error thrown during training carries the History so far as error.history", () => {
    const { train } = digits(64);
    const m = model(4), o = opt(m);
    const boom = new cb.LambdaCallback({ onEpochEnd: (_ctx, log) => { if (log.epoch === 2) throw new Error("disk gone"); } });
    let caught: unknown = null;
    try {
      fit(m, { train, optimizer: o, epochs: 5, batchSize: 16, callbacks: [boom] });
    } catch (e) {
      caught = e;
    }
    assert.ok(caught instanceof Error && caught.message === "disk gone");
    const history = (caught as Error & { history: mn.train.History }).history;
    assert.ok(history instanceof mn.train.History);
    assert.deepEqual(history.epochs.map((e) => e.epoch), [1, 2]);
    assert.equal(history.steps.length, 8);
  });

  test("the run log holds the schedule record after the header, read back into the History, and the report shows it", () => {
    const dir = tmp();
    const { train } = digits(64);
    const m = model(5), o = opt(m);
    const h = fit(m, { train, optimizer: o, epochs: 2, batchSize: 32, scheduler: new S.CyclicLR(o, { baseLr: 1e-4, maxLr: 1e-3, stepSizeUp: 2 }),
      callbacks: [new cb.JsonlLogger({ path: join(dir, "m.jsonl") })] });
    const log = mn.io.readRunLog(join(dir, "m.jsonl"));
    assert.deepEqual(log.history.schedule, { name: "CyclicLR", interval: "step", totalSteps: null, peakLr: null, peakStep: null, endLr: null });
    assert.deepEqual(log.history.schedule, h.schedule);
    const html = mn.report.renderReport({ title: "r", config: null, history: mn.train.History.fromJSON(log.history), diagnosis: null });
    assert.match(html, /<dt>lr schedule<\/dt><dd>CyclicLR, stepped after every optimizer step<\/dd>/);
  });
});
