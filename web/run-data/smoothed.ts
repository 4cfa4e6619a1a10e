import { EWMA } from "../../src/optim/ewma.js";

/**
 * The bias-corrected EWMA of a growing series, extended as it grows: the smoothing TensorBoard adopted in PR #639
 * and fastai's AvgSmoothLoss (vₜ = w·vₜ₋₁ + (1−w)·xₜ, shown as vₜ / (1 − wᵗ)), computed by the library's EWMA on the
 * full series, never on what a chart draws. `weight` 0 is the raw series.
 */
export class SmoothedSeries {
  private ewma: EWMA;
  private source: readonly number[] | null = null;
  readonly values: number[] = [];

  constructor(readonly weight: number) {
    this.ewma = new EWMA({ beta: weight });
  }

  /** The smoothed series of `values`: only the new tail is folded in while `values` is the same array grown. */
  of(values: readonly number[]): readonly number[] {
    if (values !== this.source || values.length < this.values.length) {
      this.source = values;
      this.values.length = 0;
      this.ewma.reset();
    }
    for (let i = this.values.length; i < values.length; i++) this.values.push(this.ewma.update(values[i]!));
    return this.values;
  }
}
