import { ShapeError, StateDictError } from "../../errors.js";
import { Module } from "../../nn/module.js";
import { isFloat } from "../../tensor/dtype.js";
import type { Tensor } from "../../tensor/tensor.js";

/** A set of weights: a model, or a state dict as `model.stateDict()` / `copyStateDict()` returns it. */
export type Weights = Module | Record<string, Tensor>;

/** The model's floating-point parameters and buffers by name (int32 buffers, such as num_batches_tracked, play no part in a loss). */
export function floatState(model: Module): [string, Tensor][] {
  return [...model.namedParameters(), ...model.namedBuffers()].filter(([, t]) => isFloat(t.dtype));
}

/** `weights` as float64 arrays, one per float tensor of `model` (or per parameter), by name; a missing key or a shape that differs fails naming it. */
export function weightsFor(model: Module, weights: Weights, where: string, only: "state" | "parameters" = "state"): Float64Array[] {
  const state = weights instanceof Module ? weights.stateDict() : weights;
  return (only === "state" ? floatState(model) : model.namedParameters()).map(([name, target]) => {
    const t = state[name];
    if (t === undefined) throw new StateDictError({ where, what: `the weights have no ${name}`, expected: `the keys of the model's stateDict()` });
    if (t.shape.length !== target.shape.length || t.shape.some((d, i) => d !== target.shape[i])) {
      throw new ShapeError({ where, what: `size mismatch for ${name}: the weights have [${t.shape.join(",")}], the model has [${target.shape.join(",")}]` });
    }
    return Float64Array.from(t.data);
  });
}

/**
 * Runs `fn` and then puts the model's float parameters and buffers back as they were (bit for bit), so
 * functions that move a model through weight space leave it where they found it.
 */
export function keepingWeights<T>(model: Module, fn: () => T): T {
  const saved = floatState(model).map(([, t]) => t.data.slice());
  try {
    return fn();
  } finally {
    floatState(model).forEach(([, t], i) => t.data.set(saved[i]!));
  }
}

/** Evenly spaced numbers from `lo` to `hi`, both included, computed as lo + (hi − lo)·i/(n − 1) so the ends are exact. */
export function linspace(lo: number, hi: number, n: number): number[] {
  if (n === 1) return [lo];
  return Array.from({ length: n }, (_, i) => (i === n - 1 ? hi : lo + ((hi - lo) * i) / (n - 1)));
}
