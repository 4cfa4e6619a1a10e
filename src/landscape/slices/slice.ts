import { OptionError, ValueError } from "../../errors.js";
import type { Module } from "../../nn/module.js";
import { checkOptions, isFunction, option, optional, required, type Check, type OptionsOf } from "../../options.js";
import type { Tensor } from "../../tensor/tensor.js";
import { evaluate, type LossFn } from "../../train/evaluate.js";
import type { Batch } from "../hessian.js";
import { checkDirection, parameterVector, type Direction } from "./direction.js";
import { finiteNumbers } from "./interpolate.js";
import { keepingWeights, linspace } from "./weights.js";

/** One point of a slice: its place in the grid (x fastest: k = i + j·nx for the point (alphas[0][i], alphas[1][j])), its loss and accuracy. */
export interface SliceCell {
  index: number;
  loss: number;
  /** Null where the targets are not class indices. */
  accuracy: number | null;
}

const oneOrTwoDirections: Check = (v) =>
  Array.isArray(v) && (v.length === 1 || v.length === 2) && v.every((d) => d instanceof Float64Array) ? null : "one or two directions (Float64Array)";
const alphasCheck: Check = (v) =>
  finiteNumbers(v) === null || (Array.isArray(v) && (v.length === 1 || v.length === 2) && v.every((a) => finiteNumbers(a) === null)) ? null : "an array of finite numbers, or one such array per direction";
const cellsCheck: Check = (v) => (Array.isArray(v) ? null : "an array of cells { index, loss, accuracy }");

const SLICE_OPTIONS = {
  /** One direction (a line) or two (a plane) through the model's weights, e.g. from randomDirection. */
  directions: required<Direction[]>(oneOrTwoDirections),
  /** The steps along each direction: one array for every direction, or one array per direction. Default: 21 points from −1 to 1. */
  alphas: option<number[] | number[][]>(linspace(-1, 1, 21), alphasCheck),
  /** Cells already computed (a slice resumed after a kill): they are kept, not evaluated again. */
  done: option<SliceCell[]>([], cellsCheck),
  /** Called with each cell as soon as it is evaluated (to save it, to show progress). */
  onCell: optional<(cell: SliceCell) => void>(isFunction),
};
export interface SliceOptions extends OptionsOf<typeof SLICE_OPTIONS> {}

/** A 1-D or 2-D slice: the steps along each direction, the grid's shape [nx] or [nx, ny], and one loss per cell, x fastest. */
export interface SliceResult {
  alphas: number[][];
  shape: number[];
  losses: number[];
  accuracies: (number | null)[];
}

/**
 * The loss over a line or a plane through the model's weights θ: at each cell, θ + x·d₁ (+ y·d₂), the model
 * in eval mode and without a graph, as mn.train.evaluate computes it on the fixed batches (Li et al. 2018;
 * with filter-normalized random directions, their figures). The model's weights are put back afterwards.
 * Cells are evaluated in index order; `done` and `onCell` let a caller save them as they finish and
 * resume a killed slice where it stopped.
 * @example const s = mn.landscape.slice(model, mn.nn.functional.crossEntropy, [[x, y]], { directions: [mn.landscape.randomDirection(model)] });
 */
export function slice(model: Module, lossFn: LossFn, batches: Iterable<Batch>, options: SliceOptions): SliceResult {
  const o = checkOptions("slice", options, SLICE_OPTIONS);
  const all = [...batches] as Tensor[][];
  if (all.length === 0) throw new ValueError({ where: "slice", what: "needs at least one batch" });
  o.directions.forEach((d, i) => checkDirection(model, d, `slice: directions[${i}]`));
  const alphas = typeof o.alphas[0] === "number" ? o.directions.map(() => [...(o.alphas as number[])]) : (o.alphas as number[][]).map((a) => [...a]);
  if (alphas.length !== o.directions.length) {
    throw new OptionError({ where: "slice", what: `${alphas.length} arrays of alphas for ${o.directions.length} direction`, expected: "one array for every direction, or one per direction" });
  }
  const shape = alphas.map((a) => a.length), count = shape.reduce((n, s) => n * s, 1);
  const losses: number[] = new Array<number>(count).fill(Number.NaN), accuracies: (number | null)[] = new Array<number | null>(count).fill(null);
  const seen = new Set<number>();
  for (const cell of o.done) {
    if (!Number.isInteger(cell.index) || cell.index < 0 || cell.index >= count) {
      throw new ValueError({ where: "slice: done", what: `a cell with index ${cell.index}`, expected: `an integer from 0 to ${count - 1}` });
    }
    losses[cell.index] = cell.loss;
    accuracies[cell.index] = cell.accuracy;
    seen.add(cell.index);
  }
  const origin = parameterVector(model), params = model.parameters();
  keepingWeights(model, () => {
    for (let k = 0; k < count; k++) {
      if (seen.has(k)) continue;
      const x = alphas[0]![k % shape[0]!]!, y = alphas.length === 2 ? alphas[1]![Math.floor(k / shape[0]!)]! : 0;
      const dx = o.directions[0]!, dy = o.directions[1] ?? dx; // a line has y = 0
      let off = 0;
      for (const p of params) {
        const data = p.data;
        for (let i = 0; i < data.length; i++) data[i] = origin[off + i]! + x * dx[off + i]! + y * dy[off + i]!;
        off += data.length;
      }
      const { loss, accuracy } = evaluate(model, all, lossFn);
      losses[k] = loss;
      accuracies[k] = accuracy;
      o.onCell?.({ index: k, loss, accuracy });
    }
  });
  return { alphas, shape, losses, accuracies };
}
