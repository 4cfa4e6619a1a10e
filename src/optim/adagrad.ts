import { atLeast, isBoolean, option, type OptionsOf } from "../options.js";
import type { FloatArray } from "../tensor/dtype.js";
import { Optimizer, type Params, type Rule } from "./optimizer.js";

const ADAGRAD_OPTIONS = {
  /** The learning rate (default 1e-2). */
  lr: option(1e-2, atLeast(0)),
  /** Step-size decay η: the step uses lr/(1 + (t−1)η) (default 0). */
  lrDecay: option(0, atLeast(0)),
  /** L2 penalty λ: λθ is added to the gradient (default 0). */
  weightDecay: option(0, atLeast(0)),
  /** The accumulator's start value h₀ (default 0, PyTorch; Keras starts at 0.1). */
  initialAccumulatorValue: option(0, atLeast(0)),
  /** ε, the denominator's floor (default 1e-10; Keras uses 1e-7). */
  eps: option(1e-10, atLeast(0)),
  /** Ascend instead of descend: the gradient is negated (default false). */
  maximize: option(false, isBoolean),
  /** Put ε inside the square root, √(h + ε), as TensorFlow/Keras do (default false: √h + ε, PyTorch). */
  epsInsideSqrt: option(false, isBoolean),
};

/** Adagrad's options (torch.optim.Adagrad's, in camelCase). */
export interface AdagradOptions extends OptionsOf<typeof ADAGRAD_OPTIONS> {}

/** What Adagrad's loop reads: clr = γ̃ of step t; sign −1 with maximize; h0 the accumulator's start; first (t = 1) and epsInsideSqrt 1 or 0. */
type AdagradCoefficients = [clr: number, weightDecay: number, eps: number, sign: number, h0: number, first: number, epsInsideSqrt: number];

/**
 * Adagrad — Duchi, Hazan & Singer 2011, "Adaptive Subgradient Methods", as torch.optim.Adagrad computes it.
 * Each coordinate's step shrinks with the sum of its squared gradients, so rarely moved coordinates move more:
 *   g ← ∇θ (−∇θ if maximize) + λθ
 *   γ̃ ← lr / (1 + (t−1)·η)
 *   h ← h + g²                    (h₀ = initialAccumulatorValue)
 *   θ ← θ − γ̃·g / (√h + ε)        (epsInsideSqrt: θ ← θ − γ̃·g / √(h + ε))
 * PyTorch's recipe is the default; Keras' Adagrad is
 * `{ initialAccumulatorValue: 0.1, eps: 1e-7, epsInsideSqrt: true }`.
 * @example const opt = new mn.optim.Adagrad(model.parameters(), { lr: 0.01 });
 */
export const adagrad: Rule<AdagradOptions, AdagradCoefficients, { sum: FloatArray }> = {
  name: "Adagrad",
  options: ADAGRAD_OPTIONS,
  buffers: () => ({ sum: true }),
  coefficients: (o, t) => [o.lr / (1 + (t - 1) * o.lrDecay), o.weightDecay, o.eps, o.maximize ? -1 : 1, o.initialAccumulatorValue,
    Number(t === 1), Number(o.epsInsideSqrt)],
  step(p, g, s, k) {
    const { sum } = s;
    const clr = k[0], wd = k[1], eps = k[2], sign = k[3], h0 = k[4], first = k[5] !== 0, epsInsideSqrt = k[6] !== 0;
    for (let i = 0; i < p.length; i++) {
      const d = sign * g[i]! + wd * p[i]!;
      // The base zero-fills buffers; the accumulator starts at h₀ instead.
      const h = (first ? h0 : sum[i]!) + d * d;
      sum[i] = h;
      p[i] -= (clr * d) / (epsInsideSqrt ? Math.sqrt(h + eps) : Math.sqrt(h) + eps);
    }
  },
};

/**
 * The Adagrad optimizer (torch.optim.Adagrad): the update rule `adagrad` (its doc has the equations) over param groups, with
 * state dicts as torch's.
 * @example const opt = new mn.optim.Adagrad(model.parameters(), { lr: 0.01 });
 */
export class Adagrad extends Optimizer<AdagradOptions> {
  constructor(params: Params<AdagradOptions>, options: AdagradOptions = {}) {
    super(params, options, adagrad);
  }
}
