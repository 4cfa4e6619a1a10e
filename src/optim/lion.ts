import { atLeast, betaPair, isBoolean } from "../options.js";
import type { FloatArray } from "../tensor/dtype.js";
import { Optimizer, type GroupOptions, type Params, type Rule } from "./optimizer.js";

export interface LionOptions extends GroupOptions {
  /** (β₁, β₂): the interpolation used for the step's sign, and the momentum's decay (default [0.9, 0.99]). */
  betas?: [number, number];
}

/**
 * Lion — Chen et al. 2023, "Symbolic Discovery of Optimization Algorithms", Algorithm 2 (EvoLved Sign
 * Momentum): every coordinate moves by exactly ±lr, so use a learning rate 3–10× smaller than AdamW's
 * and a weight decay 3–10× larger. Only one buffer, the momentum.
 *   g ← ∇θ (−∇θ if maximize)
 *   c ← β₁m + (1−β₁)g
 *   θ ← θ − lr·(sign(c) + λθ)            (decoupled decay, as AdamW)
 *   m ← β₂m + (1−β₂)g
 * PyTorch has no Lion (torch 1.13 included); the tests check it against this published update.
 * Options (defaults): lr 1e-4, betas [0.9, 0.99], weightDecay λ 0, maximize false.
 * @example const opt = new mn.optim.Lion(model.parameters(), { lr: 1e-4, weightDecay: 1.0 });
 */
export const lion: Rule<LionOptions, [lr: number, b1: number, c1: number, b2: number, c2: number, shrink: number, sign: number], [expAvg: FloatArray]> = {
  name: "Lion",
  defaults: { lr: 1e-4, betas: [0.9, 0.99], weightDecay: 0, maximize: false },
  checks: { lr: atLeast(0), betas: betaPair, weightDecay: atLeast(0), maximize: isBoolean },
  buffers: () => ({ expAvg: true }),
  coefficients: ({ lr, betas: [b1, b2], weightDecay, maximize }) => [lr, b1, 1 - b1, b2, 1 - b2, 1 - lr * weightDecay, maximize ? -1 : 1],
  step(p, g, s, k) {
    const m = s[0];
    const lr = k[0], b1 = k[1], c1 = k[2], b2 = k[3], c2 = k[4], shrink = k[5], sign = k[6];
    for (let i = 0; i < p.length; i++) {
      const d = sign * g[i]!;
      const c = b1 * m[i]! + c1 * d;
      p[i] = p[i]! * shrink - lr * Math.sign(c);
      m[i] = b2 * m[i]! + c2 * d;
    }
  },
};

export class Lion extends Optimizer<LionOptions> {
  constructor(params: Params<LionOptions>, options: LionOptions = {}) {
    super(params, options, lion);
  }
}
