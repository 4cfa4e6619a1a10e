import { dot } from "../linalg/vector.js";

/** A function to maximize and its gradient at y (a new gradient array each call). */
export type Objective = (y: Float64Array) => { value: number; gradient: Float64Array };

export type BoxMethod = "lbfgs" | "ascent";

export interface BoxMaximizeOptions {
  /** "lbfgs" (the default): projected L-BFGS; "ascent": projected gradient ascent, steps of the box's size along the gradient's signs. */
  method?: BoxMethod;
  /** How many iterations (Keskar et al. ran 10 of L-BFGS-B). */
  iterations?: number;
  /** The first point, inside the box (default: its centre, 0). */
  start?: Float64Array;
  /** L-BFGS's memory: how many (s, y) pairs it keeps (default 10, L-BFGS-B's m). */
  memory?: number;
}

export interface BoxMaximum {
  /** The best point evaluated, inside the box, and f there. */
  y: Float64Array;
  value: number;
  iterations: number;
  /** How many times f and its gradient were evaluated (line-search trials included). */
  evaluations: number;
}

/**
 * Maximizes f over the box |yᵢ| ≤ boundᵢ from a point inside it, returning the best point evaluated
 * (every point evaluated is projected into the box first, so the constraint holds exactly).
 *
 * "lbfgs" minimizes −f by a projected L-BFGS: the two-loop direction on the free variables (those not held
 * at a bound by the gradient), then backtracking along the projection arc P(y + t·d) until Armijo's decrease
 * holds; pairs with sᵀy ≤ 0 are skipped, so on a convex f (a maximum at a vertex) it is projected gradient
 * ascent with a line search. It is box-constrained as L-BFGS-B is (Byrd, Lu, Nocedal, Zhu 1995), without
 * its generalized Cauchy point.
 * "ascent" is projected sign-gradient ascent in the box's own scale: y ← P(y + α·bound⊙sign(∇f)), α = 2.5/iterations
 * (the box's steepest ascent, Madry et al.'s step for the ∞-ball); one evaluation per iteration.
 */
export function maximizeInBox(f: Objective, bound: Float64Array, options: BoxMaximizeOptions = {}): BoxMaximum {
  const { method = "lbfgs", iterations = 10, memory = 10 } = options;
  const n = bound.length;
  const y0 = project(options.start ?? new Float64Array(n), bound);
  let evaluations = 0;
  const evaluate = (y: Float64Array) => {
    evaluations++;
    return f(y);
  };
  let y: Float64Array = y0, at = evaluate(y);
  let best: { y: Float64Array; value: number } = { y, value: at.value };
  const keep = (candidate: Float64Array, value: number) => {
    if (value > best.value) best = { y: candidate, value };
  };
  let done = 0;
  if (method === "ascent") {
    const alpha = 2.5 / iterations;
    for (; done < iterations; done++) {
      const next = new Float64Array(n);
      for (let i = 0; i < n; i++) next[i] = y[i]! + alpha * bound[i]! * Math.sign(at.gradient[i]!);
      y = project(next, bound);
      at = evaluate(y);
      keep(y, at.value);
    }
    return { ...best, iterations: done, evaluations };
  }
  // L-BFGS on F = −f: g is ∇F.
  const pairs: { s: Float64Array; r: Float64Array; rho: number }[] = [];
  let g: Float64Array = negate(at.gradient), F = -at.value;
  for (; done < iterations; done++) {
    const free = freeVariables(y, g, bound);
    if (!free.some(Boolean)) break; // a vertex where every gradient component points out of the box: a KKT point
    let d = twoLoop(g, pairs, free);
    if (dot(d, g) >= 0) d = masked(negate(g), free);
    // The first trial step reaches the box's scale along d (a full L-BFGS step once curvature pairs exist).
    let t = pairs.length > 0 ? 1 : firstStep(d, bound);
    let accepted: { y: Float64Array; F: number; g: Float64Array } | null = null;
    for (let trial = 0; trial < 30; trial++) {
      const candidate = project(Float64Array.from(y, (yi, i) => yi + t * d[i]!), bound);
      const step = Float64Array.from(candidate, (c, i) => c - y[i]!);
      if (!step.some((s) => s !== 0)) break;
      const trialAt = evaluate(candidate);
      keep(candidate, trialAt.value);
      if (-trialAt.value <= F + 1e-4 * dot(g, step)) {
        accepted = { y: candidate, F: -trialAt.value, g: negate(trialAt.gradient) };
        break;
      }
      t /= 2;
    }
    if (accepted === null) break; // no decrease along the arc: a stationary point to working precision
    const s = Float64Array.from(accepted.y, (c, i) => c - y[i]!);
    const r = Float64Array.from(accepted.g, (c, i) => c - g[i]!);
    const sr = dot(s, r);
    if (sr > 1e-10 * dot(r, r)) {
      pairs.push({ s, r, rho: 1 / sr });
      if (pairs.length > memory) pairs.shift();
    }
    y = accepted.y;
    g = accepted.g;
    F = accepted.F;
  }
  return { ...best, iterations: done, evaluations };
}

/** The point clipped into the box, a new array. */
export function project(y: Float64Array, bound: Float64Array): Float64Array {
  return Float64Array.from(y, (yi, i) => Math.min(bound[i]!, Math.max(-bound[i]!, yi)));
}

/** Variables free to move: not at a bound that the descent direction −g pushes against. */
function freeVariables(y: Float64Array, g: Float64Array, bound: Float64Array): boolean[] {
  return Array.from(y, (yi, i) => !((yi <= -bound[i]! && g[i]! > 0) || (yi >= bound[i]! && g[i]! < 0)) && bound[i]! > 0);
}

/** −H·g by L-BFGS's two-loop recursion restricted to the free variables (zero elsewhere). */
function twoLoop(g: Float64Array, pairs: readonly { s: Float64Array; r: Float64Array; rho: number }[], free: readonly boolean[]): Float64Array {
  const q = masked(g, free);
  const alphas: number[] = [];
  for (let k = pairs.length - 1; k >= 0; k--) {
    const { s, r, rho } = pairs[k]!;
    const a = rho * dot(masked(s, free), q);
    alphas[k] = a;
    const rf = masked(r, free);
    for (let i = 0; i < q.length; i++) q[i]! -= a * rf[i]!;
  }
  if (pairs.length > 0) {
    const { s, r } = pairs[pairs.length - 1]!;
    const gamma = dot(s, r) / dot(r, r);
    for (let i = 0; i < q.length; i++) q[i]! *= gamma;
  }
  for (let k = 0; k < pairs.length; k++) {
    const { s, r, rho } = pairs[k]!;
    const sf = masked(s, free);
    const b = rho * dot(masked(r, free), q);
    for (let i = 0; i < q.length; i++) q[i]! += (alphas[k]! - b) * sf[i]!;
  }
  return negate(q);
}

/** The step length t for which t·d spans the box: max |t·dᵢ| / boundᵢ = 1 (over the free variables). */
function firstStep(d: Float64Array, bound: Float64Array): number {
  let widest = 0;
  for (let i = 0; i < d.length; i++) if (bound[i]! > 0) widest = Math.max(widest, Math.abs(d[i]!) / bound[i]!);
  return widest > 0 ? 1 / widest : 1;
}

const negate = (v: Float64Array) => Float64Array.from(v, (x) => -x);
const masked = (v: Float64Array, free: readonly boolean[]) => Float64Array.from(v, (x, i) => (free[i] ? x : 0));
