import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../src/index.node.js";
import { loadFixture, toTensor, type TensorEntry } from "../helpers/fixtures.js";
import { assertParity, torchRef } from "../helpers/parity.js";
import { testErrorCases, type ErrorCase } from "../helpers/error-cases.js";

// RNN and LSTM: output, final states and the gradients of every input and parameter against test/fixtures/rnn.json
// (tools/gen_rnn_fixtures.py, PyTorch's nn.RNN and nn.LSTM) in float32 and float64; gradients against central
// differences (gradcheck); the state-dict keys against torch's; the initialization against torch's definition
// U(−1/√hidden, 1/√hidden); errors against their exact messages.
const fx = loadFixture("rnn.json");
const REF = torchRef(fx);
type Result = { output: TensorEntry; hN: TensorEntry; cN?: TensorEntry; gradX: TensorEntry; gradH0?: TensorEntry; gradC0?: TensorEntry; gradParams: Record<string, TensorEntry> };
interface Case {
  name: string; layer: "RNN" | "LSTM"; inputSize: number; hiddenSize: number; options: Record<string, unknown>;
  weights: Record<string, TensorEntry>; x: TensorEntry; h0?: TensorEntry; c0?: TensorEntry; wOut: TensorEntry; wH: TensorEntry; wC?: TensorEntry;
  float32: Result; float64: Result;
}

function build(c: Case, dtype: "float32" | "float64"): mn.nn.RNN | mn.nn.LSTM {
  const m = c.layer === "RNN" ? new mn.nn.RNN(c.inputSize, c.hiddenSize, { ...c.options, dtype }) : new mn.nn.LSTM(c.inputSize, c.hiddenSize, { ...c.options, dtype });
  m.loadStateDict(Object.fromEntries(Object.entries(c.weights).map(([k, v]) => [k, toTensor(v, dtype)])));
  return m;
}

describe(`RNN and LSTM against ${REF}: output, h_n, c_n and the gradients of sum(output·wOut) + sum(h_n·wH) [+ sum(c_n·wC)]`, () => {
  for (const c of fx.cases as Case[]) {
    for (const dtype of ["float32", "float64"] as const) {
      test(`${c.name} (${dtype})`, () => {
        const m = build(c, dtype);
        const x = toTensor(c.x, dtype).requiresGrad_();
        const h0 = c.h0 ? toTensor(c.h0, dtype).requiresGrad_() : undefined;
        const c0 = c.c0 ? toTensor(c.c0, dtype).requiresGrad_() : undefined;
        let output: mn.Tensor, hN: mn.Tensor, cN: mn.Tensor | undefined;
        if (m instanceof mn.nn.RNN) [output, hN] = m.forward(x, h0);
        else [output, [hN, cN]] = m.forward(x, h0 && c0 ? [h0, c0] : undefined);
        let objective = output.mul(toTensor(c.wOut, dtype)).sum().add(hN.mul(toTensor(c.wH, dtype)).sum());
        if (cN) objective = objective.add(cN.mul(toTensor(c.wC!, dtype)).sum());
        const names = m.namedParameters().map(([n]) => n);
        const inputs = [x, ...(h0 ? [h0] : []), ...(c0 ? [c0] : [])];
        const grads = mn.autograd.grad(objective, [...inputs, ...m.parameters()]);
        const r = c[dtype];
        assertParity(output, r.output, dtype, "output");
        assertParity(hN, r.hN, dtype, "h_n");
        if (r.cN) assertParity(cN, r.cN, dtype, "c_n");
        assertParity(grads[0], r.gradX, dtype, "grad x");
        if (r.gradH0) assertParity(grads[1], r.gradH0, dtype, "grad h0");
        if (r.gradC0) assertParity(grads[2], r.gradC0, dtype, "grad c0");
        assert.deepEqual(names, Object.keys(r.gradParams));
        names.forEach((n, i) => assertParity(grads[inputs.length + i], r.gradParams[n]!, dtype, `grad ${n}`));
      });
    }
  }
});

describe("gradients against central differences (gradcheck, float64, h=1e-6)", () => {
  const x = () => mn.randn([4, 2, 3], { dtype: "float64", generator: new mn.Generator(3) }).requiresGrad_();
  test("RNN tanh, two layers, bidirectional: x and h0", () => {
    const rnn = new mn.nn.RNN(3, 2, { numLayers: 2, bidirectional: true, dtype: "float64", generator: new mn.Generator(1) });
    const h0 = mn.randn([4, 2, 2], { dtype: "float64", generator: new mn.Generator(4) }).requiresGrad_();
    assert.equal(mn.autograd.gradcheck((a, b) => rnn.forward(a, b)[0], [x(), h0]), true);
  });
  test("LSTM: x, h0 and c0, through output and c_n", () => {
    const lstm = new mn.nn.LSTM(3, 2, { dtype: "float64", generator: new mn.Generator(2) });
    const h0 = mn.randn([1, 2, 2], { dtype: "float64", generator: new mn.Generator(5) }).requiresGrad_();
    const c0 = mn.randn([1, 2, 2], { dtype: "float64", generator: new mn.Generator(6) }).requiresGrad_();
    assert.equal(mn.autograd.gradcheck((a, b, cc) => { const [o, [, cN]] = lstm.forward(a, [b, cc]); return o.sum().add(cN.sum()); }, [x(), h0, c0]), true);
  });
});

describe("second derivatives against central differences (gradcheck of the gradient, float64): Hessian-vector products through time", () => {
  const gen = (seed: number, shape: number[]) => mn.randn(shape, { dtype: "float64", generator: new mn.Generator(seed) }).mul(0.5).requiresGrad_();
  const xs = [0, 1, 2].map((t) => mn.randn([2, 3], { dtype: "float64", generator: new mn.Generator(20 + t) }));
  test("rnnCell (tanh) over 3 steps: (W_hh, v) ↦ ∂⟨h_3, v⟩/∂W_hh, with W_ih and biases fixed", () => {
    const wIh = gen(30, [2, 3]), bIh = gen(31, [2]), bHh = gen(32, [2]);
    const gradOf = (wHh: mn.Tensor, v: mn.Tensor) => {
      let h = mn.zeros([2, 2], { dtype: "float64" });
      for (const x of xs) h = mn.nn.rnnCell(x, h, { weightIh: wIh, weightHh: wHh, biasIh: bIh, biasHh: bHh });
      return mn.autograd.grad(h.mul(v).sum(), [wHh], { createGraph: true })[0]!;
    };
    assert.equal(mn.autograd.gradcheck(gradOf, [gen(33, [2, 2]), gen(34, [2, 2])]), true);
  });
  test("lstmCell over 3 steps: (W_hh, v) ↦ ∂⟨h_3 + c_3, v⟩/∂W_hh, without biases", () => {
    const wIh = gen(40, [8, 3]);
    const gradOf = (wHh: mn.Tensor, v: mn.Tensor) => {
      let h = mn.zeros([2, 2], { dtype: "float64" }), c = h;
      for (const x of xs) [h, c] = mn.nn.lstmCell(x, h, c, { weightIh: wIh, weightHh: wHh, biasIh: null, biasHh: null });
      return mn.autograd.grad(h.add(c).mul(v).sum(), [wHh], { createGraph: true })[0]!;
    };
    assert.equal(mn.autograd.gradcheck(gradOf, [gen(41, [8, 2]), gen(42, [2, 2])]), true);
  });
});

describe("the layers", () => {
  test(`state-dict keys are ${REF}'s, in its order`, () => {
    const keys = fx.state_dicts as Record<string, string[]>;
    assert.deepEqual(Object.keys(new mn.nn.RNN(3, 4).stateDict()), keys["RNN(3, 4)"]);
    assert.deepEqual(Object.keys(new mn.nn.RNN(3, 4, { numLayers: 2, bidirectional: true }).stateDict()), keys["RNN(3, 4, numLayers 2, bidirectional)"]);
    assert.deepEqual(Object.keys(new mn.nn.RNN(3, 4, { bias: false }).stateDict()), keys["RNN(3, 4, bias false)"]);
    assert.deepEqual(Object.keys(new mn.nn.LSTM(3, 4).stateDict()), keys["LSTM(3, 4)"]);
    assert.deepEqual(Object.keys(new mn.nn.LSTM(3, 4, { numLayers: 2, bidirectional: true }).stateDict()), keys["LSTM(3, 4, numLayers 2, bidirectional)"]);
  });
  test("initialized as torch: every parameter U(−1/√hidden, 1/√hidden) (bounds; mean and variance k²/3 within 4 standard errors)", () => {
    const hidden = 25, k = 1 / Math.sqrt(hidden);
    const lstm = new mn.nn.LSTM(40, hidden, { numLayers: 2, generator: new mn.Generator(7) });
    for (const [name, p] of lstm.namedParameters()) {
      const w = Array.from(p.data);
      assert.ok(w.every((v) => v >= -k && v <= k), `${name} within ±${k}`);
      const mean = w.reduce((a, b) => a + b, 0) / w.length;
      const variance = w.reduce((a, b) => a + (b - mean) ** 2, 0) / w.length;
      // Var U(−k, k) = k²/3; the variance of a sample's variance is (μ4 − σ⁴)/n with μ4 = k⁴/5.
      assert.ok(Math.abs(mean) < 4 * Math.sqrt(k * k / 3 / w.length), `${name} mean ${mean}`);
      assert.ok(Math.abs(variance - k * k / 3) < 4 * Math.sqrt((k ** 4 / 5 - k ** 4 / 9) / w.length), `${name} variance ${variance}`);
    }
  });
  test("the weights' shapes are torch's: [gates·hidden, in], the layers above reading directions·hidden", () => {
    const lstm = new mn.nn.LSTM(3, 4, { numLayers: 2, bidirectional: true });
    const sd = lstm.stateDict();
    assert.deepEqual(sd["weight_ih_l0"]!.shape, [16, 3]);
    assert.deepEqual(sd["weight_ih_l1_reverse"]!.shape, [16, 8]);
    assert.deepEqual(sd["weight_hh_l1"]!.shape, [16, 4]);
    assert.deepEqual(new mn.nn.RNN(3, 4).stateDict()["weight_hh_l0"]!.shape, [4, 4]);
  });
  test("the output's last step is h_n of a one-direction layer, and h0 left out means zeros", () => {
    const rnn = new mn.nn.RNN(2, 3, { dtype: "float64", generator: new mn.Generator(8) });
    const x = mn.randn([5, 2, 2], { dtype: "float64", generator: new mn.Generator(9) });
    const [output, hN] = rnn.forward(x);
    assert.deepEqual(Array.from(output.select(0, 4).data), Array.from(hN.select(0, 0).data));
    assert.deepEqual(Array.from(rnn.forward(x, mn.zeros([1, 2, 3], { dtype: "float64" }))[0].data), Array.from(output.data));
  });
  test("dropout between layers: p = 1 in training gives the second layer zero inputs (its h_t from h and bias alone); in eval it is off", () => {
    const opts = { numLayers: 2, dtype: "float64" as const, generator: new mn.Generator(10) };
    const rnn = new mn.nn.RNN(2, 3, { ...opts, dropout: 1 });
    const x = mn.randn([4, 1, 2], { dtype: "float64", generator: new mn.Generator(11) });
    const [trained] = rnn.forward(x);
    const top = new mn.nn.RNN(3, 3, { dtype: "float64" });
    top.loadStateDict(Object.fromEntries(Object.entries(rnn.stateDict()).filter(([k]) => k.endsWith("l1")).map(([k, v]) => [k.replace("l1", "l0"), v])));
    assert.deepEqual(Array.from(trained.data), Array.from(top.forward(mn.zeros([4, 1, 3], { dtype: "float64" }))[0].data));
    rnn.eval();
    const plain = new mn.nn.RNN(2, 3, { numLayers: 2, dtype: "float64" });
    plain.loadStateDict(rnn.stateDict());
    assert.deepEqual(Array.from(rnn.forward(x)[0].data), Array.from(plain.forward(x)[0].data));
  });
  test("toString shows the options that differ from the defaults", () => {
    assert.equal(String(new mn.nn.RNN(2, 3, { nonlinearity: "relu", numLayers: 2 })), 'RNN(2, 3, nonlinearity="relu", numLayers=2)');
    assert.equal(String(new mn.nn.LSTM(2, 3, { batchFirst: true, bidirectional: true })), "LSTM(2, 3, batchFirst=true, bidirectional=true)");
  });
});

describe("bad input: exact messages", () => {
  const rnn = new mn.nn.RNN(3, 4, { numLayers: 2 });
  const lstm = new mn.nn.LSTM(3, 4);
  const cases: ErrorCase[] = [
    ["an input of 4 features for inputSize 3", () => rnn.forward(mn.zeros([5, 2, 4])), "RNN: the input [5,2,4] has 4 features; expected inputSize 3"],
    ["a 1-D input", () => rnn.forward(mn.zeros([3])), "RNN: the input must be [time, batch, features], [batch, time, features] with batchFirst, or unbatched [time, features], got [3]"],
    ["no time steps", () => lstm.forward(mn.zeros([0, 2, 3])), "LSTM: the input has no time steps, got [0,2,3]"],
    ["h0 for one layer of two", () => rnn.forward(mn.zeros([5, 2, 3]), mn.zeros([1, 2, 4])), "RNN: the initial state h0 has shape [1,2,4]; expected [2,2,4] ([layers·directions, batch, hidden])"],
    ["c0 of the wrong batch", () => lstm.forward(mn.zeros([5, 2, 3]), [mn.zeros([1, 2, 4]), mn.zeros([1, 3, 4])]), "LSTM: the initial state c0 has shape [1,3,4]; expected [1,2,4] ([layers·directions, batch, hidden])"],
    ["a batched h0 for an unbatched input", () => lstm.forward(mn.zeros([5, 3]), [mn.zeros([1, 1, 4]), mn.zeros([1, 4])]), "LSTM: the initial state h0 has shape [1,1,4]; expected [1,4] ([layers·directions, hidden])"],
    ["a float64 input to float32 weights", () => rnn.forward(mn.zeros([5, 2, 3], { dtype: "float64" })), "RNN: the input is float64 and the weights float32; expected the same dtype (convert one with .to(), or build the layer with { dtype })"],
    ["an int32 input", () => lstm.forward(mn.zeros([5, 2, 3], { dtype: "int32" })), "LSTM: the input is int32 and the weights float32; expected the same dtype (convert one with .to(), or build the layer with { dtype })"],
    ["a float64 c0", () => lstm.forward(mn.zeros([5, 2, 3]), [mn.zeros([1, 2, 4]), mn.zeros([1, 2, 4], { dtype: "float64" })]), "LSTM: the initial state c0 is float64 and the weights float32; expected the same dtype (convert one with .to(), or build the layer with { dtype })"],
    ["dropout with one layer", () => new mn.nn.RNN(3, 4, { dropout: 0.5 }), "RNN: dropout 0.5 would do nothing: it acts between stacked layers, and there is one; expected numLayers ≥ 2, or dropout 0"],
    ["hiddenSize 0", () => new mn.nn.LSTM(3, 0), "LSTM: invalid hiddenSize; expected a positive integer, got 0"],
    ["an unknown nonlinearity", () => new mn.nn.RNN(3, 4, { nonlinearity: "sigmoid" as "tanh" }), 'RNN: invalid nonlinearity; expected one of "tanh", "relu", got "sigmoid"'],
    ["a misspelt option", () => new mn.nn.RNN(3, 4, { nonlinearty: "relu" } as object), 'RNN: unknown option "nonlinearty" — did you mean "nonlinearity"?; expected one of numLayers, bias, batchFirst, dropout, bidirectional, dtype, generator, nonlinearity'],
  ];
  testErrorCases(cases);
});
