import { ShapeError, ValueError, showShape } from "../../errors.js";
import { choice, type Option, type OptionSpec, type OptionsOf } from "../../options.js";
import { sameShape, stridesOf } from "../../tensor/shape.js";
import type { Tensor } from "../../tensor/tensor.js";

// What every loss shares: the reduction option, and the checks its inputs go through.

/** How a loss reduces its terms to what it returns. */
export type Reduction = "mean" | "sum" | "none";

/** The spec of the option every loss takes, named so that declaration files refer to it, docs and all. */
export type ReductionSpec = {
  /**
   * "mean" (default) averages the loss's terms (one per sample for the class losses, one per element for the
   * others), "sum" adds them, "none" returns them.
   */
  reduction: Option<Reduction, false>;
};

export const REDUCTION_OPTIONS: ReductionSpec = { reduction: choice<Reduction[]>("mean", "sum", "none") };

/** The options every loss takes. */
export interface ReductionOptions extends OptionsOf<typeof REDUCTION_OPTIONS> {}

/**
 * A loss's options spec: reduction, then its own. Typed as ReductionSpec & S, so the declaration files name
 * ReductionSpec and editors find reduction's doc comment (a spread of REDUCTION_OPTIONS would print it inline, bare).
 */
export function withReduction<S extends OptionSpec>(spec: S): ReductionSpec & S {
  return { ...REDUCTION_OPTIONS, ...spec };
}

export function reduce(loss: Tensor, reduction: Reduction): Tensor {
  return reduction === "mean" ? loss.mean() : reduction === "sum" ? loss.sum() : loss;
}

/** Throws unless target has input's shape: nothing is broadcast silently (torch warns and broadcasts). */
export function checkSameShape(where: string, input: Tensor, target: Tensor): void {
  if (!sameShape(input.shape, target.shape)) {
    throw new ShapeError({ where, what: `input ${showShape(input.shape)} and target ${showShape(target.shape)} differ in shape` });
  }
}

/** Throws unless a per-element weight broadcasts to input's shape without growing it (torch's rescaling weights). */
export function checkWeight(where: string, name: string, weight: Tensor, input: Tensor): void {
  const lead = input.ndim - weight.ndim;
  if (lead < 0 || weight.shape.some((d, i) => d !== 1 && d !== input.shape[lead + i])) {
    throw new ShapeError({ where, what: `${name} of shape ${showShape(weight.shape)} does not broadcast to input ${showShape(input.shape)}` });
  }
}

/**
 * Throws a ValueError naming the first element (by its index) for which ok is false, e.g.
 * "binaryCrossEntropy: input holds a value outside [0, 1]; expected probabilities (…), got 1.5 at [0,2]".
 * NaN passes when ok lets it: a diverged model's NaN loss stays visible, as everywhere in minima.
 */
export function checkValues(where: string, t: Tensor, ok: (v: number) => boolean, what: string, expected: string): void {
  const data = t.data;
  for (let i = 0; i < data.length; i++) {
    if (!ok(data[i]!)) throw new ValueError({ where, what, expected, got: `${data[i]} at ${showIndex(i, t.shape)}` });
  }
}

/** A flat row-major index as a multi-index, [i,j,…]. */
function showIndex(flat: number, shape: readonly number[]): string {
  const strides = stridesOf(shape);
  return showShape(strides.map((s, d) => Math.floor(flat / s) % shape[d]!));
}
