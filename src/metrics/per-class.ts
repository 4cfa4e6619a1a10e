import { OptionError } from "../errors.js";
import type { Tensor } from "../tensor/tensor.js";
import { countConfusions } from "./confusion-matrix.js";

/** precisionRecallF1's result: one entry per class, and their unweighted (macro) means. */
export interface PrecisionRecallF1 {
  /** Of the samples predicted as class c, the fraction that are c: tp / (tp + fp). */
  precision: number[];
  /** Of the samples of class c, the fraction predicted as c: tp / (tp + fn) (per-class accuracy). */
  recall: number[];
  /** The harmonic mean of the two: 2·tp / (2·tp + fp + fn). */
  f1: number[];
  /** The samples of each class. */
  support: number[];
  /** The means over the classes, each class counting once (scikit-learn's average="macro"). */
  macro: { precision: number; recall: number; f1: number };
}

/**
 * The accuracy on each class's samples (the recall of each class): entry c is the fraction of the
 * samples of true class c predicted as c; NaN for a class with no sample. Takes predictions (scores
 * [N, C] or class indices [N]), int32 targets and the number of classes, or a confusion matrix.
 * @example mn.metrics.perClassAccuracy(model.forward(x), y, 10)[6] // 0.68: shirts are hard
 */
export function perClassAccuracy(predictions: Tensor, target: Tensor, numClasses: number): number[];
export function perClassAccuracy(matrix: readonly (readonly number[])[]): number[];
export function perClassAccuracy(a: Tensor | readonly (readonly number[])[], target?: Tensor, numClasses?: number): number[] {
  const m = matrixOf("perClassAccuracy", a, target, numClasses);
  return m.map((row, c) => {
    const n = row.reduce((s, v) => s + v, 0);
    return n === 0 ? NaN : row[c]! / n;
  });
}

/**
 * Precision, recall and F1 of each class and their macro means, as scikit-learn's
 * precision_recall_fscore_support computes them; where a denominator is 0 (a class never predicted,
 * or with no sample) the value is `zeroDivision` (default 0, scikit-learn's zero_division=0).
 * @example const { f1, macro } = mn.metrics.precisionRecallF1(model.forward(x), y, 10); macro.f1 // 0.88
 */
export function precisionRecallF1(predictions: Tensor, target: Tensor, numClasses: number, options?: { zeroDivision?: number }): PrecisionRecallF1;
export function precisionRecallF1(matrix: readonly (readonly number[])[], options?: { zeroDivision?: number }): PrecisionRecallF1;
export function precisionRecallF1(a: Tensor | readonly (readonly number[])[], b?: Tensor | { zeroDivision?: number }, numClasses?: number, options?: { zeroDivision?: number }): PrecisionRecallF1 {
  const where = "precisionRecallF1";
  const isMatrix = Array.isArray(a);
  const m = matrixOf(where, a, isMatrix ? undefined : b as Tensor, numClasses);
  const opts = (isMatrix ? b : options) as { zeroDivision?: number } | undefined ?? {};
  const zero = opts.zeroDivision ?? 0;
  if (!(zero === 0 || zero === 1 || Number.isNaN(zero))) throw new OptionError({ where, what: "invalid zeroDivision", expected: "0, 1 or NaN", got: String(zero) });
  const ratio = (num: number, den: number) => (den === 0 ? zero : num / den);
  const k = m.length;
  const tp = m.map((row, c) => row[c]!);
  const support = m.map((row) => row.reduce((s, v) => s + v, 0));
  const predicted = Array.from({ length: k }, (_, c) => m.reduce((s, row) => s + row[c]!, 0));
  const precision = tp.map((t, c) => ratio(t, predicted[c]!));
  const recall = tp.map((t, c) => ratio(t, support[c]!));
  const f1 = tp.map((t, c) => ratio(2 * t, predicted[c]! + support[c]!));
  const mean = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / k;
  return { precision, recall, f1, support, macro: { precision: mean(precision), recall: mean(recall), f1: mean(f1) } };
}

/** The confusion matrix given, checked square, or made from predictions and targets. */
function matrixOf(where: string, a: Tensor | readonly (readonly number[])[], target: Tensor | undefined, numClasses: number | undefined): readonly (readonly number[])[] {
  if (!Array.isArray(a)) return countConfusions(where, a as Tensor, target as Tensor, numClasses as number);
  const m = a as readonly (readonly number[])[];
  const bad = m.findIndex((row) => !Array.isArray(row) || row.length !== m.length || row.some((v) => !Number.isInteger(v) || v < 0));
  if (m.length === 0 || bad >= 0) {
    throw new OptionError({ where, what: m.length === 0 ? "the confusion matrix is empty" : `row ${bad} of the confusion matrix is not ${m.length} counts`, expected: "a square matrix of non-negative integer counts (mn.metrics.confusionMatrix)" });
  }
  return m;
}
