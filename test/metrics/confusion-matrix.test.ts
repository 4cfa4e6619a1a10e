import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../src/index.node.js";
import { testErrorCases } from "../helpers/error-cases.js";

describe("confusionMatrix", () => {
  test("counts each (true, predicted) pair, from class indices or from scores' argmax (hand-counted)", () => {
    const target = mn.tensor([0, 0, 1, 2, 2, 2], { dtype: "int32" });
    const predicted = mn.tensor([0, 1, 1, 2, 0, 2], { dtype: "int32" });
    const want = [[1, 1, 0], [0, 1, 0], [1, 0, 2]];
    assert.deepEqual(mn.metrics.confusionMatrix(predicted, target, 3), want);
    const scores = mn.tensor([[9, 1, 0], [0, 5, 1], [0, 3, 2], [1, 2, 7], [4, 0, 3], [0, 0, 1]]);
    assert.deepEqual(mn.metrics.confusionMatrix(scores, target, 3), want);
    assert.deepEqual(mn.metrics.confusionMatrix(predicted, target, 4), [[1, 1, 0, 0], [0, 1, 0, 0], [1, 0, 2, 0], [0, 0, 0, 0]]);
  });
});

describe("confusionMatrix: refusals", () => {
  const y = mn.tensor([0, 1], { dtype: "int32" });
  testErrorCases([
    ["float targets", () => mn.metrics.confusionMatrix(y, mn.tensor([0, 1]), 2), "confusionMatrix: target must hold int32 class indices, got float32"],
    ["a class out of range", () => mn.metrics.confusionMatrix(mn.tensor([0, 2], { dtype: "int32" }), y, 2), "confusionMatrix: sample 1 has target 1 and prediction 2; expected classes in [0, 2)"],
    ["lengths that differ", () => mn.metrics.confusionMatrix(mn.tensor([0], { dtype: "int32" }), y, 2), "confusionMatrix: predictions int32 [1] do not match target [2]; expected scores [N, C] or int32 class indices [N]"],
    ["no classes", () => mn.metrics.confusionMatrix(y, y, 0), "confusionMatrix: invalid numClasses; expected a positive integer, got 0"],
  ]);
});
