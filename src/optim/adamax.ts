import { atLeast, betaPair, isBoolean, option, type OptionsOf } from "../options.js";
import type { FloatArray } from "../tensor/dtype.js";
import { Optimizer, type Params, type Rule } from "./optimizer.js";
import { wholePower } from "./whole-power.js";

const ADAMAX_OPTIONS = {
  /** The learning rate (default 2e-3). */
  lr: option(2e-3, atLeast(0)),
  /** (β₁, β₂): the decays of the first moment and of the infinity norm (default [0.9, 0.999]). */
  betas: option<[number, number]>([0.9, 0.999], betaPair),
  /** ε, added to |g| so the norm is never 0 (default 1e-8). */
  eps: option(1e-8, atLeast(0)),
  /** L2 penalty λ: λθ is added to the gradient (default 0). */
  weightDecay: option(0, atLeast(0)),
  /** Ascend instead of descend: the gradient is negated (default false). */
  maximize: option(false, isBoolean),
};

/** Adamax's options (torch.optim.Adamax's, in camelCase). */
export interface AdamaxOptions extends OptionsOf<typeof ADAMAX_OPTIONS> {}

/**
 * Adamax — Kingma & Ba 2015, §7.1: Adam with the L² norm of past gradients replaced by the L^∞ norm.
 * As torch.optim.Adamax computes it:
 *   g ← ∇θ (−∇θ if maximize) + λθ
 *   m ← β₁m + (1−β₁)g
 *   u ← max(β₂u, |g| + ε)
 *   θ ← θ − lr/(1−β₁ᵗ) · m/u
 * @example const opt = new mn.optim.Adamax(model.parameters(), { lr: 2e-3 });
 */
export const adamax: Rule<AdamaxOptions, [b1: number, c1: number, b2: number, eps: number, weightDecay: number, sign: number, clr: number],
  { expAvg: FloatArray; expInf: FloatArray }> = {
  name: "Adamax",
  options: ADAMAX_OPTIONS,
  buffers: () => ({ expAvg: true, expInf: true }),
  coefficients: ({ lr, betas: [b1, b2], eps, weightDecay, maximize }, t) => [b1, 1 - b1, b2, eps, weightDecay, maximize ? -1 : 1, lr / (1 - wholePower(b1, t))],
  step(p, g, s, k) {
    const { expAvg: m, expInf: u } = s;
    const b1 = k[0], c1 = k[1], b2 = k[2], eps = k[3], wd = k[4], sign = k[5], clr = k[6];
    for (let i = 0; i < p.length; i++) {
      const d = sign * g[i]! + wd * p[i]!;
      const mi = b1 * m[i]! + c1 * d;
      const ui = Math.max(b2 * u[i]!, Math.abs(d) + eps);
      m[i] = mi;
      u[i] = ui;
      p[i] -= (clr * mi) / ui;
    }
  },
};

/**
 * The Adamax optimizer (torch.optim.Adamax): the update rule `adamax` (its doc has the equations) over param groups, with
 * state dicts as torch's.
 * @example const opt = new mn.optim.Adamax(model.parameters(), { lr: 2e-3 });
 */
export class Adamax extends Optimizer<AdamaxOptions> {
  constructor(params: Params<AdamaxOptions>, options: AdamaxOptions = {}) {
    super(params, options, adamax);
  }
}
