import { OptionError } from "../errors.js";
import type { ScheduleLog } from "./history.js";
import type { ScheduledLR } from "./scheduled-lr.js";

/** The shape of the run fit() is about to make, for the horizon message. */
export interface RunShape {
  epochs: number;
  stepsPerEpoch: number;
  samples: number;
  batchSize: number;
  dropLast: boolean;
}

/** What an LRScheduler tells about its length and position (other SchedulerLikes tell nothing). */
interface Finite {
  totalSteps?: number | null;
  lastEpoch?: number;
  lrAt?(step: number): number[];
}

/**
 * Refuses a scheduler with a finite length (OneCycleLR's totalSteps) that the run would step past, before the first step,
 * rather than after a whole run's training: `steps` is how many more times fit() will step it.
 */
export function scheduleHorizon(scheduled: ScheduledLR, steps: number, run: RunShape): void {
  const s = scheduled.scheduler as Finite, total = s.totalSteps, at = s.lastEpoch;
  if (typeof total !== "number" || typeof at !== "number" || at + steps <= total) return;
  const name = scheduled.scheduler.constructor.name;
  const length = at === 0 ? `${name} is ${total} steps long (totalSteps)` : `${name} has ${total - at} of its ${total} steps (totalSteps) left`;
  const last = run.samples % run.batchSize;
  const batches = last === 0 ? `dropLast ${run.dropLast}, no smaller last batch`
    : run.dropLast ? `dropLast true drops the last ${last} samples` : `dropLast false keeps the last, smaller batch of ${last}`;
  const how = scheduled.interval === "step"
    ? `${run.epochs} epoch${run.epochs === 1 ? "" : "s"} × ${run.stepsPerEpoch} batches (${run.samples} samples in batches of ${run.batchSize}; ${batches})`
    : `once per epoch for ${run.epochs} epoch${run.epochs === 1 ? "" : "s"}`;
  throw new OptionError({ where: "fit", what: `${length}, but this run steps it ${steps} ${at === 0 ? "" : "more "}times: ${how}`,
    expected: scheduled.interval === "step"
      ? `a schedule of ${at + steps} steps (stepsPerEpoch ${run.stepsPerEpoch}, the DataLoader's length), fewer epochs${!run.dropLast && last > 0 ? ", or dropLast: true" : ""}`
      : `a schedule of ${at + steps} steps, or fewer epochs` });
}

/** Points of the schedule read to find its peak: every step up to this many, else this many evenly spaced. */
const SAMPLES = 10_000;

/** The History's record of the scheduler: its name, interval and, when it has a finite length, its peak and end. */
export function scheduleLog(scheduled: ScheduledLR): ScheduleLog {
  const s = scheduled.scheduler as Finite;
  const record: ScheduleLog = { name: scheduled.scheduler.constructor.name, interval: scheduled.interval, totalSteps: null, peakLr: null, peakStep: null, endLr: null };
  if (typeof s.totalSteps !== "number" || typeof s.lrAt !== "function") return record;
  const total = s.totalSteps, last = total - 1, stride = Math.max(1, Math.ceil(total / SAMPLES));
  let peakLr = -Infinity, peakStep = 0;
  for (let t = 0; t <= last; t = t + stride > last && t < last ? last : t + stride) {
    const lr = s.lrAt(t)[0]!;
    if (lr > peakLr) { peakLr = lr; peakStep = t; }
  }
  return { ...record, totalSteps: total, peakLr, peakStep, endLr: s.lrAt(last)[0]! };
}
