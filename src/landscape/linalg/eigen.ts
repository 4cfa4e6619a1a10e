import { OptionError } from "../../errors.js";
import type { Generator } from "../../tensor/random.js";
import type { LinearOperator } from "../linear-operator.js";
import { powerIteration } from "./power.js";

export interface TopEigenOptions {
  /** How many of the largest eigenvalues (algebraically largest for Lanczos, largest |λ| for power iteration). */
  k?: number;
  method?: "lanczos" | "power";
  tol?: number;
  maxIter?: number;
  generator?: Generator;
}

/** The k largest eigenvalues, in decreasing order, with unit eigenvectors. */
export function topEigen(op: LinearOperator, options: TopEigenOptions = {}): { values: number[]; vectors: Float64Array[] } {
  const method = options.method ?? "lanczos";
  if (method === "power") return powerIteration(op, options);
  // Lanczos with full reorthogonalization is being built on its own branch (issue 14, part "curvature").
  throw new OptionError({ where: "topEigen", what: `method "${method}" is not built yet`, expected: '"power"' });
}
