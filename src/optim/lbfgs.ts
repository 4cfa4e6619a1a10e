import { enableGrad } from "../autograd/no-grad.js";
import { MinimaError, OptionError, StateDictError } from "../errors.js";
import { atLeast, isBoolean, oneOf, option, positiveInt, type OptionsOf } from "../options.js";
import type { Tensor } from "../tensor/tensor.js";
import { dot, gatherFlat, maxAbs, scatterFlat } from "./flat.js";
import { Optimizer, type OptimizerStateDict, type Params, type Rule } from "./optimizer.js";
import { strongWolfe } from "./strong-wolfe.js";

const LBFGS_OPTIONS = {
  /** The step length, or the line search's first trial step (default 1). */
  lr: option(1, atLeast(0)),
  /** Iterations (direction + step) per `step(closure)` call (default 20). */
  maxIter: option(20, positiveInt),
  /** Closure evaluations per `step(closure)` call (default ⌊maxIter·5/4⌋). */
  maxEval: option(25, positiveInt),
  /** Stop when max|gᵢ| ≤ this (default 1e-7). */
  toleranceGrad: option(1e-7, atLeast(0)),
  /** Stop when the step, the loss change or the directional derivative falls below this (default 1e-9). */
  toleranceChange: option(1e-9, atLeast(0)),
  /** Curvature pairs (s, y) kept (default 100). */
  historySize: option(100, positiveInt),
  /** `"strong_wolfe"` for a line search, or null (default) for a fixed step of lr. */
  lineSearchFn: option<"strong_wolfe" | null>(null, oneOf("strong_wolfe", null)),
  /** Not supported (torch's LBFGS has none): only 0 is accepted; add the penalty to the closure's loss. */
  weightDecay: option(0, atLeast(0)),
  /** Minimize −loss (default false). */
  maximize: option(false, isBoolean),
};

/** LBFGS's options (torch.optim.LBFGS's, in camelCase). */
export interface LBFGSOptions extends OptionsOf<typeof LBFGS_OPTIONS> {}

/** The state LBFGS carries between step() calls (torch keeps it on the first parameter). */
interface LBFGSState {
  step: number;
  funcEvals: number;
  nIter: number;
  d: Float64Array | null;
  t: number;
  oldDirs: Float64Array[];
  oldStps: Float64Array[];
  ro: number[];
  hDiag: number;
  prevFlatGrad: Float64Array | null;
  prevLoss: number;
}

/** LBFGS's options and their checks, as the Optimizer base reads a rule; the iterations run in LBFGS.step(closure). */
export const lbfgs: Rule<LBFGSOptions> = {
  name: "LBFGS",
  options: LBFGS_OPTIONS,
  validate: (o) => (o.weightDecay !== 0 ? "weightDecay is not supported (torch's LBFGS has none): add the penalty to the closure's loss" : null),
  buffers: () => ({}),
  coefficients: () => [],
  step() {
    throw new MinimaError({ where: "LBFGS", what: "works on all parameters at once through LBFGS.step(closure), not per parameter" });
  },
};

/**
 * L-BFGS, as torch.optim.LBFGS computes it (which follows minFunc): each `step(closure)` runs up
 * to maxIter quasi-Newton iterations on the full-batch loss the closure returns.
 *   d ← −H·g by the two-loop recursion over the last historySize pairs sᵢ = θᵢ₊₁ − θᵢ,
 *       yᵢ = gᵢ₊₁ − gᵢ (a pair is kept only if yᵀs > 1e-10), with H₀ = (yᵀs / yᵀy)·I;
 *       the very first direction is −g, with t = min(1, 1/‖g‖₁)·lr
 *   t ← lr, or a step satisfying the strong Wolfe conditions (c₁ = 1e-4, c₂ = 0.9, ≤ 25 evaluations)
 *   θ ← θ + t·d
 * and stops early when max|g| ≤ toleranceGrad, gᵀd > −toleranceChange, max|t·d| ≤ toleranceChange,
 * |Δloss| < toleranceChange, or maxEval evaluations were spent. The history persists across calls.
 * Nocedal & Wright, Numerical Optimization (2006): Algorithm 7.4 (two-loop recursion),
 * Algorithms 3.5/3.6 (strong-Wolfe line search); Liu & Nocedal (1989).
 *
 * All parameters form one group (as in torch); the work happens on float64 vectors gathered
 * from them, so float32 models get float64 directions and dot products.
 * `step(closure)` needs a closure that zeroes the grads, computes the loss, calls backward and
 * returns the loss; it returns the first loss of the step.
 * @example
 * const opt = new mn.optim.LBFGS(model.parameters(), { lineSearchFn: "strong_wolfe" });
 * const closure = () => { opt.zeroGrad(); const loss = lossFn(model.forward(x), y); loss.backward(); return loss; };
 * for (let i = 0; i < 10; i++) opt.step(closure);
 */
export class LBFGS extends Optimizer<LBFGSOptions> {
  private st: LBFGSState | null = null;

  constructor(params: Params<LBFGSOptions>, options: LBFGSOptions = {}) {
    const { maxEval, ...rest } = options;
    super(params, { ...rest, maxEval: maxEval ?? Math.floor(((rest.maxIter ?? 20) * 5) / 4) }, lbfgs);
  }

  override addParamGroup(group: LBFGSOptions & { params: readonly Tensor[] }): void {
    if (this.paramGroups.length > 0) {
      throw new OptionError({ where: "LBFGS", what: "doesn't support per-parameter options (parameter groups): pass one list of tensors" });
    }
    super.addParamGroup(group);
  }

  override step(closure?: () => Tensor | number): number {
    if (typeof closure !== "function") {
      throw new MinimaError({ where: "LBFGS", what: "step() needs a closure that re-evaluates the loss (zeroGrad, forward, backward, return the loss): LBFGS evaluates it several times per step" });
    }
    const group = this.paramGroups[0]!;
    const params = group.params;
    const { lr, maxIter, maxEval, toleranceGrad, toleranceChange, historySize, lineSearchFn } = group;
    const sign = group.maximize ? -1 : 1;
    const evaluate = (): { f: number; g: Float64Array } => {
      const l = enableGrad(closure);
      const g = gatherFlat(params, "grad");
      if (sign < 0) for (let i = 0; i < g.length; i++) g[i] = -g[i]!;
      return { f: sign * (typeof l === "number" ? l : l.item()), g };
    };
    const st = (this.st ??= { step: 0, funcEvals: 0, nIter: 0, d: null, t: 0, oldDirs: [], oldStps: [], ro: [], hDiag: 1, prevFlatGrad: null, prevLoss: 0 });
    st.step += 1;

    let { f: loss, g: flatGrad } = evaluate();
    const origLoss = sign * loss;
    let currentEvals = 1;
    st.funcEvals += 1;
    let optCond = maxAbs(flatGrad) <= toleranceGrad;
    if (optCond) return origLoss;

    let { d, t, hDiag, prevFlatGrad, prevLoss } = st;
    const { oldDirs, oldStps, ro } = st;
    let nIter = 0;
    while (nIter < maxIter) {
      nIter++;
      st.nIter++;
      if (st.nIter === 1) {
        d = flatGrad.map((v) => -v);
        oldDirs.length = oldStps.length = ro.length = 0;
        hDiag = 1;
      } else {
        const y = flatGrad.map((v, i) => v - prevFlatGrad![i]!);
        const s = d!.map((v) => v * t);
        const ys = dot(y, s);
        // Keep a pair only with positive curvature: then H stays positive definite.
        if (ys > 1e-10) {
          if (oldDirs.length === historySize) { oldDirs.shift(); oldStps.shift(); ro.shift(); }
          oldDirs.push(y);
          oldStps.push(s);
          ro.push(1 / ys);
          hDiag = ys / dot(y, y);
        }
        d = twoLoop(flatGrad, oldDirs, oldStps, ro, hDiag);
      }
      prevFlatGrad = flatGrad.slice();
      prevLoss = loss;
      // The first direction −g has no curvature behind it: its length is capped at 1 in ‖·‖₁.
      t = st.nIter === 1 ? Math.min(1, 1 / flatGrad.reduce((a, v) => a + Math.abs(v), 0)) * lr : lr;
      const gtd = dot(flatGrad, d);
      if (gtd > -toleranceChange) break;

      let lsEvals = 0;
      const x0 = gatherFlat(params, "data");
      if (lineSearchFn === "strong_wolfe") {
        const dir = d;
        const r = strongWolfe((tt) => { scatterFlat(params, x0, tt, dir); return evaluate(); }, t, d, loss, flatGrad, gtd, toleranceChange);
        ({ f: loss, g: flatGrad, t, evals: lsEvals } = r);
        scatterFlat(params, x0, t, d);
        optCond = maxAbs(flatGrad) <= toleranceGrad;
      } else {
        scatterFlat(params, x0, t, d);
        // As torch: no evaluation after the last iteration (in a stochastic setting it would be wasted).
        if (nIter !== maxIter) {
          ({ f: loss, g: flatGrad } = evaluate());
          optCond = maxAbs(flatGrad) <= toleranceGrad;
          lsEvals = 1;
        }
      }
      currentEvals += lsEvals;
      st.funcEvals += lsEvals;

      if (nIter === maxIter || currentEvals >= maxEval || optCond) break;
      if (maxAbs(d) * Math.abs(t) <= toleranceChange) break;
      if (Math.abs(loss - prevLoss) < toleranceChange) break;
    }
    Object.assign(st, { d, t, hDiag, prevFlatGrad, prevLoss });
    return origLoss;
  }

  /** torch's state_dict shape: the state sits on parameter 0 (with step = calls of step()); each history list is concatenated into one array. */
  override stateDict(): OptimizerStateDict {
    const base = super.stateDict();
    const st = this.st;
    if (!st) return base;
    const entry: OptimizerStateDict["state"][string] = {
      step: st.step, funcEvals: st.funcEvals, nIter: st.nIter, t: st.t, hDiag: st.hDiag, prevLoss: st.prevLoss, ro: [...st.ro],
      oldDirs: st.oldDirs.flatMap((v) => Array.from(v)), oldStps: st.oldStps.flatMap((v) => Array.from(v)),
    };
    if (st.d) entry["d"] = Array.from(st.d);
    if (st.prevFlatGrad) entry["prevFlatGrad"] = Array.from(st.prevFlatGrad);
    return { state: { "0": entry }, paramGroups: base.paramGroups };
  }

  override loadStateDict(sd: OptimizerStateDict): void {
    super.loadStateDict({ state: {}, paramGroups: sd?.paramGroups });
    const entry = sd.state["0"];
    if (!entry) { this.st = null; return; }
    const where = "LBFGS.loadStateDict";
    const n = this.paramGroups[0]!.params.reduce((a, p) => a + p.numel(), 0);
    const num = (k: string): number => {
      const v = entry[k];
      if (typeof v !== "number") throw new StateDictError({ where, what: `state ${k} is missing or not a number` });
      return v;
    };
    const arr = (k: string, len: number | null): number[] => {
      const v = entry[k];
      if (!Array.isArray(v) || (len !== null && v.length !== len)) {
        throw new StateDictError({ where, what: `state ${k} has ${Array.isArray(v) ? v.length : "no"} values, expected ${len ?? "a list"}` });
      }
      return v;
    };
    const ro = arr("ro", null);
    const split = (k: string) => { const flat = arr(k, ro.length * n); return ro.map((_, i) => Float64Array.from(flat.slice(i * n, (i + 1) * n))); };
    this.st = {
      step: num("step"), funcEvals: num("funcEvals"), nIter: num("nIter"), t: num("t"), hDiag: num("hDiag"), prevLoss: num("prevLoss"),
      ro: [...ro], oldDirs: split("oldDirs"), oldStps: split("oldStps"),
      d: "d" in entry ? Float64Array.from(arr("d", n)) : null,
      prevFlatGrad: "prevFlatGrad" in entry ? Float64Array.from(arr("prevFlatGrad", n)) : null,
    };
  }
}

/**
 * −H·g by the two-loop recursion (Nocedal & Wright Algorithm 7.4), H being the L-BFGS inverse
 * Hessian built from H₀ = hDiag·I and the pairs (sᵢ, yᵢ), ρᵢ = 1/yᵢᵀsᵢ, oldest first.
 */
function twoLoop(g: Float64Array, ys: Float64Array[], ss: Float64Array[], ro: number[], hDiag: number): Float64Array {
  const q = g.map((v) => -v);
  const al = new Array<number>(ys.length);
  for (let i = ys.length - 1; i >= 0; i--) {
    const a = dot(ss[i]!, q) * ro[i]!;
    al[i] = a;
    const y = ys[i]!;
    for (let j = 0; j < q.length; j++) q[j] -= a * y[j]!;
  }
  for (let j = 0; j < q.length; j++) q[j] *= hDiag;
  for (let i = 0; i < ys.length; i++) {
    const c = al[i]! - dot(ys[i]!, q) * ro[i]!;
    const s = ss[i]!;
    for (let j = 0; j < q.length; j++) q[j] += c * s[j]!;
  }
  return q;
}
