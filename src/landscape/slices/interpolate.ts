import { ValueError } from "../../errors.js";
import { Module } from "../../nn/module.js";
import { checkOptions, isFunction, option, required, type Check, type OptionsOf } from "../../options.js";
import type { Tensor } from "../../tensor/tensor.js";
import { evaluate, type LossFn } from "../../train/evaluate.js";
import type { Batch } from "../hessian.js";
import { floatState, keepingWeights, linspace, weightsFor, type Weights } from "./weights.js";

/** A non-empty array of finite numbers. */
export const finiteNumbers: Check = (v) =>
  Array.isArray(v) && v.length > 0 && v.every((a) => typeof a === "number" && Number.isFinite(a)) ? null : "a non-empty array of finite numbers";

const isModule: Check = (v) => (v instanceof Module ? null : "a Module (the architecture both weight sets fit)");
const isIterable: Check = (v) => (typeof v === "object" && v !== null && Symbol.iterator in v ? null : "an iterable of [inputs, targets] batches");

const INTERPOLATE_OPTIONS = {
  /** The architecture: its weights are set to each point of the line, and put back afterwards. */
  model: required<Module>(isModule),
  /** The loss over a batch, e.g. mn.nn.functional.crossEntropy. */
  lossFn: required<LossFn>(isFunction),
  /** The fixed batches the loss is averaged over (each weighted by its size). */
  batches: required<Iterable<Batch>>(isIterable),
  /** The points α of the line θ(α) = (1 − α)·a + α·b; beyond [0, 1] extrapolates. Default: 41 points from −0.5 to 1.5. */
  alphas: option<number[]>(linspace(-0.5, 1.5, 41), finiteNumbers),
};
export interface InterpolateOptions extends OptionsOf<typeof INTERPOLATE_OPTIONS> {}

/** The loss (and accuracy, for class targets) at each α, the model in eval mode. */
export interface LineResult {
  alphas: number[];
  losses: number[];
  /** Null where the targets are not class indices. */
  accuracies: (number | null)[];
}

/**
 * The loss along the straight line between two weight sets, θ(α) = (1 − α)·a + α·b (Goodfellow, Vinyals
 * and Saxe 2015, "Qualitatively characterizing neural network optimization problems"), with α beyond
 * [0, 1] too. Every float parameter and buffer moves along the line (batch norm's running statistics as
 * well, as loss-landscape's `dir_type states`); the formula puts exactly a at α = 0 and exactly b at α = 1,
 * so the ends equal the two models' losses bit for bit. Evaluated as mn.train.evaluate does (eval mode, no
 * graph); the model's own weights are put back afterwards.
 * @example const line = mn.landscape.interpolate(small, large, { model: small, lossFn: mn.nn.functional.crossEntropy, batches: [[x, y]] });
 */
export function interpolate(a: Weights, b: Weights, options: InterpolateOptions): LineResult {
  const o = checkOptions("interpolate", options, INTERPOLATE_OPTIONS);
  const batches = [...o.batches] as Tensor[][];
  if (batches.length === 0) throw new ValueError({ where: "interpolate", what: "needs at least one batch" });
  const from = weightsFor(o.model, a, "interpolate: a"), to = weightsFor(o.model, b, "interpolate: b");
  const targets = floatState(o.model).map(([, t]) => t.data);
  const losses: number[] = [], accuracies: (number | null)[] = [];
  keepingWeights(o.model, () => {
    for (const alpha of o.alphas) {
      targets.forEach((data, k) => {
        const x = from[k]!, y = to[k]!;
        for (let i = 0; i < data.length; i++) data[i] = (1 - alpha) * x[i]! + alpha * y[i]!;
      });
      const { loss, accuracy } = evaluate(o.model, batches, o.lossFn);
      losses.push(loss);
      accuracies.push(accuracy);
    }
  });
  return { alphas: [...o.alphas], losses, accuracies };
}
