import { OptionError } from "../../errors.js";
import { show } from "../../options.js";
import { METRIC_NAME } from "../../metrics/metric.js";
import type { FitContext } from "../callback.js";
import { epochValue, epochValueNames, METRIC_NAMES, type EpochLog, type MetricName } from "../history.js";

export type MonitorMode = "min" | "max" | "auto";

/**
 * Tracks the best value of one epoch metric, as Keras's callbacks do: "auto" maximizes accuracies
 * and minimizes the rest; a value improves on the best when it beats it by more than minDelta. The metric is
 * a built-in one (valLoss) or one of fit's `metrics` by the name History.metric takes (valTop5Accuracy),
 * checked against fit's when training begins (checkRun).
 */
export class Monitor {
  readonly mode: "min" | "max";
  best: number | null = null;
  bestEpoch = 0;

  constructor(readonly where: string, readonly metric: MetricName | (string & {}), mode: MonitorMode, readonly minDelta: number) {
    // Keras's spelling of a built-in name (val_loss) is refused here, before a run: fit's metrics are named in camelCase too.
    const camel = typeof metric === "string" ? metric.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()) : "";
    if (!(METRIC_NAMES as readonly string[]).includes(metric) && (!METRIC_NAME.test(camel) || (METRIC_NAMES as readonly string[]).includes(camel))) {
      throw new OptionError({ where, what: "invalid monitor", expected: `one of ${METRIC_NAMES.join(", ")}, or one of fit's metrics by name (top5Accuracy, valTop5Accuracy)`, got: show(metric) });
    }
    this.mode = mode === "auto" ? (metric.toLowerCase().includes("accuracy") ? "max" : "min") : mode;
  }

  /** Fails, before the first epoch, when the metric is none of the run's (a name not among fit's `metrics`). */
  checkRun(ctx: FitContext): void {
    const names = epochValueNames(ctx.metrics ?? []);
    if (!names.includes(this.metric)) throw new OptionError({ where: this.where, what: "invalid monitor", expected: `one of ${names.join(", ")}`, got: show(this.metric) });
  }

  /** The monitored value of an epoch; fails clearly when the run does not report it (no validation set). */
  valueOf(log: EpochLog): number {
    const v = epochValue(log, this.metric);
    if (v === null) {
      const present = epochValueNames(Object.keys(log.metrics ?? {})).filter((m) => epochValue(log, m) !== null);
      throw new OptionError({ where: this.where, what: `monitors ${this.metric}, which this run does not report (give fit() a ${this.metric.startsWith("val") ? "val" : this.metric.startsWith("test") ? "test" : "classification"} set)`, expected: `one of ${present.join(", ")}` });
    }
    return v;
  }

  /** Whether `value` improves on the best; NaN never does. */
  improves(value: number): boolean {
    if (Number.isNaN(value)) return false;
    if (this.best === null) return true;
    return this.mode === "min" ? value < this.best - this.minDelta : value > this.best + this.minDelta;
  }

  /** Records an epoch's value; returns whether it was an improvement. */
  update(value: number, epoch: number): boolean {
    if (!this.improves(value)) return false;
    this.best = value;
    this.bestEpoch = epoch;
    return true;
  }

  stateDict(): { best: number | null; bestEpoch: number } {
    return { best: this.best, bestEpoch: this.bestEpoch };
  }

  loadStateDict(s: { best: number | null; bestEpoch: number }): void {
    this.best = s.best;
    this.bestEpoch = s.bestEpoch;
  }
}
