import { atLeast, isBoolean, option, type OptionsOf } from "../options.js";
import type { FloatArray } from "../tensor/dtype.js";
import { Optimizer, type Params, type Rule } from "./optimizer.js";

const SGD_OPTIONS = {
  /** The learning rate (default 1e-3). */
  lr: option(1e-3, atLeast(0)),
  /** Heavy-ball momentum μ (default 0: plain gradient descent). */
  momentum: option(0, atLeast(0)),
  /** Dampening τ of the momentum's gradient term (default 0). */
  dampening: option(0, atLeast(0)),
  /** Nesterov's look-ahead form (Sutskever et al. 2013); needs momentum > 0 and dampening 0 (default false). */
  nesterov: option(false, isBoolean),
  /** L2 penalty λ: λθ is added to the gradient (default 0). */
  weightDecay: option(0, atLeast(0)),
  /** Ascend instead of descend: the gradient is negated (default false). */
  maximize: option(false, isBoolean),
};

/** SGD's options (torch.optim.SGD's, in camelCase). */
export interface SGDOptions extends OptionsOf<typeof SGD_OPTIONS> {}

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
export const sgd: Rule<SGDOptions, SGDCoefficients, { momentumBuffer?: FloatArray }> = {
  name: "SGD",
  options: SGD_OPTIONS,
  validate: (o) => (o.nesterov && (o.momentum <= 0 || o.dampening !== 0) ? "Nesterov momentum requires a momentum and zero dampening" : null),
  buffers: (o) => ({ momentumBuffer: o.momentum !== 0 }),
  coefficients: (o, t) => [o.lr, o.momentum, 1 - o.dampening, o.weightDecay, o.maximize ? -1 : 1, Number(o.nesterov), Number(t === 1)],
  step(p, g, s, k) {
    const { momentumBuffer: buf } = s;
    const lr = k[0], mu = k[1], undamped = k[2], wd = k[3], sign = k[4], nesterov = k[5] !== 0, first = k[6] !== 0;
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

/**
 * The SGD optimizer (torch.optim.SGD): the update rule `sgd` (its doc has the equations) over param groups, with
 * state dicts as torch's.
 * @example const opt = new mn.optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9, nesterov: true });
 */
export class SGD extends Optimizer<SGDOptions> {
  constructor(params: Params<SGDOptions>, options: SGDOptions = {}) {
    super(params, options, sgd);
  }
}
