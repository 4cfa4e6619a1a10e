import { preprocess, type Preprocessing } from "../data/preprocessing.js";
import type { Module } from "../nn/module.js";
import { Tensor } from "../tensor/tensor.js";
import type { TypedArray } from "../tensor/dtype.js";
import { predict } from "../train/predict.js";
import type { ClassGrid } from "./svg/decision-regions.js";

/** A ClassGrid with each node's class probabilities, the softmax of the model's outputs there. */
export interface ProbabilityGrid extends ClassGrid {
  /** The number of classes (the model's outputs). */
  classCount: number;
  /** The probability of class k at (x[i], y[j]): probabilities[(j · x.length + i) · classCount + k]. */
  probabilities: TypedArray;
}

/** The grid's axes and the model's outputs [size², C] at its nodes, row-major by y. */
function gridOutputs(model: Module, preprocessing: Preprocessing, points: { x: readonly number[]; y: readonly number[] }, size: number): { x: number[]; y: number[]; outputs: Tensor } {
  const axis = (values: readonly number[]): number[] => {
    let lo = Infinity, hi = -Infinity;
    for (const v of values) { if (v < lo) lo = v; if (v > hi) hi = v; }
    if (!(lo < hi)) { lo = (Number.isFinite(lo) ? lo : 0) - 1; hi = lo + 2; }  // one point, or none: a range of 2 around it
    const pad = 0.05 * (hi - lo);
    return Array.from({ length: size }, (_, i) => lo - pad + ((hi - lo + 2 * pad) * i) / (size - 1));
  };
  const x = axis(points.x), y = axis(points.y);
  const inputs = new Float32Array(2 * size * size);
  for (let j = 0; j < size; j++) for (let i = 0; i < size; i++) { inputs[2 * (j * size + i)] = x[i]!; inputs[2 * (j * size + i) + 1] = y[j]!; }
  // One forward over the whole grid (a batch as large as the grid).
  return { x, y, outputs: predict(model, preprocess(preprocessing, new Tensor(inputs, [size * size, 2])), { batchSize: size * size }) };
}

/**
 * The class a 2-input classifier predicts (its largest output) at each node of a size × size grid over
 * the points' range, widened by 5% each side; inputs go through `preprocessing` first, as in training.
 * The model runs in eval mode under noGrad, and every module goes back to the mode it was in.
 * @example const grid = classGrid(model, preprocessing, { x: xs, y: ys }, 100);
 */
export function classGrid(model: Module, preprocessing: Preprocessing, points: { x: readonly number[]; y: readonly number[] }, size = 120): ClassGrid {
  const { x, y, outputs } = gridOutputs(model, preprocessing, points, size);
  return { x, y, classes: outputs.argmax(1).data };
}

/**
 * classGrid's grid with each node's class probabilities as well (the softmax of the model's outputs), for
 * shading the regions by confidence, as TensorFlow Playground does.
 * @example const { x, y, probabilities } = mn.report.probabilityGrid(model, preprocessing, { x: xs, y: ys }, 64);
 */
export function probabilityGrid(model: Module, preprocessing: Preprocessing, points: { x: readonly number[]; y: readonly number[] }, size = 120): ProbabilityGrid {
  const { x, y, outputs } = gridOutputs(model, preprocessing, points, size);
  return { x, y, classes: outputs.argmax(1).data, classCount: outputs.shape[1]!, probabilities: outputs.softmax(1).data };
}
