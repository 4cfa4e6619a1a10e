import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../src/index.node.js";

const f64 = { dtype: "float64" as const, requiresGrad: true };

describe("l2Penalty and l1Penalty", () => {
  test("values are the closed forms (λ/2)·Σw² and λ·Σ|w| over every tensor given", () => {
    const a = mn.tensor([[1, -2], [3, 0.5]], f64);
    const b = mn.tensor([-4, 0], f64);
    assert.equal(mn.nn.l2Penalty([a, b], 0.1).item(), (0.1 / 2) * (1 + 4 + 9 + 0.25 + 16));
    assert.equal(mn.nn.l1Penalty([a, b], 0.1).item(), 0.1 * (1 + 2 + 3 + 0.5 + 4));
    assert.equal(mn.nn.l2Penalty(a, 2).item(), 14.25, "a single tensor is accepted");
    assert.equal(mn.nn.l2Penalty([], 0.1).item(), 0, "no params: a zero penalty");
  });

  test("the gradient of l2Penalty(λ) is λ·w, bit for bit (float64)", () => {
    const w = mn.randn([5, 7], { ...f64, generator: new mn.Generator(3) });
    mn.nn.l2Penalty([w], 0.37).backward();
    assert.deepEqual(Array.from(w.grad!.data), Array.from(w.data, (v) => 0.37 * v));
  });

  test("the gradient of l1Penalty(λ) is λ·sign(w), and 0 at w = 0 (abs backward is gy·sign(x), as torch's)", () => {
    const w = mn.tensor([-1.5, 0, 2, -0, 1e-300], f64);
    mn.nn.l1Penalty([w], 0.25).backward();
    // torch gives the same values (checked with torch 1.13); at w = −0 ours is −0, which equals 0.
    assert.deepEqual(Array.from(w.grad!.data, (v) => v + 0), [-0.25, 0, 0.25, 0, 0.25]);
  });

  test("both agree with central finite differences (gradcheck, float64, away from the kink of |w|)", () => {
    const g = new mn.Generator(5);
    const a = mn.randn([3, 4], { ...f64, generator: g });
    const b = mn.randn([4], { ...f64, generator: g });
    for (const t of [a, b]) for (let i = 0; i < t.numel(); i++) if (Math.abs(t.data[i]!) < 0.05) t.data[i] = 0.5;
    assert.equal(mn.autograd.gradcheck((x, y) => mn.nn.l2Penalty([x!, y!], 0.3), [a, b]), true);
    assert.equal(mn.autograd.gradcheck((x, y) => mn.nn.l1Penalty([x!, y!], 0.3), [a, b]), true);
  });

  for (const momentum of [0, 0.9]) {
    test(`SGD (momentum ${momentum}) on loss + l2Penalty(λ) takes the steps of SGD with weightDecay λ: 5 steps, float64, bit for bit`, () => {
      const run = (asPenalty: boolean): number[] => {
        const model = new mn.nn.Linear(4, 3, { dtype: "float64", generator: new mn.Generator(1) });
        const data = new mn.Generator(2);
        const x = mn.randn([8, 4], { dtype: "float64", generator: data });
        const y = mn.randn([8, 3], { dtype: "float64", generator: data });
        const opt = new mn.optim.SGD(model.parameters(), { lr: 0.1, momentum, weightDecay: asPenalty ? 0 : 0.03 });
        for (let step = 0; step < 5; step++) {
          opt.zeroGrad();
          let loss = mn.nn.functional.mseLoss(model.forward(x), y);
          if (asPenalty) loss = loss.add(mn.nn.l2Penalty(model.parameters(), 0.03));
          loss.backward();
          opt.step();
        }
        return model.parameters().flatMap((p) => Array.from(p.data));
      };
      const penalty = run(true), decay = run(false);
      const start = new mn.nn.Linear(4, 3, { dtype: "float64", generator: new mn.Generator(1) }).parameters().flatMap((p) => Array.from(p.data));
      // Bit for bit: the penalty's gradient is (λ/2)·w·2 = λ·w exactly (scaling by 2 is exact), and the
      // sum g + λw is the one SGD's weightDecay forms.
      assert.deepEqual(penalty, decay);
      penalty.forEach((v, i) => assert.ok(Math.abs(v - start[i]!) > 1e-3, `element ${i} moved`));
    });
  }

  test("a wrong λ gives a different trajectory (the comparison above can fail)", () => {
    const w1 = mn.tensor([1, 2], f64), w2 = mn.tensor([1, 2], f64);
    mn.nn.l2Penalty([w1], 0.03).backward();
    mn.nn.l2Penalty([w2], 0.06).backward();
    assert.notDeepEqual(Array.from(w1.grad!.data), Array.from(w2.grad!.data));
  });

  test("bad λ and params fail, naming the value", () => {
    const w = mn.ones([2]);
    assert.throws(() => mn.nn.l2Penalty([w], -0.1), /^OptionError: l2Penalty: invalid lambda; expected a finite number ≥ 0, got -0.1$/);
    assert.throws(() => mn.nn.l1Penalty([w], NaN), /^OptionError: l1Penalty: invalid lambda; expected a finite number ≥ 0, got NaN$/);
    assert.throws(() => mn.nn.l2Penalty([w], Infinity), /invalid lambda; expected a finite number ≥ 0, got Infinity/);
    assert.throws(() => mn.nn.l2Penalty([w, 3 as never], 0.1), /^OptionError: l2Penalty: param 1 is not a Tensor, got 3$/);
    assert.throws(() => mn.nn.l2Penalty(new mn.nn.Linear(2, 2) as never, 0.1),
      /^OptionError: l2Penalty: params must be a Tensor or an iterable of Tensors; expected model.parameters\(\) or decayedParameters\(model\), got a Linear$/);
    assert.throws(() => mn.nn.l1Penalty(null as never, 0.1), /l1Penalty: params must be a Tensor or an iterable of Tensors.*got null$/);
  });
});

describe("decayedParameters", () => {
  test("picks Linear and Conv kernels, not biases or BatchNorm's scale and shift", () => {
    const model = new mn.nn.Sequential(new mn.nn.Conv2d(1, 4, 3), new mn.nn.BatchNorm2d(4), new mn.nn.ReLU(),
      new mn.nn.Flatten(), new mn.nn.Linear(4 * 3 * 3, 8), new mn.nn.BatchNorm1d(8), new mn.nn.Linear(8, 2));
    const decayed = mn.nn.decayedParameters(model);
    const names = model.namedParameters().filter(([, p]) => decayed.includes(p)).map(([n]) => n);
    assert.deepEqual(names, ["0.weight", "4.weight", "6.weight"]);
    assert.equal(decayed.length, 3);
    assert.throws(() => mn.nn.decayedParameters([] as never), /^OptionError: decayedParameters: model must be a Module, got \[\]$/);
  });
});
