import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../src/index.node.js";

const { stochasticDepth } = mn.nn.functional;
const f64 = { dtype: "float64" as const };

/** Rows of a [N, ...] tensor as arrays. */
const rows = (t: mn.Tensor): number[][] => {
  const n = t.shape[0]!, m = t.numel() / n;
  return Array.from({ length: n }, (_, i) => Array.from(t.data.subarray(i * m, (i + 1) * m)));
};

describe("stochasticDepth (torchvision.ops.stochastic_depth's semantics)", () => {
  test("eval mode and p = 0 give the input itself, drawing nothing", () => {
    const x = mn.randn([4, 3]);
    const g = new mn.Generator(1);
    const before = g.getState();
    assert.equal(stochasticDepth(x, 0.5, "row", false, g), x);
    assert.equal(stochasticDepth(x, 0, "batch", true, g), x);
    assert.deepEqual(g.getState(), before);
  });

  test("p = 1 gives zeros (and zero gradients)", () => {
    const x = mn.randn([4, 3], { ...f64, requiresGrad: true });
    const y = stochasticDepth(x, 1, "row");
    assert.deepEqual(Array.from(y.data, (v) => v + 0), new Array(12).fill(0)); // x·0 is −0 for x < 0, as in torch
    y.sum().backward();
    assert.deepEqual(Array.from(x.grad!.data), new Array(12).fill(0));
  });

  test("row mode: each sample is dropped whole or kept scaled by 1/(1−p); the kept fraction is 1−p within 4 binomial σ (20000 samples)", () => {
    const p = 0.3, n = 20000;
    const x = mn.randn([n, 2, 3], { ...f64, generator: new mn.Generator(2) });
    const y = stochasticDepth(x, p, "row", true, new mn.Generator(3));
    const scale = 1 / (1 - p);
    let kept = 0;
    const xs = rows(x);
    rows(y).forEach((r, i) => {
      const xi = xs[i]!;
      if (r.every((v) => v === 0)) return;
      kept++;
      assert.deepEqual(r, xi.map((v) => v * scale), `sample ${i} is neither dropped nor x/(1−p)`);
    });
    // σ of the kept fraction is √(p(1−p)/n) ≈ 0.0032; a correct sampler misses 4σ with probability 6e-5.
    const sigma = Math.sqrt((p * (1 - p)) / n);
    assert.ok(Math.abs(kept / n - (1 - p)) < 4 * sigma, `kept fraction ${kept / n}`);
  });

  test("row mode of a 1-D input drops single elements; a 0-d input has no batch dim", () => {
    const y = stochasticDepth(mn.ones([1000], f64), 0.5, "row", true, new mn.Generator(4));
    assert.ok(Array.from(y.data).every((v) => v === 0 || v === 2));
    assert.throws(() => stochasticDepth(mn.ones([]), 0.5), /^ShapeError: stochasticDepth: row mode needs a batch dimension; expected a tensor of at least 1 dim, got \[\]$/);
  });

  test("batch mode: the whole batch is dropped or kept together; kept in 1−p of 2000 calls within 4 binomial σ", () => {
    const p = 0.3, calls = 2000, g = new mn.Generator(5);
    const x = mn.ones([4, 3], f64);
    let kept = 0;
    for (let c = 0; c < calls; c++) {
      const v = Array.from(stochasticDepth(x, p, "batch", true, g).data);
      assert.ok(v.every((e) => e === 0) || v.every((e) => e === 1 / (1 - p)), `call ${c}: ${v}`);
      if (v[0] !== 0) kept++;
    }
    assert.ok(Math.abs(kept / calls - (1 - p)) < 4 * Math.sqrt((p * (1 - p)) / calls), `kept fraction ${kept / calls}`);
  });

  test("the same generator seed gives the same mask", () => {
    const x = mn.randn([50, 2]);
    const a = stochasticDepth(x, 0.5, "row", true, new mn.Generator(9));
    const b = stochasticDepth(x, 0.5, "row", true, new mn.Generator(9));
    const c = stochasticDepth(x, 0.5, "row", true, new mn.Generator(10));
    assert.deepEqual(Array.from(a.data), Array.from(b.data));
    assert.notDeepEqual(Array.from(a.data), Array.from(c.data));
  });

  test("gradients agree with central finite differences (a fixed mask, through x·sd(x))", () => {
    const x = mn.randn([6, 3], { ...f64, requiresGrad: true, generator: new mn.Generator(6) });
    const fn = (t: mn.Tensor) => t.mul(stochasticDepth(t, 0.5, "row", true, new mn.Generator(7)));
    const mask = Array.from(fn(mn.ones([6, 3], f64)).data);
    assert.ok(mask.includes(0) && mask.includes(2), "the mask both drops and keeps some samples");
    assert.equal(mn.autograd.gradcheck(fn, [x]), true);
  });

  test("bad p, mode and dtype fail with exact messages", () => {
    const x = mn.ones([2, 2]);
    assert.throws(() => stochasticDepth(x, 1.5), /^OptionError: stochasticDepth: invalid p; expected a probability in \[0, 1\], got 1.5$/);
    assert.throws(() => stochasticDepth(x, -0.1), /^OptionError: stochasticDepth: invalid p; expected a probability in \[0, 1\], got -0.1$/);
    assert.throws(() => stochasticDepth(x, NaN), /invalid p; expected a probability in \[0, 1\], got NaN$/);
    assert.throws(() => stochasticDepth(x, 0.5, "col" as never), /^OptionError: stochasticDepth: invalid mode; expected one of "row", "batch", got "col"$/);
    assert.throws(() => stochasticDepth(mn.ones([2], { dtype: "int32" }), 0.5), /^DTypeError: stochasticDepth: input must be a floating-point tensor; expected float32 or float64, got int32$/);
    assert.throws(() => new mn.nn.StochasticDepth(2), /^OptionError: StochasticDepth: invalid p; expected a probability in \[0, 1\], got 2$/);
    assert.throws(() => new mn.nn.StochasticDepth(0.1, "Row" as never), /^OptionError: StochasticDepth: invalid mode; expected one of "row", "batch", got "Row"$/);
  });
});

describe("StochasticDepth (the layer)", () => {
  test("drops samples in training mode, is the identity in eval mode", () => {
    const layer = new mn.nn.StochasticDepth(0.5, "row");
    assert.equal(String(layer), "StochasticDepth(p=0.5, mode=row)");
    mn.manualSeed(11);
    const x = mn.ones([400, 2], f64);
    const y = Array.from(layer.forward(x).data);
    assert.ok(y.includes(0) && y.includes(2) && y.every((v) => v === 0 || v === 2));
    layer.eval();
    assert.equal(layer.forward(x), x);
  });
});
