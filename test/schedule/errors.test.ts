import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../src/index.node.js";
import { makeOptimizer } from "./cases.js";

const S = mn.optim.lrScheduler;
const opt = () => makeOptimizer([0.1, 0.2]);
const loose = (o: object) => o as any; // options a TypeScript caller could not write, but a JS one can

/** [what is wrong, the call, the error class, its exact message] */
const cases: [string, () => unknown, Function, string][] = [
  ["stepSize 0", () => new S.StepLR(opt(), { stepSize: 0 }), mn.OptionError, "StepLR: invalid stepSize; expected a positive integer, got 0"],
  ["a missing required option", () => new S.StepLR(opt(), loose({})), mn.OptionError, "StepLR: missing option stepSize; expected a positive integer"],
  ["PyTorch's snake_case", () => new S.StepLR(opt(), loose({ step_size: 3 })), mn.OptionError,
    'StepLR: unknown option "step_size" — did you mean "stepSize"?; expected one of stepSize, gamma, lastEpoch'],
  ["T_max", () => new S.CosineAnnealingLR(opt(), loose({ T_max: 10 })), mn.OptionError,
    'CosineAnnealingLR: unknown option "T_max" — did you mean "tMax"?; expected one of tMax, etaMin, lastEpoch'],
  ["lastEpoch -2", () => new S.StepLR(opt(), { stepSize: 3, lastEpoch: -2 }), mn.OptionError, "StepLR: invalid lastEpoch; expected an integer ≥ -1, got -2"],
  ["lastEpoch without initialLr", () => new S.StepLR(opt(), { stepSize: 3, lastEpoch: 4 }), mn.OptionError,
    "StepLR: lastEpoch 4 resumes a schedule, but param group 0 has no initialLr (restore with loadStateDict instead)"],
  ["a negative milestone", () => new S.MultiStepLR(opt(), { milestones: [3, -1] }), mn.OptionError,
    "MultiStepLR: invalid milestones; expected a list of non-negative integers, got [3,-1]"],
  ["a fractional tMult", () => new S.CosineAnnealingWarmRestarts(opt(), { t0: 10, tMult: 1.5 }), mn.OptionError,
    "CosineAnnealingWarmRestarts: invalid tMult; expected a positive integer, got 1.5"],
  ["startFactor 1.5", () => new S.LinearLR(opt(), { startFactor: 1.5 }), mn.OptionError, "LinearLR: invalid startFactor; expected a number in [0, 1], got 1.5"],
  ["factor -1", () => new S.ConstantLR(opt(), { factor: -1 }), mn.OptionError, "ConstantLR: invalid factor; expected a number in [0, 1], got -1"],
  ["three lambdas for two groups", () => new S.LambdaLR(opt(), { lrLambda: [() => 1, () => 1, () => 1] }), mn.OptionError,
    "LambdaLR: invalid lrLambda; expected a function or one per param group (2), got 3 functions"],
  ["OneCycleLR without a length", () => new S.OneCycleLR(opt(), { maxLr: 0.1 }), mn.OptionError,
    "OneCycleLR: missing option totalSteps; expected totalSteps, or epochs and stepsPerEpoch"],
  ["pctStart 1.5", () => new S.OneCycleLR(opt(), { maxLr: 0.1, totalSteps: 10, pctStart: 1.5 }), mn.OptionError,
    "OneCycleLR: invalid pctStart; expected a number in [0, 1], got 1.5"],
  ['annealStrategy "cosine"', () => new S.OneCycleLR(opt(), loose({ maxLr: 0.1, totalSteps: 10, annealStrategy: "cosine" })), mn.OptionError,
    'OneCycleLR: invalid annealStrategy; expected one of "cos", "linear", got "cosine"'],
  ["cycleMomentum true", () => new S.OneCycleLR(opt(), loose({ maxLr: 0.1, totalSteps: 10, cycleMomentum: true })), mn.OptionError,
    "OneCycleLR: invalid cycleMomentum; expected false (momentum cycling is not implemented; set the optimizer's momentum yourself), got true"],
  ["one maxLr for two groups", () => new S.OneCycleLR(opt(), { maxLr: [0.1], totalSteps: 10 }), mn.OptionError,
    "OneCycleLR: invalid maxLr; expected a number or one per param group (2), got [0.1]"],
  ["stepping past totalSteps", () => { const s = new S.OneCycleLR(opt(), { maxLr: 0.1, totalSteps: 3 }); for (let i = 0; i < 5; i++) s.step(); },
    mn.MinimaError, "OneCycleLR: tried to step 5 times, but totalSteps is 3"],
  ['mode "triangle"', () => new S.CyclicLR(opt(), loose({ baseLr: 0.01, maxLr: 0.1, mode: "triangle" })), mn.OptionError,
    'CyclicLR: invalid mode; expected one of "triangular", "triangular2", "exp_range", got "triangle"'],
  ["factor 1", () => new S.ReduceLROnPlateau(opt(), { factor: 1 }), mn.OptionError, "ReduceLROnPlateau: invalid factor; expected a number in [0, 1), got 1"],
  ['mode "minimum"', () => new S.ReduceLROnPlateau(opt(), loose({ mode: "minimum" })), mn.OptionError,
    'ReduceLROnPlateau: invalid mode; expected one of "min", "max", got "minimum"'],
  ["step() without the metric", () => new S.ReduceLROnPlateau(opt()).step(), mn.MinimaError,
    "ReduceLROnPlateau: step needs the monitored value, as step(metric), got undefined"],
  ["a milestone at 0", () => { const o = opt(); return new S.SequentialLR(o, { schedulers: [new S.LinearLR(o), new S.StepLR(o, { stepSize: 2 })], milestones: [0] }); },
    mn.OptionError, "SequentialLR: invalid milestones; expected 1 increasing positive integer (one fewer than schedulers), got [0]"],
  ["a scheduler of another optimizer", () => { const o = opt(); return new S.SequentialLR(o, { schedulers: [new S.LinearLR(o), new S.StepLR(opt(), { stepSize: 2 })], milestones: [3] }); },
    mn.OptionError, "SequentialLR: scheduler 1 belongs to another optimizer"],
  ["an empty chain", () => new S.ChainedScheduler([]), mn.OptionError, "ChainedScheduler: invalid schedulers; expected a non-empty list of schedulers, got []"],
  ["annealEpochs -1", () => new S.SWALR(opt(), { swaLr: 0.05, annealEpochs: -1 }), mn.OptionError, "SWALR: invalid annealEpochs; expected a non-negative integer, got -1"],
  ["decaySteps 0", () => new S.InverseTimeLR(opt(), { decaySteps: 0, decayRate: 1 }), mn.OptionError, "InverseTimeLR: invalid decaySteps; expected a number > 0, got 0"],
  ["lrAt(1.5)", () => new S.StepLR(opt(), { stepSize: 3 }).lrAt(1.5), mn.OptionError, "StepLR.lrAt: invalid step; expected a non-negative integer, got 1.5"],
  ["a state dict for one group", () => new S.StepLR(opt(), { stepSize: 3 }).loadStateDict({ lastEpoch: 3, baseLrs: [0.1], lastLr: [0.1] }), mn.StateDictError,
    "StepLR.loadStateDict: baseLrs must hold one number per param group (2), got [0.1]"],
  ["a leaf's state dict into SequentialLR", () => {
    const o = opt();
    new S.SequentialLR(o, { schedulers: [new S.LinearLR(o), new S.StepLR(o, { stepSize: 2 })], milestones: [3] }).loadStateDict({ lastEpoch: 3, baseLrs: [0.1, 0.2], lastLr: [0.1, 0.2] });
  }, mn.StateDictError, "SequentialLR.loadStateDict: the state dict holds no schedulers, this SequentialLR 2"],
];

describe("bad options fail with exact messages", () => {
  for (const [what, call, kind, message] of cases) {
    test(what, () => assert.throws(call, (e: Error) => e instanceof kind && e.message === message ? true : assert.fail(`got ${e.constructor.name}: ${e.message}`)));
  }
});
