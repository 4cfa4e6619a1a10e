import { atLeast, isBoolean } from "../options.js";
import type { FloatArray } from "../tensor/dtype.js";
import { Optimizer, type GroupOptions, type Params, type Rule } from "./optimizer.js";

export interface AdagradOptions extends GroupOptions {
  /** Step-size decay η: the step uses lr/(1 + (t−1)η) (default 0). */
  lrDecay?: number;
  /** The accumulator's start value h₀ (default 0, PyTorch; Keras starts at 0.1). */
  initialAccumulatorValue?: number;
  /** ε, the denominator's floor (default 1e-10; Keras uses 1e-7). */
  eps?: number;
  /** Put ε inside the square root, √(h + ε), as TensorFlow/Keras do (default false: √h + ε, PyTorch). */
  epsInsideSqrt?: boolean;
}

/** What Adagrad's loop reads: clr = γ̃ of step t; sign −1 with maximize; h0 the accumulator's start; first (t = 1) and epsInsideSqrt 1 or 0. */
type AdagradCoefficients = [clr: number, weightDecay: number, eps: number, sign: number, h0: number, first: number, epsInsideSqrt: number];

/**
 * Adagrad — Duchi, Hazan & Singer 2011, "Adaptive Subgradient Methods", as torch.optim.Adagrad computes it.
 * Each coordinate's step shrinks with the sum of its squared gradients, so rarely moved coordinates move more:
 *   g ← ∇θ (−∇θ if maximize) + λθ
 *   γ̃ ← lr / (1 + (t−1)·η)
 *   h ← h + g²                    (h₀ = initialAccumulatorValue)
 *   θ ← θ − γ̃·g / (√h + ε)        (epsInsideSqrt: θ ← θ − γ̃·g / √(h + ε))
 * Options (defaults): lr 1e-2, lrDecay η 0, weightDecay λ 0, initialAccumulatorValue 0, eps 1e-10,
 * maximize false, epsInsideSqrt false. PyTorch's recipe is the default; Keras' Adagrad is
 * `{ initialAccumulatorValue: 0.1, eps: 1e-7, epsInsideSqrt: true }`.
 * @example const opt = new mn.optim.Adagrad(model.parameters(), { lr: 0.01 });
 */
export const adagrad: Rule<AdagradOptions, AdagradCoefficients, [sum: FloatArray]> = {
  name: "Adagrad",
  defaults: { lr: 1e-2, lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 1e-10, maximize: false, epsInsideSqrt: false },
  checks: {
    lr: atLeast(0), lrDecay: atLeast(0), weightDecay: atLeast(0), initialAccumulatorValue: atLeast(0), eps: atLeast(0),
    maximize: isBoolean, epsInsideSqrt: isBoolean,
  },
  buffers: () => ({ sum: true }),
  coefficients: (o, t) => [o.lr / (1 + (t - 1) * o.lrDecay), o.weightDecay, o.eps, o.maximize ? -1 : 1, o.initialAccumulatorValue,
    Number(t === 1), Number(o.epsInsideSqrt)],
  step(p, g, s, k) {
    const sum = s[0];
    const clr = k[0], wd = k[1], eps = k[2], sign = k[3], h0 = k[4], first = k[5], epsInsideSqrt = k[6];
    for (let i = 0; i < p.length; i++) {
      const d = sign * g[i]! + wd * p[i]!;
      // The base zero-fills buffers; the accumulator starts at h₀ instead.
      const h = (first ? h0 : sum[i]!) + d * d;
      sum[i] = h;
      p[i] -= (clr * d) / (epsInsideSqrt ? Math.sqrt(h + eps) : Math.sqrt(h) + eps);
    }
  },
};

export class Adagrad extends Optimizer<AdagradOptions> {
  constructor(params: Params<AdagradOptions>, options: AdagradOptions = {}) {
    super(params, options, adagrad);
  }
}
