import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../src/index.node.js";

const F = mn.nn.functional;

function setup() {
  mn.manualSeed(0);
  const model = new mn.nn.Sequential(new mn.nn.Linear(4, 8), new mn.nn.Dropout(0.5), new mn.nn.BatchNorm1d(8), new mn.nn.Linear(8, 3));
  const x = mn.randn([10, 4]), y = new mn.Tensor(Int32Array.from({ length: 10 }, (_, i) => i % 3), [10]);
  return { model, batches: new mn.data.DataLoader(new mn.data.TensorDataset(x, y), { batchSize: 4 }) };
}

const modes = (m: mn.nn.Module) => m.modules().map((c) => c.training);

describe("evaluate puts the model back in the mode it was in", () => {
  test("a model in eval mode stays in eval mode (it used to come back in training mode)", () => {
    const { model, batches } = setup();
    model.eval();
    mn.train.evaluate(model, batches, F.crossEntropy);
    assert.deepEqual(modes(model), [false, false, false, false, false]);
  });

  test("a model in training mode stays in training mode, and per-module modes (a frozen BatchNorm) come back as they were", () => {
    const { model, batches } = setup();
    model.train();
    mn.train.evaluate(model, batches, F.crossEntropy);
    assert.deepEqual(modes(model), [true, true, true, true, true]);
    model.modules()[3]!.eval(); // the BatchNorm, frozen by hand
    mn.train.evaluate(model, batches, F.crossEntropy);
    assert.deepEqual(modes(model), [true, true, true, false, true]);
  });

  test("the mode comes back when the loss throws", () => {
    const { model, batches } = setup();
    model.eval();
    assert.throws(() => mn.train.evaluate(model, batches, () => { throw new Error("bad loss"); }), /bad loss/);
    assert.deepEqual(modes(model), [false, false, false, false, false]);
  });
});
