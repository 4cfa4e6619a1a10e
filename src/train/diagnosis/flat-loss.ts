import type { Thresholds } from "./thresholds.js";
import { finding, type Finding } from "./finding.js";
import { isDead, liveMedianRatio, type LayerStat } from "./layers.js";
import { medianNoise, type LossCurve } from "./loss-curve.js";
import { change, num, precise, sci } from "./numbers.js";
import { median } from "./stats.js";

/**
 * A training loss with no downward trend, and why. No trend: the medians of its first and last quarters differ by less
 * than trendProgress, its first points were not already twice its end (a run that fell fast and then flattened has
 * converged, it is not flat), and it ends above lossFloor. Then:
 * - the live layers' median update/weight ratio is below slowRatio: lr-too-low (the weights hardly move);
 * - else it swings by more than swingRatio around its level: oscillating (the steps overshoot);
 * - else, if it barely moved at all (< minProgress between the medians of its first and last 10%, and from its first
 *   points): with normal update ratios (≥ 10·slowRatio) the updates do not help — underfitting, check data and model;
 *   without layer data (or in between), lr-too-low.
 * Each threshold is widened by twice the scatter that the batch noise gives the medians it compares.
 * When every recorded layer is dead, the dead-layer findings explain the flat loss instead.
 */
export function findFlatLoss(curve: LossCurve | null, layers: readonly LayerStat[], lr: number | null, t: Thresholds): Finding | null {
  if (!curve || curve.end <= t.lossFloor || !(curve.start > 0) || !(curve.head > 0)) return null;
  const { loss, unit } = curve;
  const n = loss.length;
  const quarter = Math.max(1, Math.floor(n / 4));
  const early = median(loss.slice(0, quarter)), late = median(loss.slice(-quarter));
  const trend = (early - late) / early;
  if (!(Math.abs(trend) < t.trendProgress + 2 * Math.SQRT2 * medianNoise(curve, quarter)) || curve.head > 2 * curve.end) return null;
  if (layers.length > 0 && layers.every((l) => isDead(l, t))) return null;
  const ratio = liveMedianRatio(layers, t);
  const k = unit === "step" ? Math.max(5, Math.round(n / 10)) : 1;
  const first = median(loss.slice(0, k)), last = median(loss.slice(-k));
  const progress = (first - last) / first;
  const span = `${precise(first)} → ${precise(last)} over ${n} ${unit}s, ${change(-progress)}`;
  const atLr = lr !== null && lr > 0 && Number.isFinite(lr) ? ` at lr ${sci(lr)}` : "";
  const ratioText = ratio === null ? "" : `; the median update/weight ratio of the layers is ${sci(ratio)}, where about 1e-3 is healthy`;
  const tooLow = () => finding("lr-too-low", "problem",
    `Learning rate too low: the training loss barely moved${atLr} (${span}) and stays far above zero${ratioText}.`,
    "Raise the learning rate by 10× (again if the curve stays flat), or run a learning-rate range test: grow the lr "
    + "exponentially over a few hundred steps and pick one about 10× below where the loss starts to blow up.");

  if (ratio !== null && ratio < t.slowRatio) return tooLow();
  if (curve.swing !== null && curve.swing > t.swingRatio) {
    return finding("oscillating", "problem",
      `Oscillating: the training loss shows no downward trend${atLr} (median ${num(early)} in the first quarter of the run, `
      + `${num(late)} in the last) while swinging ±${(100 * curve.swing).toFixed(0)}% around its level from ${unit} to ${unit}: the steps overshoot.`,
      "The learning rate is probably too high: lower it by 3–10×; add warmup and a decaying schedule (step or cosine); "
      + "momentum or Adam with a smaller lr keeps a steadier course through narrow valleys.");
  }
  const fromHead = (curve.head - last) / curve.head;
  if (Math.abs(progress) >= t.minProgress + 2 * Math.SQRT2 * medianNoise(curve, k)
    || fromHead >= t.minProgress + 2 * Math.hypot(medianNoise(curve, Math.min(3, n)), medianNoise(curve, k))) return null;
  if (ratio !== null && ratio >= 10 * t.slowRatio) {
    return finding("underfitting", "problem",
      `Underfitting: the training loss barely moved (${span}) although the weights move at a normal pace${ratioText}: the updates do not lower the loss.`,
      "Check the data before the optimizer: labels aligned with their inputs, inputs normalized, the loss matching the output layer "
      + "(logits into cross-entropy, not probabilities); then try a bigger model and a learning-rate range test.");
  }
  return tooLow();
}
