import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../src/index.node.js";
import { cloneModule } from "../../src/nn/module.js";

describe("Module", () => {
  const make = () => new mn.nn.Sequential(new mn.nn.Flatten(), new mn.nn.Linear(4, 3), new mn.nn.ReLU(), new mn.nn.Dropout(0.5), new mn.nn.Linear(3, 2));

  test("namedParameters use PyTorch's dotted names", () => {
    assert.deepEqual(make().namedParameters().map(([n, p]) => `${n}:${p.shape.join("x")}`),
      ["1.weight:3x4", "1.bias:3", "4.weight:2x3", "4.bias:2"]);
    assert.equal(make().numParameters(), 12 + 3 + 6 + 2);
  });

  test("stateDict → loadStateDict copies every value; shape and key mismatches fail naming the key", () => {
    const a = make(), b = make();
    b.loadStateDict(a.stateDict());
    for (const [[, p], [, q]] of a.namedParameters().map((x, i) => [x, b.namedParameters()[i]!] as const)) {
      assert.deepEqual(Array.from(p.data), Array.from(q.data));
    }
    const sd = a.stateDict();
    assert.throws(() => b.loadStateDict({ ...sd, "1.weight": mn.zeros([4, 3]) }), /size mismatch for 1.weight: the checkpoint has \[4,3\], the model has \[3,4\]/);
    const { ["4.bias"]: _dropped, ...missing } = sd;
    assert.throws(() => b.loadStateDict(missing), /missing keys: 4.bias/);
    assert.throws(() => b.loadStateDict({ ...sd, extra: mn.zeros([1]) }), /unexpected keys: extra/);
    b.loadStateDict(missing, { strict: false });
  });

  test("copyStateDict holds the values of its moment: later changes to the weights leave it alone (stateDict shares them)", () => {
    const m = make();
    const shared = m.stateDict(), copy = m.copyStateDict();
    const before = Array.from(shared["1.weight"]!.data);
    m.parameters()[0]!.data[0] = 42;
    assert.equal(shared["1.weight"]!.data[0], 42);
    assert.deepEqual(Array.from(copy["1.weight"]!.data), before);
    assert.deepEqual(Object.keys(copy), Object.keys(shared));
  });

  test("cloneModule: a deep copy with its own data; views of one storage stay views, functions and generators are shared", () => {
    class Odd extends mn.nn.Module {
      readonly lin = this.registerModule("lin", new mn.nn.Linear(2, 2));
      readonly view = this.lin.weight.reshape([4]);
      readonly act = (x: mn.Tensor) => x.relu();
      readonly gen = new mn.Generator(1);
      readonly names = new Map([["w", this.lin.weight]]);
      forward(x: mn.Tensor): mn.Tensor { return this.act(this.lin.forward(x)); }
    }
    const m = new Odd();
    const c = cloneModule(m);
    assert.ok(c instanceof Odd && c.lin instanceof mn.nn.Linear);
    assert.notEqual(c.lin.weight.data, m.lin.weight.data);
    assert.deepEqual(Array.from(c.lin.weight.data), Array.from(m.lin.weight.data));
    assert.equal(c.view.data, c.lin.weight.data, "a view of the copy's weight");
    assert.equal(c.names.get("w"), c.lin.weight);
    assert.equal(c.parameters()[0], c.lin.weight);
    assert.equal(c.act, m.act);
    assert.equal(c.gen, m.gen);
    m.lin.weight.data.fill(0);
    assert.ok(Array.from(c.lin.weight.data).some((v) => v !== 0));
  });

  test("train/eval reach every submodule; dropout is the identity in eval", () => {
    const m = make();
    m.eval();
    assert.ok(m.modules().every((x) => !x.training));
    const x = mn.ones([2, 2, 2]);
    assert.deepEqual(Array.from(m.forward(x).data), Array.from(m.forward(x).data));
    m.train();
    assert.ok(m.modules().every((x) => x.training));
  });

  test("inverted dropout keeps the expectation: E[dropout(1)] = 1 (100k draws)", () => {
    const y = mn.nn.functional.dropout(mn.ones([100000]), 0.3, true, new mn.Generator(4));
    const zeros = Array.from(y.data).filter((v) => v === 0).length / 1e5;
    assert.ok(Math.abs(zeros - 0.3) < 0.01);
    assert.ok(Math.abs(y.mean().item() - 1) < 0.02);
    assert.throws(() => new mn.nn.Dropout(1.5), /Dropout: invalid p; expected a probability in \[0, 1\], got 1.5/);
  });

  test("freezing: requiresGrad_(false) stops gradients into a layer", () => {
    const m = make();
    const first = m.layers[1] as mn.nn.Linear;
    first.requiresGrad_(false);
    mn.nn.functional.crossEntropy(m.forward(mn.ones([2, 4])), mn.tensor([0, 1], { dtype: "int32" })).backward();
    assert.equal(first.weight.grad, null);
    assert.notEqual((m.layers[4] as mn.nn.Linear).weight.grad, null);
  });

  test("mlp() builds Flatten → Linear/activation → Linear with the asked widths", () => {
    const m = mn.nn.mlp({ inputs: 784, hidden: [32, 16], outputs: 10, activation: "tanh", init: "xavier-uniform" });
    assert.equal(String(m).split("\n")[0], "Sequential(");
    assert.deepEqual(m.parameters().map((p) => p.shape.join("x")), ["32x784", "32", "16x32", "16", "10x16", "10"]);
    assert.ok(Array.from((m.layers[1] as mn.nn.Linear).bias!.data).every((v) => v === 0));
    assert.throws(() => mn.nn.mlp({ inputs: 4, hidden: [], outputs: 2, activation: "swish" as never }), /unknown activation "swish"/);
    assert.throws(() => new mn.nn.Linear(0, 3), /Linear: invalid inFeatures; expected a positive integer, got 0/);
  });

  test("linear rejects an input of the wrong width", () => {
    assert.throws(() => new mn.nn.Linear(4, 2).forward(mn.ones([3, 5])), /linear: input \[3,5\] does not fit weight \[2,4\]: the last dim must be 4/);
  });
});

describe("losses: bad targets fail clearly", () => {
  const F = mn.nn.functional;
  const logits = mn.zeros([3, 4]);
  test("float class labels, out-of-range labels, wrong batch size, unknown options", () => {
    assert.throws(() => F.crossEntropy(logits, mn.tensor([0, 1])), /probability target of shape \[2\] does not match input \[3,4\]; class-index targets must be int32/);
    assert.throws(() => F.nllLoss(logits, mn.tensor([0, 1, 2])), /nllLoss: target must hold class indices as int32, got float32/);
    assert.throws(() => F.crossEntropy(logits, mn.tensor([0, 1, 4], { dtype: "int32" })), /index 4 is out of bounds for dim 1 of size 4/);
    assert.throws(() => F.crossEntropy(logits, mn.tensor([0, 1], { dtype: "int32" })), /target of shape \[2\] does not match input \[3,4\]; expected \[3\]/);
    assert.throws(() => F.crossEntropy(logits, mn.tensor([0, 1, 2], { dtype: "int32" }), { label_smoothing: 0.1 } as never), /unknown option "label_smoothing" — did you mean "labelSmoothing"\?/);
    assert.throws(() => F.crossEntropy(logits, mn.tensor([0, 1, 2], { dtype: "int32" }), { labelSmoothing: 1.5 }), /invalid labelSmoothing; expected a number in \[0, 1\), got 1.5/);
    assert.throws(() => F.mseLoss(mn.zeros([3]), mn.zeros([3, 1])), /mseLoss: input \[3\] and target \[3,1\] differ in shape/);
  });
  test("crossEntropy of uniform logits is log C (closed form)", () => {
    assert.ok(Math.abs(F.crossEntropy(logits.double(), mn.tensor([0, 1, 2], { dtype: "int32" })).item() - Math.log(4)) < 1e-15);
  });
  test("accuracy counts argmax hits", () => {
    const scores = mn.tensor([[0.1, 0.9], [0.8, 0.2], [0.3, 0.7]]);
    assert.equal(mn.metrics.accuracy(scores, mn.tensor([1, 0, 0], { dtype: "int32" })), 2 / 3);
  });
});
