import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../src/index.node.js";

describe("SGD", () => {
  test("plain gradient descent on f(w) = ½‖w‖² contracts by (1 − lr) per step (closed form)", () => {
    const w = mn.tensor([4, -2], { dtype: "float64", requiresGrad: true });
    const opt = new mn.optim.SGD([w], { lr: 0.1 });
    for (let i = 0; i < 10; i++) {
      opt.zeroGrad();
      w.square().sum().mul(0.5).backward();
      opt.step();
    }
    assert.ok(Math.abs(w.data[0]! - 4 * 0.9 ** 10) < 1e-12);
    assert.ok(Math.abs(w.data[1]! + 2 * 0.9 ** 10) < 1e-12);
  });

  test("heavy-ball momentum follows b ← μb + g, w ← w − lr·b (closed-form recurrence)", () => {
    const w = mn.tensor([1], { dtype: "float64", requiresGrad: true });
    const opt = new mn.optim.SGD([w], { lr: 0.1, momentum: 0.9 });
    let x = 1, b = 0;
    for (let i = 0; i < 20; i++) {
      opt.zeroGrad();
      w.square().sum().mul(0.5).backward();
      opt.step();
      b = i === 0 ? x : 0.9 * b + x;
      x -= 0.1 * b;
    }
    assert.ok(Math.abs(w.item() - x) < 1e-14);
  });

  test("maximize ascends", () => {
    const w = mn.tensor([1], { dtype: "float64", requiresGrad: true });
    const opt = new mn.optim.SGD([w], { lr: 0.5, maximize: true });
    w.square().sum().backward();
    opt.step();
    assert.equal(w.item(), 2);
  });

  test("parameters without a gradient are left alone and their step does not advance", () => {
    const a = mn.tensor([1], { requiresGrad: true });
    const b = mn.tensor([1], { requiresGrad: true });
    const opt = new mn.optim.SGD([a, b], { lr: 0.1, momentum: 0.9 });
    a.sum().backward();
    opt.step();
    assert.equal(b.item(), 1);
    assert.equal(opt.state.get(b), undefined);
    assert.equal(opt.state.get(a)!.step, 1);
  });

  test("param groups keep their own lr; paramGroups[i].lr can be changed", () => {
    const a = mn.tensor([1], { dtype: "float64", requiresGrad: true });
    const b = mn.tensor([1], { dtype: "float64", requiresGrad: true });
    const opt = new mn.optim.SGD([{ params: [a], lr: 0.01 }, { params: [b] }], { lr: 0.1 });
    assert.equal(opt.paramGroups[1]!.lr, 0.1);
    a.add(b).sum().backward();
    opt.step();
    assert.ok(Math.abs(a.item() - 0.99) < 1e-15 && Math.abs(b.item() - 0.9) < 1e-15);
    opt.paramGroups[0]!.lr = 0.5;
    opt.step();
    assert.ok(Math.abs(a.item() - 0.49) < 1e-15);
  });

  test("stateDict round trip keeps two optimizers in lockstep, bit for bit", () => {
    const run = (steps: number, from?: { w: number[]; sd: mn.optim.OptimizerStateDict }) => {
      const w = mn.tensor(from?.w ?? [3, -1, 2], { requiresGrad: true });
      const opt = new mn.optim.SGD([w], { lr: 0.05, momentum: 0.9, nesterov: true, weightDecay: 0.01 });
      if (from) opt.loadStateDict(JSON.parse(JSON.stringify(from.sd)));
      for (let i = 0; i < steps; i++) {
        opt.zeroGrad();
        w.pow(4).sum().backward();
        opt.step();
      }
      return { w: Array.from(w.data), sd: opt.stateDict() };
    };
    const straight = run(10);
    const resumed = run(6, run(4));
    assert.deepEqual(resumed.w, straight.w);
  });

  test("bad hyperparameters fail naming the option and value", () => {
    const w = [mn.zeros([1], { requiresGrad: true })];
    assert.throws(() => new mn.optim.SGD(w, { lr: -0.1 }), /SGD: invalid lr; expected a number ≥ 0, got -0.1/);
    assert.throws(() => new mn.optim.SGD(w, { lr: 0.1, momentum: -1 }), /invalid momentum; expected a number ≥ 0, got -1/);
    assert.throws(() => new mn.optim.SGD(w, { lr: 0.1, nesterov: true }), /Nesterov momentum requires a momentum and zero dampening/);
    assert.throws(() => new mn.optim.SGD(w, { lr: 0.1, weight_decay: 0.1 } as never), /unknown option "weight_decay" — did you mean "weightDecay"\?/);
    assert.throws(() => new mn.optim.SGD([], { lr: 0.1 }), /SGD: got an empty parameter list/);
    assert.throws(() => new mn.optim.SGD([w[0]!, w[0]!]), /param 1 appears in more than one param group/);
  });
});
