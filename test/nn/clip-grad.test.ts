import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../src/index.node.js";
import { assertClose, assertTensorClose, loadFixture, toTensor, type TensorEntry } from "../helpers/fixtures.js";

const TOL = { rtol: 1e-12, atol: 1e-12 };
const fx = loadFixture("around-step.json");

/** Float64 parameters holding the fixture's gradients (fresh copies), plus one without a grad. */
function withFixtureGrads(): { params: mn.Tensor[]; noGrad: mn.Tensor } {
  const params = (fx.clip_grad_norm.grads as TensorEntry[]).map((g) => {
    const p = mn.zeros(g.shape, { dtype: "float64", requiresGrad: true });
    p.grad = toTensor({ shape: g.shape, data: [...g.data] }, "float64");
    return p;
  });
  return { params, noGrad: mn.zeros([5], { dtype: "float64", requiresGrad: true }) };
}

describe("clipGradNorm", () => {
  for (const c of fx.clip_grad_norm.cases as { normType: number | "inf"; maxNorm: number; totalNorm: number; clipped: boolean; after: TensorEntry[] }[]) {
    test(`normType ${c.normType}, maxNorm ${c.maxNorm}: total norm and grads match torch.nn.utils.clip_grad_norm_ (fixture)`, () => {
      const { params, noGrad } = withFixtureGrads();
      const normType = c.normType === "inf" ? Infinity : c.normType;
      const total = mn.nn.utils.clipGradNorm([...params, noGrad], c.maxNorm, { normType });
      assertClose([total], [c.totalNorm], TOL, "total norm");
      params.forEach((p, i) => assertTensorClose(p.grad, c.after[i]!, TOL, `grad ${i}`));
      assert.equal(noGrad.grad, null);
    });
  }

  test("below the threshold the gradients are untouched, bit for bit", () => {
    const { params } = withFixtureGrads();
    const before = params.map((p) => Array.from(p.grad!.data));
    mn.nn.utils.clipGradNorm(params, 1e6);
    params.forEach((p, i) => assert.deepEqual(Array.from(p.grad!.data), before[i]));
  });

  test("after clipping the total norm is maxNorm (closed form: scaled by maxNorm/(‖g‖+1e-6))", () => {
    const p = mn.zeros([2], { dtype: "float64", requiresGrad: true });
    p.grad = mn.tensor([3, 4], { dtype: "float64" });
    assert.equal(mn.nn.utils.clipGradNorm(p, 1), 5);
    assertClose(p.grad.data, [3 / (5 + 1e-6), 4 / (5 + 1e-6)], TOL, "clipped");
  });

  test("works on a model's parameters after backward, and on float32", () => {
    mn.manualSeed(0);
    const model = new mn.nn.Linear(4, 3);
    model.forward(mn.randn([8, 4])).square().sum().backward();
    const grads = model.parameters().map((p) => Array.from(p.grad!.data));
    const expected = Math.sqrt(grads.flat().reduce((s, g) => s + g * g, 0));
    const total = mn.nn.utils.clipGradNorm(model.parameters(), 0.1);
    assert.ok(Math.abs(total - expected) < 1e-9 * expected);
    const after = Math.sqrt(model.parameters().flatMap((p) => Array.from(p.grad!.data)).reduce((s, g) => s + g * g, 0));
    assert.ok(Math.abs(after - 0.1) < 1e-6, `norm after clipping ${after}`);
  });

  test("no gradients at all: total norm 0", () => {
    assert.equal(mn.nn.utils.clipGradNorm([mn.zeros([2], { requiresGrad: true })], 1), 0);
  });

  test("a non-finite total norm fails with errorIfNonfinite, naming the norm; else scales as PyTorch does", () => {
    const make = () => {
      const p = mn.zeros([2], { dtype: "float64", requiresGrad: true });
      p.grad = mn.tensor([NaN, 1], { dtype: "float64" });
      return p;
    };
    assert.throws(() => mn.nn.utils.clipGradNorm(make(), 1, { errorIfNonfinite: true }),
      /clipGradNorm: the total norm of order 2 of the gradients is NaN, so they cannot be clipped/);
    const inf = mn.zeros([2], { dtype: "float64", requiresGrad: true });
    inf.grad = mn.tensor([Infinity, 1], { dtype: "float64" });
    assert.throws(() => mn.nn.utils.clipGradNorm(inf, 1, { normType: Infinity, errorIfNonfinite: true }), /order Infinity .* is Infinity/);
    const p = make();
    assert.ok(Number.isNaN(mn.nn.utils.clipGradNorm(p, 1)));
    assert.ok(Number.isNaN(p.grad!.data[1]!));
  });

  test("bad options fail with clear messages", () => {
    const p = mn.zeros([1], { requiresGrad: true });
    assert.throws(() => mn.nn.utils.clipGradNorm(p, -1), /clipGradNorm: invalid maxNorm; expected a number ≥ 0, got -1/);
    assert.throws(() => mn.nn.utils.clipGradNorm(p, 1, { normType: 0 }), /clipGradNorm: invalid normType; expected a number > 0, or Infinity, got 0/);
    assert.throws(() => mn.nn.utils.clipGradNorm(p, 1, { norm_type: 2 } as never), /unknown option "norm_type" — did you mean "normType"\?/);
    assert.throws(() => mn.nn.utils.clipGradNorm([p, 3 as never], 1), /clipGradNorm: param 1 is not a Tensor/);
  });
});

describe("clipGradValue", () => {
  test("clamps into [−clipValue, clipValue] as torch.nn.utils.clip_grad_value_ (fixture)", () => {
    const { params, noGrad } = withFixtureGrads();
    mn.nn.utils.clipGradValue([...params, noGrad], fx.clip_grad_value.clipValue);
    params.forEach((p, i) => assertTensorClose(p.grad, fx.clip_grad_value.after[i], TOL, `grad ${i}`));
    assert.equal(noGrad.grad, null);
  });

  test("rejects a negative clipValue", () => {
    assert.throws(() => mn.nn.utils.clipGradValue([], -0.5), /clipGradValue: invalid clipValue; expected a number ≥ 0, got -0.5/);
  });
});

describe("parametersToVector / vectorToParameters", () => {
  test("flatten in order, and write back exactly (round trip)", () => {
    const a = mn.tensor([[1, 2], [3, 4]], { dtype: "float64", requiresGrad: true });
    const b = mn.tensor([5, 6], { dtype: "float64", requiresGrad: true });
    const v = mn.nn.utils.parametersToVector([a, b]);
    assert.deepEqual(v.shape, [6]);
    assert.deepEqual(Array.from(v.data), [1, 2, 3, 4, 5, 6]);
    mn.nn.utils.vectorToParameters(mn.tensor([6, 5, 4, 3, 2, 1], { dtype: "float64" }), [a, b]);
    assert.deepEqual(a.toArray(), [[6, 5], [4, 3]]);
    assert.deepEqual(b.toArray(), [2, 1]);
  });

  test("the vector stays in the graph: gradients flow back to the parameters", () => {
    const a = mn.tensor([1, 2], { dtype: "float64", requiresGrad: true });
    const b = mn.tensor([3], { dtype: "float64", requiresGrad: true });
    mn.nn.utils.parametersToVector([a, b]).square().sum().backward();
    assert.deepEqual(Array.from(a.grad!.data), [2, 4]);
    assert.deepEqual(Array.from(b.grad!.data), [6]);
  });

  test("a vector of the wrong length fails instead of being truncated", () => {
    const a = mn.zeros([2, 2]);
    assert.throws(() => mn.nn.utils.vectorToParameters(mn.zeros([5]), [a]), /vectorToParameters: vec has 5 elements, the parameters 4/);
    assert.throws(() => mn.nn.utils.vectorToParameters(mn.zeros([2, 2]), [a]), /vectorToParameters: vec must be 1-D/);
  });
});
