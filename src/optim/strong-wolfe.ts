import { dot, maxAbs } from "./flat.js";

// Python's max/min (the first argument wins ties and NaN comparisons), so NaNs flow as in torch.
const pyMax = (a: number, b: number) => (b > a ? b : a);
const pyMin = (a: number, b: number) => (b < a ? b : a);

/**
 * The minimizer of the cubic through (x₁, f₁, f₁′) and (x₂, f₂, f₂′), clamped to the bounds
 * (default: between x₁ and x₂); the midpoint when the cubic has no minimizer.
 * Nocedal & Wright (2006) eq. 3.59.
 */
function cubicMin(x1: number, f1: number, g1: number, x2: number, f2: number, g2: number, bounds?: [number, number]): number {
  const [lo, hi] = bounds ?? (x1 <= x2 ? [x1, x2] : [x2, x1]);
  const d1 = g1 + g2 - (3 * (f1 - f2)) / (x1 - x2);
  const d2sq = d1 * d1 - g1 * g2;
  if (!(d2sq >= 0)) return (lo + hi) / 2;
  const d2 = Math.sqrt(d2sq);
  const m = x1 <= x2 ? x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2)) : x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2));
  return pyMin(pyMax(m, lo), hi);
}

interface Probe { t: number; f: number; g: Float64Array; gtd: number }

/**
 * A step length t along d satisfying the strong Wolfe conditions
 *   f(x + td) ≤ f(x) + c₁t∇fᵀd    and    |∇f(x + td)ᵀd| ≤ c₂|∇fᵀd|,
 * by bracketing (Nocedal & Wright Algorithm 3.5, extrapolating by cubic interpolation within
 * [t + 0.01(t − t_prev), 10t]) then zooming (Algorithm 3.6, cubic interpolation kept 10% away
 * from the bracket's ends), with torch's (minFunc's) stopping rules: at most maxLs evaluations,
 * and a bracket narrower than toleranceChange/max|d| ends the search.
 */
export function strongWolfe(evaluate: (t: number) => { f: number; g: Float64Array }, t: number, d: Float64Array, f: number, g: Float64Array,
  gtd: number, toleranceChange: number, c1 = 1e-4, c2 = 0.9, maxLs = 25): { f: number; g: Float64Array; t: number; evals: number } {
  const dNorm = maxAbs(d);
  const at = (tt: number): Probe => { const r = evaluate(tt); return { t: tt, f: r.f, g: r.g, gtd: dot(r.g, d) }; };
  let cur = at(t);
  let evals = 1;
  let prev: Probe = { t: 0, f, g, gtd };
  let bracket: Probe[] | null = null;
  let done = false;
  let iter = 0;
  while (iter < maxLs) {
    if (cur.f > f + c1 * cur.t * gtd || (iter > 1 && cur.f >= prev.f)) { bracket = [prev, cur]; break; }
    if (Math.abs(cur.gtd) <= -c2 * gtd) { bracket = [cur]; done = true; break; }
    if (cur.gtd >= 0) { bracket = [prev, cur]; break; }
    const next = cubicMin(prev.t, prev.f, prev.gtd, cur.t, cur.f, cur.gtd, [cur.t + 0.01 * (cur.t - prev.t), cur.t * 10]);
    prev = cur;
    cur = at(next);
    evals++;
    iter++;
  }
  if (iter === maxLs) bracket = [{ t: 0, f, g, gtd: NaN }, cur];
  const b = bracket!;
  let [lo, hi] = b[0]!.f <= b[b.length - 1]!.f ? [0, 1] : [1, 0];
  let insufficientProgress = false;
  while (!done && iter < maxLs) {
    const [b0, b1] = b as [Probe, Probe];
    if (Math.abs(b1.t - b0.t) * dNorm < toleranceChange) break;
    let tt = cubicMin(b0.t, b0.f, b0.gtd, b1.t, b1.f, b1.gtd);
    const bMax = pyMax(b0.t, b1.t), bMin = pyMin(b0.t, b1.t);
    // Interpolation hugging an end of the bracket shrinks it too slowly: move 10% inside, the
    // second time in a row or at once when the trial is outside the bracket.
    const eps = 0.1 * (bMax - bMin);
    if (pyMin(bMax - tt, tt - bMin) < eps) {
      if (insufficientProgress || tt >= bMax || tt <= bMin) {
        tt = Math.abs(tt - bMax) < Math.abs(tt - bMin) ? bMax - eps : bMin + eps;
        insufficientProgress = false;
      } else insufficientProgress = true;
    } else insufficientProgress = false;
    const p = at(tt);
    evals++;
    iter++;
    if (p.f > f + c1 * tt * gtd || p.f >= b[lo]!.f) {
      b[hi] = p;
      [lo, hi] = b[0]!.f <= b[1]!.f ? [0, 1] : [1, 0];
    } else {
      if (Math.abs(p.gtd) <= -c2 * gtd) done = true;
      else if (p.gtd * (b[hi]!.t - b[lo]!.t) >= 0) b[hi] = b[lo]!;
      b[lo] = p;
    }
  }
  const best = b[lo]!;
  return { f: best.f, g: best.g, t: best.t, evals };
}
