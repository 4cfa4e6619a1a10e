import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../src/index.node.js";
import { assertTensorClose, loadFixture, toTensor, type TensorEntry } from "../helpers/fixtures.js";
import { assertParity, torchRef, type FloatDType } from "../helpers/parity.js";
import { testErrorCases, type ErrorCase } from "../helpers/error-cases.js";

// LayerNorm and GroupNorm: outputs and gradients of x, weight and bias against test/fixtures/layers.json
// (tools/gen_layer_fixtures.py, PyTorch); first and second derivatives against central differences (gradcheck,
// float64); the fused backward against the recorded one; closed forms in tensor ops; state-dict keys against
// torch's; errors against their exact messages.
const F = mn.nn.functional;
const fx = loadFixture("layers.json");
const REF = torchRef(fx);

interface Result { out: TensorEntry; gradX: TensorEntry; gradWeight?: TensorEntry; gradBias?: TensorEntry }
interface NormCase {
  name: string; layer: "LayerNorm" | "GroupNorm"; args: unknown[]; options: Record<string, unknown>;
  x: TensorEntry; w: TensorEntry; weight?: TensorEntry; bias?: TensorEntry; float32: Result; float64: Result;
}

function build(c: NormCase, dtype: FloatDType): mn.nn.LayerNorm | mn.nn.GroupNorm {
  const options = { ...c.options, dtype };
  return c.layer === "LayerNorm" ? new mn.nn.LayerNorm(c.args[0] as number[], options) : new mn.nn.GroupNorm(c.args[0] as number, c.args[1] as number, options);
}

for (const key of ["layer_norm", "group_norm"] as const) {
  const cases = fx[key] as NormCase[];
  describe(`${cases[0]!.layer} against ${REF}: output and gradients of sum(out · w) for x, weight, bias`, () => {
    for (const c of cases) {
      for (const dtype of ["float32", "float64"] as const) {
        test(`${c.layer}(${c.args.map((a) => JSON.stringify(a)).join(", ")}) ${c.name} ${JSON.stringify(c.options)} (${dtype})`, () => {
          const layer = build(c, dtype);
          if (c.weight) layer.weight!.data.set(toTensor(c.weight, dtype).data);
          if (c.bias) layer.bias!.data.set(toTensor(c.bias, dtype).data);
          const x = toTensor(c.x, dtype).requiresGrad_();
          const y = layer.forward(x);
          const [gx, gw, gb] = mn.autograd.grad(y.mul(toTensor(c.w, dtype)).sum(), [x, ...layer.parameters()]);
          const e = c[dtype];
          assertParity(y, e.out, dtype, "out");
          assertParity(gx, e.gradX, dtype, "grad x");
          assert.equal(layer.parameters().length, e.gradWeight ? 2 : 0, "parameters");
          if (e.gradWeight) assertParity(gw, e.gradWeight, dtype, "grad weight");
          if (e.gradBias) assertParity(gb, e.gradBias, dtype, "grad bias");
          // No running statistics: evaluation computes the same.
          assert.deepEqual(Array.from(layer.eval().forward(x).data), Array.from(y.data), "eval equals train");
        });
      }
    }
  });
}

const gen = new mn.Generator(2026);
const r = (shape: number[]) => mn.randn(shape, { dtype: "float64", generator: gen }).mul(1.5).add(0.5).requiresGrad_();
const NORMS: [string, number[], number[], (x: mn.Tensor, w: mn.Tensor, b: mn.Tensor) => mn.Tensor][] = [
  ["layerNorm [4,5] over [5]", [4, 5], [5], (x, w, b) => F.layerNorm(x, [5], w, b)],
  ["layerNorm [2,3,4] over [3,4], eps 1e-3", [2, 3, 4], [3, 4], (x, w, b) => F.layerNorm(x, [3, 4], w, b, { eps: 1e-3 })],
  ["groupNorm [2,4,3] in 2 groups", [2, 4, 3], [4], (x, w, b) => F.groupNorm(x, 2, w, b)],
  ["groupNorm [2,6,2,2] in 3 groups", [2, 6, 2, 2], [6], (x, w, b) => F.groupNorm(x, 3, w, b)],
];

describe("gradients against central differences (gradcheck, float64, h=1e-6)", () => {
  for (const [name, shape, pShape, fn] of NORMS) {
    test(`${name}: first order, x, weight and bias`, () => {
      assert.equal(mn.autograd.gradcheck(fn, [r(shape), r(pShape), r(pShape)], { atol: 1e-6, rtol: 1e-5 }), true);
    });
    test(`${name}: second order, (x, weight, bias, v) ↦ ∂⟨norm, v⟩/∂(x, weight, bias)`, () => {
      const gradOf = (x: mn.Tensor, w: mn.Tensor, b: mn.Tensor, v: mn.Tensor) => {
        const [gx, gw, gb] = mn.autograd.grad(fn(x, w, b), [x, w, b], { gradOutputs: [v], createGraph: true });
        return mn.cat([gx!.flatten(), gw!.flatten(), gb!.flatten()]);
      };
      assert.equal(mn.autograd.gradcheck(gradOf, [r(shape), r(pShape), r(pShape), r(shape)], { atol: 1e-6, rtol: 1e-5 }), true);
    });
    test(`${name}: the fused backward and the recorded one (createGraph) agree to 1e-12`, () => {
      const [x, w, b, v] = [r(shape), r(pShape), r(pShape), r(shape)];
      const fused = mn.autograd.grad(fn(x, w, b), [x, w, b], { gradOutputs: [v] });
      const recorded = mn.autograd.grad(fn(x, w, b), [x, w, b], { gradOutputs: [v], createGraph: true });
      fused.forEach((g, i) => assertTensorClose(recorded[i], { shape: [...g.shape], data: Array.from(g.data) }, { rtol: 1e-12, atol: 1e-12 }, `input ${i}`));
    });
  }
  test("with a weight and no bias, and a bias and no weight: first and second order, fused and recorded alike", () => {
    const gradOf = (fn: (x: mn.Tensor, p: mn.Tensor) => mn.Tensor) => (x: mn.Tensor, p: mn.Tensor, v: mn.Tensor) =>
      mn.cat(mn.autograd.grad(fn(x, p), [x, p], { gradOutputs: [v], createGraph: true }).map((g) => g!.flatten()));
    const fns: [number[], number[], (x: mn.Tensor, p: mn.Tensor) => mn.Tensor][] = [
      [[2, 3, 4], [3, 4], (x, w) => F.layerNorm(x, [3, 4], w)], [[2, 3, 4], [3, 4], (x, b) => F.layerNorm(x, [3, 4], null, b)],
      [[2, 4, 3], [4], (x, w) => F.groupNorm(x, 2, w)], [[2, 4, 3], [4], (x, b) => F.groupNorm(x, 2, null, b)],
    ];
    for (const [shape, pShape, fn] of fns) {
      assert.equal(mn.autograd.gradcheck(fn, [r(shape), r(pShape)], { atol: 1e-6, rtol: 1e-5 }), true);
      assert.equal(mn.autograd.gradcheck(gradOf(fn), [r(shape), r(pShape), r(shape)], { atol: 1e-6, rtol: 1e-5 }), true);
    }
  });
  test("without weight and bias", () => {
    assert.equal(mn.autograd.gradcheck((x) => F.layerNorm(x, 4), [r([3, 4])], { atol: 1e-6, rtol: 1e-5 }), true);
    assert.equal(mn.autograd.gradcheck((x) => F.groupNorm(x, 2), [r([3, 4])], { atol: 1e-6, rtol: 1e-5 }), true);
  });
});

describe("closed forms in tensor ops", () => {
  const x = mn.randn([3, 4, 5], { dtype: "float64", generator: gen }).mul(2).add(1);
  const same = (a: mn.Tensor, b: mn.Tensor, label: string) =>
    assertTensorClose(a, { shape: [...b.shape], data: Array.from(b.data) }, { rtol: 1e-12, atol: 1e-12 }, label);
  const standardize = (t: mn.Tensor, dims: number[], eps: number) => t.sub(t.mean(dims, true)).div(t.var(dims, { correction: 0, keepdim: true }).add(eps).sqrt());

  test("layerNorm over the last dim: (x − mean) / √(biased var + eps) · weight + bias", () => {
    const w = mn.randn([5], { dtype: "float64", generator: gen }), b = mn.randn([5], { dtype: "float64", generator: gen });
    same(F.layerNorm(x, 5, w, b, { eps: 0.1 }), standardize(x, [2], 0.1).mul(w).add(b), "out");
  });
  test("groupNorm with 2 groups of 2 channels equals standardizing each half of the channels per sample, then a per-channel affine", () => {
    const w = mn.randn([4], { dtype: "float64", generator: gen }), b = mn.randn([4], { dtype: "float64", generator: gen });
    const halves = [x.narrow(1, 0, 2), x.narrow(1, 2, 2)].map((h) => standardize(h, [1, 2], 1e-5));
    same(F.groupNorm(x, 2, w, b), mn.cat(halves, 1).mul(w.reshape([4, 1])).add(b.reshape([4, 1])), "out");
  });
  test("groupNorm with one group equals layerNorm over every dim but the batch; with a group per channel, instance norm", () => {
    same(F.groupNorm(x, 1), F.layerNorm(x, [4, 5]), "one group");
    same(F.groupNorm(x, 4), standardize(x, [2], 1e-5), "a group per channel");
  });
  test("a constant row normalizes to 0 (variance 0, divided by √eps), not NaN", () => {
    assert.deepEqual(Array.from(F.layerNorm(mn.full([2, 3], 7, { dtype: "float64" }), 3).data), [0, 0, 0, 0, 0, 0]);
  });
  test("noGrad records nothing; an empty batch gives an empty output", () => {
    const ln = new mn.nn.LayerNorm(5, { dtype: "float64" });
    assert.equal(mn.noGrad(() => ln.forward(x)).gradFn, null);
    assert.deepEqual(ln.forward(mn.zeros([0, 5], { dtype: "float64" })).shape, [0, 5]);
    assert.deepEqual(new mn.nn.GroupNorm(2, 4).forward(mn.zeros([0, 4, 3])).shape, [0, 4, 3]);
  });
});

describe("parameters and state dicts", () => {
  const torchKeys = fx.state_dicts as Record<string, string[]>;
  test(`state-dict keys are ${REF}'s (weight, bias; none without the affine part)`, () => {
    assert.deepEqual(Object.keys(new mn.nn.LayerNorm(8).stateDict()), torchKeys["LayerNorm(8)"]);
    assert.deepEqual(Object.keys(new mn.nn.LayerNorm(8, { elementwiseAffine: false }).stateDict()), torchKeys["LayerNorm(8, elementwiseAffine false)"]);
    assert.deepEqual(Object.keys(new mn.nn.GroupNorm(2, 4).stateDict()), torchKeys["GroupNorm(2, 4)"]);
    assert.deepEqual(Object.keys(new mn.nn.GroupNorm(2, 4, { affine: false }).stateDict()), torchKeys["GroupNorm(2, 4, affine false)"]);
  });
  test("start as torch: weight ones, bias zeros, of normalizedShape or [numChannels], in the given dtype", () => {
    const ln = new mn.nn.LayerNorm([2, 3], { dtype: "float64" });
    assert.deepEqual(Object.fromEntries(Object.entries(ln.stateDict()).map(([k, t]) => [k, [t.shape, Array.from(t.data)]])),
      { weight: [[2, 3], [1, 1, 1, 1, 1, 1]], bias: [[2, 3], [0, 0, 0, 0, 0, 0]] });
    assert.equal(ln.weight!.dtype, "float64");
    const gn = new mn.nn.GroupNorm(1, 3);
    assert.deepEqual(Object.fromEntries(Object.entries(gn.stateDict()).map(([k, t]) => [k, Array.from(t.data)])), { weight: [1, 1, 1], bias: [0, 0, 0] });
  });
  test("toString shows the settings", () => {
    assert.equal(String(new mn.nn.LayerNorm(4)), "LayerNorm([4], eps=0.00001, elementwiseAffine=true)");
    assert.equal(String(new mn.nn.LayerNorm([3, 4], { eps: 1e-3, elementwiseAffine: false })), "LayerNorm([3, 4], eps=0.001, elementwiseAffine=false)");
    assert.equal(String(new mn.nn.GroupNorm(2, 8)), "GroupNorm(2, 8, eps=0.00001, affine=true)");
  });
  test("a CNN with GroupNorm and a head with LayerNorm train end to end", () => {
    const g = new mn.Generator(8);
    const model = new mn.nn.Sequential(new mn.nn.Conv2d(1, 4, 3, { generator: g }), new mn.nn.GroupNorm(2, 4), new mn.nn.SiLU(),
      new mn.nn.Flatten(), new mn.nn.Linear(4 * 4 * 4, 6, { generator: g }), new mn.nn.LayerNorm(6), new mn.nn.Linear(6, 2, { generator: g }));
    model.forward(mn.randn([3, 1, 6, 6], { generator: g })).square().sum().backward();
    assert.ok(model.parameters().every((p) => p.grad !== null && Array.from(p.grad.data).some((v) => v !== 0)));
  });
});

describe("errors name the value, what was expected and where", () => {
  const cases: ErrorCase[] = [
    ["LayerNorm input not ending in normalizedShape", () => new mn.nn.LayerNorm(4).forward(mn.zeros([2, 3])),
      "LayerNorm: input [2,3] does not end with normalizedShape [4]; expected [*,4], got [2,3]"],
    ["layerNorm input with too few dims", () => F.layerNorm(mn.zeros([3]), [2, 3]), "layerNorm: input [3] does not end with normalizedShape [2,3]; expected [*,2,3], got [3]"],
    ["layerNorm weight of the wrong shape", () => F.layerNorm(mn.zeros([2, 3]), 3, mn.ones([2])), "layerNorm: weight must have the shape normalizedShape; expected [3], got [2]"],
    ["LayerNorm on float64 input with a float32 weight", () => new mn.nn.LayerNorm(3).forward(mn.zeros([2, 3], { dtype: "float64" })),
      "LayerNorm: weight must have the input's dtype; expected float64, got float32"],
    ["LayerNorm on integer input", () => new mn.nn.LayerNorm(3).forward(mn.zeros([2, 3], { dtype: "int32" })),
      "LayerNorm: input must be a floating-point tensor; expected float32 or float64, got int32"],
    ["LayerNorm normalizedShape 0", () => new mn.nn.LayerNorm(0), "LayerNorm: invalid normalizedShape; expected a positive integer or a non-empty array of them, got 0"],
    ["LayerNorm normalizedShape []", () => new mn.nn.LayerNorm([]), "LayerNorm: invalid normalizedShape; expected a positive integer or a non-empty array of them, got []"],
    ["LayerNorm torch's option spelling", () => new mn.nn.LayerNorm(3, { elementwise_affine: false } as object),
      'LayerNorm: unknown option "elementwise_affine" — did you mean "elementwiseAffine"?; expected one of eps, elementwiseAffine, dtype'],
    ["layerNorm eps -1", () => F.layerNorm(mn.zeros([2, 3]), 3, null, null, { eps: -1 }), "layerNorm: invalid eps; expected a number ≥ 0, got -1"],
    ["GroupNorm channels not divisible", () => new mn.nn.GroupNorm(2, 3), "GroupNorm: numChannels 3 does not split into numGroups 2; expected a multiple of 2, got 3"],
    ["GroupNorm numGroups 0", () => new mn.nn.GroupNorm(0, 4), "GroupNorm: invalid numGroups; expected a positive integer, got 0"],
    ["GroupNorm numChannels 2.5", () => new mn.nn.GroupNorm(1, 2.5), "GroupNorm: invalid numChannels; expected a positive integer, got 2.5"],
    ["GroupNorm wrong channel count", () => new mn.nn.GroupNorm(2, 4, { affine: false }).forward(mn.zeros([2, 6, 3])),
      "GroupNorm: wrong number of channels in input [2,6,3] (dim 1); expected 4, the layer's numChannels, got 6"],
    ["GroupNorm on 1-D input", () => new mn.nn.GroupNorm(1, 4).forward(mn.zeros([4])), "GroupNorm: invalid input shape; expected a tensor [N,C,*] of at least 2 dims, got [4]"],
    ["groupNorm channels not divisible", () => F.groupNorm(mn.zeros([2, 3, 4]), 2),
      "groupNorm: the channels of input [2,3,4] (dim 1) do not split into numGroups 2; expected a multiple of 2, got 3"],
    ["groupNorm bias of the wrong size", () => F.groupNorm(mn.zeros([2, 4]), 2, null, mn.zeros([2])),
      "groupNorm: bias must hold one value per channel of input [2,4]; expected [4], got [2]"],
    ["groupNorm numGroups 1.5", () => F.groupNorm(mn.zeros([2, 4]), 1.5), "groupNorm: invalid numGroups; expected a positive integer, got 1.5"],
  ];
  testErrorCases(cases);
});
