import { adam, adamCoefficients, type AdamOptions } from "./adam.js";
import { Optimizer, type Params } from "./optimizer.js";

/** AdamW takes Adam's options; only weightDecay's meaning (decoupled) and default (1e-2) differ. */
export type AdamWOptions = AdamOptions;

/**
 * AdamW — Loshchilov & Hutter 2019, "Decoupled Weight Decay Regularization", as torch.optim.AdamW:
 * Adam whose weight decay shrinks the weights directly instead of entering the gradient (so it is
 * not rescaled by 1/√v̂):
 *   θ ← θ(1 − lr·λ)
 *   then Adam's step with g ← ∇θ (−∇θ if maximize), no λθ term
 * Options (defaults): lr 1e-3, betas [0.9, 0.999], eps 1e-8, weightDecay λ 1e-2, amsgrad false, maximize false,
 * biasCorrection true, epsInsideSqrt false (see Adam).
 * @example const opt = new mn.optim.AdamW(model.parameters(), { lr: 1e-3, weightDecay: 0.05 });
 */
export const adamw: typeof adam = {
  ...adam,
  name: "AdamW",
  defaults: { ...adam.defaults, weightDecay: 1e-2 },
  coefficients: adamCoefficients(true),
};

export class AdamW extends Optimizer<AdamWOptions> {
  constructor(params: Params<AdamWOptions>, options: AdamWOptions = {}) {
    super(params, options, adamw);
  }
}
