import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../src/index.node.js";
import { makeOptimizer } from "./cases.js";

const S = mn.optim.lrScheduler;
const round = (xs: number[]) => xs.map((x) => +x.toPrecision(12));

describe("SequentialLR", () => {
  test("a ReduceLROnPlateau segment starts from the base lr and cuts after patience + 1 bad steps (beyond PyTorch)", () => {
    const opt = makeOptimizer([0.1]);
    const warmup = new S.LinearLR(opt, { startFactor: 0.5, totalIters: 4 });
    const plateau = new S.ReduceLROnPlateau(opt, { factor: 0.5, patience: 2 });
    const sched = new S.SequentialLR(opt, { schedulers: [warmup, plateau], milestones: [4] });
    const lrs = [opt.paramGroups[0]!.lr];
    for (const loss of [9, 9, 9, 9, 1, 1, 1, 1, 1, 1]) {
      sched.step(loss); // the warmup ignores the metric; the plateau segment counts from step 4
      lrs.push(opt.paramGroups[0]!.lr);
    }
    assert.deepEqual(round(lrs), [0.05, 0.0625, 0.075, 0.0875, 0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05]);
    assert.deepEqual(sched.getLastLr(), [0.05]);
  });

  test("step() without a metric in a ReduceLROnPlateau segment fails; before it, it is fine", () => {
    const opt = makeOptimizer([0.1]);
    const sched = new S.SequentialLR(opt, { schedulers: [new S.ConstantLR(opt, { factor: 0.5, totalIters: 9 }), new S.ReduceLROnPlateau(opt)], milestones: [2] });
    sched.step();
    assert.throws(() => sched.step(), /ReduceLROnPlateau: step needs the monitored value/);
  });

  test("MultiplicativeLR restarts from the base lr in its segment (PyTorch continues from the previous segment's lr)", () => {
    const opt = makeOptimizer([1]);
    const sched = new S.SequentialLR(opt, { schedulers: [new S.ConstantLR(opt, { factor: 0.5, totalIters: 9 }), new S.MultiplicativeLR(opt, { lrLambda: () => 0.5 })], milestones: [3] });
    assert.deepEqual([1, 2, 3, 4, 5].map((k) => sched.lrAt(k)[0]), [0.5, 0.5, 1, 0.5, 0.25]);
  });
});

describe("ChainedScheduler", () => {
  test("forwards step(metric) to a ReduceLROnPlateau part, whose cuts multiply the other parts (beyond PyTorch)", () => {
    const opt = makeOptimizer([1]);
    const sched = new S.ChainedScheduler([new S.ExponentialLR(opt, { gamma: 0.5 }), new S.ReduceLROnPlateau(opt, { factor: 0.1, patience: 0 })]);
    sched.step(1);
    assert.equal(opt.paramGroups[0]!.lr, 0.5);
    sched.step(2); // worse: patience 0 cuts at once
    assert.equal(opt.paramGroups[0]!.lr, 0.25 * 0.1);
  });

  test("is the composition of closed forms: CosineAnnealingLR with etaMin anneals the previous part's lr towards etaMin", () => {
    const opt = makeOptimizer([1]);
    const sched = new S.ChainedScheduler([new S.ConstantLR(opt, { factor: 0.5, totalIters: 100 }), new S.CosineAnnealingLR(opt, { tMax: 10, etaMin: 0.1 })]);
    assert.ok(Math.abs(sched.lrAt(5)[0]! - (0.1 + (0.5 - 0.1) * 0.5)) < 1e-15);
  });
});

describe("LRScheduler base", () => {
  test("initialLr is set once, shared by later schedulers, and kept out of the optimizer's state dict", () => {
    const opt = makeOptimizer([0.1]);
    new S.ConstantLR(opt, { factor: 0.5 });
    const second = new S.StepLR(opt, { stepSize: 2 });
    assert.equal((opt.paramGroups[0] as unknown as { initialLr: number }).initialLr, 0.1);
    assert.deepEqual(second.baseLrs, [0.1]);
    assert.ok(!("initialLr" in opt.stateDict().paramGroups[0]!));
  });

  test("scaleBaseLrs(f): the schedule goes on at f × its closed form; initialLr (hidden from the state dict) scales too, so a later scheduler starts from it", () => {
    const opt = makeOptimizer([0.1, 0.4]);
    const cosine = new S.CosineAnnealingLR(opt, { tMax: 10 });
    const closedForm = (t: number, base: number) => (base * (1 + Math.cos((Math.PI * t) / 10))) / 2;
    for (let t = 0; t < 3; t++) cosine.step();
    cosine.scaleBaseLrs(0.5);
    assert.deepEqual(cosine.baseLrs, [0.05, 0.2]);
    for (let t = 4; t <= 7; t++) {
      cosine.step();
      opt.paramGroups.forEach((g, i) => assert.ok(Math.abs(g.lr - closedForm(t, 0.5 * [0.1, 0.4][i]!)) < 1e-15, `step ${t} group ${i}: ${g.lr}`));
    }
    assert.deepEqual(opt.paramGroups.map((g) => (g as unknown as { initialLr: number }).initialLr), [0.05, 0.2]);
    assert.ok(!("initialLr" in opt.stateDict().paramGroups[0]!));
    assert.deepEqual(new S.StepLR(opt, { stepSize: 2 }).baseLrs, [0.05, 0.2]);
  });

  test("scaleBaseLrs on a container scales what it hands its parts: SequentialLR(warmup, cosine) at f × its unscaled lrs", () => {
    const build = () => {
      const opt = makeOptimizer([0.1]);
      const warmup = new S.LinearLR(opt, { startFactor: 0.1, totalIters: 3 });
      return { opt, sched: new S.SequentialLR(opt, { schedulers: [warmup, new S.CosineAnnealingLR(opt, { tMax: 6 })], milestones: [3] }) };
    };
    const plain = build(), scaled = build();
    scaled.sched.scaleBaseLrs(0.25);
    for (let t = 1; t <= 8; t++) {
      plain.sched.step();
      scaled.sched.step();
      assert.ok(Math.abs(scaled.opt.paramGroups[0]!.lr - 0.25 * plain.opt.paramGroups[0]!.lr) < 1e-16, `step ${t}`);
    }
  });

  test("lastEpoch resumes like torch: the constructor's initial step goes to lastEpoch + 1", () => {
    const opt = makeOptimizer([1]);
    new S.StepLR(opt, { stepSize: 5 }).step();
    const resumed = new S.StepLR(opt, { stepSize: 5, gamma: 0.5, lastEpoch: 9 });
    assert.equal(resumed.lastEpoch, 10);
    assert.equal(opt.paramGroups[0]!.lr, 0.25);
  });

  test("loadStateDict alone restores the optimizer's lr", () => {
    const opt = makeOptimizer([1]);
    const sched = new S.ExponentialLR(opt, { gamma: 0.9 });
    for (let i = 0; i < 7; i++) sched.step();
    const opt2 = makeOptimizer([1]);
    new S.ExponentialLR(opt2, { gamma: 0.9 }).loadStateDict(JSON.parse(JSON.stringify(sched.stateDict())));
    assert.equal(opt2.paramGroups[0]!.lr, opt.paramGroups[0]!.lr);
  });

  test("SWALR anneals from the lr it finds, not the initial lr", () => {
    const opt = makeOptimizer([1]);
    const decay = new S.ExponentialLR(opt, { gamma: 0.5 });
    decay.step();
    const swa = new S.SWALR(opt, { swaLr: 0.1, annealEpochs: 2, annealStrategy: "linear" });
    assert.deepEqual(swa.baseLrs, [0.5]);
    assert.deepEqual(round([0, 1, 2, 3].map((k) => swa.lrAt(k)[0]!)), [0.5, 0.3, 0.1, 0.1]);
  });

  test("the closed forms are plain functions of (step, baseLr) (Optax style)", () => {
    assert.equal(S.stepDecay({ stepSize: 30 })(45, 0.1), 0.1 * 0.1);
    assert.equal(S.cosineAnnealing({ tMax: 100 })(50, 0.1), 0.05);
    assert.equal(S.oneCycle({ maxLr: 0.1, totalSteps: 100 })(29, 0), 0.1);
    assert.equal(S.inverseSqrtDecay({ warmupSteps: 100 })(400, 1e-3), 5e-4);
  });
});
