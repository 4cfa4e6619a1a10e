import type { Thresholds } from "./thresholds.js";
import type { EpochLog } from "../history.js";
import { finding, type Finding } from "./finding.js";
import { num, percent } from "./numbers.js";

type Validated = EpochLog & { valLoss: number };

/**
 * Overfitting, from the epochs with validation data (minEpochs at least). Take the epoch of the best validation loss; after it
 * the training loss must have fallen by more than epochMargin, and the validation loss
 * - rose more than epochMargin above its best (warning), or
 * - stalled for 2 epochs or more while the training loss fell by trendProgress or more after it (info: it is starting).
 * The gap opened at the first validated epoch after the best. The train − validation accuracy gap, when logged, backs it up.
 */
export function findOverfitting(epochs: readonly EpochLog[], t: Thresholds): Finding | null {
  const seen = epochs.filter((e): e is Validated => e.valLoss !== null && Number.isFinite(e.valLoss) && Number.isFinite(e.loss));
  if (seen.length < t.minEpochs) return null;
  let b = 0;
  seen.forEach((e, i) => { if (e.valLoss < seen[b]!.valLoss) b = i; });
  const best = seen[b]!, last = seen.at(-1)!, opened = seen[b + 1];
  if (!opened || !(last.loss < best.loss * (1 - t.epochMargin))) return null;
  const rose = last.valLoss > best.valLoss * (1 + t.epochMargin);
  // Measured from the epoch after the best: epoch 1's training loss is a mean over weights still moving fast, so the
  // drop from it says nothing about later epochs.
  const stalled = seen.length - 1 - b >= 2 && last.loss < opened.loss * (1 - t.trendProgress);
  if (!rose && !stalled) return null;
  const trend = rose
    ? `validation loss rose from its best ${num(best.valLoss)} at epoch ${best.epoch} to ${num(last.valLoss)} at epoch ${last.epoch}`
    : `validation loss has not improved on its best ${num(best.valLoss)} at epoch ${best.epoch} (${num(last.valLoss)} at epoch ${last.epoch})`;
  return finding("overfitting", rose ? "warning" : "info",
    `Overfitting: training loss kept falling (${num(best.loss)} → ${num(last.loss)}) while ${trend}; the gap opened at epoch ${opened.epoch}.`
    + accuracyGap(best, last),
    `Regularize: more data or augmentation, dropout, weight decay, or a smaller model; stop early and keep the weights from epoch ${best.epoch}.`,
    { epoch: opened.epoch });
}

function accuracyGap(best: EpochLog, last: EpochLog): string {
  if (best.accuracy === null || best.valAccuracy === null || last.accuracy === null || last.valAccuracy === null) return "";
  const points = (e: EpochLog) => (100 * (e.accuracy! - e.valAccuracy!)).toFixed(1);
  return ` Train accuracy ${percent(last.accuracy)} vs validation ${percent(last.valAccuracy)}: a gap of ${points(last)} points, `
    + `${points(best)} at epoch ${best.epoch}.`;
}
