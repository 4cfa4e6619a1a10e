import type { Thresholds } from "./thresholds.js";
import type { EpochLog } from "../history.js";
import { finding, type Finding } from "./finding.js";
import { medianNoise, type LossCurve } from "./loss-curve.js";
import { num, times } from "./numbers.js";
import { median } from "./stats.js";

const ADVICE = "The learning rate is too high for this stage of training: lower it by 3–10× or decay it (step or cosine schedule, "
  + "reduce-on-plateau); gradient clipping keeps single bad batches from undoing progress.";

/**
 * A loss that went down and came back up, short of diverging:
 * - rebound: split the curve into 10 blocks (steps; epochs are their own blocks); the last block's median ends above
 *   reboundFactor× the lowest block's median (and above lossFloor), beyond what the blocks' own noise explains;
 * - epoch swings: the epoch loss rose by more than epochMargin in 2 epochs or more (above lossFloor) and ended
 *   more than epochMargin above its best (at least 4 epochs, and minEpochs). One rise is a warm restart, not a swing.
 *   With a noisy step log the margin widens to 3 standard deviations of the difference of two epoch means.
 */
export function findOscillation(epochs: readonly EpochLog[], curve: LossCurve | null, t: Thresholds): Finding | null {
  if (curve) {
    const { loss, at, unit } = curve;
    const count = unit === "step" && loss.length >= 30 ? 10 : loss.length;
    const blocks = Array.from({ length: count }, (_, b) => {
      const from = Math.floor((b * loss.length) / count), to = Math.floor(((b + 1) * loss.length) / count);
      return { level: median(loss.slice(from, to)), at: at[Math.floor((from + to - 1) / 2)]!, size: to - from };
    });
    const low = blocks.reduce((a, b) => (b.level < a.level ? b : a));
    const last = blocks.at(-1)!;
    // Twice the scatter of a block median is noise, not a rebound.
    const noise = 2 * medianNoise(curve, Math.min(low.size, last.size));
    if (low.level > 0 && last.level > t.lossFloor && last.level > t.reboundFactor * (1 + noise) * low.level) {
      const around = unit === "step" && count < loss.length ? "around " : "at ";
      return finding("oscillating", "warning",
        `Oscillating: the training loss fell to ${num(low.level)} ${around}${unit} ${low.at} but climbed back to ${num(last.level)} `
        + `by the end (${times(last.level / low.level)} its lowest).`, ADVICE, unit === "step" ? { step: low.at } : { epoch: low.at });
    }
  }
  const done = epochs.filter((e) => Number.isFinite(e.loss));
  if (done.length < Math.max(4, t.minEpochs)) return null;
  // Epoch means still carry the batch noise: a rise must go beyond 3 standard deviations of the difference of two of them.
  const margin = Math.max(t.epochMargin, 3 * Math.SQRT2 * (curve?.epochNoise ?? 0));
  let best = done[0]!, rises = 0, jump: { from: EpochLog; to: EpochLog } | null = null;
  for (let i = 1; i < done.length; i++) {
    const prev = done[i - 1]!, e = done[i]!;
    if (e.loss < best.loss) best = e;
    if (e.loss > prev.loss * (1 + margin) && e.loss > t.lossFloor) {
      rises++;
      if (!jump || e.loss / prev.loss > jump.to.loss / jump.from.loss) jump = { from: prev, to: e };
    }
  }
  const last = done.at(-1)!;
  if (rises < 2 || !jump || last.loss <= best.loss * (1 + margin)) return null;
  return finding("oscillating", "warning",
    `Oscillating: the epoch training loss went up in ${rises} of ${done.length - 1} epochs (the largest jump ${num(jump.from.loss)} → `
    + `${num(jump.to.loss)} at epoch ${jump.to.epoch}) and ended at ${num(last.loss)}, above its best ${num(best.loss)} at epoch ${best.epoch}.`,
    ADVICE, { epoch: jump.to.epoch });
}
