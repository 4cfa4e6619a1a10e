import { grad } from "../../autograd/grad.js";
import { OptionError, ValueError } from "../../errors.js";
import type { Module } from "../../nn/module.js";
import { above, checkOptions, isFunction, oneOf, option, optional, positiveInt, type OptionsOf } from "../../options.js";
import { Generator } from "../../tensor/random.js";
import type { Tensor } from "../../tensor/tensor.js";
import type { LossFn } from "../../train/evaluate.js";
import type { Batch } from "../hessian.js";
import { maximizeInBox, type BoxMethod } from "./box-maximize.js";
import { applyColumns, pseudoInverseTimes, randomColumns, transposeColumns } from "./subspace.js";

const EPS_SHARPNESS_OPTIONS = {
  /** ε, the box's relative size: |yᵢ| ≤ ε(|xᵢ| + 1) (default 1e-3; Keskar et al. report 1e-3 and 5e-4). */
  epsilon: option(1e-3, above(0)),
  /** "lbfgs" (default): a projected, box-constrained L-BFGS; "ascent": projected sign-gradient ascent. */
  method: option<BoxMethod>("lbfgs", oneOf("lbfgs", "ascent")),
  /** Iterations of the maximizer (default 10, as the paper's L-BFGS-B). */
  iterations: option(10, positiveInt),
  /**
   * Where the search starts: "random" (the default: uniform in the box, from `generator`) or "zero" (x itself, as the
   * paper's solver). At a minimum the gradient is zero, and a search from x can stay there and report no sharpness at all.
   */
  start: option<"random" | "zero">("random", oneOf("random", "zero")),
  /** The random start's stream (default: a Generator seeded 0, so that the value is reproducible). */
  generator: optional<Generator>((v) => (v instanceof Generator ? null : "a Generator")),
  /**
   * Search a subspace instead of the whole space (the paper's A ∈ ℝⁿˣᵖ): p random Gaussian columns from `generator`, or
   * the columns given (each as long as the parameters). The box is then on z: |zᵢ| ≤ ε(|(A⁺x)ᵢ| + 1), and y = Az.
   * Default: the whole space (A = I).
   */
  subspace: optional<number | readonly Float64Array[]>((v) => (Number.isInteger(v) && (v as number) > 0) || (Array.isArray(v) && v.length > 0 && v.every((c) => c instanceof Float64Array)) ? null : "a positive integer p, or a non-empty array of Float64Array columns"),
  /** The modules' mode while the loss is evaluated (default "eval": dropout off, batch norm's running statistics). */
  mode: option<"eval" | "train">("eval", oneOf("eval", "train")),
  /** Called after each evaluation of f(x + y) with the perturbation (to watch the search; tests check the box with it). */
  onEvaluate: optional<(y: Float64Array, loss: number) => void>(isFunction),
};

export interface EpsSharpnessOptions extends OptionsOf<typeof EPS_SHARPNESS_OPTIONS> {}

export interface EpsSharpness {
  /** φ = 100·(max f(x + y) − f(x)) / (1 + f(x)) over the box, as a percentage. */
  value: number;
  /** f(x), the mean loss at the model's weights, and the largest f(x + y) found. */
  loss: number;
  maxLoss: number;
  /** The maximizing perturbation y, in the order of the parameters (model.parameters() that require grad). */
  perturbation: Float64Array;
  /** With a subspace: the maximizer's coordinates z (y = Az); else null. */
  coordinates: Float64Array | null;
  epsilon: number;
  method: BoxMethod;
  iterations: number;
  evaluations: number;
}

/**
 * Keskar et al.'s sharpness (ICLR 2017, metric 2.1): with x the model's weights, f the mean loss over
 * `batches` (each weighted by its size) and, in the full space (A = I, the default), the box
 *   C_ε = { y : |yᵢ| ≤ ε(|xᵢ| + 1) },
 *   φ_x(ε) = 100 · (max_{y ∈ C_ε} f(x + y) − f(x)) / (1 + f(x));
 * in a subspace A ∈ ℝⁿˣᵖ (`subspace`), C_ε = { z ∈ ℝᵖ : |zᵢ| ≤ ε(|(A⁺x)ᵢ| + 1) } and f(x + Az), A⁺ the pseudo-inverse.
 * The maximum is searched, not proven: the value is a lower bound of the true φ, as the paper's 10
 * iterations of L-BFGS-B are. The model's weights and buffers are exactly as before when it returns (or throws).
 * @example const { value } = mn.landscape.epsSharpness(model, mn.nn.functional.crossEntropy, [[x, y]], { epsilon: 1e-3 });
 */
export function epsSharpness(model: Module, lossFn: LossFn, batches: Iterable<Batch>, options: EpsSharpnessOptions = {}): EpsSharpness {
  const o = checkOptions("epsSharpness", options, EPS_SHARPNESS_OPTIONS);
  const list = [...batches];
  if (list.length === 0) throw new ValueError({ where: "epsSharpness", what: "needs at least one batch" });
  const params = model.parameters().filter((p) => p.requiresGrad);
  if (params.length === 0) throw new OptionError({ where: "epsSharpness", what: "the model has no parameter that requires grad" });
  const original = params.map((p) => p.data.slice());
  const x = Float64Array.from(original.flatMap((d) => Array.from(d)));
  const generator = o.generator ?? new Generator(0);
  const columns = o.subspace === undefined ? null : typeof o.subspace === "number" ? randomColumns(x.length, o.subspace, generator) : o.subspace;
  columns?.forEach((c, j) => {
    if (c.length !== x.length) throw new ValueError({ where: `epsSharpness: subspace[${j}]`, what: "a column of the wrong length", expected: `${x.length} (the parameters' count)`, got: String(c.length) });
  });
  const centre = columns === null ? x : pseudoInverseTimes(columns, x, "epsSharpness");
  const bound = centre.map((ci) => o.epsilon * (Math.abs(ci) + 1));
  const total = list.reduce((n, b) => n + b[1]!.shape[0]!, 0);

  const lossAt = (y: Float64Array) => {
    setWeights(params, original, y);
    let value = 0;
    const gradient = new Float64Array(x.length);
    for (const [input, target] of list) {
      const weight = target!.shape[0]! / total;
      const loss = lossFn(model.forward(input!), target!);
      value += weight * loss.item();
      let off = 0;
      for (const g of grad(loss, params, { allowUnused: true })) {
        const data = g.data;
        for (let i = 0; i < data.length; i++) gradient[off + i]! += weight * data[i]!;
        off += data.length;
      }
    }
    o.onEvaluate?.(y, value);
    return { value, gradient };
  };

  const modules = model.modules(), modes = modules.map((m) => m.training);
  // In train mode batch norm updates its running statistics at every forward pass: they are put back too.
  const buffers = model.namedBuffers().map(([, t]) => [t, t.data.slice()] as const);
  model.train(o.mode === "train");
  try {
    const loss = lossAt(new Float64Array(x.length)).value;
    const start = o.start === "zero" ? new Float64Array(bound.length) : bound.map((b) => (2 * generator.random() - 1) * b);
    const objective = columns === null ? lossAt : (z: Float64Array) => {
      const at = lossAt(applyColumns(columns, z));
      return { value: at.value, gradient: transposeColumns(columns, at.gradient) };
    };
    const found = maximizeInBox(objective, bound, { method: o.method, iterations: o.iterations, start });
    // y = 0 is in the box, so the maximum is at least f(x) even where every point searched lowered the loss.
    const maxLoss = Math.max(found.value, loss);
    const best = found.value >= loss ? found.y : new Float64Array(bound.length);
    return {
      value: (100 * (maxLoss - loss)) / (1 + loss), loss, maxLoss,
      perturbation: columns === null ? best : applyColumns(columns, best), coordinates: columns === null ? null : best,
      epsilon: o.epsilon, method: o.method, iterations: found.iterations, evaluations: found.evaluations + 1,
    };
  } finally {
    params.forEach((p, i) => p.data.set(original[i]!));
    buffers.forEach(([t, data]) => t.data.set(data as never));
    modules.forEach((m, i) => (m.training = modes[i]!));
  }
}

/** Each parameter ← its original values + its slice of y (rounded to the parameter's dtype). */
function setWeights(params: readonly Tensor[], original: readonly ArrayLike<number>[], y: Float64Array): void {
  let off = 0;
  params.forEach((p, k) => {
    const base = original[k]!, data = p.data;
    for (let i = 0; i < data.length; i++) data[i] = base[i]! + y[off + i]!;
    off += data.length;
  });
}
