import type { EpochLog, HistoryJSON, LayerLog, RunEvent, ScheduleLog, SharpnessLog, StepLog } from "../io/run-log.js";
import { splitKey } from "../metrics/metric.js";

// The records of a run live with the run log (io/run-log.ts), which writes and reads them.
export type { EpochLog, HistoryJSON, LayerLog, MetricValues, RunEvent, ScheduleLog, SharpnessLog, StepLog } from "../io/run-log.js";

/** The metrics a callback can monitor: the numeric fields of an EpochLog. */
export type MetricName = "loss" | "accuracy" | "valLoss" | "valAccuracy" | "testLoss" | "testAccuracy" | "lr";
export const METRIC_NAMES: readonly MetricName[] = ["loss", "accuracy", "valLoss", "valAccuracy", "testLoss", "testAccuracy", "lr"];

/**
 * An epoch's value of a metric by the name History.metric takes: a built-in field (valLoss), or one of fit's `metrics`
 * by its name for the training batches and prefixed like valLoss for the val and test sets (valTop5Accuracy); null
 * where the epoch lacks it.
 */
export function epochValue(log: EpochLog, name: string): number | null {
  if ((METRIC_NAMES as readonly string[]).includes(name)) return log[name as MetricName];
  for (const [metric, v] of Object.entries(log.metrics ?? {})) {
    if (name === metric) return v.train;
    if (name === splitKey("val", metric)) return v.val;
    if (name === splitKey("test", metric)) return v.test;
  }
  return null;
}

/** Every name epochValue knows in a run with fit's `metrics` named `metrics`: the built-in fields, then metricValueNames. */
export function epochValueNames(metrics: readonly string[]): string[] {
  return [...METRIC_NAMES, ...metricValueNames(metrics)];
}

/** The names of fit's `metrics`' values: each metric's train, val and test names (top3Accuracy, valTop3Accuracy, testTop3Accuracy). */
export function metricValueNames(metrics: readonly string[]): string[] {
  return metrics.flatMap((m) => [m, splitKey("val", m), splitKey("test", m)]);
}

/**
 * The record of a fit() run, as plain JSON: one entry per epoch, per optimizer step, and per
 * parameter at sampled steps. Saved in checkpoints, so a resumed run's history is whole.
 */
export class History {
  epochs: EpochLog[] = [];
  steps: StepLog[] = [];
  layers: LayerLog[] = [];
  events: RunEvent[] = [];
  /** λmax during training, from mn.landscape.SharpnessMonitor. */
  sharpness: SharpnessLog[] = [];
  /** Why training ended early, when it did ("early stopping at epoch 7", "loss became NaN at step 812"). */
  stopReason: string | null = null;
  /** The learning-rate scheduler fit() stepped and when (after every optimizer step or every epoch); null without one. */
  schedule: ScheduleLog | null = null;

  /**
   * One metric over the epochs, e.g. history.metric("valLoss"); one of fit's `metrics` by its name for the training
   * batches, prefixed like valLoss for the val and test sets: history.metric("valTop5Accuracy"). Null where an epoch lacks it.
   */
  metric(name: MetricName | (string & {})): (number | null)[] {
    return this.epochs.map((e) => epochValue(e, name));
  }

  toJSON(): HistoryJSON {
    return { epochs: this.epochs, steps: this.steps, layers: this.layers, events: this.events, stopReason: this.stopReason,
      ...(this.schedule ? { schedule: this.schedule } : {}), ...(this.sharpness.length > 0 ? { sharpness: this.sharpness } : {}) };
  }

  static fromJSON(json: Partial<HistoryJSON>): History {
    const h = new History();
    h.epochs = [...(json.epochs ?? [])];
    h.steps = [...(json.steps ?? [])];
    h.layers = [...(json.layers ?? [])];
    h.events = [...(json.events ?? [])];
    h.stopReason = json.stopReason ?? null;
    h.schedule = json.schedule ?? null;
    h.sharpness = [...(json.sharpness ?? [])];
    return h;
  }
}
