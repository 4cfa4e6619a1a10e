import { atLeast, isBoolean } from "../options.js";
import type { FloatArray } from "../tensor/dtype.js";
import { Optimizer, type GroupOptions, type Params, type Rule } from "./optimizer.js";

export interface SGDOptions extends GroupOptions {
  /** Heavy-ball momentum μ (default 0: plain gradient descent). */
  momentum?: number;
  /** Dampening τ of the momentum's gradient term (default 0). */
  dampening?: number;
  /** Nesterov's look-ahead form (Sutskever et al. 2013); needs momentum > 0 and dampening 0. */
  nesterov?: boolean;
}

/** What SGD's loop reads: undamped is 1 − τ; sign −1 with maximize; nesterov and first (t = 1) are 1 or 0. */
type SGDCoefficients = [lr: number, momentum: number, undamped: number, weightDecay: number, sign: number, nesterov: number, first: number];

/**
 * Stochastic gradient descent with momentum, as torch.optim.SGD computes it:
 *   g ← ∇θ (−∇θ if maximize) + λθ
 *   b ← g at the first step, else μb + (1−τ)g
 *   g ← g + μb if nesterov, else b          (when μ ≠ 0)
 *   θ ← θ − lr·g
 * @example const opt = new mn.optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9, nesterov: true });
 */
export const sgd: Rule<SGDOptions, SGDCoefficients, [momentumBuffer: FloatArray | null]> = {
  name: "SGD",
  defaults: { lr: 1e-3, momentum: 0, dampening: 0, nesterov: false, weightDecay: 0, maximize: false },
  checks: { lr: atLeast(0), momentum: atLeast(0), dampening: atLeast(0), weightDecay: atLeast(0), nesterov: isBoolean, maximize: isBoolean },
  validate: (o) => (o.nesterov && (o.momentum <= 0 || o.dampening !== 0) ? "Nesterov momentum requires a momentum and zero dampening" : null),
  buffers: (o) => ({ momentumBuffer: o.momentum !== 0 }),
  coefficients: (o, t) => [o.lr, o.momentum, 1 - o.dampening, o.weightDecay, o.maximize ? -1 : 1, Number(o.nesterov), Number(t === 1)],
  step(p, g, s, k) {
    const buf = s[0];
    const lr = k[0], mu = k[1], undamped = k[2], wd = k[3], sign = k[4], nesterov = k[5], first = k[6];
    for (let i = 0; i < p.length; i++) {
      let d = sign * g[i]! + wd * p[i]!;
      if (buf) {
        const b = first ? d : mu * buf[i]! + undamped * d;
        buf[i] = b;
        d = nesterov ? d + mu * b : b;
      }
      p[i] -= lr * d;
    }
  },
};

export class SGD extends Optimizer<SGDOptions> {
  constructor(params: Params<SGDOptions>, options: SGDOptions = {}) {
    super(params, options, sgd);
  }
}
