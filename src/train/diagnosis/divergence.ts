import type { Thresholds } from "./thresholds.js";
import type { History } from "../history.js";
import { finding, type Finding } from "./finding.js";
import type { LossCurve } from "./loss-curve.js";
import { num, times } from "./numbers.js";
import { median } from "./stats.js";

const ADVICE = "Lower the learning rate by 3–10× (a learning-rate range test shows where the loss starts to blow up); "
  + "add a linear warmup over the first few hundred steps; clip the global gradient norm (e.g. at 1.0); check that the inputs are normalized.";

/** Stop reasons that fit()'s guards write when a run blows up ("loss became NaN at step 812"). */
const BLEW_UP = /\bnan\b|\binf(inity)?\b|non-?finite|diverg|explod/i;

/**
 * Diverging, checked in order of certainty:
 * 1. a non-finite loss or gradient norm at some step (or epoch): report the first;
 * 2. the loss ends above its start and explodeFactor× above its lowest: it ran away;
 * 3. one step threw the loss past explodeFactor× its start (and past explodeFactor× every loss before it) and the run
 *    never got back below the start (trendProgress): the lr = 10 pattern, where the ReLUs die and the loss sits flat or
 *    bounces around after the jump;
 * 4. a guard stopped the run and said why (after 5: a guard that rolled back and trained on).
 */
export function findDivergence(history: History, curve: LossCurve | null, t: Thresholds): Finding | null {
  const reason = history.stopReason !== null && BLEW_UP.test(history.stopReason) ? history.stopReason : null;
  const stopped = reason ? ` The run was stopped: ${reason}.` : "";

  const steps = history.steps;
  const bad = steps.findIndex((s) => !Number.isFinite(s.loss) || !Number.isFinite(s.gradNorm));
  if (bad >= 0) {
    const s = steps[bad]!;
    const what = Number.isFinite(s.loss) ? `the gradient norm became ${s.gradNorm}` : `the training loss became ${s.loss}`;
    const before = bad > 0 ? `; it had gone from ${num(steps[0]!.loss)} to ${num(steps[bad - 1]!.loss)} before` : "";
    // A guard may have rolled the run back and cut the lr: then it blew up once and trained on.
    const recovered = bad < steps.length - 1 && Number.isFinite(steps.at(-1)!.loss);
    const after = history.events.filter((e) => e.step >= s.step).map((e) => e.message);
    const then = recovered ? ` It recovered and ended at ${num(steps.at(-1)!.loss)}${after.length ? ` (${after.join("; ")})` : ""}.` : "";
    return finding("diverging", recovered ? "warning" : "problem", `Diverging: ${what} at step ${s.step} (epoch ${s.epoch})${before}.${then}${stopped}`,
      ADVICE, { step: s.step, epoch: s.epoch });
  }
  const badEpoch = history.epochs.find((e) => !Number.isFinite(e.loss));
  if (badEpoch) {
    return finding("diverging", "problem", `Diverging: the training loss of epoch ${badEpoch.epoch} was ${badEpoch.loss}.${stopped}`, ADVICE,
      { epoch: badEpoch.epoch });
  }

  if (curve) {
    const { loss, level, at, unit, end } = curve;
    // The start, unless the run blew up inside the window the start is the median of. On a noisy curve the
    // first loss may just be a low draw, so it stands in for the start only when the curve is otherwise quiet.
    const quiet = curve.swing === null || curve.swing <= t.swingRatio;
    const ref = quiet && loss[0]! < curve.start / 2 ? loss[0]! : curve.start;
    const lowest = Math.min(ref, curve.lowest);
    if (lowest > 0 && end > ref && end > t.explodeFactor * lowest) {
      const limit = t.explodeFactor * lowest;
      let from = lastIndex(loss, (v) => v <= limit) + 1; // the start of the final stretch above the limit
      if (from >= loss.length) from = Math.max(curve.lowestAt, level.findIndex((v) => v > limit));
      return finding("diverging", "problem",
        `Diverging: the training loss ended at ${num(end)}, ${times(end / lowest)} its lowest ${num(lowest)} and above its start ${num(ref)}; `
        + `it passed ${t.explodeFactor}× the lowest at ${unit} ${at[from]} and never came back.${stopped}`, ADVICE, where(history, curve, from));
    }
    // A jump: a loss explodeFactor× above the start and above every loss before it (a fast start is no jump).
    let jump = -1;
    for (let i = 1, low = loss[0]!; i < loss.length && ref > 0; low = Math.min(low, loss[i]!), i++) {
      if (loss[i]! > t.explodeFactor * Math.max(ref, low)) { jump = i; break; }
    }
    // On a noisy curve a jump the level never follows counts only beyond 20× the scatter, else it is one wild batch.
    const real = jump >= 0 && (quiet || level.some((v) => v > t.explodeFactor * ref) || loss[jump]! > ref * (1 + 20 * (curve.swing ?? 0)));
    const before = real ? median(loss.slice(0, jump)) : NaN; // where it stood before the jump
    if (real && end >= before * (1 - t.trendProgress)) {
      return finding("diverging", "problem",
        `Diverging: the training loss blew up from ${num(before)} to ${num(loss[jump]!)} at ${unit} ${at[jump]} and never got back below its start `
        + `(${num(end)} at the end): a step that large throws the weights where the model stops learning, often with dead ReLUs.${stopped}`,
        ADVICE, where(history, curve, jump));
    }
  }

  // 5. a rollback guard caught blow-ups and trained on at a lower lr: the lr the run started with was too high.
  const rollbacks = history.events.filter((e) => /divergence guard/.test(e.message));
  if (rollbacks.length && !reason) {
    const first = rollbacks[0]!;
    const lrs = history.steps.length ? ` (lr ${num(history.steps[0]!.lr)} at the start, ${num(history.steps.at(-1)!.lr)} at the end)` : "";
    return finding("diverging", "warning",
      `Diverging at first: the divergence guard rolled the run back ${rollbacks.length} time${rollbacks.length === 1 ? "" : "s"}${lrs}, `
      + `first at step ${first.step}: ${first.message.replace(/^divergence guard: /, "")}.`, ADVICE, { step: first.step, epoch: first.epoch });
  }

  if (reason) {
    const step = /\bstep (\d+)/i.exec(reason);
    return finding("diverging", "problem", `Diverging: the run was stopped: ${reason}.`, ADVICE, step ? { step: Number(step[1]) } : {});
  }
  return null;
}

function lastIndex(xs: readonly number[], test: (x: number) => boolean): number {
  for (let i = xs.length - 1; i >= 0; i--) if (test(xs[i]!)) return i;
  return -1;
}

/** A step curve is a prefix of history.steps, so its i-th point is history.steps[i]. */
function where(history: History, curve: LossCurve, i: number): { step?: number; epoch?: number } {
  return curve.unit === "step" ? { step: curve.at[i]!, epoch: history.steps[i]!.epoch } : { epoch: curve.at[i]! };
}
