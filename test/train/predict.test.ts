import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../src/index.node.js";
import { testErrorCases } from "../helpers/error-cases.js";

function setup() {
  mn.manualSeed(0);
  const model = new mn.nn.Sequential(new mn.nn.Linear(4, 8), new mn.nn.Dropout(0.5), new mn.nn.BatchNorm1d(8), new mn.nn.Linear(8, 3));
  // Running statistics away from their initial 0 and 1, so that eval mode matters.
  mn.noGrad(() => { for (let i = 0; i < 3; i++) model.forward(mn.randn([16, 4]).mul(3)); });
  return { model, x: mn.randn([10, 4]) };
}

const modes = (m: mn.nn.Module) => m.modules().map((c) => c.training);

describe("mn.train.predict", () => {
  test("equals one forward of the whole set in eval mode under noGrad, for batch sizes that split it evenly, unevenly and not at all", () => {
    const { model, x } = setup();
    model.eval();
    const whole = mn.noGrad(() => model.forward(x));
    model.train();
    for (const batchSize of [1, 3, 5, 10, 64]) {
      const p = mn.train.predict(model, x, { batchSize });
      assert.deepEqual(p.shape, [10, 3]);
      assert.equal(p.requiresGrad, false);
      p.data.forEach((v, i) => assert.ok(Math.abs(v - whole.data[i]!) <= 1e-6 * (1 + Math.abs(whole.data[i]!)), `batch ${batchSize} [${i}]: ${v} vs ${whole.data[i]}`));
    }
  });

  test("forwards at most batchSize samples at a time, in order, and leaves each module in the mode it was in", () => {
    const { model, x } = setup();
    const seen: number[] = [];
    const probe = new (class extends mn.nn.Module {
      inner = model; // registered as a child, as PyTorch registers a field
      forward(t: mn.Tensor): mn.Tensor {
        seen.push(t.shape[0]!);
        assert.equal(this.training, false);
        return model.forward(t);
      }
    })();
    probe.train();
    model.modules()[3]!.eval(); // the BatchNorm, frozen by hand stays so
    mn.train.predict(probe, x, { batchSize: 4 });
    assert.deepEqual(seen, [4, 4, 2]);
    assert.deepEqual(modes(probe), [true, true, true, true, false, true]);
    assert.throws(() => mn.train.predict(new (class extends mn.nn.Module { forward(): mn.Tensor { throw new Error("bad model"); } })(), x), /bad model/);
    probe.eval();
    mn.train.predict(probe, x);
    assert.deepEqual(modes(probe), [false, false, false, false, false, false]);
    assert.deepEqual(seen.slice(3), [10]); // Keras's default batch of 32 holds the 10
  });
});

describe("mn.train.predict: refusals", () => {
  const { model } = setup();
  testErrorCases([
    ["a batch size of 0", () => mn.train.predict(model, mn.zeros([2, 4]), { batchSize: 0 }), "predict: invalid batchSize; expected a positive integer, got 0"],
    ["an unknown option", () => mn.train.predict(model, mn.zeros([2, 4]), { batch: 3 } as never), "predict: unknown option \"batch\"; expected one of batchSize"],
    ["no samples", () => mn.train.predict(model, mn.zeros([0, 4])), "predict: x has no sample; expected samples along the first dimension [N, …] with N ≥ 1"],
    ["a scalar", () => mn.train.predict(model, mn.tensor(1)), "predict: x has no dimension; expected samples along the first dimension [N, …] with N ≥ 1"],
    ["not a tensor", () => mn.train.predict(model, [[1, 2, 3, 4]] as never), "predict: x must be a Tensor of samples, got object"],
  ]);
});
