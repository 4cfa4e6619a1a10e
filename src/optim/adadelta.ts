import { atLeast, isBoolean, option, unitInterval, type OptionsOf } from "../options.js";
import type { FloatArray } from "../tensor/dtype.js";
import { Optimizer, type Params, type Rule } from "./optimizer.js";

const ADADELTA_OPTIONS = {
  /** The learning rate, scaling the step Δ (default 1.0). */
  lr: option(1.0, atLeast(0)),
  /** ρ, the decay of both running averages (default 0.9). */
  rho: option(0.9, unitInterval),
  /** ε, added inside both square roots (default 1e-6). */
  eps: option(1e-6, atLeast(0)),
  /** L2 penalty λ: λθ is added to the gradient (default 0). */
  weightDecay: option(0, atLeast(0)),
  /** Ascend instead of descend: the gradient is negated (default false). */
  maximize: option(false, isBoolean),
};

/** Adadelta's options (torch.optim.Adadelta's, in camelCase). */
export interface AdadeltaOptions extends OptionsOf<typeof ADADELTA_OPTIONS> {}

/**
 * Adadelta — Zeiler 2012, "ADADELTA: An Adaptive Learning Rate Method", as torch.optim.Adadelta computes it.
 * The step's units come from a running average of past steps, so no learning rate is needed (lr = 1):
 *   g ← ∇θ (−∇θ if maximize) + λθ
 *   v ← ρv + (1−ρ)g²
 *   Δ ← √(u + ε) / √(v + ε) · g
 *   u ← ρu + (1−ρ)Δ²
 *   θ ← θ − lr·Δ
 * @example const opt = new mn.optim.Adadelta(model.parameters());
 */
export const adadelta: Rule<AdadeltaOptions, [lr: number, rho: number, c: number, eps: number, weightDecay: number, sign: number],
  { squareAvg: FloatArray; accDelta: FloatArray }> = {
  name: "Adadelta",
  options: ADADELTA_OPTIONS,
  buffers: () => ({ squareAvg: true, accDelta: true }),
  coefficients: (o) => [o.lr, o.rho, 1 - o.rho, o.eps, o.weightDecay, o.maximize ? -1 : 1],
  step(p, g, s, k) {
    const { squareAvg: v, accDelta: u } = s;
    const lr = k[0], rho = k[1], c = k[2], eps = k[3], wd = k[4], sign = k[5];
    for (let i = 0; i < p.length; i++) {
      const d = sign * g[i]! + wd * p[i]!;
      const vi = rho * v[i]! + c * d * d;
      v[i] = vi;
      const delta = (Math.sqrt(u[i]! + eps) / Math.sqrt(vi + eps)) * d;
      u[i] = rho * u[i]! + c * delta * delta;
      p[i] -= lr * delta;
    }
  },
};

/**
 * The Adadelta optimizer (torch.optim.Adadelta): the update rule `adadelta` (its doc has the equations) over param groups, with
 * state dicts as torch's.
 * @example const opt = new mn.optim.Adadelta(model.parameters());
 */
export class Adadelta extends Optimizer<AdadeltaOptions> {
  constructor(params: Params<AdadeltaOptions>, options: AdadeltaOptions = {}) {
    super(params, options, adadelta);
  }
}
