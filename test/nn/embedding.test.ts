import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../src/index.node.js";
import { loadFixture, toTensor, type TensorEntry } from "../helpers/fixtures.js";
import { assertParity, torchRef } from "../helpers/parity.js";
import { testErrorCases, type ErrorCase } from "../helpers/error-cases.js";

// Embedding: the rows read and the table's gradient (with and without paddingIdx) against test/fixtures/layers.json
// (tools/gen_layer_fixtures.py, PyTorch); first and second derivatives against central differences (gradcheck,
// float64); the initialization and the padding row against torch's definition; errors against their exact messages.
const F = mn.nn.functional;
const fx = loadFixture("layers.json");
const REF = torchRef(fx);
const emb = fx.embedding as {
  weight: TensorEntry; index: TensorEntry;
  cases: ({ paddingIdx: number | null; w: TensorEntry } & Record<"float32" | "float64", { out: TensorEntry; gradWeight: TensorEntry }>)[];
};

describe(`embedding against ${REF}: output and the table's gradient of sum(out · w)`, () => {
  for (const c of emb.cases) {
    for (const dtype of ["float32", "float64"] as const) {
      test(`paddingIdx ${c.paddingIdx}, a [2,5] index with repeats into a [7,3] table (${dtype})`, () => {
        const table = toTensor(emb.weight, dtype).requiresGrad_();
        const out = F.embedding(toTensor(emb.index, "int32"), table, c.paddingIdx === null ? {} : { paddingIdx: c.paddingIdx });
        const [g] = mn.autograd.grad(out.mul(toTensor(c.w, dtype)).sum(), [table]);
        assertParity(out, c[dtype].out, dtype, "out");
        assertParity(g, c[dtype].gradWeight, dtype, "grad weight");
      });
    }
  }
  test("the padding row of a layer gets a zero gradient however often it is read (torch: no gradient)", () => {
    const layer = new mn.nn.Embedding(4, 2, { paddingIdx: -1, dtype: "float64" });
    layer.forward(mn.tensor([[3, 3, 1], [0, 3, 2]], { dtype: "int32" })).sum().backward();
    assert.deepEqual(Array.from(layer.weight.grad!.data), [1, 1, 1, 1, 1, 1, 0, 0]);
  });
});

describe("gradients against central differences (gradcheck, float64, h=1e-6)", () => {
  const idx = mn.tensor([2, 0, 2, 3], { dtype: "int32" });
  const table = () => mn.randn([4, 3], { dtype: "float64", generator: new mn.Generator(5) }).requiresGrad_();
  for (const paddingIdx of [undefined, 2]) {
    const fn = (t: mn.Tensor) => F.embedding(idx, t, paddingIdx === undefined ? {} : { paddingIdx }).tanh();
    test(`paddingIdx ${paddingIdx}: first order`, () => {
      // With a padding row the central differences see the row's effect while the gradient is zero by definition: compare on the other rows.
      if (paddingIdx === undefined) assert.equal(mn.autograd.gradcheck(fn, [table()]), true);
      else assert.equal(mn.autograd.gradcheck((t) => fn(t).narrow(0, 1, 1), [table()]), true);
    });
    test(`paddingIdx ${paddingIdx}: second order, (table, v) ↦ ∂⟨embedding(table)², v⟩/∂table`, () => {
      const gradOf = (t: mn.Tensor, v: mn.Tensor) => mn.autograd.grad(F.embedding(idx, t, paddingIdx === undefined ? {} : { paddingIdx }).square(), [t], { gradOutputs: [v], createGraph: true })[0]!;
      const v = mn.randn([4, 3], { dtype: "float64", generator: new mn.Generator(6) }).requiresGrad_();
      assert.equal(mn.autograd.gradcheck(gradOf, [table(), v]), true);
    });
  }
});

describe("the layer", () => {
  test(`state-dict key is ${REF}'s (weight), with and without paddingIdx`, () => {
    const keys = fx.state_dicts as Record<string, string[]>;
    assert.deepEqual(Object.keys(new mn.nn.Embedding(5, 3).stateDict()), keys["Embedding(5, 3)"]);
    assert.deepEqual(Object.keys(new mn.nn.Embedding(5, 3, { paddingIdx: 0 }).stateDict()), keys["Embedding(5, 3, paddingIdx 0)"]);
  });
  test("initialized as torch: N(0, 1) (mean and variance of 20,000 draws within 4 standard errors), the padding row zero", () => {
    const layer = new mn.nn.Embedding(1000, 20, { paddingIdx: 7, generator: new mn.Generator(1) });
    const w = Array.from(layer.weight.data);
    assert.deepEqual(w.slice(7 * 20, 8 * 20), new Array(20).fill(0));
    const rest = w.filter((_, i) => i < 140 || i >= 160);
    const mean = rest.reduce((a, b) => a + b, 0) / rest.length;
    const variance = rest.reduce((a, b) => a + (b - mean) ** 2, 0) / rest.length;
    assert.ok(Math.abs(mean) < 4 / Math.sqrt(rest.length), `mean ${mean}`);
    assert.ok(Math.abs(variance - 1) < 4 * Math.sqrt(2 / rest.length), `variance ${variance}`);
  });
  test("the same generator seed gives the same table; the output is [...input.shape, embeddingDim]", () => {
    const a = new mn.nn.Embedding(6, 4, { generator: new mn.Generator(9), dtype: "float64" });
    const b = new mn.nn.Embedding(6, 4, { generator: new mn.Generator(9), dtype: "float64" });
    assert.deepEqual(Array.from(a.weight.data), Array.from(b.weight.data));
    const out = a.forward(mn.tensor([[[5]], [[0]]], { dtype: "int32" }));
    assert.deepEqual(out.shape, [2, 1, 1, 4]);
    assert.deepEqual(Array.from(out.data), [...a.weight.data.slice(20, 24), ...a.weight.data.slice(0, 4)]);
  });
  test("paddingIdx −1 is the last row, as in torch; toString shows it", () => {
    assert.equal(new mn.nn.Embedding(5, 3, { paddingIdx: -1 }).paddingIdx, 4);
    assert.equal(String(new mn.nn.Embedding(5, 3, { paddingIdx: -1 })), "Embedding(5, 3, paddingIdx=4)");
    assert.equal(String(new mn.nn.Embedding(5, 3)), "Embedding(5, 3)");
  });
  test("an SGD step moves the rows read and leaves the padding row at zero", () => {
    const layer = new mn.nn.Embedding(4, 2, { paddingIdx: 0, generator: new mn.Generator(2) });
    const before = Array.from(layer.weight.data);
    const opt = new mn.optim.SGD(layer.parameters(), { lr: 0.5, momentum: 0.9, weightDecay: 0 });
    for (let i = 0; i < 3; i++) {
      opt.zeroGrad();
      layer.forward(mn.tensor([0, 1, 0], { dtype: "int32" })).square().sum().backward();
      opt.step();
    }
    const after = Array.from(layer.weight.data);
    assert.deepEqual(after.slice(0, 2), [0, 0], "padding row");
    assert.notDeepEqual(after.slice(2, 4), before.slice(2, 4), "row 1 trained");
    assert.deepEqual(after.slice(4), before.slice(4), "rows never read");
  });
});

describe("errors name the value, what was expected and where", () => {
  const table = mn.zeros([4, 2]);
  const cases: ErrorCase[] = [
    ["index past the table", () => F.embedding(mn.tensor([[0, 1], [4, 2]], { dtype: "int32" }), table),
      "embedding: index out of range at input's flat position 2; expected an index in [0, 4), a row of weight [4,2], got 4"],
    ["negative index", () => new mn.nn.Embedding(3, 2).forward(mn.tensor([-1], { dtype: "int32" })),
      "Embedding: index out of range at input's flat position 0; expected an index in [0, 3), a row of weight [3,2], got -1"],
    ["float indices", () => new mn.nn.Embedding(3, 2).forward(mn.tensor([1])), "Embedding: input must hold int32 indices; expected int32, got float32"],
    ["1-D table", () => F.embedding(mn.tensor([0], { dtype: "int32" }), mn.zeros([4])), "embedding: weight must be 2-D; expected [numEmbeddings, embeddingDim], got [4]"],
    ["integer table", () => F.embedding(mn.tensor([0], { dtype: "int32" }), mn.zeros([4, 2], { dtype: "int32" })),
      "embedding: weight must be a floating-point tensor; expected float32 or float64, got int32"],
    ["paddingIdx past the table", () => new mn.nn.Embedding(3, 2, { paddingIdx: 3 }), "Embedding: invalid paddingIdx; expected an integer in [-3, 3), a row of the table, got 3"],
    ["paddingIdx 0.5", () => F.embedding(mn.tensor([0], { dtype: "int32" }), table, { paddingIdx: 0.5 }), "embedding: invalid paddingIdx; expected an integer, got 0.5"],
    ["numEmbeddings 0", () => new mn.nn.Embedding(0, 2), "Embedding: invalid numEmbeddings; expected a positive integer, got 0"],
    ["embeddingDim 1.5", () => new mn.nn.Embedding(3, 1.5), "Embedding: invalid embeddingDim; expected a positive integer, got 1.5"],
    ["torch's option spelling", () => new mn.nn.Embedding(3, 2, { padding_idx: 0 } as object),
      'Embedding: unknown option "padding_idx" — did you mean "paddingIdx"?; expected one of paddingIdx, dtype, generator'],
    ["a seed where a Generator goes", () => new mn.nn.Embedding(3, 2, { generator: 3 as unknown as mn.Generator }), "Embedding: invalid generator; expected a Generator, got 3"],
  ];
  testErrorCases(cases);
});
