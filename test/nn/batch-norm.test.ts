import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../src/index.node.js";
import { assertTensorClose, loadFixture, toTensor, type TensorEntry, type Tolerance } from "../helpers/fixtures.js";
import { testErrorCases, type ErrorCase } from "../helpers/error-cases.js";

// Parity with PyTorch comes from test/fixtures/batchnorm.json (tools/gen_batchnorm_fixtures.py);
// gradients against central differences (float64, first and second order); evaluation, state dicts
// and updateBn against closed forms written with tensor ops; errors against their exact messages.
const F = mn.nn.functional;
type FloatDType = "float32" | "float64";
interface Step {
  out: TensorEntry; gradX: TensorEntry; gradWeight?: TensorEntry; gradBias?: TensorEntry;
  runningMean?: TensorEntry; runningVar?: TensorEntry; numBatchesTracked?: number;
}
interface BatchNormCase {
  name: string;
  layer: "BatchNorm1d" | "BatchNorm2d";
  options: mn.nn.BatchNormLayerOptions;
  xs: TensorEntry[];
  ws: TensorEntry[];
  weight?: TensorEntry;
  bias?: TensorEntry;
  float32: { train: Step[]; evalOut: TensorEntry };
  float64: { train: Step[]; evalOut: TensorEntry };
}

const fx = loadFixture("batchnorm.json");
const REF = `torch ${String(fx.torch).split(".").slice(0, 2).join(".")}`;
/** rtol 1e-5 (float32) or 1e-10 (float64), and as absolute floor that much of the tensor's largest |element|: entries near 0 come from cancellation. */
function tol(dtype: FloatDType, e: TensorEntry): Tolerance {
  const rtol = dtype === "float32" ? 1e-5 : 1e-10;
  return { rtol, atol: rtol * Math.max(...e.data.map(Math.abs)) };
}
const close = (t: mn.Tensor | null | undefined, e: TensorEntry, dtype: FloatDType, label: string) => assertTensorClose(t, e, tol(dtype, e), label);
const make = (layer: BatchNormCase["layer"], c: number, options: mn.nn.BatchNormLayerOptions) =>
  layer === "BatchNorm1d" ? new mn.nn.BatchNorm1d(c, options) : new mn.nn.BatchNorm2d(c, options);

describe(`BatchNorm1d and BatchNorm2d against ${REF}: 3 training steps, then evaluation`, () => {
  const cases = fx.cases as BatchNormCase[];
  test("the fixture covers [N,C], [N,C,L] and [N,C,H,W], momentum null, affine and trackRunningStats false", () => {
    assert.deepEqual([...new Set(cases.map((c) => c.xs[0]!.shape.length))].sort(), [2, 3, 4]);
    for (const key of ["momentum", "affine", "trackRunningStats", "eps"] as const) assert.ok(cases.some((c) => key in c.options), key);
  });
  for (const c of cases) {
    for (const dtype of ["float32", "float64"] as const) {
      test(`${c.layer} ${c.name} ${JSON.stringify(c.options)}: outputs, gradients of x, weight, bias and running stats match (${dtype})`, () => {
        const bn = make(c.layer, c.xs[0]!.shape[1]!, { ...c.options, dtype });
        if (c.weight) bn.weight!.data.set(toTensor(c.weight, dtype).data);
        if (c.bias) bn.bias!.data.set(toTensor(c.bias, dtype).data);
        c[dtype].train.forEach((e, i) => {
          const label = `step ${i + 1}`;
          const x = toTensor(c.xs[i]!, dtype).requiresGrad_();
          const y = bn.forward(x);
          const params = [x, ...(bn.weight ? [bn.weight, bn.bias!] : [])];
          const [gx, gw, gb] = mn.autograd.grad(y.mul(toTensor(c.ws[i]!, dtype)).sum(), params);
          close(y, e.out, dtype, `${label} out`);
          close(gx, e.gradX, dtype, `${label} grad x`);
          assert.equal(gw !== undefined, e.gradWeight !== undefined, `${label}: weight present`);
          if (e.gradWeight) close(gw, e.gradWeight, dtype, `${label} grad weight`);
          if (e.gradBias) close(gb, e.gradBias, dtype, `${label} grad bias`);
          assert.equal(bn.runningMean !== null, e.runningMean !== undefined, `${label}: running stats present`);
          if (e.runningMean) close(bn.runningMean, e.runningMean, dtype, `${label} runningMean`);
          if (e.runningVar) close(bn.runningVar, e.runningVar, dtype, `${label} runningVar`);
          if (e.numBatchesTracked !== undefined) assert.equal(bn.numBatchesTracked!.item(), e.numBatchesTracked, `${label} numBatchesTracked`);
        });
        bn.eval();
        close(bn.forward(toTensor(c.xs[c.xs.length - 1]!, dtype)), c[dtype].evalOut, dtype, "eval out");
      });
    }
  }
});

const gen = new mn.Generator(2024);
const r = (shape: number[]) => mn.randn(shape, { dtype: "float64", generator: gen }).requiresGrad_();
const positive = (shape: number[]) => mn.rand(shape, { dtype: "float64", generator: gen }).add(0.5);
const SHAPES = [[5, 3], [3, 2, 4], [2, 3, 2, 3]];

describe("F.batchNorm gradients against central differences (float64, h=1e-6)", () => {
  for (const shape of SHAPES) {
    const c = shape[1]!;
    const runningMean = mn.randn([c], { dtype: "float64", generator: gen }), runningVar = positive([c]);
    for (const training of [true, false]) {
      // Training without running statistics, so each call of fn sees the same state.
      const bn = (x: mn.Tensor, w: mn.Tensor, b: mn.Tensor) =>
        training ? F.batchNorm(x, null, null, w, b, { training }) : F.batchNorm(x, runningMean, runningVar, w, b, { training });
      const mode = training ? "training" : "evaluation";

      test(`${mode} ${JSON.stringify(shape)}: first order, x, weight and bias`, () => {
        assert.equal(mn.autograd.gradcheck(bn, [r(shape), r([c]), r([c])], { atol: 1e-6, rtol: 1e-5 }), true);
      });

      test(`${mode} ${JSON.stringify(shape)}: second order, (x, weight, bias, v) ↦ ∂⟨bn, v⟩/∂(x, weight, bias)`, () => {
        const gradOfBn = (x: mn.Tensor, w: mn.Tensor, b: mn.Tensor, v: mn.Tensor) => {
          const [gx, gw, gb] = mn.autograd.grad(bn(x, w, b), [x, w, b], { gradOutputs: [v], createGraph: true });
          return mn.cat([gx!.flatten(), gw!, gb!]);
        };
        assert.equal(mn.autograd.gradcheck(gradOfBn, [r(shape), r([c]), r([c]), r(shape)], { atol: 1e-6, rtol: 1e-5 }), true);
      });

      test(`${mode} ${JSON.stringify(shape)}: the fused backward and the recorded one (createGraph) agree`, () => {
        const [x, w, b, v] = [r(shape), r([c]), r([c]), r(shape)];
        const fused = mn.autograd.grad(bn(x, w, b), [x, w, b], { gradOutputs: [v] });
        const recorded = mn.autograd.grad(bn(x, w, b), [x, w, b], { gradOutputs: [v], createGraph: true });
        fused.forEach((g, i) => assertTensorClose(recorded[i], { shape: [...g.shape], data: Array.from(g.data) }, { rtol: 1e-12, atol: 1e-12 }, `input ${i}`));
      });
    }
  }

  test("without weight and bias, and with an x that needs no gradient, the rest still get theirs", () => {
    assert.equal(mn.autograd.gradcheck((x) => F.batchNorm(x, null, null, null, null, { training: true }), [r([4, 3, 2])], { atol: 1e-6, rtol: 1e-5 }), true);
    const x = mn.randn([4, 3], { dtype: "float64", generator: gen }), w = r([3]);
    const [gw] = mn.autograd.grad(F.batchNorm(x, null, null, w, null, { training: true }).mul(x).sum(), [w]);
    assert.deepEqual(gw!.shape, [3]);
  });
});

describe("training and evaluation, against closed forms in tensor ops", () => {
  const x = mn.randn([6, 3, 4], { dtype: "float64", generator: gen }).mul(2).add(1);
  const dims = [0, 2];
  const normalized = (mean: mn.Tensor, variance: mn.Tensor, eps: number) =>
    x.sub(mean.reshape([1, 3, 1])).div(variance.reshape([1, 3, 1]).add(eps).sqrt());
  const same = (a: mn.Tensor, b: mn.Tensor, label: string) =>
    assertTensorClose(a, { shape: [...b.shape], data: Array.from(b.data) }, { rtol: 1e-12, atol: 1e-12 }, label);

  test("training normalizes by the batch's mean and biased variance and updates the running ones with momentum", () => {
    const bn = new mn.nn.BatchNorm1d(3, { dtype: "float64", momentum: 0.3 });
    bn.runningMean!.data.set([1, 2, 3]);
    bn.runningVar!.data.set([2, 2, 2]);
    const [rm, rv] = [bn.runningMean!.clone(), bn.runningVar!.clone()];
    same(bn.forward(x), normalized(x.mean(dims), x.var(dims, { correction: 0 }), 1e-5), "out");
    same(bn.runningMean!, rm.mul(0.7).add(x.mean(dims).mul(0.3)), "runningMean");
    same(bn.runningVar!, rv.mul(0.7).add(x.var(dims).mul(0.3)), "runningVar (unbiased batch variance)");
    assert.equal(bn.numBatchesTracked!.item(), 1);
  });

  test("evaluation normalizes by the running statistics, leaves them alone and counts no batch", () => {
    const bn = new mn.nn.BatchNorm1d(3, { dtype: "float64", eps: 0.01 });
    bn.runningMean!.data.set([0.5, -1, 2]);
    bn.runningVar!.data.set([4, 0.25, 1]);
    bn.weight!.data.set([2, 3, 4]);
    bn.bias!.data.set([-1, 0, 1]);
    bn.eval();
    const expected = normalized(bn.runningMean!, bn.runningVar!, 0.01).mul(bn.weight!.detach().reshape([1, 3, 1])).add(bn.bias!.detach().reshape([1, 3, 1]));
    same(bn.forward(x), expected, "out");
    assert.deepEqual(Array.from(bn.runningMean!.data), [0.5, -1, 2]);
    assert.equal(bn.numBatchesTracked!.item(), 0);
  });

  test("momentum null makes the running mean the plain average of the batch means", () => {
    const bn = new mn.nn.BatchNorm1d(3, { dtype: "float64", momentum: null });
    const batches = [x, x.mul(3), x.add(5)];
    for (const b of batches) bn.forward(b);
    same(bn.runningMean!, mn.stack(batches.map((b) => b.mean(dims))).mean(0), "runningMean");
    assert.equal(bn.numBatchesTracked!.item(), 3);
  });

  test("trackRunningStats false: batch statistics in evaluation too, and no buffers", () => {
    const bn = new mn.nn.BatchNorm1d(3, { dtype: "float64", trackRunningStats: false });
    const train = bn.forward(x);
    same(bn.eval().forward(x), train, "eval equals train");
    assert.deepEqual([bn.runningMean, bn.runningVar, bn.numBatchesTracked], [null, null, null]);
  });

  test("noGrad records nothing; an empty batch gives an empty output and leaves the statistics alone", () => {
    const bn = new mn.nn.BatchNorm2d(2, { dtype: "float64" });
    assert.equal(mn.noGrad(() => bn.forward(mn.randn([2, 2, 3, 3], { dtype: "float64", generator: gen }))).gradFn, null);
    const before = Array.from(bn.runningMean!.data);
    assert.deepEqual(bn.forward(mn.zeros([0, 2, 3, 3], { dtype: "float64" })).shape, [0, 2, 3, 3]);
    assert.deepEqual(Array.from(bn.runningMean!.data), before);
  });

  test("a BatchNorm2d stack trains end to end", () => {
    const model = new mn.nn.Sequential(new mn.nn.Conv2d(1, 4, 3, { dtype: "float64" }), new mn.nn.BatchNorm2d(4, { dtype: "float64" }), new mn.nn.ReLU(),
      new mn.nn.Flatten(), new mn.nn.Linear(4 * 4 * 4, 2, { dtype: "float64" }), new mn.nn.BatchNorm1d(2, { dtype: "float64" }));
    model.forward(mn.randn([3, 1, 6, 6], { dtype: "float64", generator: gen })).square().sum().backward();
    assert.ok(model.parameters().every((p) => p.grad !== null && Array.from(p.grad.data).some((v) => v !== 0)));
  });
});

describe("parameters, buffers and state dicts", () => {
  test("keys are torch's: weight, bias, running_mean, running_var, num_batches_tracked", () => {
    assert.deepEqual(Object.keys(new mn.nn.BatchNorm2d(3).stateDict()), ["weight", "bias", "running_mean", "running_var", "num_batches_tracked"]);
    assert.deepEqual(Object.keys(new mn.nn.BatchNorm1d(3, { affine: false }).stateDict()), ["running_mean", "running_var", "num_batches_tracked"]);
    assert.deepEqual(Object.keys(new mn.nn.BatchNorm1d(3, { trackRunningStats: false }).stateDict()), ["weight", "bias"]);
    assert.deepEqual(new mn.nn.Sequential(new mn.nn.Linear(2, 3), new mn.nn.BatchNorm1d(3)).namedBuffers().map(([n]) => n),
      ["1.running_mean", "1.running_var", "1.num_batches_tracked"]);
  });

  test("starts as torch: weight ones, bias zeros, running mean 0, variance 1, no batches; only weight and bias train", () => {
    const bn = new mn.nn.BatchNorm1d(2, { dtype: "float64" });
    const values = Object.fromEntries(Object.entries(bn.stateDict()).map(([k, t]) => [k, Array.from(t.data)]));
    assert.deepEqual(values, { weight: [1, 1], bias: [0, 0], running_mean: [0, 0], running_var: [1, 1], num_batches_tracked: [0] });
    assert.deepEqual(bn.parameters(), [bn.weight, bn.bias]);
    assert.equal(bn.weight!.dtype, "float64");
  });

  test("a trained layer's state dict loads into a fresh one, which then evaluates the same", () => {
    const a = new mn.nn.BatchNorm2d(3, { dtype: "float64" });
    a.weight!.data.set([1, 2, 3]);
    for (let i = 0; i < 3; i++) a.forward(mn.randn([4, 3, 2, 2], { dtype: "float64", generator: gen }).add(i));
    const b = new mn.nn.BatchNorm2d(3, { dtype: "float64" });
    b.loadStateDict(a.stateDict());
    assert.equal(b.numBatchesTracked!.item(), 3);
    const x = mn.randn([2, 3, 2, 2], { dtype: "float64", generator: gen });
    assert.deepEqual(Array.from(b.eval().forward(x).data), Array.from(a.eval().forward(x).data));
  });

  test("toString shows the settings", () => {
    assert.equal(String(new mn.nn.BatchNorm1d(4)), "BatchNorm1d(4, eps=0.00001, momentum=0.1, affine=true, trackRunningStats=true)");
    assert.equal(String(new mn.nn.BatchNorm2d(8, { momentum: null, affine: false })), "BatchNorm2d(8, eps=0.00001, momentum=null, affine=false, trackRunningStats=true)");
  });
});

describe("swaUtils.updateBn recomputes a BatchNorm's statistics", () => {
  test("the running mean becomes the average of the batch means, the variance of the unbiased variances; momentum comes back", () => {
    const model = new mn.nn.Sequential(new mn.nn.Linear(3, 2, { dtype: "float64", generator: new mn.Generator(1) }), new mn.nn.BatchNorm1d(2, { dtype: "float64" }));
    const bn = model.children()[1] as mn.nn.BatchNorm1d;
    bn.runningMean!.data.set([100, 100]);
    const batches = [0, 1, 2].map((i) => mn.randn([5, 3], { dtype: "float64", generator: gen }).add(i));
    model.eval();
    mn.optim.swaUtils.updateBn(batches, model);
    const features = batches.map((b) => mn.noGrad(() => model.layers[0]!.forward(b)));
    const avg = (ts: mn.Tensor[]) => Array.from(mn.stack(ts).mean(0).data);
    assertTensorClose(bn.runningMean, { shape: [2], data: avg(features.map((f) => f.mean(0))) }, { rtol: 1e-12, atol: 1e-12 }, "runningMean");
    assertTensorClose(bn.runningVar, { shape: [2], data: avg(features.map((f) => f.var(0))) }, { rtol: 1e-12, atol: 1e-12 }, "runningVar");
    assert.equal(bn.numBatchesTracked!.item(), 3);
    assert.equal(bn.momentum, 0.1);
    assert.equal(bn.training, false);
  });
});

describe("errors name the value, what was expected and where", () => {
  const cases: ErrorCase[] = [
    ["BatchNorm1d on 4-D input", () => new mn.nn.BatchNorm1d(3).forward(mn.zeros([2, 3, 4, 5])), "BatchNorm1d: invalid input shape; expected a 2-D [N,C] or 3-D [N,C,L] tensor, got [2,3,4,5]"],
    ["BatchNorm1d on 1-D input", () => new mn.nn.BatchNorm1d(3).forward(mn.zeros([3])), "BatchNorm1d: invalid input shape; expected a 2-D [N,C] or 3-D [N,C,L] tensor, got [3]"],
    ["BatchNorm2d on 3-D input", () => new mn.nn.BatchNorm2d(3).forward(mn.zeros([3, 4, 5])), "BatchNorm2d: invalid input shape; expected a 4-D [N,C,H,W] tensor, got [3,4,5]"],
    ["wrong channel count", () => new mn.nn.BatchNorm2d(3).forward(mn.zeros([2, 4, 5, 5])), "BatchNorm2d: wrong number of channels in input [2,4,5,5] (dim 1); expected 3, the layer's numFeatures, got 4"],
    ["one value per channel in training", () => new mn.nn.BatchNorm1d(3).forward(mn.zeros([1, 3])), "BatchNorm1d: Expected more than 1 value per channel when training, got input size [1,3]"],
    ["one value per channel, [1,C,1,1]", () => new mn.nn.BatchNorm2d(2).forward(mn.zeros([1, 2, 1, 1])), "BatchNorm2d: Expected more than 1 value per channel when training, got input size [1,2,1,1]"],
    ["one value per channel without running stats, in eval", () => new mn.nn.BatchNorm1d(3, { trackRunningStats: false }).eval().forward(mn.zeros([1, 3])),
      "BatchNorm1d: Expected more than 1 value per channel when training, got input size [1,3]"],
    ["integer input", () => new mn.nn.BatchNorm1d(3).forward(mn.zeros([2, 3], { dtype: "int32" })), "BatchNorm1d: input must be a floating-point tensor; expected float32 or float64, got int32"],
    ["input dtype unlike the weight's", () => new mn.nn.BatchNorm1d(3).forward(mn.zeros([2, 3], { dtype: "float64" })), "BatchNorm1d: weight must have the input's dtype; expected float64, got float32"],
    ["numFeatures 0", () => new mn.nn.BatchNorm1d(0), "BatchNorm1d: invalid numFeatures; expected a positive integer, got 0"],
    ["momentum 2", () => new mn.nn.BatchNorm2d(3, { momentum: 2 }), "BatchNorm2d: invalid momentum; expected a number in [0, 1] or null, got 2"],
    ["eps -1", () => new mn.nn.BatchNorm2d(3, { eps: -1 }), "BatchNorm2d: invalid eps; expected a number ≥ 0, got -1"],
    ["torch's option spelling", () => new mn.nn.BatchNorm1d(3, { track_running_stats: false } as object),
      'BatchNorm1d: unknown option "track_running_stats" — did you mean "trackRunningStats"?; expected one of eps, momentum, affine, trackRunningStats, dtype'],
    ["F.batchNorm on 1-D input", () => F.batchNorm(mn.zeros([3]), null, null, null, null, { training: true }), "batchNorm: invalid input shape; expected a tensor [N,C,*] of at least 2 dims, got [3]"],
    ["F.batchNorm weight of the wrong size", () => F.batchNorm(mn.zeros([2, 3]), null, null, mn.ones([4]), null, { training: true }),
      "batchNorm: weight must hold one value per channel of input [2,3]; expected [3], got [4]"],
    ["F.batchNorm running mean of the wrong size", () => F.batchNorm(mn.zeros([2, 3]), mn.zeros([2]), mn.ones([3])),
      "batchNorm: runningMean must hold one value per channel of input [2,3]; expected [3], got [2]"],
    ["F.batchNorm evaluation without running stats", () => F.batchNorm(mn.zeros([2, 3]), null, null),
      "batchNorm: runningMean and runningVar must be given in evaluation mode (training false)"],
    ["F.batchNorm momentum -0.1", () => F.batchNorm(mn.zeros([2, 3]), null, null, null, null, { training: true, momentum: -0.1 }),
      "batchNorm: invalid momentum; expected a number in [0, 1], got -0.1"],
  ];
  testErrorCases(cases);

  test("a rejected batch is not counted", () => {
    const bn = new mn.nn.BatchNorm1d(3);
    assert.throws(() => bn.forward(mn.zeros([1, 3])), mn.ShapeError);
    assert.equal(bn.numBatchesTracked!.item(), 0);
  });
});
