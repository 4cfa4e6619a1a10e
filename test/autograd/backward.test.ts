import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../src/index.node.js";

describe("backward semantics (PyTorch's, checked by closed forms)", () => {
  test("gradients accumulate into leaves across backward calls", () => {
    const x = mn.tensor([1, 2, 3], { requiresGrad: true });
    x.mul(x).sum().backward();
    x.mul(3).sum().backward();
    assert.deepEqual(Array.from(x.grad!.data), [2 + 3, 4 + 3, 6 + 3]);
  });

  test("a second backward through a freed graph fails; retainGraph allows it", () => {
    const x = mn.tensor([1, 2], { requiresGrad: true });
    const y = x.exp().sum();
    y.backward({ retainGraph: true });
    y.backward();
    assert.throws(() => y.backward(), /backward through the graph a second time.*retainGraph/);
  });

  test("backward of a non-scalar needs a gradient of the output's shape", () => {
    const x = mn.tensor([1, 2], { requiresGrad: true });
    assert.throws(() => x.mul(2).backward(), /only for scalar outputs/);
    x.mul(2).backward({ gradient: mn.tensor([1, 10]) });
    assert.deepEqual(Array.from(x.grad!.data), [2, 20]);
  });

  test("noGrad records nothing; detach cuts the graph", () => {
    const x = mn.tensor([1, 2], { requiresGrad: true });
    const y = mn.noGrad(() => x.mul(2));
    assert.equal(y.requiresGrad, false);
    assert.equal(y.gradFn, null);
    const z = x.detach().mul(2);
    assert.equal(z.requiresGrad, false);
    assert.equal(z.data, z.data);
  });

  test("a tensor used twice gets both contributions (d/dx of x·x + x = 2x + 1)", () => {
    const x = mn.tensor([3], { dtype: "float64", requiresGrad: true });
    x.mul(x).add(x).sum().backward();
    assert.equal(x.grad!.item(), 7);
  });

  test("createGraph: the gradient of the gradient of x³ is 6x", () => {
    const x = mn.tensor([2], { dtype: "float64", requiresGrad: true });
    x.pow(3).sum().backward({ createGraph: true });
    const gx = x.grad!;
    assert.equal(gx.item(), 12);
    const [h] = mn.autograd.grad(gx.sum(), [x]);
    assert.equal(h!.item(), 12);
  });

  test("a float32 leaf mixed into float64 math gets a float32 gradient", () => {
    const a = mn.tensor([1.5, 2], { requiresGrad: true });
    const b = mn.tensor([2, 4], { dtype: "float64" });
    const y = a.mul(b).sum();
    assert.equal(y.dtype, "float64");
    y.backward();
    assert.equal(a.grad!.dtype, "float32");
    assert.deepEqual(Array.from(a.grad!.data), [2, 4]);
  });

  test("grad() of an unused input fails unless allowUnused", () => {
    const x = mn.tensor([1], { requiresGrad: true });
    const u = mn.tensor([1], { requiresGrad: true });
    assert.throws(() => mn.autograd.grad(x.mul(2).sum(), [u]), /input 0 was not used/);
    const [g] = mn.autograd.grad(x.mul(2).sum(), [u], { allowUnused: true });
    assert.deepEqual(Array.from(g!.data), [0]);
  });

  test("int32 tensors cannot require grad", () => {
    assert.throws(() => mn.tensor([1, 2], { dtype: "int32", requiresGrad: true }), /only floating-point tensors can require gradients/);
  });
});
