import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../src/index.node.js";
import { atLeast, checkOptions, choice, option, optional, positiveInt, required, withDefaults } from "../src/options.js";

// checkOptions against an owner's spec, checked on a spec written here: the message texts are the
// specification (src/options.ts documents them), the values the spec's own defaults.
const SPEC = {
  stepSize: required<number>(positiveInt),
  gamma: option(0.1, atLeast(0)),
  mode: choice("cos", "linear"),
  tag: optional<string>(),
  fn: required<() => number>(),
};
const fails = (given: object | undefined, message: string) =>
  assert.throws(() => checkOptions("Owner", given, SPEC), (e: unknown) => e instanceof mn.OptionError && e.message === message);

describe("checkOptions", () => {
  test("fills in the spec's defaults, leaves an optional option undefined, keeps what was given", () => {
    const fn = () => 1;
    assert.deepEqual(checkOptions("Owner", { stepSize: 3, fn }, SPEC), { stepSize: 3, gamma: 0.1, mode: "cos", tag: undefined, fn });
    assert.deepEqual(checkOptions("Owner", { stepSize: 3, fn, gamma: 0, mode: "linear", tag: "t" }, SPEC), { stepSize: 3, gamma: 0, mode: "linear", tag: "t", fn });
  });

  test("a key given as undefined counts as not given", () => {
    assert.equal(checkOptions("Owner", { stepSize: 3, fn: () => 1, gamma: undefined }, SPEC).gamma, 0.1);
    fails({ stepSize: undefined, fn: () => 1 }, "Owner: missing option stepSize; expected a positive integer");
  });

  test("exact messages: an unknown key (with the closest known one), a bad value, a missing required option with and without what is expected", () => {
    fails({ step_size: 3 }, 'Owner: unknown option "step_size" — did you mean "stepSize"?; expected one of stepSize, gamma, mode, tag, fn');
    fails({ toString: 3 }, "Owner: unknown option \"toString\"; expected one of stepSize, gamma, mode, tag, fn");
    fails({ stepSize: 0 }, "Owner: invalid stepSize; expected a positive integer, got 0");
    fails({ stepSize: 2, mode: "cosine" }, 'Owner: invalid mode; expected one of "cos", "linear", got "cosine"');
    fails(undefined, "Owner: missing option stepSize; expected a positive integer");
    fails({ stepSize: 2 }, "Owner: missing option fn");
  });

  test("unknown keys and bad values are reported before missing options, so a pasted snake_case key gets its hint", () => {
    fails({ step_size: 3, fn: () => 1 }, 'Owner: unknown option "step_size" — did you mean "stepSize"?; expected one of stepSize, gamma, mode, tag, fn');
    fails({ gamma: -1 }, "Owner: invalid gamma; expected a number ≥ 0, got -1");
  });

  test("withDefaults replaces defaults, and makes an option it gives a default to no longer required", () => {
    const spec = withDefaults(SPEC, { gamma: 0.5, stepSize: 7 });
    assert.deepEqual(checkOptions("Owner", { fn: Math.random }, spec), { stepSize: 7, gamma: 0.5, mode: "cos", tag: undefined, fn: Math.random });
    assert.equal(SPEC.gamma.default, 0.1, "the spec itself is left as it was");
  });
});

describe("every owner's missing required option: one wording, from checkOptions", () => {
  const opt = () => new mn.optim.SGD([mn.zeros([2], { requiresGrad: true })], { lr: 0.1 });
  const S = mn.optim.lrScheduler;
  const loose = (o: object) => o as never; // what a JavaScript caller can write
  const cases: [string, () => unknown, string][] = [
    ["StepLR", () => new S.StepLR(opt(), loose({})), "StepLR: missing option stepSize; expected a positive integer"],
    ["LambdaLR", () => new S.LambdaLR(opt(), loose({})), "LambdaLR: missing option lrLambda"],
    ["SequentialLR, schedulers", () => new S.SequentialLR(opt(), loose({ milestones: [2] })), "SequentialLR: missing option schedulers; expected a non-empty list of schedulers"],
    ["SequentialLR, empty schedulers", () => new S.SequentialLR(opt(), loose({ milestones: [2], schedulers: [] })),
      "SequentialLR: invalid schedulers; expected a non-empty list of schedulers, got []"],
    ["SequentialLR, milestones", () => { const o = opt(); return new S.SequentialLR(o, loose({ schedulers: [new S.LinearLR(o), new S.LinearLR(o)] })); },
      "SequentialLR: missing option milestones; expected 1 increasing positive integer (one fewer than schedulers)"],
    ["mixup", () => mn.data.transforms.mixup(mn.zeros([2, 1, 2, 2]), mn.tensor([0, 1], { dtype: "int32" }), loose({})),
      "mixup: missing option numClasses; expected a positive integer"],
    ["residualMlp", () => mn.nn.residualMlp(loose({ inputs: 4, width: 8, outputs: 2 })), "residualMlp: missing option blocks; expected a non-negative integer"],
    ["fit", () => mn.train.fit(mn.nn.mlp({ inputs: 2, hidden: [], outputs: 2 }), loose({ optimizer: opt(), epochs: 1 })),
      "fit: missing option train; expected a dataset (length and get(i))"],
    ["CSVLogger", () => new mn.train.callbacks.CSVLogger(loose({})), "CSVLogger: missing option path; expected a file path"],
    ["JsonlLogger", () => new mn.train.callbacks.JsonlLogger(loose({ diagnose: null })), "JsonlLogger: missing option path; expected a file path"],
    ["ModelCheckpoint", () => new mn.train.callbacks.ModelCheckpoint(loose({ saveLast: false })), "ModelCheckpoint: missing option dir; expected a folder path"],
  ];
  for (const [owner, call, message] of cases) {
    test(`${owner}: "${message}"`, () => {
      assert.throws(call, (e: unknown) => e instanceof mn.OptionError && e.message === message);
    });
  }
});
