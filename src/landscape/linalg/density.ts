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
  /** Nodes within ±zeroTolerance·max|node| count as zero, not negative: a singular Hessian's zero eigenvalues come out of Lanczos at rounding level, of either sign. */
  zeroTolerance: option(1e-6, above(0)),
};
export interface DensityOptions extends OptionsOf<typeof DENSITY> {}

export interface SpectralDensity {
  /** Each run's Gauss quadrature of the spectrum: nodes (Ritz values, ascending) and weights (summing to 1). */
  runs: { nodes: number[]; weights: number[] }[];
  /** The estimated fraction of eigenvalues below zero: the mean over runs of the weight on negative nodes. */
  negativeFraction: number;
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
  const scale = Math.max(0, ...runs.flatMap((r) => r.nodes.map(Math.abs)));
  const negative = runs.map((r) => r.nodes.reduce((s, node, i) => (node < -o.zeroTolerance * scale ? s + r.weights[i]! : s), 0));
  return { runs, negativeFraction: negative.reduce((s, x) => s + x, 0) / runs.length };
}

/**
 * The Gauss quadrature of `steps` Lanczos steps from `start` (normalized): Σ wᵢ θᵢᵖ = vᵀAᵖv exactly for
 * p < 2·steps (fewer nodes when the Krylov space is exhausted first, and then exact for every p).
 */
export function lanczosQuadrature(op: LinearOperator, start: Float64Array, steps: number): { nodes: number[]; weights: number[] } {
  const lanczos = new Lanczos(op, start);
  while (lanczos.basis.length < steps && lanczos.step());
  const { values, rows: [first] } = tridiagonalEigen(lanczos.alpha, lanczos.beta, [0]);
  return { nodes: values, weights: Array.from(first!, (c) => c * c) };
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
export function densityCurve(spectral: SpectralDensity, options: DensityCurveOptions = {}): { x: number[]; y: number[] } {
  const o = checkOptions("densityCurve", options, CURVE);
  if (spectral.runs.length === 0) throw new OptionError({ where: "densityCurve", what: "a density without runs", expected: "at least one run" });
  const nodes = spectral.runs.flatMap((r) => r.nodes);
  const lo = Math.min(...nodes), hi = Math.max(...nodes);
  const width = hi > lo ? hi - lo : Math.max(1, Math.abs(hi));
  const sigma = o.sigma ?? width / Math.max(...spectral.runs.map((r) => r.nodes.length));
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
