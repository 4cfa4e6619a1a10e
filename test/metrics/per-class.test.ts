import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../src/index.node.js";
import { testErrorCases } from "../helpers/error-cases.js";

const int = (xs: number[]) => mn.tensor(xs, { dtype: "int32" });
const close = (got: number[], want: number[]) => {
  assert.equal(got.length, want.length);
  got.forEach((g, i) => assert.ok(Object.is(g, want[i]) || Math.abs(g - want[i]!) < 1e-12, `[${i}]: ${g} vs ${want[i]}`));
};

describe("precisionRecallF1", () => {
  test("scikit-learn's documented example: y_true [0,1,2,0,1,2], y_pred [0,2,1,0,0,1] give precision [2/3,0,0], recall [1,0,0], f1 [0.8,0,0], macro f1 0.2667", () => {
    // precision_recall_fscore_support's docstring example (scikit-learn 1.x), with zero_division=0.
    const r = mn.metrics.precisionRecallF1(int([0, 2, 1, 0, 0, 1]), int([0, 1, 2, 0, 1, 2]), 3);
    close(r.precision, [2 / 3, 0, 0]);
    close(r.recall, [1, 0, 0]);
    close(r.f1, [0.8, 0, 0]);
    assert.deepEqual(r.support, [2, 2, 2]);
    close([r.macro.precision, r.macro.recall, r.macro.f1], [2 / 9, 1 / 3, 0.8 / 3]);
  });

  test("by hand from a confusion matrix: tp/(tp+fp), tp/(tp+fn), 2tp/(2tp+fp+fn); a class never predicted takes zeroDivision", () => {
    // Rows true, columns predicted. Class 0: tp 5, fp 1+0, fn 2; class 1: tp 3, fp 2+4, fn 1; class 2: tp 0, never predicted, fn 4+0.
    const m = [[5, 2, 0], [1, 3, 0], [0, 4, 0]];
    const r = mn.metrics.precisionRecallF1(m);
    close(r.precision, [5 / 6, 3 / 9, 0]);
    close(r.recall, [5 / 7, 3 / 4, 0]);
    close(r.f1, [10 / 13, 6 / 13, 0]);
    close(mn.metrics.precisionRecallF1(m, { zeroDivision: NaN }).precision, [5 / 6, 3 / 9, NaN]);
    close(mn.metrics.precisionRecallF1(m, { zeroDivision: 1 }).f1, [10 / 13, 6 / 13, 0]); // f1's denominator 2·0+0+4 is not zero
    // From scores, the argmax is taken, as confusionMatrix does.
    const scores = mn.tensor([[3, 1], [0, 2], [5, 4], [1, 0]]);
    close(mn.metrics.precisionRecallF1(scores, int([0, 1, 1, 1]), 2).recall, [1, 1 / 3]);
  });
});

describe("perClassAccuracy", () => {
  test("each class's correct share of its own samples (the confusion matrix's diagonal over its rows); NaN for a class with none", () => {
    const m = [[5, 2, 0], [1, 3, 0], [0, 0, 0]];
    close(mn.metrics.perClassAccuracy(m), [5 / 7, 3 / 4, NaN]);
    close(mn.metrics.perClassAccuracy(int([0, 2, 1, 0, 0, 1]), int([0, 1, 2, 0, 1, 2]), 4), [1, 0, 0, NaN]);
  });
});

describe("topKAccuracy", () => {
  test("a hit when fewer than k scores beat the target's (ties with the k-th count, as tf.math.in_top_k); named top<k>Accuracy", () => {
    const scores = mn.tensor([
      [0.1, 0.5, 0.3, 0.1], // target 2: one score above it → in top 2, not top 1
      [0.4, 0.1, 0.4, 0.1], // target 0: tied first → in top 1
      [0.1, 0.2, 0.3, 0.4], // target 0: three above → in top 4 only
      [0.2, 0.2, 0.2, 0.4], // target 1: one above, tied with two → in top 2
    ]);
    const y = int([2, 0, 0, 1]);
    assert.equal(mn.metrics.topKAccuracy(1).name, "top1Accuracy");
    assert.equal(mn.metrics.topKAccuracy(1).fn(scores, y), 1 / 4);
    assert.equal(mn.metrics.topKAccuracy(2).fn(scores, y), 3 / 4);
    assert.equal(mn.metrics.topKAccuracy(3).fn(scores, y), 3 / 4);
    // Top-1 is accuracy where no tie decides.
    const s = mn.randn([50, 5], { generator: new mn.Generator(3) }), t = mn.randint(0, 5, [50], { generator: new mn.Generator(4) });
    assert.equal(mn.metrics.topKAccuracy(1).fn(s, t), mn.metrics.accuracy(s, t));
  });
});

describe("per-class metrics and topKAccuracy: refusals", () => {
  const y = int([0, 1]);
  testErrorCases([
    ["a matrix that is not square", () => mn.metrics.perClassAccuracy([[1, 2], [3]]), "perClassAccuracy: row 1 of the confusion matrix is not 2 counts; expected a square matrix of non-negative integer counts (mn.metrics.confusionMatrix)"],
    ["an empty matrix", () => mn.metrics.precisionRecallF1([]), "precisionRecallF1: the confusion matrix is empty; expected a square matrix of non-negative integer counts (mn.metrics.confusionMatrix)"],
    ["a bad zeroDivision", () => mn.metrics.precisionRecallF1([[1]], { zeroDivision: 0.5 }), "precisionRecallF1: invalid zeroDivision; expected 0, 1 or NaN, got 0.5"],
    ["predictions that do not fit the targets", () => mn.metrics.perClassAccuracy(int([0]), y, 2), "perClassAccuracy: predictions int32 [1] do not match target [2]; expected scores [N, C] or int32 class indices [N]"],
    ["k of 0", () => mn.metrics.topKAccuracy(0), "topKAccuracy: invalid k; expected a positive integer, got 0"],
    ["k as large as the classes", () => mn.metrics.topKAccuracy(2).fn(mn.zeros([2, 2]), y), "top2Accuracy: k = 2 with 2 classes is always right; expected k < 2"],
    ["float targets", () => mn.metrics.topKAccuracy(1).fn(mn.zeros([2, 2]), mn.zeros([2])), "top1Accuracy: target must hold int32 class indices, got float32"],
    ["shapes that do not match", () => mn.metrics.topKAccuracy(1).fn(mn.zeros([3, 2]), y), "top1Accuracy: output [3,2] does not match target [2]; expected scores [N, C] and class indices [N]"],
    ["a class out of range", () => mn.metrics.topKAccuracy(1).fn(mn.zeros([2, 3]), int([0, 3])), "top1Accuracy: sample 1 has target 3; expected classes in [0, 3)"],
  ]);
});
