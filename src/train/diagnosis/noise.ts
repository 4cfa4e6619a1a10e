import type { Thresholds } from "./thresholds.js";
import { finding, type Finding } from "./finding.js";
import type { LossCurve } from "./loss-curve.js";
import { num } from "./numbers.js";

/**
 * Noisy loss: over the second half of the run, the per-step loss scatters around its moving median by more than
 * noisyRatio of it (robust std, so a few wild batches do not count). Skipped near zero (lossFloor), where any
 * hard example is a large relative jump. Small batches and high learning rates both make this.
 */
export function findNoise(curve: LossCurve | null, t: Thresholds): Finding | null {
  if (!curve || curve.lateSwing === null || curve.lateLevel <= t.lossFloor || curve.lateSwing <= t.noisyRatio) return null;
  return finding("noisy-loss", "warning",
    `Noisy loss: over the second half of the run the per-step loss scatters ±${(100 * curve.lateSwing).toFixed(0)}% around its trend `
    + `(level ${num(curve.lateLevel)}), so single steps say little about progress.`,
    "Use a larger batch (or accumulate gradients over several batches) or a lower learning rate; momentum averages the noise too. "
    + "To read the trend, plot an exponentially weighted average of the loss (β ≈ 0.98).");
}
