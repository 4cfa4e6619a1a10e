import { atLeast, option, type OptionsOf } from "../options.js";
import { adam, adamCoefficients, type AdamOptions } from "./adam.js";
import { Optimizer, type Params } from "./optimizer.js";

const DECOUPLED_WEIGHT_DECAY = {
  /** Decoupled weight decay λ: θ ← θ(1 − lr·λ) before Adam's step, instead of λθ in the gradient (default 1e-2). */
  weightDecay: option(1e-2, atLeast(0)),
};

/** AdamW's options: Adam's, with weightDecay decoupled and 1e-2 by default. */
export interface AdamWOptions extends Omit<AdamOptions, "weightDecay">, OptionsOf<typeof DECOUPLED_WEIGHT_DECAY> {}

/**
 * AdamW — Loshchilov & Hutter 2019, "Decoupled Weight Decay Regularization", as torch.optim.AdamW:
 * Adam whose weight decay shrinks the weights directly instead of entering the gradient (so it is
 * not rescaled by 1/√v̂):
 *   θ ← θ(1 − lr·λ)
 *   then Adam's step with g ← ∇θ (−∇θ if maximize), no λθ term
 * @example const opt = new mn.optim.AdamW(model.parameters(), { lr: 1e-3, weightDecay: 0.05 });
 */
export const adamw: typeof adam = {
  ...adam,
  name: "AdamW",
  options: { ...adam.options, ...DECOUPLED_WEIGHT_DECAY }, // weightDecay keeps its place: messages list Adam's order
  coefficients: adamCoefficients(true),
};

/**
 * The AdamW optimizer (torch.optim.AdamW): the update rule `adamw` (its doc has the equations) over param groups, with
 * state dicts as torch's.
 * @example const opt = new mn.optim.AdamW(model.parameters(), { lr: 1e-3, weightDecay: 0.05 });
 */
export class AdamW extends Optimizer<AdamWOptions> {
  constructor(params: Params<AdamWOptions>, options: AdamWOptions = {}) {
    super(params, options, adamw);
  }
}
