/** Flat float64 views of a parameter list, for the optimizers that treat all parameters as one vector (LBFGS, Newton). */
import type { Tensor } from "../tensor/tensor.js";

/** The parameters' values (or gradients, zeros for a null grad), concatenated into one float64 vector. */
export function gatherFlat(params: readonly Tensor[], what: "data" | "grad"): Float64Array {
  const out = new Float64Array(params.reduce((n, p) => n + p.numel(), 0));
  let off = 0;
  for (const p of params) {
    const src = what === "data" ? p.data : p.grad?.data;
    if (src) out.set(src, off);
    off += p.numel();
  }
  return out;
}

/** Writes x + t·d into the parameters, in place (rounding to float32 where they are float32). */
export function scatterFlat(params: readonly Tensor[], x: Float64Array, t = 0, d?: Float64Array): void {
  let off = 0;
  for (const p of params) {
    const data = p.data;
    for (let i = 0; i < data.length; i++, off++) data[i] = d ? x[off]! + t * d[off]! : x[off]!;
  }
}

/** Σ aᵢbᵢ, summed in index order. */
export const dot = (a: Float64Array, b: Float64Array) => { let s = 0; for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!; return s; };
/** max |aᵢ| (the ∞-norm). */
export const maxAbs = (a: Float64Array) => { let m = 0; for (const v of a) m = Math.max(m, Math.abs(v)); return m; };
