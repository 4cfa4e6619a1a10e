import { atLeast, isBoolean } from "../options.js";
import type { FloatArray } from "../tensor/dtype.js";
import { unitInterval } from "./adadelta.js";
import { Optimizer, type GroupOptions, type Params, type Rule } from "./optimizer.js";

export interface RMSpropOptions extends GroupOptions {
  /** α, the decay of the running average of g² (default 0.99; Keras' rho is 0.9). */
  alpha?: number;
  /** ε, the denominator's floor (default 1e-8; Keras uses 1e-7). */
  eps?: number;
  /** Momentum μ on the normalized step (default 0). */
  momentum?: number;
  /** Divide by the estimated variance v − ḡ² instead of the second moment v (Graves 2013; default false). */
  centered?: boolean;
  /** Put ε inside the square root, √(v + ε), as TensorFlow/Keras do (default false: √v + ε, PyTorch). */
  epsInsideSqrt?: boolean;
}

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
 * Options (defaults): lr 1e-2, alpha α 0.99, eps ε 1e-8, weightDecay λ 0, momentum μ 0, centered false,
 * maximize false, epsInsideSqrt false. PyTorch's convention is the default; TensorFlow/Keras' RMSprop is
 * `{ lr: 1e-3, alpha: 0.9, eps: 1e-7, epsInsideSqrt: true }`.
 * @example const opt = new mn.optim.RMSprop(model.parameters(), { lr: 1e-3, momentum: 0.9 });
 */
export const rmsprop: Rule<RMSpropOptions, RMSpropCoefficients, [squareAvg: FloatArray, momentumBuffer: FloatArray | null, gradAvg: FloatArray | null]> = {
  name: "RMSprop",
  defaults: { lr: 1e-2, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false, maximize: false, epsInsideSqrt: false },
  checks: {
    lr: atLeast(0), alpha: unitInterval, eps: atLeast(0), weightDecay: atLeast(0), momentum: atLeast(0),
    centered: isBoolean, maximize: isBoolean, epsInsideSqrt: isBoolean,
  },
  buffers: (o) => ({ squareAvg: true, momentumBuffer: o.momentum > 0, gradAvg: o.centered }),
  coefficients: (o) => [o.lr, o.alpha, 1 - o.alpha, o.eps, o.weightDecay, o.momentum, o.maximize ? -1 : 1, Number(o.epsInsideSqrt)],
  step(p, g, s, k) {
    const v = s[0], buf = s[1], avg = s[2];
    const lr = k[0], alpha = k[1], c = k[2], eps = k[3], wd = k[4], mu = k[5], sign = k[6], epsInsideSqrt = k[7];
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

export class RMSprop extends Optimizer<RMSpropOptions> {
  constructor(params: Params<RMSpropOptions>, options: RMSpropOptions = {}) {
    super(params, options, rmsprop);
  }
}
