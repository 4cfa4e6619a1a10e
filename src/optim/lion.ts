import { atLeast, betaPair, isBoolean, option, type OptionsOf } from "../options.js";
import type { FloatArray } from "../tensor/dtype.js";
import { Optimizer, type Params, type Rule } from "./optimizer.js";

const LION_OPTIONS = {
  /** The learning rate (default 1e-4). */
  lr: option(1e-4, atLeast(0)),
  /** (β₁, β₂): the interpolation used for the step's sign, and the momentum's decay (default [0.9, 0.99]). */
  betas: option<[number, number]>([0.9, 0.99], betaPair),
  /** Decoupled weight decay λ, as AdamW's: θ ← θ − lr·λθ with the step (default 0). */
  weightDecay: option(0, atLeast(0)),
  /** Ascend instead of descend: the gradient is negated (default false). */
  maximize: option(false, isBoolean),
};

/** Lion's options (those of Chen et al. 2023, in camelCase). */
export interface LionOptions extends OptionsOf<typeof LION_OPTIONS> {}

/**
 * Lion — Chen et al. 2023, "Symbolic Discovery of Optimization Algorithms", Algorithm 2 (EvoLved Sign
 * Momentum): every coordinate moves by exactly ±lr, so use a learning rate 3–10× smaller than AdamW's
 * and a weight decay 3–10× larger. Only one buffer, the momentum.
 *   g ← ∇θ (−∇θ if maximize)
 *   c ← β₁m + (1−β₁)g
 *   θ ← θ − lr·(sign(c) + λθ)            (decoupled decay, as AdamW)
 *   m ← β₂m + (1−β₂)g
 * PyTorch has no Lion (torch 1.13 included); the tests check it against this published update.
 * @example const opt = new mn.optim.Lion(model.parameters(), { lr: 1e-4, weightDecay: 1.0 });
 */
export const lion: Rule<LionOptions, [lr: number, b1: number, c1: number, b2: number, c2: number, shrink: number, sign: number], { expAvg: FloatArray }> = {
  name: "Lion",
  options: LION_OPTIONS,
  buffers: () => ({ expAvg: true }),
  coefficients: ({ lr, betas: [b1, b2], weightDecay, maximize }) => [lr, b1, 1 - b1, b2, 1 - b2, 1 - lr * weightDecay, maximize ? -1 : 1],
  step(p, g, s, k) {
    const { expAvg: m } = s;
    const lr = k[0], b1 = k[1], c1 = k[2], b2 = k[3], c2 = k[4], shrink = k[5], sign = k[6];
    for (let i = 0; i < p.length; i++) {
      const d = sign * g[i]!;
      const c = b1 * m[i]! + c1 * d;
      p[i] = p[i]! * shrink - lr * Math.sign(c);
      m[i] = b2 * m[i]! + c2 * d;
    }
  },
};

/**
 * The Lion optimizer (PyTorch has none): the update rule `lion` (its doc has the equations) over param groups, with
 * state dicts as torch's.
 * @example const opt = new mn.optim.Lion(model.parameters(), { lr: 1e-4, weightDecay: 1.0 });
 */
export class Lion extends Optimizer<LionOptions> {
  constructor(params: Params<LionOptions>, options: LionOptions = {}) {
    super(params, options, lion);
  }
}
