import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../src/index.node.js";
import { assertTensorClose, loadFixture, toTensor, type TensorEntry } from "../helpers/fixtures.js";

const TOL = { rtol: 1e-12, atol: 1e-12 };
const fx = loadFixture("around-step.json");
type StateEntries = Record<string, TensorEntry>;

const { AveragedModel, updateBn } = mn.optim.swaUtils;

function fromEntries(entries: StateEntries): Record<string, mn.Tensor> {
  return Object.fromEntries(Object.entries(entries).map(([k, v]) => [k, toTensor(v, "float64")]));
}

function assertState(module: mn.nn.Module, expected: StateEntries, label: string): void {
  const sd = module.stateDict();
  assert.deepEqual(Object.keys(sd).sort(), Object.keys(expected).sort(), `${label}: keys`);
  for (const [k, e] of Object.entries(expected)) assertTensorClose(sd[k], e, TOL, `${label} ${k}`);
}

/** The fixture's Linear(3,4)-Tanh-Linear(4,2) in float64, at its initial weights. */
function fixtureModel(): mn.nn.Sequential {
  const m = new mn.nn.Sequential(new mn.nn.Linear(3, 4, { dtype: "float64" }), new mn.nn.Tanh(), new mn.nn.Linear(4, 2, { dtype: "float64" }));
  m.loadStateDict(fromEntries(fx.averaged_model.init));
  return m;
}

/** The fixture's torch module with a registered buffer "running" (test-only). */
class WithBuffer extends mn.nn.Module {
  readonly fc = this.registerModule("fc", new mn.nn.Linear(3, 2, { dtype: "float64" }));
  readonly running = this.registerBuffer("running", mn.zeros([2], { dtype: "float64" }));
  forward(x: mn.Tensor): mn.Tensor { return this.fc.forward(x).add(this.running); }
}

/**
 * A minimal batch-norm stand-in whose statistics the test can predict by hand (test/nn/batch-norm.test.ts
 * runs updateBn on the real BatchNorm1d): in training mode it
 * updates runningMean/runningVar from each batch (biased mean, unbiased variance, as torch),
 * with momentum null meaning the cumulative average 1/numBatchesTracked, and it is the identity.
 */
class TinyBN extends mn.nn.Module {
  momentum: number | null = 0.1;
  readonly runningMean = this.registerBuffer("runningMean", mn.zeros([2], { dtype: "float64" }));
  readonly runningVar = this.registerBuffer("runningVar", mn.ones([2], { dtype: "float64" }));
  readonly numBatchesTracked = this.registerBuffer("numBatchesTracked", mn.zeros([], { dtype: "float64" }));
  momentaSeen: (number | null)[] = [];
  graphSeen: boolean[] = [];
  forward(x: mn.Tensor): mn.Tensor {
    this.momentaSeen.push(this.momentum);
    this.graphSeen.push(x.gradFn !== null);
    if (this.training) {
      this.numBatchesTracked.data[0]! += 1;
      const f = this.momentum ?? 1 / this.numBatchesTracked.data[0]!;
      const mean = x.mean(0), v = x.var(0);
      for (let j = 0; j < 2; j++) {
        this.runningMean.data[j] = (1 - f) * this.runningMean.data[j]! + f * mean.data[j]!;
        this.runningVar.data[j] = (1 - f) * this.runningVar.data[j]! + f * v.data[j]!;
      }
    }
    return x;
  }
}

describe("AveragedModel", () => {
  for (const mode of ["swa", "ema"] as const) {
    test(`${mode}: the averaged parameters after each update match torch.optim.swa_utils.AveragedModel (fixture)`, () => {
      const model = fixtureModel();
      const avg = mode === "swa" ? new AveragedModel(model) : new AveragedModel(model, { mode: "ema", decay: fx.averaged_model.decay });
      (fx.averaged_model.states as StateEntries[]).forEach((s, i) => {
        model.loadStateDict(fromEntries(s));
        avg.updateParameters(model);
        assert.equal(avg.nAveraged, i + 1);
        assertState(avg.module, fx.averaged_model[mode][i], `${mode} after update ${i + 1}`);
      });
    });
  }

  test("a custom avgFn (the EMA lambda of the fixture) gives torch's result", () => {
    const model = fixtureModel();
    const d = fx.averaged_model.decay as number;
    const avg = new AveragedModel(model, { avgFn: (a, c) => a.mul(d).add(c.mul(1 - d)) });
    (fx.averaged_model.states as StateEntries[]).forEach((s, i) => {
      model.loadStateDict(fromEntries(s));
      avg.updateParameters(model);
      assertState(avg.module, fx.averaged_model.ema[i], `avgFn after update ${i + 1}`);
    });
  });

  test("useBuffers averages the buffers with the parameters, as torch (fixture)", () => {
    const model = new WithBuffer();
    model.loadStateDict(fromEntries(fx.averaged_buffers.init));
    const avg = new AveragedModel(model, { mode: "ema", decay: fx.averaged_buffers.decay, useBuffers: true });
    (fx.averaged_buffers.states as StateEntries[]).forEach((s, i) => {
      model.loadStateDict(fromEntries(s));
      avg.updateParameters(model);
      assertState(avg.module, fx.averaged_buffers.ema[i], `update ${i + 1}`);
    });
  });

  test("without useBuffers the buffers follow the model, the parameters are averaged", () => {
    const model = new WithBuffer();
    const avg = new AveragedModel(model);
    model.running.data.set([1, 2]);
    avg.updateParameters(model);
    const w0 = Array.from(model.fc.weight.data);
    model.fc.weight.data.fill(1);
    model.running.data.set([5, 6]);
    avg.updateParameters(model);
    assert.deepEqual(Array.from(avg.module.running.data), [5, 6]);
    assert.deepEqual(Array.from(avg.module.fc.weight.data), w0.map((w) => w + (1 - w) / 2));
  });

  test("SWA is the equal-weight mean of every model passed in (closed form)", () => {
    const model = new mn.nn.Linear(2, 1, { dtype: "float64" });
    const avg = new AveragedModel(model);
    const seen: number[][] = [];
    for (let k = 0; k < 7; k++) {
      model.weight.data.set([k * k, -k]);
      seen.push([k * k, -k]);
      avg.updateParameters(model);
    }
    const mean = [0, 1].map((j) => seen.reduce((s, w) => s + w[j]!, 0) / seen.length);
    assertTensorClose(avg.module.weight, { shape: [1, 2], data: mean }, TOL, "mean");
  });

  test("the copy is independent: own data, same class, no grads; forward uses the averaged weights", () => {
    mn.manualSeed(3);
    const model = new mn.nn.Sequential(new mn.nn.Linear(3, 2), new mn.nn.ReLU());
    const avg = new AveragedModel(model);
    assert.ok(avg.module instanceof mn.nn.Sequential);
    assert.ok(avg.module.layers[0] instanceof mn.nn.Linear);
    avg.module.parameters().forEach((p, i) => {
      assert.notEqual(p.data, model.parameters()[i]!.data);
      assert.deepEqual(Array.from(p.data), Array.from(model.parameters()[i]!.data));
      assert.equal(p.requiresGrad, true);
      assert.equal(p.grad, null);
    });
    // The child module's field and its registered parameter are the same tensor in the copy, as in the model.
    assert.equal((avg.module.layers[0] as mn.nn.Linear).weight, avg.module.parameters()[0]);
    const x = mn.randn([4, 3]);
    const before = avg.forward(x).toArray();
    model.parameters().forEach((p) => p.data.fill(0));
    assert.deepEqual(avg.forward(x).toArray(), before);
    avg.updateParameters(model); // the first update copies
    assert.deepEqual(avg.forward(x).toArray(), mn.zeros([4, 2]).toArray());
  });

  test("tied weights stay tied in the copy", () => {
    class Tied extends mn.nn.Module {
      readonly a = this.registerModule("a", new mn.nn.Linear(2, 2, { bias: false }));
      readonly w = this.a.weight;
      forward(x: mn.Tensor): mn.Tensor { return this.a.forward(x).matmul(this.w); }
    }
    const avg = new AveragedModel(new Tied());
    assert.equal(avg.module.w, avg.module.a.weight);
  });

  test("stateDict has torch's keys and round trips: resuming continues exactly", () => {
    const states = fx.averaged_model.states as StateEntries[];
    const model = fixtureModel();
    const first = new AveragedModel(model, { mode: "ema", decay: 0.9 });
    states.slice(0, 2).forEach((s) => { model.loadStateDict(fromEntries(s)); first.updateParameters(model); });
    const sd = first.stateDict();
    assert.deepEqual(Object.keys(sd), ["module.0.weight", "module.0.bias", "module.2.weight", "module.2.bias", "nAveraged"]);
    const resumed = new AveragedModel(fixtureModel(), { mode: "ema", decay: 0.9 });
    resumed.loadStateDict(sd);
    assert.equal(resumed.nAveraged, 2);
    states.slice(2).forEach((s) => { model.loadStateDict(fromEntries(s)); resumed.updateParameters(model); });
    assertState(resumed.module, fx.averaged_model.ema[states.length - 1], "resumed");
  });

  test("bad options and a mismatched model fail with clear messages", () => {
    const model = new mn.nn.Linear(2, 2);
    assert.throws(() => new AveragedModel(model, { mode: "polyak" } as never), /AveragedModel: invalid mode; expected one of "swa", "ema", got "polyak"/);
    assert.throws(() => new AveragedModel(model, { mode: "ema", decay: 1.5 }), /AveragedModel: invalid decay; expected a number in \[0, 1\], got 1.5/);
    assert.throws(() => new AveragedModel(model, { decay: 0.9 }), /AveragedModel: decay applies to mode "ema" only, and mode is "swa"/);
    assert.throws(() => new AveragedModel(model, { mode: "ema", avgFn: (a) => a }), /AveragedModel: avgFn replaces mode and decay/);
    assert.throws(() => new AveragedModel(model, { use_buffers: true } as never), /unknown option "use_buffers" — did you mean "useBuffers"\?/);
    assert.throws(() => new AveragedModel({} as never), /AveragedModel: model is not an mn.nn.Module/);
    const avg = new AveragedModel(model);
    assert.throws(() => avg.updateParameters(new mn.nn.Linear(2, 3)), /AveragedModel.updateParameters: size mismatch for weight: the model has \[3,2\], the average \[2,2\]/);
    assert.throws(() => avg.updateParameters(new mn.nn.Linear(2, 2, { bias: false })), /the model does not match the averaged one: it has \[weight\], the average \[weight, bias\]/);
    assert.throws(() => avg.updateParameters(new mn.nn.Linear(2, 2, { dtype: "float64" })), /weight is float64 in the model, float32 in the average/);
  });
});

describe("updateBn", () => {
  const batches = [
    [[1, 2], [3, 4], [5, 9]],
    [[0, 0], [2, -2], [7, 1]],
    [[-1, 5], [4, 4], [1, 3]],
  ].map((b) => [mn.tensor(b, { dtype: "float64" }), mn.zeros([3])]);

  test("recomputes the running statistics as the equal average over the pass (closed form), restoring momentum and modes", () => {
    const bn = new TinyBN();
    const model = new mn.nn.Sequential(new mn.nn.Identity(), bn);
    bn.runningMean.data.set([100, 100]);
    bn.runningVar.data.set([50, 50]);
    bn.numBatchesTracked.data[0] = 40;
    model.eval();
    model.layers[0]!.training = true; // a mixed setting, which must come back as it was
    updateBn(batches, model);
    const means = batches.map(([x]) => Array.from(x!.mean(0).data));
    const vars = batches.map(([x]) => Array.from(x!.var(0).data));
    const avg = (rows: number[][], j: number) => rows.reduce((s, r) => s + r[j]!, 0) / rows.length;
    for (let j = 0; j < 2; j++) {
      assert.ok(Math.abs(bn.runningMean.data[j]! - avg(means, j)) < 1e-12);
      assert.ok(Math.abs(bn.runningVar.data[j]! - avg(vars, j)) < 1e-12);
    }
    assert.equal(bn.numBatchesTracked.data[0], 3);
    assert.deepEqual(bn.momentaSeen, [null, null, null]);
    assert.equal(bn.momentum, 0.1);
    assert.equal(model.training, false);
    assert.equal(bn.training, false);
    assert.equal(model.layers[0]!.training, true);
  });

  test("works through an AveragedModel, with bare tensors as batches, and records no graph", () => {
    const model = new mn.nn.Sequential(new mn.nn.Linear(2, 2, { dtype: "float64" }), new TinyBN());
    const swa = new AveragedModel(model);
    const inner = swa.module.layers[1] as TinyBN;
    updateBn(batches.map(([x]) => x!), swa);
    assert.deepEqual(inner.graphSeen, [false, false, false]);
    assert.equal(inner.numBatchesTracked.data[0], 3);
    assert.equal(inner.momentum, 0.1);
    assert.equal((model.layers[1] as TinyBN).numBatchesTracked.data[0], 0); // the trained model is untouched
  });

  test("a model without running statistics is left alone and the loader is not read", () => {
    let read = false;
    updateBn({ *[Symbol.iterator]() { read = true; } }, new mn.nn.Linear(2, 2));
    assert.equal(read, false);
  });

  test("bad arguments fail with clear messages", () => {
    assert.throws(() => updateBn(5 as never, new TinyBN()), /updateBn: loader is not iterable/);
    assert.throws(() => updateBn(batches, {} as never), /updateBn: model is not an mn.nn.Module/);
    assert.throws(() => updateBn([[]] as never, new TinyBN()), /updateBn: batch 0 has no input tensor/);
  });
});
