import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../src/index.node.js";
import { testErrorCases } from "../helpers/error-cases.js";

// addingProblem against its definition (Le, Jaitly & Hinton 2015): values in [0, 1), exactly two markers, one in each
// half, the target their values' sum; the baseline's mean squared error near 1/6; determinism by generator.
describe("addingProblem against its definition", () => {
  const n = 2000, length = 31;
  const { x, y } = mn.data.addingProblem(n, length, { dtype: "float64", generator: new mn.Generator(4) });
  test("x is [n, length, 2], y [n, 1]", () => {
    assert.deepEqual(x.shape, [n, length, 2]);
    assert.deepEqual(y.shape, [n, 1]);
  });
  test("each sequence: values in [0, 1), markers 0 or 1, one marker in steps [0, 15), one in [15, 31), y the sum of their values", () => {
    for (let i = 0; i < n; i++) {
      const marked: number[] = [];
      for (let t = 0; t < length; t++) {
        const value = x.data[(i * length + t) * 2]!, marker = x.data[(i * length + t) * 2 + 1]!;
        assert.ok(value >= 0 && value < 1, `value ${value}`);
        assert.ok(marker === 0 || marker === 1, `marker ${marker}`);
        if (marker === 1) marked.push(t);
      }
      assert.equal(marked.length, 2, `sequence ${i}: markers at ${marked}`);
      assert.ok(marked[0]! < 15 && marked[1]! >= 15, `sequence ${i}: markers at ${marked}`);
      assert.equal(y.data[i], x.data[(i * length + marked[0]!) * 2]! + x.data[(i * length + marked[1]!) * 2]!);
    }
  });
  test("predicting 1 scores a mean squared error of 1/6 (the variance of a sum of two U(0, 1)), within 4 standard errors", () => {
    const errors = Array.from(y.data, (v) => (v - 1) ** 2);
    const mse = errors.reduce((a, b) => a + b, 0) / n;
    // (S − 1)² for S a sum of two U(0, 1): mean 1/6, second moment E(S − 1)⁴ = 1/15.
    assert.ok(Math.abs(mse - 1 / 6) < 4 * Math.sqrt((1 / 15 - 1 / 36) / n), `mse ${mse}`);
  });
  test("the same generator seed gives the same data; float32 by default", () => {
    const a = mn.data.addingProblem(5, 8, { generator: new mn.Generator(1) });
    const b = mn.data.addingProblem(5, 8, { generator: new mn.Generator(1) });
    assert.equal(a.x.dtype, "float32");
    assert.deepEqual(Array.from(a.x.data), Array.from(b.x.data));
    assert.deepEqual(Array.from(a.y.data), Array.from(b.y.data));
  });
});

describe("bad input: exact messages", () => {
  testErrorCases([
    ["length 1", () => mn.data.addingProblem(4, 1), "addingProblem: invalid length; expected an integer ≥ 2, got 1"],
    ["n 2.5", () => mn.data.addingProblem(2.5, 10), "addingProblem: invalid n; expected an integer ≥ 1, got 2.5"],
  ]);
});
