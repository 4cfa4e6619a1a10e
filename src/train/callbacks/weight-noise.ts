import { atLeast, checkOptions, option, type OptionsOf } from "../../options.js";
import type { TypedArray } from "../../tensor/dtype.js";
import type { Tensor } from "../../tensor/tensor.js";
import type { Callback, FitContext } from "../callback.js";

const WEIGHT_NOISE_OPTIONS = {
  /** Standard deviation of the noise added to every weight for each batch (default 0.01). */
  std: option(0.01, atLeast(0)),
};

/** The options of WeightNoise. */
export interface WeightNoiseOptions extends OptionsOf<typeof WEIGHT_NOISE_OPTIONS> {}

/**
 * Weight noise (Graves 2011, "Practical Variational Inference for Neural Networks"; Graves et al.
 * 2013 for speech): for each batch, every trainable parameter is perturbed, w̃ = w + N(0, std²),
 * the forward and backward passes run at w̃, and the step then moves the clean weights:
 *   w ← w − lr·∇L(w̃)   (for SGD; any optimizer sees ∇L(w̃) as its gradient).
 * The net is pushed toward flat regions where small weight changes do not hurt the loss.
 * Noise goes on in onBatchBegin and comes off in onBeforeStep; evaluation sees clean weights.
 * The noise is drawn from ctx.generator.
 * @example mn.train.fit(model, { train, optimizer, epochs: 10, callbacks: [new mn.train.callbacks.WeightNoise({ std: 0.01 })] });
 */
export class WeightNoise implements Callback {
  readonly std: number;
  /** The clean values of the perturbed parameters, while the noise is on. */
  private clean: [Tensor, TypedArray][] | null = null;

  constructor(options: WeightNoiseOptions = {}) {
    const o = checkOptions("WeightNoise", options, WEIGHT_NOISE_OPTIONS);
    this.std = o.std;
  }

  onBatchBegin(ctx: FitContext): void {
    this.restore(); // a batch that never reached its step must not stack its noise on this one's
    if (this.std === 0) return;
    this.clean = [];
    for (const p of ctx.model.parameters()) {
      if (!p.requiresGrad) continue;
      this.clean.push([p, p.data.slice()]);
      const w = p.data;
      for (let i = 0; i < w.length; i++) w[i] = w[i]! + this.std * ctx.generator.normal();
    }
  }

  onBeforeStep(): void { this.restore(); }
  /** fit() may skip the step (a non-finite loss, a stop): the clean weights come back anyway. */
  onBatchEnd(): void { this.restore(); }
  onTrainEnd(): void { this.restore(); }

  // The clean values are copied back rather than the noise subtracted: (w + n) − n can differ
  // from w by an ulp, and those errors would pile up over thousands of steps.
  private restore(): void {
    if (!this.clean) return;
    for (const [p, data] of this.clean) p.data.set(data);
    this.clean = null;
  }
}
