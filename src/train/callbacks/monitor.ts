import { OptionError } from "../../errors.js";
import { show } from "../../options.js";
import { METRIC_NAMES, type EpochLog, type MetricName } from "../history.js";

export type MonitorMode = "min" | "max" | "auto";

/**
 * Tracks the best value of one epoch metric, as Keras's callbacks do: "auto" maximizes accuracies
 * and minimizes the rest; a value improves on the best when it beats it by more than minDelta.
 */
export class Monitor {
  readonly mode: "min" | "max";
  best: number | null = null;
  bestEpoch = 0;

  constructor(readonly where: string, readonly metric: MetricName, mode: MonitorMode, readonly minDelta: number) {
    if (!METRIC_NAMES.includes(metric)) {
      throw new OptionError({ where, what: "invalid monitor", expected: `one of ${METRIC_NAMES.join(", ")}`, got: show(metric) });
    }
    this.mode = mode === "auto" ? (metric.toLowerCase().includes("accuracy") ? "max" : "min") : mode;
  }

  /** The monitored value of an epoch; fails clearly when the run does not report it (no validation set). */
  valueOf(log: EpochLog): number {
    const v = log[this.metric];
    if (v === null) {
      const present = METRIC_NAMES.filter((m) => log[m] !== null);
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
