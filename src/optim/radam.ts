import { atLeast, betaPair, isBoolean, option, type OptionsOf } from "../options.js";
import type { FloatArray } from "../tensor/dtype.js";
import { Optimizer, type Params, type Rule } from "./optimizer.js";
import { wholePower } from "./whole-power.js";

const RADAM_OPTIONS = {
  /** The learning rate (default 1e-3). */
  lr: option(1e-3, atLeast(0)),
  /** (β₁, β₂): the decays of the first and second moment averages (default [0.9, 0.999]). */
  betas: option<[number, number]>([0.9, 0.999], betaPair),
  /** ε, the denominator's floor (default 1e-8). */
  eps: option(1e-8, atLeast(0)),
  /** L2 penalty λ: λθ is added to the gradient (default 0). */
  weightDecay: option(0, atLeast(0)),
  /** Ascend instead of descend: the gradient is negated (default false). */
  maximize: option(false, isBoolean),
};

/** RAdam's options (torch.optim.RAdam's, in camelCase). */
export interface RAdamOptions extends OptionsOf<typeof RADAM_OPTIONS> {}

/** What RAdam's loop reads: c = 1 − β; bc = 1 − βᵗ; rect r; sign −1 with maximize; adaptive (ρₜ > 5) 1 or 0. */
type RAdamCoefficients = [b1: number, c1: number, b2: number, c2: number, bc1: number, lr: number, rect: number, bc2Sqrt: number, eps: number,
  weightDecay: number, sign: number, adaptive: number];

/**
 * RAdam — Liu et al. 2020, "On the Variance of the Adaptive Learning Rate and Beyond", Algorithm 2, as
 * torch.optim.RAdam: Adam whose adaptive step is switched on only once the variance of v̂ is tractable
 * (ρₜ > 5), and then rectified — a warmup derived instead of tuned.
 *   g ← ∇θ (−∇θ if maximize) + λθ
 *   m ← β₁m + (1−β₁)g            v ← β₂v + (1−β₂)g²            m̂ ← m/(1−β₁ᵗ)
 *   ρ∞ ← 2/(1−β₂) − 1            ρₜ ← ρ∞ − 2tβ₂ᵗ/(1−β₂ᵗ)
 *   if ρₜ > 5:  r ← √((ρₜ−4)(ρₜ−2)ρ∞ / ((ρ∞−4)(ρ∞−2)ρₜ)),  θ ← θ − lr·m̂·r·√(1−β₂ᵗ)/(√v + ε)
 *   else:       θ ← θ − lr·m̂                                  (SGD with momentum)
 * torch 1.13's RAdam has no maximize; here it negates the gradient, as in PyTorch ≥ 2.0.
 * @example const opt = new mn.optim.RAdam(model.parameters(), { lr: 1e-3 });
 */
export const radam: Rule<RAdamOptions, RAdamCoefficients, { expAvg: FloatArray; expAvgSq: FloatArray }> = {
  name: "RAdam",
  options: RADAM_OPTIONS,
  buffers: () => ({ expAvg: true, expAvgSq: true }),
  coefficients(o, t) {
    const { lr, betas: [b1, b2] } = o;
    const bc1 = 1 - wholePower(b1, t), bc2 = 1 - wholePower(b2, t);
    const rhoInf = 2 / (1 - b2) - 1;
    const rhoT = rhoInf - (2 * t * wholePower(b2, t)) / bc2;
    const adaptive = rhoT > 5;
    const rect = adaptive ? Math.sqrt(((rhoT - 4) * (rhoT - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rhoT)) : 0;
    return [b1, 1 - b1, b2, 1 - b2, bc1, lr, rect, Math.sqrt(bc2), o.eps, o.weightDecay, o.maximize ? -1 : 1, Number(adaptive)];
  },
  step(p, g, s, k) {
    const { expAvg: m, expAvgSq: v } = s;
    const b1 = k[0], c1 = k[1], b2 = k[2], c2 = k[3], bc1 = k[4], lr = k[5],
      rect = k[6], bc2Sqrt = k[7], eps = k[8], wd = k[9], sign = k[10], adaptive = k[11] !== 0;
    for (let i = 0; i < p.length; i++) {
      const d = sign * g[i]! + wd * p[i]!;
      const mi = b1 * m[i]! + c1 * d;
      const vi = b2 * v[i]! + c2 * d * d;
      m[i] = mi;
      v[i] = vi;
      const mHat = mi / bc1;
      p[i] -= adaptive ? (mHat * lr * rect * bc2Sqrt) / (Math.sqrt(vi) + eps) : mHat * lr;
    }
  },
};

/**
 * The RAdam optimizer (torch.optim.RAdam): the update rule `radam` (its doc has the equations) over param groups, with
 * state dicts as torch's.
 * @example const opt = new mn.optim.RAdam(model.parameters(), { lr: 1e-3 });
 */
export class RAdam extends Optimizer<RAdamOptions> {
  constructor(params: Params<RAdamOptions>, options: RAdamOptions = {}) {
    super(params, options, radam);
  }
}
