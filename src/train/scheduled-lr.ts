import { OptionError } from "../errors.js";
import type { SchedulerLike } from "./callback.js";
import { METRIC_NAMES, type MetricName } from "./history.js";

/** A scheduler with when to step it: after every optimizer step, or after every epoch (plateaus: on `monitor`). */
export interface ScheduledLR {
  scheduler: SchedulerLike;
  interval: "step" | "epoch";
  /** The metric an epoch scheduler's step(metric) gets (default valLoss, or loss without validation data). */
  monitor?: MetricName;
}

/** A scheduler given to fit(), with when it steps: its own `interval: "step"`, or per epoch (PyTorch's habit). */
export function scheduledLR(s: SchedulerLike | ScheduledLR | null): ScheduledLR | null {
  if (s === null) return null;
  if ("scheduler" in s && "interval" in s) {
    if (s.interval !== "step" && s.interval !== "epoch") throw new OptionError({ where: "fit", what: "invalid scheduler.interval", expected: '"step" or "epoch"', got: String(s.interval) });
    if (s.monitor !== undefined && !METRIC_NAMES.includes(s.monitor)) throw new OptionError({ where: "fit", what: "invalid scheduler.monitor", expected: `one of ${METRIC_NAMES.join(", ")}`, got: String(s.monitor) });
    return s;
  }
  if (typeof (s as SchedulerLike).step !== "function") throw new OptionError({ where: "fit", what: "invalid scheduler", expected: "an mn.optim.lrScheduler scheduler, or { scheduler, interval }", got: String(s) });
  const declared = (s as { interval?: unknown }).interval;
  return { scheduler: s as SchedulerLike, interval: declared === "step" ? "step" : "epoch" };
}
