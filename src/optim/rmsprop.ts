import { atLeast, isBoolean, option, unitInterval, type OptionsOf } from "../options.js";
import type { FloatArray } from "../tensor/dtype.js";
import { Optimizer, type Params, type Rule } from "./optimizer.js";

const RMSPROP_OPTIONS = {
  /** The learning rate (default 1e-2). */
  lr: option(1e-2, atLeast(0)),
  /** α, the decay of the running average of g² (default 0.99; Keras' rho is 0.9). */
  alpha: option(0.99, unitInterval),
  /** ε, the denominator's floor (default 1e-8; Keras uses 1e-7). */
  eps: option(1e-8, atLeast(0)),
  /** L2 penalty λ: λθ is added to the gradient (default 0). */
  weightDecay: option(0, atLeast(0)),
  /** Momentum μ on the normalized step (default 0). */
  momentum: option(0, atLeast(0)),
  /** Divide by the estimated variance v − ḡ² instead of the second moment v (Graves 2013; default false). */
  centered: option(false, isBoolean),
  /** Ascend instead of descend: the gradient is negated (default false). */
  maximize: option(false, isBoolean),
  /** Put ε inside the square root, √(v + ε), as TensorFlow/Keras do (default false: √v + ε, PyTorch). */
  epsInsideSqrt: option(false, isBoolean),
};

/** RMSprop's options (torch.optim.RMSprop's, in camelCase). */
export interface RMSpropOptions extends OptionsOf<typeof RMSPROP_OPTIONS> {}

/** What RMSprop's loop reads: c = 1 − α; sign −1 with maximize; epsInsideSqrt 1 or 0. */
type RMSpropCoefficients = [lr: number, alpha: number, c: number, eps: number, weightDecay: number, momentum: number, sign: number, epsInsideSqrt: number];

/**
 * RMSprop — Hinton, Coursera "Neural Networks for Machine Learning" lecture 6e (2012); centered form
 * from Graves 2013, "Generating Sequences With Recurrent Neural Networks". As torch.optim.RMSprop:
 *   g ← ∇θ (−∇θ if maximize) + λθ
 *   v ← αv + (1−α)g²
 *   ṽ ← v − ḡ², with ḡ ← αḡ + (1−α)g      if centered, else ṽ ← v
 *   d ← √ṽ + ε                           (epsInsideSqrt: d ← √(ṽ + ε))
 *   b ← μb + g/d,  θ ← θ − lr·b            if μ > 0, else θ ← θ − lr·g/d
 * PyTorch's convention is the default; TensorFlow/Keras' RMSprop is
 * `{ lr: 1e-3, alpha: 0.9, eps: 1e-7, epsInsideSqrt: true }`.
 * @example const opt = new mn.optim.RMSprop(model.parameters(), { lr: 1e-3, momentum: 0.9 });
 */
export const rmsprop: Rule<RMSpropOptions, RMSpropCoefficients, { squareAvg: FloatArray; momentumBuffer?: FloatArray; gradAvg?: FloatArray }> = {
  name: "RMSprop",
  options: RMSPROP_OPTIONS,
  buffers: (o) => ({ squareAvg: true, momentumBuffer: o.momentum > 0, gradAvg: o.centered }),
  coefficients: (o) => [o.lr, o.alpha, 1 - o.alpha, o.eps, o.weightDecay, o.momentum, o.maximize ? -1 : 1, Number(o.epsInsideSqrt)],
  step(p, g, s, k) {
    const { squareAvg: v, momentumBuffer: buf, gradAvg: avg } = s;
    const lr = k[0], alpha = k[1], c = k[2], eps = k[3], wd = k[4], mu = k[5], sign = k[6], epsInsideSqrt = k[7] !== 0;
    for (let i = 0; i < p.length; i++) {
      const d = sign * g[i]! + wd * p[i]!;
      let vi = alpha * v[i]! + c * d * d;
      v[i] = vi;
      if (avg) {
        const a = alpha * avg[i]! + c * d;
        avg[i] = a;
        vi -= a * a;
      }
      const step = d / (epsInsideSqrt ? Math.sqrt(vi + eps) : Math.sqrt(vi) + eps);
      if (buf) {
        const b = mu * buf[i]! + step;
        buf[i] = b;
        p[i] -= lr * b;
      } else p[i] -= lr * step;
    }
  },
};

/**
 * The RMSprop optimizer (torch.optim.RMSprop): the update rule `rmsprop` (its doc has the equations) over param groups, with
 * state dicts as torch's.
 * @example const opt = new mn.optim.RMSprop(model.parameters(), { lr: 1e-3, momentum: 0.9 });
 */
export class RMSprop extends Optimizer<RMSpropOptions> {
  constructor(params: Params<RMSpropOptions>, options: RMSpropOptions = {}) {
    super(params, options, rmsprop);
  }
}
