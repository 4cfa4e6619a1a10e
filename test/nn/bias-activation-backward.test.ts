import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../src/index.node.js";
import { biasActivation } from "../../src/autograd/ops/bias-activation.js";
import { jsKernels } from "../../src/backend/js/index.js";
import { Generator } from "../../src/tensor/random.js";

// A layer's bias + ReLU backward runs as one kernel (biasActivationBackward) unless the backward is itself recorded
// (createGraph), where differentiable ops run: reluGrad, a permute back for a convolution, the bias's sum over dims 0
// and 2. The kernel must give those ops' bits.

type Float = Float32Array | Float64Array;
const random = (n: number, dtype: "float32" | "float64", gen: Generator): Float => {
  const a = dtype === "float32" ? new Float32Array(n) : new Float64Array(n);
  for (let i = 0; i < n; i++) a[i] = gen.random() * 2 - 1;
  return a;
};
const bits = (a: ArrayLike<number>) => Array.from(a, (v) => (Object.is(v, -0) ? "-0" : String(v)));

describe("biasActivationBackward", () => {
  test("the js kernel equals reluGrad, permute and reduce's sums over dim 0 then dim 2 (js kernels) bit for bit, odd sizes, both dtypes", () => {
    const gen = new Generator(5);
    for (const dtype of ["float32", "float64"] as const) {
      for (const [n, c, l] of [[1, 1, 1], [3, 7, 1], [7, 3, 33], [33, 5, 7], [128, 257, 1]] as const) {
        const size = n * c * l, gy = random(size, dtype, gen), out = random(size, dtype, gen);
        out[0] = Number.NaN;
        for (const channelsFirst of [false, true]) {
          for (const relu of [false, true]) {
            const make = (k: number) => (dtype === "float32" ? new Float32Array(k) : new Float64Array(k));
            const g = make(size), wantGx = make(size), rows = make(c * l), wantBias = make(c);
            if (relu) jsKernels.binary("reluGrad", gy, [n, c, l], out, [n, c, l], g, [n, c, l]); else g.set(gy);
            if (channelsFirst) jsKernels.permute(g, [n, c, l], [1, 0, 2], wantGx); else wantGx.set(g);
            jsKernels.reduce("sum", g, 1, n, c * l, rows);
            jsKernels.reduce("sum", rows, c, l, 1, wantBias);
            const [gx, gBias] = [make(size), make(c)];
            jsKernels.biasActivationBackward(gy, out, n, c, l, channelsFirst, relu, gx, gBias);
            const label = `${n}x${c}x${l} ${dtype} channelsFirst=${channelsFirst} relu=${relu}`;
            assert.deepEqual(bits(gx), bits(wantGx), `gx ${label}`);
            assert.deepEqual(bits(gBias), bits(wantBias), `gBias ${label}`);
          }
        }
      }
    }
  });

  for (const dtype of ["float32", "float64"] as const) {
    test(`the op, both layouts, relu or not: backward()'s gradients equal grad(…, { createGraph })'s bit for bit (${dtype}, ${mn.getBackend()})`, () => {
      const gen = new mn.Generator(8);
      for (const [n, c, l] of [[13, 33, 1], [3, 5, 35]] as const) {
        for (const channelsFirst of [false, true]) {
          for (const relu of [false, true]) {
            const x = mn.randn(channelsFirst ? [c, n, l] : [n, c, l], { dtype, generator: gen, requiresGrad: true });
            const bias = mn.randn([c], { dtype, generator: gen, requiresGrad: true });
            const w = mn.randn([n, c, l], { dtype, generator: gen });
            const loss = () => biasActivation(x, bias, { n, c, l, channelsFirst }, relu, [n, c, l]).mul(w).sum();
            const composed = mn.autograd.grad([loss()], [x, bias], { createGraph: true });
            x.grad = bias.grad = null;
            loss().backward();
            const label = `${n}x${c}x${l} channelsFirst=${channelsFirst} relu=${relu}`;
            assert.deepEqual(bits(x.grad!.data), bits(composed[0]!.data), `x ${label}`);
            assert.deepEqual(bits(bias.grad!.data), bits(composed[1]!.data), `bias ${label}`);
          }
        }
      }
    });

    test(`Linear → ReLU → Linear in Sequential: backward()'s gradients equal grad(…, { createGraph })'s bit for bit (${dtype}, ${mn.getBackend()})`, () => {
      const gen = new mn.Generator(8);
      const model = new mn.nn.Sequential(new mn.nn.Linear(7, 33, { dtype, generator: gen }), new mn.nn.ReLU(), new mn.nn.Linear(33, 5, { dtype, generator: gen }));
      const x = mn.randn([13, 7], { dtype, generator: gen, requiresGrad: true });
      const inputs = [x, ...model.parameters()];
      const w = mn.randn([13, 5], { dtype, generator: gen });
      const loss = () => model.forward(x).mul(w).sum();
      const composed = mn.autograd.grad([loss()], inputs, { createGraph: true });
      loss().backward();
      inputs.forEach((t, i) => assert.deepEqual(bits(t.grad!.data), bits(composed[i]!.data), `input ${i}`));
    });
  }

  test("a bias that needs no gradient gets none, and x's gradient is still the masked one", () => {
    const gen = new mn.Generator(9);
    const model = new mn.nn.Sequential(new mn.nn.Linear(4, 6, { generator: gen }), new mn.nn.ReLU());
    const [weight, bias] = model.parameters() as [mn.Tensor, mn.Tensor];
    bias.requiresGrad = false;
    const x = mn.randn([5, 4], { generator: gen, requiresGrad: true });
    const w = mn.randn([5, 6], { generator: gen });
    const composed = mn.autograd.grad([model.forward(x).mul(w).sum()], [x, weight], { createGraph: true });
    model.forward(x).mul(w).sum().backward();
    assert.equal(bias.grad, null);
    assert.deepEqual(bits(x.grad!.data), bits(composed[0]!.data));
    assert.deepEqual(bits(weight.grad!.data), bits(composed[1]!.data));
  });
});
