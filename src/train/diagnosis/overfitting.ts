import type { Thresholds } from "./thresholds.js";
import type { EpochLog, History } from "../history.js";
import { finding, type Finding } from "./finding.js";
import { num, percent } from "./numbers.js";
import { median } from "./stats.js";

type Validated = EpochLog & { valLoss: number };

const REGULARIZE = "Regularize: more data or augmentation, dropout, weight decay, or a smaller model";

/**
 * Overfitting, from the epochs with validation data (minEpochs at least). Take the epoch of the best validation loss; after it
 * the training loss must have fallen by more than epochMargin, and the validation loss
 * - rose above its best by more than epochMargin and by more than 3√2 times its own epoch-to-epoch noise, at the last
 *   epoch or as the median of the k ≥ 2 epochs since the best (then by 3·√(1 + π/(2k)) times the noise) (warning), or
 * - stalled for 2 epochs or more while the training loss fell by trendProgress or more after it, its median since the
 *   best above the best by more than twice the noise (info: it is starting).
 * The noise is the validation curve's scatter relative to its level, from its second differences (small on a smooth curve,
 * even a bending one; a wobble of ±a makes them 4a): median |v₊ − 2v + v₋| / median v / √6, the √6 being a second
 * difference's std for independent draws. The gap opened at the first validated epoch after the best. The train −
 * validation accuracy gap, when logged, backs it up. The advice reads what EarlyStopping already did (its History event
 * and stop reason): weights it restored from the best epoch make the finding info, with advice beyond stopping early.
 */
export function findOverfitting(history: History, t: Thresholds): Finding | null {
  const seen = history.epochs.filter((e): e is Validated => e.valLoss !== null && Number.isFinite(e.valLoss) && Number.isFinite(e.loss));
  if (seen.length < t.minEpochs) return null;
  let b = 0;
  seen.forEach((e, i) => { if (e.valLoss < seen[b]!.valLoss) b = i; });
  const best = seen[b]!, last = seen.at(-1)!, opened = seen[b + 1];
  if (!opened || !(last.loss < best.loss * (1 - t.epochMargin))) return null;
  const noise = validationNoise(seen);
  const after = seen.slice(b + 1).map((e) => e.valLoss);
  const level = median(after);
  const roseLast = last.valLoss > best.valLoss * (1 + Math.max(t.epochMargin, 3 * Math.SQRT2 * noise));
  // The median of the k epochs since the best scatters less than one epoch (about 1.25σ/√k), so a rise that holds over
  // them counts at a lower bar than the last epoch alone: the README's default run (+35% over five noisy epochs) is one.
  const roseLevel = after.length >= 2 && level > best.valLoss * (1 + Math.max(t.epochMargin, 3 * Math.sqrt(1 + Math.PI / 2 / after.length) * noise));
  const rose = roseLast || roseLevel;
  // Measured from the epoch after the best: epoch 1's training loss is a mean over weights still moving fast, so the
  // drop from it says nothing about later epochs. A plateau must sit above the best (a low draw) by more than the noise.
  const stalled = seen.length - 1 - b >= 2 && last.loss < opened.loss * (1 - t.trendProgress)
    && median(seen.slice(b + 1).map((e) => e.valLoss)) > best.valLoss * (1 + 2 * noise);
  if (!rose && !stalled) return null;
  const trend = roseLast
    ? `validation loss rose from its best ${num(best.valLoss)} at epoch ${best.epoch} to ${num(last.valLoss)} at epoch ${last.epoch}`
    : roseLevel ? `validation loss rose from its best ${num(best.valLoss)} at epoch ${best.epoch} to a median of ${num(level)} over the ${after.length} epochs since (${num(last.valLoss)} at epoch ${last.epoch})`
    : `validation loss has not improved on its best ${num(best.valLoss)} at epoch ${best.epoch} (${num(last.valLoss)} at epoch ${last.epoch})`;
  const restored = restoredEpoch(history);
  const message = `Overfitting: training loss kept falling (${num(best.loss)} → ${num(last.loss)}) while ${trend}; the gap opened at epoch ${opened.epoch}.`
    + accuracyGap(best, last);
  if (restored === best.epoch) {
    return finding("overfitting", "info", `${message} Early stopping already restored the weights of epoch ${best.epoch}.`,
      `${REGULARIZE}, to push the best validation loss lower than epoch ${best.epoch}'s.`, { epoch: opened.epoch });
  }
  const stoppedEarly = history.stopReason !== null && /^early stopping\b/.test(history.stopReason);
  const advice = stoppedEarly && restored === null
    ? `${REGULARIZE}; early stopping ended the run but kept its last weights: set restoreBestWeights: true to keep the weights from epoch ${best.epoch}.`
    : `${REGULARIZE}; stop early and keep the weights from epoch ${best.epoch}.`;
  return finding("overfitting", rose ? "warning" : "info", message, advice, { epoch: opened.epoch });
}

/** The relative epoch-to-epoch scatter of the validation loss (see findOverfitting); 0 with fewer than 3 epochs. */
function validationNoise(seen: readonly Validated[]): number {
  if (seen.length < 3) return 0;
  const v = seen.map((e) => e.valLoss), second: number[] = [];
  for (let i = 1; i < v.length - 1; i++) second.push(Math.abs(v[i + 1]! - 2 * v[i]! + v[i - 1]!));
  const level = median(v);
  return level > 0 ? median(second) / level / Math.sqrt(6) : 0;
}

/** The epoch whose weights EarlyStopping put back at the end (its History event), or null. */
function restoredEpoch(history: History): number | null {
  for (const e of history.events) {
    const m = /^early stopping: restored the weights of epoch (\d+)/.exec(e.message);
    if (m) return Number(m[1]);
  }
  return null;
}

function accuracyGap(best: EpochLog, last: EpochLog): string {
  if (best.accuracy === null || best.valAccuracy === null || last.accuracy === null || last.valAccuracy === null) return "";
  const points = (e: EpochLog) => (100 * (e.accuracy! - e.valAccuracy!)).toFixed(1);
  return ` Train accuracy ${percent(last.accuracy)} vs validation ${percent(last.valAccuracy)}: a gap of ${points(last)} points, `
    + `${points(best)} at epoch ${best.epoch}.`;
}
