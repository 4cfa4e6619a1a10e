import type { Thresholds } from "./thresholds.js";
import type { EpochLog } from "../history.js";
import { finding, type Finding } from "./finding.js";
import type { LossCurve } from "./loss-curve.js";
import { change, num, percent } from "./numbers.js";

const ADVICE = "Train longer; if the loss levels off high, use a bigger model (wider or deeper), a higher learning rate with a decaying "
  + "schedule, or less regularization (dropout, weight decay).";

/**
 * Underfitting, judged conservatively from the epochs:
 * - low and close (warning): final train accuracy below lowAccuracy and the validation accuracy within accuracyGap of it —
 *   the model does not fit even the data it sees;
 * - not converged (info): the training loss fell by stillFalling or more in each of the last two epochs (minEpochs at
 *   least, above lossFloor; two, so one lucky epoch of a noisy run does not count) and the validation loss did not rise.
 */
export function findUnderfitting(epochs: readonly EpochLog[], curve: LossCurve | null, t: Thresholds): Finding | null {
  const done = epochs.filter((e) => Number.isFinite(e.loss));
  const [a, b, last] = [done.at(-3), done.at(-2), done.at(-1)];
  if (!last) return null;
  let falling = "";
  if (a && b && done.length >= t.minEpochs && last.loss > t.lossFloor) {
    const drop = (b.loss - last.loss) / b.loss;
    const valRose = b.valLoss !== null && last.valLoss !== null && last.valLoss > b.valLoss;
    // With a noisy step log, a drop must also go beyond 3 standard deviations of the difference of two epoch means.
    const needed = Math.max(t.stillFalling, 3 * Math.SQRT2 * (curve?.epochNoise ?? 0));
    if (drop >= needed && (a.loss - b.loss) / a.loss >= needed && !valRose) {
      falling = `the training loss was still falling fast at the end (${num(a.loss)} → ${num(b.loss)} → ${num(last.loss)} `
        + `over epochs ${a.epoch}–${last.epoch}, ${change(-drop)} in the last)`;
    }
  }
  const acc = last.accuracy, valAcc = last.valAccuracy;
  if (done.length >= 2 && acc !== null && valAcc !== null && acc < t.lowAccuracy && Math.abs(acc - valAcc) < t.accuracyGap) {
    return finding("underfitting", "warning",
      `Underfitting: train and validation accuracy are both low and close (${percent(acc)} and ${percent(valAcc)} at epoch ${last.epoch})`
      + `${falling ? `, and ${falling}` : ""}: the model does not fit even its training data.`, ADVICE, { epoch: last.epoch });
  }
  if (falling) {
    return finding("underfitting", "info", `Underfitting: ${falling}; the model has not converged.`, ADVICE, { epoch: last.epoch });
  }
  return null;
}
