import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../src/index.node.js";

describe("crossEntropy with float targets", () => {
  test("of shape [N] against [N, C] scores: they look like class indices, and the message shows { dtype: \"int32\" } first (exact text)", () => {
    const logits = mn.randn([4, 3]);
    assert.throws(() => mn.nn.functional.crossEntropy(logits, mn.tensor([0, 1, 2, 1])), {
      name: "DTypeError",
      message: 'crossEntropy: target of shape [4] looks like class indices, but its dtype is float32; expected int32 class indices: '
        + '{ dtype: "int32" } when you make it (mn.tensor(labels, { dtype: "int32" })), or target.int(); probabilities would have the input\'s shape [4,3]',
    });
    // What the message says to do works.
    const loss = mn.nn.functional.crossEntropy(logits, mn.tensor([0, 1, 2, 1]).int());
    assert.ok(Number.isFinite(loss.item()));
  });
});
