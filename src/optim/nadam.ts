import { atLeast, betaPair, isBoolean, option, type OptionsOf } from "../options.js";
import type { FloatArray } from "../tensor/dtype.js";
import { Optimizer, type Params, type Rule } from "./optimizer.js";
import { fixedExp } from "./fixed-exp.js";
import { wholePower } from "./whole-power.js";

// ln 0.96, the nearest double (a literal: engines' Math.log may differ in the last bit).
const LN_096 = -0.040821994520255166;

const NADAM_OPTIONS = {
  /** The learning rate (default 2e-3). */
  lr: option(2e-3, atLeast(0)),
  /** (β₁, β₂): the decays of the first and second moment averages (default [0.9, 0.999]). */
  betas: option<[number, number]>([0.9, 0.999], betaPair),
  /** ε, the denominator's floor (default 1e-8). */
  eps: option(1e-8, atLeast(0)),
  /** L2 penalty λ: λθ is added to the gradient (default 0). */
  weightDecay: option(0, atLeast(0)),
  /** ψ, how fast the momentum schedule μₜ warms up to β₁ (default 4e-3). */
  momentumDecay: option(4e-3, atLeast(0)),
  /** Ascend instead of descend: the gradient is negated (default false). */
  maximize: option(false, isBoolean),
};

/** NAdam's options (torch.optim.NAdam's, in camelCase). */
export interface NAdamOptions extends OptionsOf<typeof NADAM_OPTIONS> {}

/** What NAdam's loop reads: c = 1 − β; bc2 = 1 − β₂ᵗ; cg and cm the gradient's and the momentum's step sizes; sign −1 with maximize. */
type NAdamCoefficients = [b1: number, c1: number, b2: number, c2: number, bc2: number, cg: number, cm: number, eps: number, weightDecay: number, sign: number];

/**
 * NAdam — Dozat 2016, "Incorporating Nesterov Momentum into Adam", Algorithm 2, as torch.optim.NAdam:
 * Adam whose first-moment term looks one step ahead, as Nesterov momentum does.
 *   g ← ∇θ (−∇θ if maximize) + λθ
 *   μₜ ← β₁(1 − ½·0.96^(tψ))      μₜ₊₁ ← β₁(1 − ½·0.96^((t+1)ψ))      Πₜ ← Πₜ₋₁·μₜ  (Π₀ = 1)
 *   m ← β₁m + (1−β₁)g            v ← β₂v + (1−β₂)g²                 v̂ ← v/(1−β₂ᵗ)
 *   θ ← θ − lr·(1−μₜ)/(1−Πₜ) · g/(√v̂ + ε) − lr·μₜ₊₁/(1−Πₜμₜ₊₁) · m/(√v̂ + ε)
 * Π is per-parameter scalar state (`muProduct` in the state dict). The last term uses Πₜμₜ₊₁ as the
 * paper and PyTorch ≥ 2.0 do; torch 1.13 multiplied by μₜ once more (fixed in pytorch/pytorch#92699).
 * torch 1.13's NAdam has no maximize; here it negates the gradient, as in PyTorch ≥ 2.0.
 * @example const opt = new mn.optim.NAdam(model.parameters(), { lr: 2e-3 });
 */
export const nadam: Rule<NAdamOptions, NAdamCoefficients, { expAvg: FloatArray; expAvgSq: FloatArray }> = {
  name: "NAdam",
  options: NADAM_OPTIONS,
  buffers: () => ({ expAvg: true, expAvgSq: true }),
  scalars: () => ({ muProduct: 1 }),
  coefficients(o, t, sc) {
    const { lr, betas: [b1, b2], momentumDecay: psi } = o;
    // 0.96^(tψ) as e^(tψ·ln 0.96) from arithmetic alone: the same bits in Node and in the browser.
    const mu = b1 * (1 - 0.5 * fixedExp(t * psi * LN_096));
    const muNext = b1 * (1 - 0.5 * fixedExp((t + 1) * psi * LN_096));
    const prod = (sc["muProduct"] = sc["muProduct"]! * mu);
    return [b1, 1 - b1, b2, 1 - b2, 1 - wholePower(b2, t), (lr * (1 - mu)) / (1 - prod), (lr * muNext) / (1 - prod * muNext), o.eps, o.weightDecay,
      o.maximize ? -1 : 1];
  },
  step(p, g, s, k) {
    const { expAvg: m, expAvgSq: v } = s;
    const b1 = k[0], c1 = k[1], b2 = k[2], c2 = k[3], bc2 = k[4], cg = k[5], cm = k[6], eps = k[7], wd = k[8], sign = k[9];
    for (let i = 0; i < p.length; i++) {
      const d = sign * g[i]! + wd * p[i]!;
      const mi = b1 * m[i]! + c1 * d;
      const vi = b2 * v[i]! + c2 * d * d;
      m[i] = mi;
      v[i] = vi;
      p[i] -= (cg * d + cm * mi) / (Math.sqrt(vi / bc2) + eps);
    }
  },
};

/**
 * The NAdam optimizer (torch.optim.NAdam): the update rule `nadam` (its doc has the equations) over param groups, with
 * state dicts as torch's.
 * @example const opt = new mn.optim.NAdam(model.parameters(), { lr: 2e-3 });
 */
export class NAdam extends Optimizer<NAdamOptions> {
  constructor(params: Params<NAdamOptions>, options: NAdamOptions = {}) {
    super(params, options, nadam);
  }
}
