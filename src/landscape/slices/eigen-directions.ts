import type { Module } from "../../nn/module.js";
import type { LossFn } from "../../train/evaluate.js";
import { hessian, type Batch } from "../hessian.js";
import type { TopEigenOptions } from "../linalg/eigen.js";
import type { Direction } from "./direction.js";

/** The top Hessian eigenpairs as directions through the model's weights. */
export interface EigenDirections {
  /** The eigenvalues, decreasing. */
  values: number[];
  /** Unit eigenvectors over every parameter (zero on parameters that do not require grad). */
  directions: Direction[];
}

/**
 * The top-k eigenvectors (k = 2 by default: a plane) of the loss's Hessian over the batches (mn.landscape.hessian, Lanczos by default)
 * as directions for slices: along the first the loss curves up fastest, λ₁ the second derivative there
 * (PyHessian's tutorial plots this). Vectors span the parameters that require grad; the others get zeros.
 * @example const { values, directions } = mn.landscape.eigenDirections(model, mn.nn.functional.crossEntropy, [[x, y]], { k: 2 });
 */
export function eigenDirections(model: Module, lossFn: LossFn, batches: Iterable<Batch>, options: TopEigenOptions = {}): EigenDirections {
  const H = hessian(model, lossFn, batches);
  const { values, vectors } = H.topEigen({ k: 2, ...options });
  const named = model.namedParameters(), offsets = new Map<string, number>();
  let off = 0;
  for (const [name, p] of named) {
    offsets.set(name, off);
    off += p.numel();
  }
  const directions = vectors.map((v) => {
    const d = new Float64Array(off);
    let from = 0;
    H.names.forEach((name, i) => {
      const n = H.params[i]!.numel();
      d.set(v.subarray(from, from + n), offsets.get(name)!);
      from += n;
    });
    return d;
  });
  return { values, directions };
}
