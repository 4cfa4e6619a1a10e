import type { Generator } from "../../../tensor/random.js";
import type { Distribution } from "../../distributions.js";
import { logGaussMass, truncnormLogPdf, truncnormPpf } from "./truncated-normal.js";

const EPS = 1e-12;
/** Scott's rule factor of the multivariate kernels' bandwidth (BOHB's choice, Optuna's SIGMA0_MAGNITUDE). */
const SIGMA0_MAGNITUDE = 0.2;

export interface ParzenEstimatorParameters {
  readonly considerPrior: boolean;
  readonly priorWeight: number;
  readonly considerMagicClip: boolean;
  readonly considerEndpoints: boolean;
  readonly multivariate: boolean;
}

/**
 * Optuna's default_weights: equal weights for fewer than 25 observations, else a linear ramp from
 * 1/n to 1 over the oldest n − 25 and 1 for the newest 25 (older trials count less).
 */
export function defaultWeights(n: number): number[] {
  if (n < 25) return new Array<number>(n).fill(1);
  const m = n - 25;
  // numpy.linspace(1/n, 1, m): the last point is exactly 1.
  const step = m > 1 ? (1 - 1 / n) / (m - 1) : 0;
  const ramp = Array.from({ length: m }, (_, i) => (m > 1 && i === m - 1 ? 1 : i * step + 1 / n));
  return [...ramp, ...new Array<number>(25).fill(1)];
}

/** Optuna's default_gamma: how many of n observations form the good density l(x). */
export function defaultGamma(n: number): number {
  return Math.min(Math.ceil(0.1 * n), 25);
}

interface NumericKernels {
  readonly kind: "numeric";
  readonly low: number;
  readonly high: number;
  /** The step of a stepped or (non-log) integer parameter, whose kernels give each value the mass of its cell. */
  readonly q: number | null;
  readonly mus: number[];
  readonly sigmas: number[];
}
interface CategoricalKernels {
  readonly kind: "categorical";
  /** One row of choice probabilities per kernel. */
  readonly weights: number[][];
}

/**
 * A mixture of one kernel per observation (plus a prior kernel) over a search space, as Optuna 3.1's
 * _ParzenEstimator builds it: numbers in the transformed (log) space with truncated-normal kernels
 * (Scott's-rule bandwidth when multivariate, else the distance to the farther neighbour), clipped
 * by the "magic clip"; categoricals with a smoothed one-hot kernel. Observations are internal
 * values (a choice's index); so are the samples.
 */
export class ParzenEstimator {
  /** The kernels' weights, summing to 1; the prior's last. */
  readonly weights: number[];
  readonly kernels: Record<string, NumericKernels | CategoricalKernels> = {};

  constructor(
    observations: Readonly<Record<string, readonly number[]>>,
    private readonly space: Readonly<Record<string, Distribution>>,
    params: ParzenEstimatorParameters,
    private readonly names = Object.keys(space),
  ) {
    const n = observations[names[0]!]!.length;
    const considerPrior = params.considerPrior || n === 0;
    const w = defaultWeights(n);
    if (considerPrior) w.push(params.priorWeight);
    const sum = w.reduce((a, b) => a + b, 0);
    this.weights = w.map((x) => x / sum);
    const sigma0 = params.multivariate ? SIGMA0_MAGNITUDE * Math.max(n, 1) ** (-1 / (names.length + 4)) : null;
    for (const name of names) {
      const dist = space[name]!;
      const obs = observations[name]!;
      if (dist.kind === "categorical") {
        const rows = considerPrior ? n + 1 : n;
        const fill = params.priorWeight / rows;
        const weights = Array.from({ length: rows }, (_, i) => {
          const row = new Array<number>(dist.choices.length).fill(fill);
          if (i < n) row[obs[i]!]! += 1;
          const s = row.reduce((a, b) => a + b, 0);
          return row.map((x) => x / s);
        });
        this.kernels[name] = { kind: "categorical", weights };
        continue;
      }
      const [low, high, q] = parzenBounds(dist);
      const mus = obs.map((v) => (dist.log ? Math.log(v) : v));
      if (considerPrior) mus.push(0.5 * (low + high));
      let sigmas = sigma0 !== null ? mus.map(() => sigma0 * (high - low)) : neighbourSigmas(mus, low, high, params.considerEndpoints);
      const maxSigma = high - low;
      const minSigma = params.considerMagicClip ? (high - low) / Math.min(100, 1 + mus.length) : EPS;
      sigmas = sigmas.map((s) => Math.min(maxSigma, Math.max(minSigma, s)));
      if (considerPrior) sigmas[n] = high - low;
      this.kernels[name] = { kind: "numeric", low, high, q, mus, sigmas };
    }
  }

  /** `size` draws from the mixture: a kernel by its weight, then each parameter from that kernel. */
  sample(rng: Generator, size: number): Record<string, number[]> {
    const cumulative = cumsum(this.weights);
    const active = Array.from({ length: size }, () => searchRight(cumulative, rng.random()));
    const out: Record<string, number[]> = {};
    for (const name of this.names) {
      const k = this.kernels[name]!;
      const dist = this.space[name]!;
      if (k.kind === "categorical") {
        out[name] = active.map((i) => {
          const u = rng.random();
          const c = cumsum(k.weights[i]!);
          return Math.min(c.length - 1, c.filter((x) => x < u).length);
        });
        continue;
      }
      out[name] = active.map((i) => {
        const mu = k.mus[i]!;
        const sigma = k.sigmas[i]!;
        const t = truncnormPpf(rng.random(), (k.low - mu) / sigma, (k.high - mu) / sigma) * sigma + mu;
        return fromTransformed(dist, t, k.q);
      });
    }
    return out;
  }

  /** The mixture's log density at each sample (internal values). */
  logPdf(samples: Readonly<Record<string, readonly number[]>>): number[] {
    const size = samples[this.names[0]!]!.length;
    const nk = this.weights.length;
    const logW = this.weights.map(Math.log);
    const out: number[] = [];
    // The normalizer of each continuous kernel does not depend on the sample: computed once.
    const logMass: Record<string, number[]> = {};
    for (const name of this.names) {
      const k = this.kernels[name]!;
      if (k.kind === "numeric") logMass[name] = k.mus.map((mu, i) => logGaussMass((k.low - mu) / k.sigmas[i]!, (k.high - mu) / k.sigmas[i]!));
    }
    for (let s = 0; s < size; s++) {
      const comp = logW.slice();
      for (const name of this.names) {
        const k = this.kernels[name]!;
        const dist = this.space[name]!;
        const x = samples[name]![s]!;
        if (k.kind === "categorical") {
          for (let i = 0; i < nk; i++) comp[i]! += Math.log(k.weights[i]![x]!);
          continue;
        }
        const t = dist.kind !== "categorical" && dist.log ? Math.log(x) : x;
        for (let i = 0; i < nk; i++) {
          const mu = k.mus[i]!;
          const sigma = k.sigmas[i]!;
          if (k.q === null) {
            comp[i]! += truncnormLogPdf(t, (k.low - mu) / sigma, (k.high - mu) / sigma, mu, sigma);
          } else {
            const upper = Math.min(t + k.q / 2, k.high);
            const lower = Math.max(t - k.q / 2, k.low);
            comp[i]! += logGaussMass((lower - mu) / sigma, (upper - mu) / sigma) - logMass[name]![i]!;
          }
        }
      }
      out.push(logSumExp(comp));
    }
    return out;
  }
}

/** The transformed interval the kernels live on, and the step of stepped parameters (Optuna's _calculate_parzen_bounds). */
function parzenBounds(dist: Exclude<Distribution, { kind: "categorical" }>): [number, number, number | null] {
  if (dist.kind === "float") {
    if (dist.log) return [Math.log(dist.low), Math.log(dist.high), null];
    if (dist.step !== null) return [dist.low - 0.5 * dist.step, dist.high + 0.5 * dist.step, dist.step];
    return [dist.low, dist.high, null];
  }
  if (dist.log) return [Math.log(dist.low - 0.5), Math.log(dist.high + 0.5), null];
  return [dist.low - 0.5 * dist.step, dist.high + 0.5 * dist.step, dist.step];
}

/** A point of the transformed space as an internal value: back from log, rounded to the step (or integer), clipped. */
function fromTransformed(dist: Distribution, t: number, q: number | null): number {
  if (dist.kind === "categorical") return t;
  if (dist.kind === "float") {
    if (dist.log) return Math.exp(t);
    if (q === null) return t;
    return Math.min(dist.high, Math.max(dist.low, roundHalfEven((t - dist.low) / q) * q + dist.low));
  }
  if (dist.log) return Math.min(dist.high, Math.max(dist.low, roundHalfEven(Math.exp(t))));
  return Math.min(dist.high, Math.max(dist.low, roundHalfEven((t - dist.low) / q!) * q! + dist.low));
}

/** numpy.round: halves to the even neighbour. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * Each kernel's bandwidth in the univariate estimator: the distance to the farther of its sorted
 * neighbours, the interval's ends counting as neighbours except for the outermost kernels
 * (consider_endpoints false).
 */
function neighbourSigmas(mus: readonly number[], low: number, high: number, considerEndpoints: boolean): number[] {
  const order = mus.map((_, i) => i).sort((a, b) => mus[a]! - mus[b]! || a - b);
  const s = [low, ...order.map((i) => mus[i]!), high];
  const sorted = order.map((_, j) => Math.max(s[j + 1]! - s[j]!, s[j + 2]! - s[j + 1]!));
  if (!considerEndpoints && s.length >= 4) {
    sorted[0] = s[2]! - s[1]!;
    sorted[sorted.length - 1] = s[s.length - 2]! - s[s.length - 3]!;
  }
  const out = new Array<number>(mus.length);
  order.forEach((i, j) => (out[i] = sorted[j]!));
  return out;
}

function cumsum(xs: readonly number[]): number[] {
  let s = 0;
  return xs.map((x) => (s += x));
}

/** numpy.searchsorted(side="right") of u in an ascending cumulative sum, kept inside the array. */
function searchRight(cumulative: readonly number[], u: number): number {
  let i = 0;
  while (i < cumulative.length - 1 && cumulative[i]! <= u) i++;
  return i;
}

function logSumExp(xs: readonly number[]): number {
  const m = Math.max(...xs);
  if (!Number.isFinite(m)) return m;
  let s = 0;
  for (const x of xs) s += Math.exp(x - m);
  return m + Math.log(s);
}
