import { preprocess, type Preprocessing } from "../data/preprocessing.js";
import type { Module } from "../nn/module.js";
import { Tensor } from "../tensor/tensor.js";
import { predict } from "../train/predict.js";
import type { ClassGrid } from "./svg/decision-regions.js";

/**
 * The class a 2-input classifier predicts (its largest output) at each node of a size × size grid over
 * the points' range, widened by 5% each side; inputs go through `preprocessing` first, as in training.
 * The model runs in eval mode under noGrad, and every module goes back to the mode it was in.
 * @example const grid = classGrid(model, preprocessing, { x: xs, y: ys }, 100);
 */
export function classGrid(model: Module, preprocessing: Preprocessing, points: { x: readonly number[]; y: readonly number[] }, size = 120): ClassGrid {
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
  const classes = predict(model, preprocess(preprocessing, new Tensor(inputs, [size * size, 2])), { batchSize: size * size }).argmax(1).data;
  return { x, y, classes };
}
