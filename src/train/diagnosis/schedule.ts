import type { History } from "../history.js";
import { finding, type Finding } from "./finding.js";
import { sci } from "./numbers.js";

/** The run's highest lr must come this close to the schedule's peak (a fraction of it) to have reached it. */
const PEAK_REACHED = 0.9;
/** The run's last lr must be within this fraction of the way from the schedule's end back up to its peak to have reached its end. */
const END_REACHED = 0.1;
/** A generic rising lr must end at least this many times its start to count as a warmup that never ended. */
const ROSE = 1.5;

const STEP_ADVICE = "Step a schedule counted in optimizer steps after every step: give it to fit bare (OneCycleLR, CyclicLR and InverseSqrtLR "
  + 'say so themselves) or as { scheduler, interval: "step" }; or build it for the steps the run takes (epochs × batches per epoch).';
const LENGTH_ADVICE = "Build the schedule for the steps the run takes (totalSteps = epochs × batches per epoch, the DataLoader's length), "
  + "so the lr anneals before training ends; a run that may stop early fits a schedule that anneals sooner, or ReduceLROnPlateau.";

/**
 * A learning-rate schedule the run did not play out (schedule-unfinished), from the lrs the steps (else epochs) used:
 * - with History.schedule of a finite schedule (OneCycleLR): the run's highest lr stayed below PEAK_REACHED of the
 *   schedule's peak (warning: stepped once per epoch, OneCycle's lr never leaves its warmup), or its last lr is still
 *   more than END_REACHED of the way from the schedule's end to its peak (warning; info when the run was stopped early);
 * - without one: the lr never fell and ended ROSE× or more above its start, so a warmup never finished (warning).
 */
export function findUnfinishedSchedule(history: History): Finding | null {
  const logs = history.steps.length ? history.steps : history.epochs;
  const lrs = logs.map((l) => l.lr).filter(Number.isFinite);
  if (lrs.length < 2) return null;
  const high = lrs.reduce((a, b) => Math.max(a, b)), last = lrs.at(-1)!;
  const s = history.schedule;
  if (s && s.totalSteps !== null && s.peakLr !== null && s.peakStep !== null && s.endLr !== null) {
    const taken = s.interval === "step" ? history.steps.length : history.epochs.length;
    const stepped = `stepped ${taken} time${taken === 1 ? "" : "s"}, ${s.interval === "step" ? "after every optimizer step" : "once per epoch"}`;
    if (s.peakStep > 0 && high < PEAK_REACHED * s.peakLr) {
      return finding("schedule-unfinished", "warning",
        `Schedule unfinished: ${s.name} rises to its peak lr ${sci(s.peakLr)} at step ${s.peakStep} of its ${s.totalSteps}, but it was ${stepped}, `
        + `and the lr went no higher than ${sci(high)}: it never left the warmup.`, s.interval === "epoch" ? STEP_ADVICE : LENGTH_ADVICE);
    }
    if (last > s.endLr + END_REACHED * (s.peakLr - s.endLr)) {
      const early = history.stopReason !== null;
      return finding("schedule-unfinished", early ? "info" : "warning",
        `Schedule unfinished: ${s.name} ends at lr ${sci(s.endLr)} after ${s.totalSteps} steps, but it was ${stepped}, and the lr ended at ${sci(last)}`
        + `${early ? ` (the run stopped early: ${history.stopReason})` : ""}.`, s.interval === "epoch" ? STEP_ADVICE : LENGTH_ADVICE);
    }
    return null;
  }
  const unit = history.steps.length ? "step" : "epoch";
  if (last < high || !(last >= ROSE * lrs[0]!) || lrs.some((lr, i) => i > 0 && lr < lrs[i - 1]!)) return null;
  return finding("schedule-unfinished", "warning",
    `Schedule unfinished: the learning rate was still rising when training ended (${sci(lrs[0]!)} → ${sci(last)} over ${lrs.length} ${unit}s, `
    + `never falling): the schedule never reached its peak. A warmup counted in steps but stepped once per epoch does this.`, STEP_ADVICE);
}
