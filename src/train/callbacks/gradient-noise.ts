import { atLeast, checkOptions, option, type OptionsOf } from "../../options.js";
import type { Callback, FitContext } from "../callback.js";

const GRADIENT_NOISE_OPTIONS = {
  /** η, the noise variance at the first step (default 0.01; the paper tried 0.01, 0.3 and 1). */
  eta: option(0.01, atLeast(0)),
  /** γ, how fast the variance decays with the step (default 0.55, the paper's). */
  gamma: option(0.55, atLeast(0)),
};

/** The options of GradientNoise. */
export interface GradientNoiseOptions extends OptionsOf<typeof GRADIENT_NOISE_OPTIONS> {}

/**
 * Annealed Gaussian gradient noise (Neelakantan et al. 2015, "Adding Gradient Noise Improves
 * Learning for Very Deep Networks"): before each optimizer step, every gradient gets
 *   g ← g + N(0, σ_t²),   σ_t² = η / (1 + t)^γ,
 * t being the 0-based index of the step about to be taken (ctx.step). Early, large noise helps
 * escape poor regions and saddle points; its decay lets training settle. The noise is drawn
 * from ctx.generator, so a seeded run repeats exactly and a resumed one continues its stream.
 * fit() clips the gradients before onBeforeStep, so the noise is added to the clipped gradient.
 * @example mn.train.fit(model, { train, optimizer, epochs: 10, callbacks: [new mn.train.callbacks.GradientNoise({ eta: 0.3 })] });
 */
export class GradientNoise implements Callback {
  readonly eta: number;
  readonly gamma: number;

  constructor(options: GradientNoiseOptions = {}) {
    const o = checkOptions("GradientNoise", options, GRADIENT_NOISE_OPTIONS);
    this.eta = o.eta;
    this.gamma = o.gamma;
  }

  /** σ_t², the variance of the noise added before step t (0-based). */
  variance(t: number): number {
    return this.eta / (1 + t) ** this.gamma;
  }

  onBeforeStep(ctx: FitContext): void {
    const std = Math.sqrt(this.variance(ctx.step));
    if (std === 0) return;
    for (const p of ctx.model.parameters()) {
      if (!p.requiresGrad || p.grad === null) continue;
      const g = p.grad.data;
      for (let i = 0; i < g.length; i++) g[i] = g[i]! + std * ctx.generator.normal();
    }
  }
}
