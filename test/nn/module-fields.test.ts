import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../src/index.node.js";
import { cloneModule } from "../../src/nn/module.js";

/** The PyTorch habit: children and a parameter assigned as fields, never registered. */
class Assigned extends mn.nn.Module {
  fc1: mn.nn.Linear;
  scale: mn.Tensor;
  fc2: mn.nn.Linear;
  constructor() {
    super();
    this.fc1 = new mn.nn.Linear(3, 4);
    this.scale = mn.ones([4]);
    this.scale.requiresGrad = true;
    this.fc2 = new mn.nn.Linear(4, 2);
  }
  forward(x: mn.Tensor): mn.Tensor { return this.fc2.forward(this.fc1.forward(x).relu().mul(this.scale)); }
}

/** The same model, registered by hand: the reference for names, order and state-dict keys. */
class Registered extends mn.nn.Module {
  readonly scale = this.registerParameter("scale", mn.ones([4]));
  readonly fc1 = this.registerModule("fc1", new mn.nn.Linear(3, 4));
  readonly fc2 = this.registerModule("fc2", new mn.nn.Linear(4, 2));
  forward(x: mn.Tensor): mn.Tensor { return this.fc2.forward(this.fc1.forward(x).relu().mul(this.scale)); }
}

describe("Module: children and parameters assigned as fields", () => {
  test("are registered with registerModule's state-dict keys and order, and load each other's weights", () => {
    mn.manualSeed(0);
    const a = new Assigned();
    mn.manualSeed(0);
    const r = new Registered();
    const keys = ["scale", "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"];
    assert.deepEqual(Object.keys(a.stateDict()), keys);
    assert.deepEqual(Object.keys(r.stateDict()), keys);
    assert.deepEqual(a.namedParameters().map(([n]) => n), keys);
    assert.deepEqual(a.parameters(), [a.scale, a.fc1.weight, a.fc1.bias!, a.fc2.weight, a.fc2.bias!]);
    assert.deepEqual(a.namedChildren().map(([n]) => n), ["fc1", "fc2"]);
    assert.equal(a.numParameters(), 4 + 12 + 4 + 8 + 2);
    // Same seed, same construction order of the Linears: the same weights, key for key.
    for (const [k, t] of Object.entries(a.stateDict())) assert.deepEqual(Array.from(t.data), Array.from(r.stateDict()[k]!.data), k);
    r.fc2.weight.data.fill(0.5);
    a.loadStateDict(r.stateDict());
    assert.deepEqual(Array.from(a.fc2.weight.data), Array.from({ length: 8 }, () => 0.5));
    assert.match(String(a), /\(fc1\): Linear\(inFeatures=3, outFeatures=4, bias=true\)\n {2}\(fc2\): Linear/);
  });

  test("fit trains them: every parameter moves, as in the registered twin, and eval() reaches the children", () => {
    mn.manualSeed(1);
    const a = new Assigned();
    const x = mn.randn([16, 3]), y = new mn.Tensor(Int32Array.from({ length: 16 }, (_, i) => i % 2), [16]);
    const before = a.copyStateDict();
    const opt = new mn.optim.SGD(a.parameters(), { lr: 0.1 });
    mn.train.fit(a, { train: new mn.data.TensorDataset(x, y), optimizer: opt, epochs: 2, batchSize: 8 });
    for (const [k, t] of Object.entries(a.stateDict())) assert.notDeepEqual(Array.from(t.data), Array.from(before[k]!.data), `${k} did not move`);
    a.eval();
    assert.equal(a.fc1.training, false);
  });

  test("fields and register calls keep the order they were made in; a field assigned anew replaces the child registered under its name", () => {
    class Mixed extends mn.nn.Module {
      a: mn.nn.Linear;
      b: mn.nn.Linear;
      c: mn.nn.Linear;
      constructor() {
        super();
        this.a = new mn.nn.Linear(1, 1);
        this.b = this.registerModule("b", new mn.nn.Linear(1, 1));
        this.c = new mn.nn.Linear(1, 1);
      }
      forward(x: mn.Tensor): mn.Tensor { return this.c.forward(this.b.forward(this.a.forward(x))); }
    }
    const m = new Mixed();
    assert.deepEqual(m.namedChildren().map(([n]) => n), ["a", "b", "c"]);
    const fresh = new mn.nn.Linear(1, 1);
    m.b = fresh;
    assert.deepEqual(m.namedChildren().map(([n, c]) => [n, c === fresh]), [["a", false], ["b", true], ["c", false]]);
  });

  test("what is not a parameter stays out: tensors without requiresGrad, tensors computed from parameters, modules already registered under another name", () => {
    class Other extends mn.nn.Module {
      readonly lin = this.registerModule("lin", new mn.nn.Linear(2, 2));
      readonly head = this.lin; // a second name for a registered child
      readonly mask = mn.ones([2]);
      readonly flat = this.lin.weight.reshape([4]);
      forward(x: mn.Tensor): mn.Tensor { return this.lin.forward(x).mul(this.mask); }
    }
    const m = new Other();
    assert.deepEqual(Object.keys(m.stateDict()), ["lin.weight", "lin.bias"]);
    assert.deepEqual(m.namedChildren().map(([n]) => n), ["lin"]);
    assert.deepEqual(Object.keys(cloneModule(m).stateDict()), ["lin.weight", "lin.bias"]);
  });
});
