import { atLeast, isBoolean } from "../options.js";
import { Optimizer, type GroupOptions, type Params, type Rule } from "./optimizer.js";

export interface SGDOptions extends GroupOptions {
  /** Heavy-ball momentum μ (default 0: plain gradient descent). */
  momentum?: number;
  /** Dampening τ of the momentum's gradient term (default 0). */
  dampening?: number;
  /** Nesterov's look-ahead form (Sutskever et al. 2013); needs momentum > 0 and dampening 0. */
  nesterov?: boolean;
}

/**
 * Stochastic gradient descent with momentum, as torch.optim.SGD computes it:
 *   g ← ∇θ (−∇θ if maximize) + λθ
 *   b ← g at the first step, else μb + (1−τ)g
 *   g ← g + μb if nesterov, else b          (when μ ≠ 0)
 *   θ ← θ − lr·g
 * @example const opt = new mn.optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9, nesterov: true });
 */
export const sgd: Rule<SGDOptions> = {
  name: "SGD",
  defaults: { lr: 1e-3, momentum: 0, dampening: 0, nesterov: false, weightDecay: 0, maximize: false },
  checks: { lr: atLeast(0), momentum: atLeast(0), dampening: atLeast(0), weightDecay: atLeast(0), nesterov: isBoolean, maximize: isBoolean },
  validate: (o) => (o.nesterov && (o.momentum <= 0 || o.dampening !== 0) ? "Nesterov momentum requires a momentum and zero dampening" : null),
  buffers: (o) => (o.momentum !== 0 ? ["momentumBuffer"] : []),
  step({ p, g, s, t, o }) {
    const { lr, momentum: mu, dampening, nesterov, weightDecay: wd } = o;
    const sign = o.maximize ? -1 : 1;
    const buf = s["momentumBuffer"];
    for (let i = 0; i < p.length; i++) {
      let d = sign * g[i]! + wd * p[i]!;
      if (buf) {
        const b = t === 1 ? d : mu * buf[i]! + (1 - dampening) * d;
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
