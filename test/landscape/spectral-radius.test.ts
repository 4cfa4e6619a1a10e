import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../src/index.node.js";
import { loadFixture, toTensor, type TensorEntry } from "../helpers/fixtures.js";
import { torchRef } from "../helpers/parity.js";
import { testErrorCases } from "../helpers/error-cases.js";

// spectralRadius against max |torch.linalg.eigvals(W)| (test/fixtures/rnn.json, tools/gen_rnn_fixtures.py) on matrices
// with real, complex, repeated and zero eigenvalues, and a non-normal one whose powers grow for a while before they decay.
const fx = loadFixture("rnn.json");

describe(`spectralRadius against max |eigenvalue| by ${torchRef(fx)}'s linalg.eigvals (relative 1e-12)`, () => {
  for (const c of fx.spectral_radius as { name: string; matrix: TensorEntry; radius: number }[]) {
    test(c.name, () => {
      const got = mn.landscape.spectralRadius(toTensor(c.matrix, "float64"));
      assert.ok(Math.abs(got - c.radius) <= 1e-12 * Math.max(1, c.radius), `${got} against ${c.radius}`);
    });
  }
  test("a float32 matrix: its values as they are (diag(0.5, −3) gives 3)", () => {
    const got = mn.landscape.spectralRadius(mn.tensor([[0.5, 0], [0, -3]]));
    assert.ok(Math.abs(got - 3) <= 3e-12, String(got));
  });
});

describe("bad input: exact messages", () => {
  testErrorCases([["a 2×3 matrix", () => mn.landscape.spectralRadius(mn.zeros([2, 3])), "spectralRadius: needs a square matrix, got [2,3]"]]);
});
