import { erf, erfc } from "../../../backend/js/special.js";

/**
 * The truncated normal distribution TPE's kernels use, computed as Optuna 3.1's
 * samplers/_tpe/_truncnorm.py computes it (itself from SciPy): log-space masses that keep their
 * digits far in the tails, and the inverse CDF by bisection on log Φ. One deliberate difference:
 * logPdf subtracts log(scale), which Optuna 3.1.0 forgot (the density of a scaled kernel) and later
 * Optuna releases add.
 */

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
const SQRT1_2 = Math.SQRT1_2;

/** Φ(a), the standard normal CDF, from erfc in the tails (Optuna's _ndtr_single). */
export function ndtr(a: number): number {
  const x = a * SQRT1_2;
  if (x < -SQRT1_2) return 0.5 * erfc(-x);
  if (x < SQRT1_2) return 0.5 + 0.5 * erf(x);
  return 1 - 0.5 * erfc(x);
}

/** log Φ(a), with the asymptotic series below −20 where Φ underflows (Optuna's _log_ndtr_single). */
export function logNdtr(a: number): number {
  if (a > 6) return -ndtr(-a);
  if (a > -20) return Math.log(ndtr(a));
  const logLhs = -0.5 * a * a - Math.log(-a) - LOG_SQRT_2PI;
  let last = 0;
  let rhs = 1;
  let numerator = 1;
  let denomFactor = 1;
  const denomCons = 1 / (a * a);
  let sign = 1;
  for (let i = 1; Math.abs(last - rhs) > Number.EPSILON; i++) {
    last = rhs;
    sign = -sign;
    denomFactor *= denomCons;
    numerator *= 2 * i - 1;
    rhs += sign * numerator * denomFactor;
  }
  return logLhs + Math.log(rhs);
}

/** log(e^p + e^q), as numpy's logaddexp. */
export function logAddExp(p: number, q: number): number {
  if (p === q) return p + Math.LN2;
  const m = Math.max(p, q);
  return m + Math.log1p(Math.exp(-Math.abs(p - q)));
}

/** log(e^p − e^q) for p ≥ q. */
function logDiff(p: number, q: number): number {
  return p + Math.log1p(-Math.exp(q - p));
}

/** log(Φ(b) − Φ(a)): the log mass of a standard normal in [a, b], worked in the left tail by symmetry. */
export function logGaussMass(a: number, b: number): number {
  if (b <= 0) return logDiff(logNdtr(b), logNdtr(a));
  if (a > 0) return logDiff(logNdtr(-a), logNdtr(-b));
  return Math.log1p(-(0.5 + 0.5 * erf(a * SQRT1_2)) - (0.5 + 0.5 * erf(-b * SQRT1_2)));
}

/** x with log Φ(x) = y, by 100 bisections on [−100, 100] (Optuna's _ndtri_exp). */
function ndtriExp(y: number): number {
  let a = -100;
  let b = 100;
  if (logNdtr(a) > y) [a, b] = [b, a];
  let m = 0;
  for (let i = 0; i < 100; i++) {
    m = (a + b) / 2;
    if (logNdtr(m) < y) a = m;
    else b = m;
  }
  return m;
}

/** The q-quantile of the standard normal truncated to [a, b]. */
export function truncnormPpf(q: number, a: number, b: number): number {
  if (a === b) return NaN;
  if (q === 0) return a;
  if (q === 1) return b;
  if (a < 0) return ndtriExp(logAddExp(logNdtr(a), Math.log(q) + logGaussMass(a, b)));
  return -ndtriExp(logAddExp(logNdtr(-b), Math.log1p(-q) + logGaussMass(a, b)));
}

/** The log density at x of N(loc, scale²) truncated to [loc + a·scale, loc + b·scale]; −∞ outside. */
export function truncnormLogPdf(x: number, a: number, b: number, loc: number, scale: number): number {
  if (a === b) return NaN;
  const z = (x - loc) / scale;
  if (z < a || b < z) return -Infinity;
  return -(z * z) / 2 - LOG_SQRT_2PI - logGaussMass(a, b) - Math.log(scale);
}
