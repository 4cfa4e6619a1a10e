import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../src/index.node.js";
import { loadFixture } from "../helpers/fixtures.js";
import { testErrorCases } from "../helpers/error-cases.js";

// Reference: test/fixtures/max-min.json (tools/gen_max_min_fixtures.py, torch 1.13): torch.max/min with a dim
// (values, indices), without one, and torch.amax/amin, with the gradient of sum(values · w), on random
// values, rows with ties and rows with NaN. Max and min pick values, so every comparison is exact.
const REF = "torch 1.13 (tools/gen_max_min_fixtures.py)";
type Entry = { shape: number[]; data: (number | string)[] };
interface Case { input: string; op: "max" | "min" | "amax" | "amin"; dim: number | number[] | null; keepdim: boolean | null; values: Entry; indices?: Entry; w: Entry; grad: Entry }
const fx = loadFixture("max-min.json") as { inputs: Record<string, Entry>; cases: Case[] };
const numbers = (e: Entry) => e.data.map(Number);
const f64 = (e: Entry) => mn.tensor(Float64Array.from(numbers(e))).reshape(e.shape);
/** Equal element by element, NaN equal to NaN (assert.deepEqual treats NaN as equal, and +0 and −0 as different). */
const same = (actual: ArrayLike<number>, expected: number[], label: string) =>
  assert.deepEqual(Array.from(actual, (v) => (Object.is(v, -0) ? 0 : v)), expected.map((v) => (Object.is(v, -0) ? 0 : v)), label);

describe(`Tensor.max/min/amax/amin against ${REF}`, () => {
  for (const c of fx.cases) {
    const call = c.dim === null ? `${c.op}()` : `${c.op}(${JSON.stringify(c.dim)}, ${c.keepdim})`;
    test(`${c.input}: ${call}: values${c.indices ? ", indices" : ""} and the gradient match ${REF} exactly`, () => {
      const x = f64(fx.inputs[c.input]!).requiresGrad_();
      let values: mn.Tensor;
      if (c.op === "amax" || c.op === "amin") values = x[c.op](c.dim!, c.keepdim!);
      else if (c.dim === null) values = x[c.op]();
      else {
        const r = x[c.op](c.dim as number, c.keepdim!);
        values = r.values;
        assert.equal(r.indices.dtype, "int32");
        assert.deepEqual(r.indices.shape, c.indices!.shape);
        same(r.indices.data, numbers(c.indices!), "indices");
      }
      assert.deepEqual(values.shape, c.values.shape);
      same(values.data, numbers(c.values), "values");
      // torch's loss was nan_to_num(values · w): no gradient reaches a NaN value; w = 0 there does the same.
      const w = f64(c.w);
      values.data.forEach((v, i) => { if (Number.isNaN(v)) w.data[i] = 0; });
      values.mul(w).sum().backward();
      same(x.grad!.data, numbers(c.grad), "gradient");
    });
  }
});

describe("Tensor.max/min with a dim (closed forms)", () => {
  test("the values are the input at the indices (gather), for every dim and keepdim", () => {
    const x = mn.randn([3, 4, 5], { generator: new mn.Generator(1) });
    for (const dim of [0, 1, 2, -1]) {
      for (const keepdim of [false, true]) {
        for (const op of ["max", "min"] as const) {
          const { values, indices } = x[op](dim, keepdim);
          const kept = keepdim ? indices : indices.unsqueeze(dim);
          assert.deepEqual(Array.from(x.gather(dim, kept).data), Array.from(values.data), `${op}(${dim}, ${keepdim})`);
          assert.deepEqual(Array.from(values.data), Array.from(x[op === "max" ? "amax" : "amin"](dim, keepdim).data));
        }
      }
    }
  });

  test("a 0-d tensor: max(0) is itself at index 0, as torch", () => {
    const { values, indices } = mn.tensor(3).max(0);
    assert.deepEqual([values.shape, values.item(), indices.shape, indices.item()], [[], 3, [], 0]);
  });

  test("mn.max(x, dim) is Tensor.max(dim); mn.max(x) the all-element max", () => {
    const x = mn.tensor([[1, 7], [9, 2]]);
    assert.deepEqual(Array.from(mn.max(x, 1).indices.data), [1, 0]);
    assert.deepEqual(Array.from(mn.min(x, 0).values.data), [1, 2]);
    assert.equal(mn.max(x).item(), 9);
  });

  testErrorCases([
    ["max over a dim of size 0", () => mn.zeros([2, 0]).max(1), "max: cannot reduce dim 1 of size 0, got shape [2,0]"],
    ["min over a dim out of range", () => mn.zeros([2, 3]).min(2), "min: dimension out of range; expected an integer in [-2, 1], got 2"],
  ]);
});
