import { OptionError } from "../../errors.js";
import { above, checkOptions, choice, isFunction, option, optional, positiveInt, type OptionsOf } from "../../options.js";
import { Generator } from "../../tensor/random.js";
import type { LinearOperator } from "../linear-operator.js";
import { Lanczos } from "./lanczos.js";
import { powerIteration } from "./power.js";
import { tridiagonalEigen } from "./tridiagonal.js";
import { gaussian, isGenerator } from "./vector.js";

const EIGEN_OPTIONS = {
  /** Stop when every wanted Ritz pair's residual ‖Av − λv‖ is at most tol times the largest |Ritz value| (Lanczos; default 1e-6), or PyHessian's relative change of λ (power; default 1e-3). */
  tol: optional<number>(above(0)),
  /** At most this many Lanczos steps, each one product (default min(size, max(100, 4k))); power: iterations per eigenvalue (default 100). */
  maxIter: optional<number>(positiveInt),
  /** The random start (default a fresh mn.Generator(0): the same start on every call). */
  generator: optional<Generator>(isGenerator),
  /** Where the warning of a run stopped by maxIter before meeting tol goes (default console.warn). */
  onWarning: optional<(message: string) => void>(isFunction),
};

const TOP_EIGEN = {
  /** How many of the largest eigenvalues (algebraically largest for Lanczos, largest |λ| for power iteration). */
  k: option(1, positiveInt),
  /** "lanczos" (full reorthogonalization) or "power" (PyHessian's power iteration with deflation, for parity). */
  method: choice("lanczos", "power"),
  ...EIGEN_OPTIONS,
};

export interface TopEigenOptions extends OptionsOf<typeof TOP_EIGEN> {}
export interface MinEigenOptions extends OptionsOf<typeof EIGEN_OPTIONS> {}

export interface EigenPairs {
  /** Decreasing (topEigen). */
  values: number[];
  /** Unit eigenvectors, one per value. */
  vectors: Float64Array[];
  /** ‖Av − λv‖ of each pair as Lanczos bounds it (absent for power iteration). */
  residuals?: number[];
}

/**
 * The k largest eigenvalues of a symmetric operator, in decreasing order, with unit eigenvectors: by default
 * Lanczos with full reorthogonalization, stopped when every wanted Ritz pair's residual is below tol (relative
 * to the spectrum's scale); `method: "power"` is PyHessian's power iteration (largest |λ|, its defaults).
 * As any single-vector Krylov method, Lanczos finds an eigenvalue repeated in the spectrum once unless it runs
 * to the end (size steps give the whole spectrum, multiplicities included).
 * @example const { values } = mn.landscape.topEigen(mn.landscape.denseOperator(a, 3), { k: 2 });
 */
export function topEigen(op: LinearOperator, options: TopEigenOptions = {}): EigenPairs {
  const o = checkOptions("topEigen", options, TOP_EIGEN);
  if (o.k > op.size) throw new OptionError({ where: "topEigen", what: "invalid k", expected: `at most the operator's size ${op.size}`, got: String(o.k) });
  if (o.method === "power") {
    return powerIteration(op, { k: o.k, ...(o.tol === undefined ? {} : { tol: o.tol }), ...(o.maxIter === undefined ? {} : { maxIter: o.maxIter }), ...(o.generator ? { generator: o.generator } : {}), ...(o.onWarning ? { onWarning: o.onWarning } : {}) });
  }
  return lanczosEigen(op, o.k, "largest", o, "topEigen");
}

/**
 * The smallest (most negative) eigenvalue with its unit eigenvector, by Lanczos (the smallest Ritz value) —
 * not power iteration, which finds the largest |λ|. A network's Hessian is indefinite: this is usually negative.
 * @example const { value } = H.minEigen();
 */
export function minEigen(op: LinearOperator, options: MinEigenOptions = {}): { value: number; vector: Float64Array; residual: number } {
  const o = checkOptions("minEigen", options, EIGEN_OPTIONS);
  const { values, vectors, residuals } = lanczosEigen(op, 1, "smallest", o, "minEigen");
  return { value: values[0]!, vector: vectors[0]!, residual: residuals![0]! };
}

type Resolved = { tol: number | undefined; maxIter: number | undefined; generator: Generator | undefined; onWarning: ((message: string) => void) | undefined };

/** Lanczos until the k wanted Ritz pairs (largest or smallest) have converged, then their Ritz vectors Q·y. */
function lanczosEigen(op: LinearOperator, k: number, which: "largest" | "smallest", o: Resolved, where: string): Required<EigenPairs> {
  const n = op.size, tol = o.tol ?? 1e-6;
  const maxIter = Math.min(n, o.maxIter ?? Math.max(100, 4 * k));
  if (maxIter < k) throw new OptionError({ where, what: "invalid maxIter", expected: `at least k = ${k} (one Lanczos step per eigenvalue wanted)`, got: String(maxIter) });
  const generator = o.generator ?? new Generator(0);
  const lanczos = new Lanczos(op, gaussian(n, generator), { generator });
  const pick = (m: number) => Array.from({ length: k }, (_, i) => (which === "largest" ? m - 1 - i : i));
  let worst = Infinity;
  while (lanczos.basis.length < maxIter && lanczos.step()) {
    const m = lanczos.basis.length;
    if (m < k) continue;
    const { values, rows: [last] } = tridiagonalEigen(lanczos.alpha, lanczos.beta, [m - 1]);
    const scale = Math.max(Math.abs(values[0]!), Math.abs(values[m - 1]!));
    worst = Math.max(...pick(m).map((i) => Math.abs(lanczos.residualNorm * last![i]!))) / (scale || 1);
    if (worst <= tol) break;
  }
  if (worst > tol) {
    (o.onWarning ?? ((message) => console.warn(`minima: ${message}`)))(
      `${where}: Lanczos stopped at maxIter = ${maxIter} steps before converging (relative residual ${worst.toExponential(1)} > tol ${tol.toExponential()}); raise maxIter or tol`);
  }
  const m = lanczos.basis.length;
  const { values, rows } = tridiagonalEigen(lanczos.alpha, lanczos.beta);
  const wanted = pick(m);
  return {
    values: wanted.map((i) => values[i]!),
    vectors: wanted.map((i) => {
      const x = new Float64Array(n);
      lanczos.basis.forEach((q, j) => { const y = rows[j]![i]!; for (let t = 0; t < n; t++) x[t]! += y * q[t]!; });
      return x;
    }),
    residuals: wanted.map((i) => Math.abs(lanczos.residualNorm * rows[m - 1]![i]!)),
  };
}
