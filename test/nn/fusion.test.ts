import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../src/index.node.js";

// Sequential runs a Linear or Conv2d followed by a ReLU as one fused layer (src/nn/sequential.ts): the
// values and gradients must be those of the two layers run one after the other.

function layerByLayer(model: mn.nn.Sequential, x: mn.Tensor): mn.Tensor {
  return model.layers.reduce((h, m) => m.forward(h), x);
}

function gradsOf(model: mn.nn.Sequential, run: () => mn.Tensor, w: mn.Tensor): Float64Array[] {
  model.zeroGrad();
  run().mul(w).sum().backward();
  return model.parameters().map((p) => Float64Array.from(p.grad!.data));
}

describe("Sequential fuses a layer and the ReLU after it", () => {
  for (const dtype of ["float32", "float64"] as const) {
    test(`Linear → ReLU and Conv2d → ReLU give the unfused values and gradients (${dtype})`, () => {
      const gen = new mn.Generator(3);
      const dense = new mn.nn.Sequential(new mn.nn.Linear(7, 5, { dtype, generator: gen }), new mn.nn.ReLU(), new mn.nn.Linear(5, 3, { dtype, generator: gen }));
      const conv = new mn.nn.Sequential(new mn.nn.Conv2d(2, 4, 3, { padding: 1, dtype, generator: gen }), new mn.nn.ReLU(),
        new mn.nn.Conv2d(4, 3, 2, { stride: 2, dtype, generator: gen }), new mn.nn.ReLU());
      for (const [model, x] of [[dense, mn.randn([6, 7], { dtype, generator: gen })], [conv, mn.randn([3, 2, 6, 5], { dtype, generator: gen })]] as const) {
        const fused = model.forward(x), plain = layerByLayer(model, x);
        assert.deepEqual(fused.shape, plain.shape);
        assert.deepEqual(Array.from(fused.data), Array.from(plain.data));
        const relu = model.forward(x).gradFn ? layerByLayer(new mn.nn.Sequential(model.layers[0]!, model.layers[1]!), x) : plain;
        assert.ok(Array.from(relu.data).some((v) => v === 0) && Array.from(relu.data).some((v) => v > 0), "the first ReLU clips some values and passes others");
        const w = mn.randn(plain.shape, { dtype, generator: gen });
        const [gf, gp] = [gradsOf(model, () => model.forward(x), w), gradsOf(model, () => layerByLayer(model, x), w)];
        for (let i = 0; i < gp.length; i++) {
          const scale = Math.max(...gp[i]!.map(Math.abs));
          gf[i]!.forEach((v, j) => assert.ok(Math.abs(v - gp[i]![j]!) <= (dtype === "float32" ? 1e-5 : 1e-12) * scale, `parameter ${i} element ${j}: ${v} vs ${gp[i]![j]}`));
        }
      }
    });
  }

  test("the fused layer differentiates twice (gradcheck of the gradient)", () => {
    const gen = new mn.Generator(4);
    const layer = new mn.nn.Linear(4, 3, { dtype: "float64", generator: gen });
    const model = new mn.nn.Sequential(layer, new mn.nn.ReLU());
    const x = mn.randn([5, 4], { dtype: "float64", generator: gen, requiresGrad: true });
    const ok = mn.autograd.gradcheck((xx: mn.Tensor) => {
      const y = model.forward(xx);
      const [g] = mn.autograd.grad([y.square().sum()], [xx], { createGraph: true });
      return g!;
    }, [x]);
    assert.ok(ok);
  });
});
