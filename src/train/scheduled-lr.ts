import { OptionError } from "../errors.js";
import type { SchedulerLike } from "./callback.js";
import { epochValueNames, type MetricName } from "./history.js";

/** A scheduler with when to step it: after every optimizer step, or after every epoch (plateaus: on `monitor`). */
export interface ScheduledLR {
  scheduler: SchedulerLike;
  interval: "step" | "epoch";
  /** The metric an epoch scheduler's step(metric) gets, by the name History.metric takes (default valLoss, or loss without validation data). */
  monitor?: MetricName | (string & {});
}

/** What a scheduler says about itself (LRScheduler's interval and totalSteps; absent on other SchedulerLikes). */
export function declaredInterval(s: SchedulerLike): "step" | "epoch" | null {
  const v = (s as { interval?: unknown }).interval;
  return v === "step" || v === "epoch" ? v : null;
}

const UNIT = { step: "optimizer step", epoch: "epoch" } as const;
const COUNTS = { step: "whose lengths count optimizer steps", epoch: "which steps on an epoch's metric" } as const;

/**
 * A scheduler given to fit(), with when it steps: the interval it declares (OneCycleLR, CyclicLR, InverseSqrtLR: "step";
 * ReduceLROnPlateau: "epoch"), else per epoch (PyTorch's habit); or the caller's { scheduler, interval }, which must not
 * contradict what the scheduler declares. `metrics` names fit's metrics, which `monitor` may name too.
 */
export function scheduledLR(s: SchedulerLike | ScheduledLR | null, metrics: readonly string[] = []): ScheduledLR | null {
  if (s === null) return null;
  if ("scheduler" in s && "interval" in s) {
    if (s.interval !== "step" && s.interval !== "epoch") throw new OptionError({ where: "fit", what: "invalid scheduler.interval", expected: '"step" or "epoch"', got: String(s.interval) });
    const names = epochValueNames(metrics);
    if (s.monitor !== undefined && !names.includes(s.monitor)) throw new OptionError({ where: "fit", what: "invalid scheduler.monitor", expected: `one of ${names.join(", ")}`, got: String(s.monitor) });
    const declared = s.scheduler && typeof s.scheduler === "object" ? declaredInterval(s.scheduler) : null;
    if (declared !== null && declared !== s.interval) {
      throw new OptionError({ where: "fit", what: `scheduler.interval "${s.interval}" contradicts ${s.scheduler.constructor.name}, ${COUNTS[declared]}`,
        expected: `interval "${declared}", or the scheduler given bare (fit then steps it after every ${UNIT[declared]})` });
    }
    return s;
  }
  if (typeof (s as SchedulerLike).step !== "function") throw new OptionError({ where: "fit", what: "invalid scheduler", expected: "an mn.optim.lrScheduler scheduler, or { scheduler, interval }", got: String(s) });
  const declared = declaredInterval(s as SchedulerLike);
  return { scheduler: s as SchedulerLike, interval: declared ?? "epoch" };
}
