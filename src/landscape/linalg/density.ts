import { OptionError } from "../../errors.js";
import { above, checkOptions, option, optional, positiveInt, type OptionsOf } from "../../options.js";
import { Generator } from "../../tensor/random.js";
import type { LinearOperator } from "../linear-operator.js";
import { Lanczos } from "./lanczos.js";
import { tridiagonalEigen } from "./tridiagonal.js";
import { isGenerator, rademacher } from "./vector.js";

const DENSITY = {
  /** Independent Lanczos runs, each from its own random start; their quadratures are averaged. */
  runs: option(10, positiveInt),
  /** Lanczos steps (products) per run: the nodes of each run's quadrature (fewer when the Krylov space is exhausted). */
  steps: option(80, positiveInt),
  /** The random starts (default a fresh mn.Generator(0)). */
  generator: optional<Generator>(isGenerator),
  /** Nodes within ±zeroTolerance·max|node| are zero eigenvalues (a singular Hessian's come out of Lanczos at rounding level, of either sign): negativeFraction leaves them out. */
  zeroTolerance: option(1e-6, above(0)),
};
export interface DensityOptions extends OptionsOf<typeof DENSITY> {}

export interface SpectralDensity {
  /**
   * Each run's Gauss quadrature of the spectrum: nodes (Ritz values, ascending), weights (summing to 1), and
   * each node's residual ‖Ax − θx‖ (an eigenvalue lies within it of the node; 0 once the Krylov space is exhausted).
   */
  runs: { nodes: number[]; weights: number[]; residuals: number[] }[];
  /**
   * The estimated fraction of eigenvalues below zero, averaged over runs: a node counts by its weight when
   * its residual interval [θ − r, θ + r] lies below zero, and in the proportion of the interval below zero when
   * the interval holds 0; nodes at rounding level (zeroTolerance) are zero eigenvalues. Exact for a run that
   * exhausts the Krylov space. Otherwise an estimate, since a network's Hessian has a large cluster of
   * eigenvalues near zero that one unconverged node carries, whose sign flips from run to run: on a
   * 1,394-parameter float32 MLP at initialization the weight on negative nodes was 0.79, 0.31, 0.63, 0.64 at
   * 10, 20, 40, 80 steps against an exact 0.486, where this estimate gave 0.51, 0.47, 0.50, 0.50. How the
   * cluster splits around zero is not in the quadrature: negativeBounds says how far off the estimate may be.
   */
  negativeFraction: number;
  /**
   * Bounds on the fraction below zero, averaged over runs, from the Chebyshev–Markov–Stieltjes inequalities
   * of Gauss quadrature (rigorous for each start's spectral measure): below, the weight of the negative nodes
   * but the one nearest zero; above, that of the negative nodes and the first one past zero. Equal to the
   * estimate for a run that exhausts the Krylov space. A wide interval means the spectrum near zero is unresolved.
   */
  negativeBounds: [number, number];
}

/**
 * The spectral density of a symmetric operator by stochastic Lanczos quadrature (Lin, Saad & Yang 2016;
 * Ghorbani, Krishnan & Xiao 2019): from a random unit start v, Lanczos with full reorthogonalization builds T;
 * the eigenvalues θᵢ of T are the nodes and the squared first components of its eigenvectors the weights,
 * so that Σ wᵢ f(θᵢ) ≈ vᵀf(A)v, whose mean over starts is tr f(A)/n. T's eigen-decomposition is a symmetric
 * one (tridiagonalEigen): PyHessian took the general `eig` of T, and its densities were wrong until 2024.
 * @example const d = mn.landscape.density(H, { runs: 10, steps: 80 }); const { x, y } = mn.landscape.densityCurve(d);
 */
export function density(op: LinearOperator, options: DensityOptions = {}): SpectralDensity {
  const o = checkOptions("density", options, DENSITY);
  const generator = o.generator ?? new Generator(0);
  const steps = Math.min(o.steps, op.size);
  const runs = Array.from({ length: o.runs }, () => lanczosQuadrature(op, rademacher(op.size, generator), steps));
  const zero = o.zeroTolerance * Math.max(0, ...runs.flatMap((r) => r.nodes.map(Math.abs)));
  const masses = runs.map((r) => negativeMass(r, zero));
  const mean = (pick: (m: NegativeMass) => number) => masses.reduce((s, m) => s + pick(m), 0) / masses.length;
  return { runs, negativeFraction: mean((m) => m.estimate), negativeBounds: [mean((m) => m.lower), mean((m) => m.upper)] };
}

interface NegativeMass { estimate: number; lower: number; upper: number }

/** One quadrature's mass below zero: the estimate and the bounds of SpectralDensity's negativeFraction and negativeBounds. */
function negativeMass({ nodes, weights, residuals }: { nodes: number[]; weights: number[]; residuals: number[] }, zero: number): NegativeMass {
  const negatives = nodes.filter((node) => node < -zero).length; // nodes are ascending
  const sure = weights.slice(0, negatives).reduce((s, w) => s + w, 0);
  if (residuals.every((r) => r === 0)) return { estimate: sure, lower: sure, upper: sure };
  const estimate = nodes.reduce((sum, node, i) => {
    if (Math.abs(node) <= zero) return sum;
    const r = residuals[i]!;
    return sum + weights[i]! * (r === 0 ? Number(node < 0) : Math.min(1, Math.max(0, (r - node) / (2 * r))));
  }, 0);
  return { estimate, lower: sure - (negatives > 0 ? weights[negatives - 1]! : 0), upper: sure + (weights[negatives] ?? 0) };
}

/**
 * The Gauss quadrature of `steps` Lanczos steps from `start` (normalized): Σ wᵢ θᵢᵖ = vᵀAᵖv exactly for
 * p < 2·steps (fewer nodes when the Krylov space is exhausted first, and then exact for every p).
 */
export function lanczosQuadrature(op: LinearOperator, start: Float64Array, steps: number): { nodes: number[]; weights: number[]; residuals: number[] } {
  const lanczos = new Lanczos(op, start);
  while (lanczos.basis.length < steps && lanczos.step());
  const m = lanczos.basis.length;
  const { values, rows: [first, last] } = tridiagonalEigen(lanczos.alpha, lanczos.beta, [0, m - 1]);
  return { nodes: values, weights: Array.from(first!, (c) => c * c), residuals: Array.from(last!, (c) => Math.abs(lanczos.residualNorm * c)) };
}

const CURVE = {
  /** Grid points, evenly spaced over the nodes' range padded by max(10% of it, 4σ) on each side. */
  points: option(10000, (v) => (Number.isInteger(v) && (v as number) >= 2 ? null : "an integer ≥ 2")),
  /** The width of the Gaussian put on each node (default the nodes' range over the steps per run, as hessian-eigenthings). */
  sigma: optional<number>(above(0)),
};
export interface DensityCurveOptions extends OptionsOf<typeof CURVE> {}

/**
 * A smooth density from SLQ's quadratures: each node θᵢ a Gaussian of width σ and mass wᵢ, averaged over
 * the runs, on an even grid. It integrates to 1 (up to the tails beyond the grid).
 * @example const { x, y } = mn.landscape.densityCurve(H.density(), { points: 2000 });
 */
export function densityCurve(spectral: { runs: readonly { nodes: readonly number[]; weights: readonly number[] }[] }, options: DensityCurveOptions = {}): { x: number[]; y: number[] } {
  const o = checkOptions("densityCurve", options, CURVE);
  if (spectral.runs.length === 0) throw new OptionError({ where: "densityCurve", what: "a density without runs", expected: "at least one run" });
  const { lo, hi, width, sigma: defaultSigma } = resolution(spectral.runs);
  const sigma = o.sigma ?? defaultSigma;
  const pad = Math.max(0.1 * width, 4 * sigma);
  const start = lo - pad, step = (hi + pad - start) / (o.points - 1);
  const x = Array.from({ length: o.points }, (_, i) => start + i * step);
  const y = new Array<number>(o.points).fill(0);
  const norm = 1 / (sigma * Math.sqrt(2 * Math.PI) * spectral.runs.length);
  for (const { nodes: ns, weights } of spectral.runs) {
    ns.forEach((node, k) => {
      for (let i = 0; i < o.points; i++) y[i]! += weights[k]! * norm * Math.exp(-0.5 * ((x[i]! - node) / sigma) ** 2);
    });
  }
  return { x, y };
}

/** The nodes' range, and the default σ: the range over the steps per run (hessian-eigenthings' choice). */
function resolution(runs: readonly { nodes: readonly number[] }[]): { lo: number; hi: number; width: number; sigma: number } {
  const nodes = runs.flatMap((r) => r.nodes);
  const lo = Math.min(...nodes), hi = Math.max(...nodes);
  const width = hi > lo ? hi - lo : Math.max(1, Math.abs(hi));
  return { lo, hi, width, sigma: width / Math.max(...runs.map((r) => r.nodes.length)) };
}
