import { ValueError } from "../../errors.js";
import type { Module } from "../../nn/module.js";
import { checkOptions, choice, optional, type Check, type OptionsOf } from "../../options.js";
import { defaultGenerator, Generator } from "../../tensor/random.js";

/**
 * A direction in weight space: one float64 number per parameter element, the parameters flattened and
 * concatenated in model.namedParameters() order (the order of model.parameters() and of a Hessian
 * operator's vectors over all parameters).
 */
export type Direction = Float64Array;

const isGenerator: Check = (v) => (v instanceof Generator ? null : "a Generator");

const DIRECTION_OPTIONS = {
  /**
   * "filter" (the default, Li et al. 2018): each filter of the direction — one output row of a weight
   * matrix, one output channel of a convolution — scaled to the norm of the same filter of the weights;
   * "layer": each parameter tensor scaled to its weights' norm; "none": the Gaussian draw as it is.
   */
  normalization: choice("filter", "layer", "none"),
  /**
   * "biasbn" (the default): tensors of one dimension (biases, batch norm's weight and bias) get a zero
   * direction; "none": they move too (with "filter" or "layer", along the weights themselves, as loss-landscape does).
   */
  ignore: choice("biasbn", "none"),
  /** The stream of the Gaussian draws; the default generator (mn.manualSeed) otherwise. */
  generator: optional<Generator>(isGenerator),
};
export interface RandomDirectionOptions extends OptionsOf<typeof DIRECTION_OPTIONS> {}

/**
 * A random Gaussian direction for loss slices, normalized per filter as in Li et al. 2018 ("Visualizing
 * the loss landscape of neural nets", and their loss-landscape code): d_f ← d_f·‖w_f‖/(‖d_f‖ + 1e-10) for
 * each filter f. The scale follows the weights', so a slice is unchanged when a ReLU network's layers are
 * rescaled without changing its function, and slices of different models are comparable.
 * @example const d = mn.landscape.randomDirection(model, { generator: new mn.Generator(1) });
 */
export function randomDirection(model: Module, options: RandomDirectionOptions = {}): Direction {
  const o = checkOptions("randomDirection", options, DIRECTION_OPTIONS);
  const generator = o.generator ?? defaultGenerator;
  const params = model.parameters();
  const out = new Float64Array(params.reduce((n, p) => n + p.numel(), 0));
  let off = 0;
  for (const p of params) {
    const n = p.numel(), d = out.subarray(off, off + n), w = p.data;
    off += n;
    for (let i = 0; i < n; i++) d[i] = generator.normal();
    if (p.shape.length <= 1) {
      if (o.ignore === "biasbn") d.fill(0);
      else if (o.normalization !== "none") d.set(w);
    } else if (o.normalization === "filter") {
      const rows = p.shape[0]!, size = n / rows;
      for (let f = 0; f < rows; f++) scaleTo(d.subarray(f * size, (f + 1) * size), w.subarray(f * size, (f + 1) * size));
    } else if (o.normalization === "layer") {
      scaleTo(d, w);
    }
  }
  return out;
}

/** d ← d·‖w‖/(‖d‖ + 1e-10), in place (loss-landscape's 1e-10 keeps a zero draw finite). */
function scaleTo(d: Float64Array, w: ArrayLike<number>): void {
  let dd = 0, ww = 0;
  for (let i = 0; i < d.length; i++) {
    dd += d[i]! * d[i]!;
    ww += w[i]! * w[i]!;
  }
  const scale = Math.sqrt(ww) / (Math.sqrt(dd) + 1e-10);
  for (let i = 0; i < d.length; i++) d[i]! *= scale;
}

/** The model's parameters flattened into one float64 vector, in namedParameters() order. */
export function parameterVector(model: Module): Float64Array {
  const params = model.parameters();
  const out = new Float64Array(params.reduce((n, p) => n + p.numel(), 0));
  let off = 0;
  for (const p of params) {
    out.set(p.data, off);
    off += p.numel();
  }
  return out;
}

/** Fails unless `d` has one entry per parameter element of `model`. */
export function checkDirection(model: Module, d: unknown, where: string): asserts d is Direction {
  const size = model.numParameters();
  if (!(d instanceof Float64Array) || d.length !== size) {
    const got = d instanceof Float64Array ? `a Float64Array of length ${d.length}` : typeof d;
    throw new ValueError({ where, what: "a direction that does not fit the model", expected: `a Float64Array of length ${size} (one entry per parameter element)`, got });
  }
}
