import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../src/index.node.js";
import { loadFixture, toTensor, type TensorEntry } from "../helpers/fixtures.js";
import { assertParity, torchRef } from "../helpers/parity.js";
import { testErrorCases, type ErrorCase } from "../helpers/error-cases.js";

// SiLU, Softplus, ELU and Mish: values and gradients against test/fixtures/layers.json (tools/gen_layer_fixtures.py,
// PyTorch), first and second derivatives against central differences (gradcheck, float64), the layers against their
// functional forms, errors against their exact messages.
const F = mn.nn.functional;
const fx = loadFixture("layers.json");
const REF = torchRef(fx);
const act = fx.activations as { x: TensorEntry; w: TensorEntry } & Record<"float32" | "float64", Record<string, { value: TensorEntry; grad: TensorEntry }>>;

const TABLE: Record<string, (z: mn.Tensor) => mn.Tensor> = {
  silu: (z) => F.silu(z),
  softplus: (z) => F.softplus(z),
  softplus_beta2_threshold1: (z) => F.softplus(z, 2, 1),
  "softplus_beta0.5_threshold5": (z) => F.softplus(z, 0.5, 5),
  elu: (z) => F.elu(z),
  "elu_alpha0.5": (z) => F.elu(z, 0.5),
  mish: (z) => F.mish(z),
};

describe(`SiLU, Softplus, ELU, Mish against ${REF}: values and gradients of sum(out · w)`, () => {
  test("the test table covers every activation case in the fixture", () => {
    assert.deepEqual(Object.keys(TABLE).sort(), Object.keys(act.float64).sort());
  });
  for (const dtype of ["float32", "float64"] as const) {
    for (const [name, fn] of Object.entries(TABLE)) {
      test(`${name} (${dtype}, rtol ${dtype === "float32" ? "1e-5" : "1e-10"})`, () => {
        const z = toTensor(act.x, dtype).requiresGrad_();
        const out = fn(z);
        const [g] = mn.autograd.grad(out.mul(toTensor(act.w, dtype)).sum(), [z]);
        assertParity(out, act[dtype][name]!.value, dtype, `${name} value`);
        assertParity(g, act[dtype][name]!.grad, dtype, `${name} grad`);
        assert.equal(out.dtype, dtype);
      });
    }
  }
});

describe("gradients against central differences (gradcheck, float64, h=1e-6)", () => {
  // Points away from the kinks (elu at 0, softplus at the threshold), where the difference quotient straddles them.
  const x = () => mn.tensor([-3.1, -1.2, -0.4, 0.3, 0.9, 2.2, 4.5], { dtype: "float64", requiresGrad: true });
  for (const [name, fn] of Object.entries(TABLE)) {
    test(`${name}: first order`, () => {
      assert.equal(mn.autograd.gradcheck(fn, [x()], { atol: 1e-7, rtol: 1e-6 }), true);
    });
    test(`${name}: second order, (x, v) ↦ ∂⟨f(x), v⟩/∂x`, () => {
      const v = mn.tensor([0.7, -1.1, 0.4, 1.3, -0.2, 0.9, -0.6], { dtype: "float64", requiresGrad: true });
      const gradOf = (z: mn.Tensor, w: mn.Tensor) => mn.autograd.grad(fn(z), [z], { gradOutputs: [w], createGraph: true })[0]!;
      assert.equal(mn.autograd.gradcheck(gradOf, [x(), v], { atol: 1e-7, rtol: 1e-6 }), true);
    });
  }
});

describe("the one-pass backward and the recorded one (createGraph) agree", () => {
  const x = toTensor(act.x, "float64");
  for (const [name, fn] of Object.entries(TABLE)) {
    test(`${name}: to 1e-14 relative, at every fixture input`, () => {
      const z = x.detach().requiresGrad_(), w = toTensor(act.w, "float64");
      const [fused] = mn.autograd.grad(fn(z), [z], { gradOutputs: [w] });
      const [recorded] = mn.autograd.grad(fn(z), [z], { gradOutputs: [w], createGraph: true });
      assert.ok(recorded!.requiresGrad, "the recorded gradient is itself in the graph");
      fused!.data.forEach((v, i) => assert.ok(Math.abs(v - recorded!.data[i]!) <= 1e-14 * Math.max(1, Math.abs(v)), `${name}[${i}] (x = ${x.data[i]}): ${v} vs ${recorded!.data[i]}`));
    });
  }
});

describe("closed forms", () => {
  const x = mn.tensor([-2, -0.5, 0, 0.5, 2], { dtype: "float64" });
  const same = (a: mn.Tensor, b: number[], label: string) => b.forEach((v, i) => assert.ok(Math.abs(a.data[i]! - v) <= 1e-15 * Math.max(1, Math.abs(v)), `${label}[${i}]: ${a.data[i]} vs ${v}`));
  test("silu(x) = x / (1 + e^−x); softplus(x) = ln(1 + e^x); elu(x) = e^x − 1 below 0; mish(x) = x·tanh(ln(1 + e^x))", () => {
    const xs = Array.from(x.data);
    same(F.silu(x), xs.map((v) => v / (1 + Math.exp(-v))), "silu");
    same(F.softplus(x), xs.map((v) => Math.log(1 + Math.exp(v))), "softplus");
    same(F.elu(x, 2), xs.map((v) => (v > 0 ? v : 2 * (Math.exp(v) - 1))), "elu");
    same(F.mish(x), xs.map((v) => v * Math.tanh(Math.log(1 + Math.exp(v)))), "mish");
  });
  test("softplus keeps the digits of tiny values, ln(1 + e^−30) = e^−30 − e^−60/2, where 1 + e^−30 rounds to 1 (float32)", () => {
    const y = F.softplus(mn.tensor([-30], { dtype: "float32" }));
    assert.equal(y.data[0], Math.fround(Math.exp(-30) - Math.exp(-60) / 2));
  });
  test("past the threshold softplus is x itself and its gradient 1", () => {
    const z = mn.tensor([21, 100], { dtype: "float64", requiresGrad: true });
    const y = F.softplus(z);
    y.sum().backward();
    assert.deepEqual([...y.data, ...z.grad!.data], [21, 100, 1, 1]);
  });
});

describe("the layers", () => {
  const x = mn.randn([3, 4], { dtype: "float64", generator: new mn.Generator(3) });
  test("forward equals the functional form, with the layer's settings", () => {
    const pairs: [mn.nn.Module, mn.Tensor][] = [
      [new mn.nn.SiLU(), F.silu(x)], [new mn.nn.Softplus(2, 1), F.softplus(x, 2, 1)], [new mn.nn.ELU(0.3), F.elu(x, 0.3)], [new mn.nn.Mish(), F.mish(x)],
    ];
    for (const [layer, expected] of pairs) assert.deepEqual(Array.from(layer.forward(x).data), Array.from(expected.data), String(layer));
  });
  test("no parameters; toString shows the settings; defaults are torch's (β 1, threshold 20, α 1)", () => {
    const layers = [new mn.nn.SiLU(), new mn.nn.Softplus(), new mn.nn.ELU(), new mn.nn.Mish()];
    assert.deepEqual(layers.map((l) => l.parameters().length), [0, 0, 0, 0]);
    assert.deepEqual(layers.map(String), ["SiLU()", "Softplus(beta=1, threshold=20)", "ELU(alpha=1)", "Mish()"]);
  });
  test("in a Sequential they train: every parameter gets a non-zero gradient", () => {
    const g = new mn.Generator(4);
    const model = new mn.nn.Sequential(new mn.nn.Linear(4, 5, { generator: g }), new mn.nn.SiLU(), new mn.nn.Linear(5, 5, { generator: g }), new mn.nn.Mish(),
      new mn.nn.Linear(5, 5, { generator: g }), new mn.nn.ELU(), new mn.nn.Linear(5, 2, { generator: g }), new mn.nn.Softplus());
    model.forward(mn.randn([6, 4], { generator: g })).sum().backward();
    assert.ok(model.parameters().every((p) => p.grad !== null && Array.from(p.grad.data).some((v) => v !== 0)));
  });
});

describe("nn.Identity (torch.nn.Identity)", () => {
  test("returns its input itself, holds no parameters, and is exported from both entries", async () => {
    const x = mn.randn([2, 3]);
    const id = new mn.nn.Identity();
    assert.equal(id.forward(x), x);
    assert.deepEqual(id.parameters(), []);
    const core = await import("../../src/index.js");
    assert.equal(core.nn.Identity, mn.nn.Identity);
  });
});

describe("errors name the value, what was expected and where", () => {
  const cases: ErrorCase[] = [
    ["softplus beta 0", () => F.softplus(mn.zeros([2]), 0), "softplus: invalid beta; expected a finite number other than 0, got 0"],
    ["Softplus beta Infinity", () => new mn.nn.Softplus(Infinity), "Softplus: invalid beta; expected a finite number other than 0, got Infinity"],
    ["Softplus threshold NaN", () => new mn.nn.Softplus(1, NaN), "Softplus: invalid threshold; expected a number, got NaN"],
    ["elu alpha NaN", () => F.elu(mn.zeros([2]), NaN), "elu: invalid alpha; expected a finite number, got NaN"],
    ["ELU alpha as a string", () => new mn.nn.ELU("1" as unknown as number), 'ELU: invalid alpha; expected a finite number, got "1"'],
  ];
  testErrorCases(cases);
});
