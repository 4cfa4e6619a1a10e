import { atLeast, betaPair, isBoolean, option, type OptionsOf } from "../options.js";
import type { FloatArray } from "../tensor/dtype.js";
import { Optimizer, type Params, type Rule } from "./optimizer.js";
import { wholePower } from "./whole-power.js";

const ADAM_OPTIONS = {
  /** The learning rate (default 1e-3). */
  lr: option(1e-3, atLeast(0)),
  /** (β₁, β₂): the decays of the gradient's first and second moment averages (default [0.9, 0.999]). */
  betas: option<[number, number]>([0.9, 0.999], betaPair),
  /** ε, the denominator's floor (default 1e-8). */
  eps: option(1e-8, atLeast(0)),
  /** L2 penalty λ: λθ is added to the gradient (default 0). */
  weightDecay: option(0, atLeast(0)),
  /** AMSGrad (Reddi et al. 2018): divide by the largest v seen so far (default false). */
  amsgrad: option(false, isBoolean),
  /** Ascend instead of descend: the gradient is negated (default false). */
  maximize: option(false, isBoolean),
  /** Divide m by 1−β₁ᵗ and v by 1−β₂ᵗ (default true); false shows the early blow-up it prevents. */
  biasCorrection: option(true, isBoolean),
  /** ε inside the square root, √(v̂ + ε) (default false: √v̂ + ε, PyTorch). */
  epsInsideSqrt: option(false, isBoolean),
};

/** Adam's options (torch.optim.Adam's, in camelCase, and two of Optax's and Keras' variants). */
export interface AdamOptions extends OptionsOf<typeof ADAM_OPTIONS> {}

type AdamBuffers = { expAvg: FloatArray; expAvgSq: FloatArray; maxExpAvgSq?: FloatArray };
/** What Adam's loop reads: c = 1 − β; bc2 = 1 − β₂ᵗ (1 without bias correction); sign −1 with maximize; epsInsideSqrt 1 or 0. */
type AdamCoefficients = [b1: number, c1: number, b2: number, c2: number, stepSize: number, bc2: number, bc2Sqrt: number, eps: number,
  l2: number, shrink: number, sign: number, epsInsideSqrt: number];

/**
 * Adam's coefficients. `decoupled` is AdamW: weight decay shrinks θ ← θ(1 − lr·λ) before the step instead of
 * adding λθ to the gradient (Loshchilov & Hutter 2019).
 */
export const adamCoefficients = (decoupled: boolean) => (o: Required<AdamOptions>, t: number): AdamCoefficients => {
  const { lr, betas: [b1, b2], weightDecay: wd } = o;
  const bc1 = o.biasCorrection ? 1 - wholePower(b1, t) : 1, bc2 = o.biasCorrection ? 1 - wholePower(b2, t) : 1;
  return [b1, 1 - b1, b2, 1 - b2, lr / bc1, bc2, Math.sqrt(bc2), o.eps, decoupled ? 0 : wd, decoupled ? 1 - lr * wd : 1,
    o.maximize ? -1 : 1, Number(o.epsInsideSqrt)];
};

/**
 * Adam — Kingma & Ba 2015, "Adam: A Method for Stochastic Optimization", Algorithm 1, as torch.optim.Adam:
 *   g ← ∇θ (−∇θ if maximize) + λθ
 *   m ← β₁m + (1−β₁)g            v ← β₂v + (1−β₂)g²          (amsgrad: v ← v̂ₘₐₓ ← max(v̂ₘₐₓ, v))
 *   m̂ ← m/(1−β₁ᵗ)                v̂ ← v/(1−β₂ᵗ)                (biasCorrection false: m̂ ← m, v̂ ← v)
 *   θ ← θ − lr·m̂ / (√v̂ + ε)      (epsInsideSqrt: θ ← θ − lr·m̂ / √(v̂ + ε))
 * Without bias correction the first step is lr·(1−β₁)/√(1−β₂) ≈ 3.16·lr per coordinate (β₂ = 0.999), not lr.
 * With epsInsideSqrt the update is Optax's `adam(eps=0, eps_root=ε)`;
 * Keras' Adam keeps ε outside the root, on v before its correction ("ε̂" of the paper's §2), so no flag here reproduces it.
 * @example const opt = new mn.optim.Adam(model.parameters(), { lr: 1e-3, betas: [0.9, 0.999] });
 */
export const adam: Rule<AdamOptions, AdamCoefficients, AdamBuffers> = {
  name: "Adam",
  options: ADAM_OPTIONS,
  buffers: (o) => ({ expAvg: true, expAvgSq: true, maxExpAvgSq: o.amsgrad }),
  coefficients: adamCoefficients(false),
  step(p, g, s, k) {
    const { expAvg: m, expAvgSq: v, maxExpAvgSq: vMax } = s;
    const b1 = k[0], c1 = k[1], b2 = k[2], c2 = k[3], stepSize = k[4], bc2 = k[5],
      bc2Sqrt = k[6], eps = k[7], l2 = k[8], shrink = k[9], sign = k[10], epsInsideSqrt = k[11] !== 0;
    for (let i = 0; i < p.length; i++) {
      const pi = p[i]! * shrink;
      const d = sign * g[i]! + l2 * pi;
      const mi = b1 * m[i]! + c1 * d;
      let vi = b2 * v[i]! + c2 * d * d;
      m[i] = mi;
      v[i] = vi;
      if (vMax) vMax[i] = vi = Math.max(vMax[i]!, vi);
      p[i] = pi - stepSize * (mi / (epsInsideSqrt ? Math.sqrt(vi / bc2 + eps) : Math.sqrt(vi) / bc2Sqrt + eps));
    }
  },
};

/**
 * The Adam optimizer (torch.optim.Adam): the update rule `adam` (its doc has the equations) over param groups, with
 * state dicts as torch's.
 * @example const opt = new mn.optim.Adam(model.parameters(), { lr: 1e-3, betas: [0.9, 0.999] });
 */
export class Adam extends Optimizer<AdamOptions> {
  constructor(params: Params<AdamOptions>, options: AdamOptions = {}) {
    super(params, options, adam);
  }
}
