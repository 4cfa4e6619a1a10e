import { OptionError } from "../errors.js";
import type { Tensor } from "../tensor/tensor.js";

/** A metric of one batch: the model's output and the targets in, a number out (the mean over the batch's samples). */
export type MetricFn = (output: Tensor, target: Tensor) => number;

/**
 * A named metric, as fit() records it per epoch: the mean of `fn` over the epoch's batches, weighted by
 * batch size — exact for a mean over samples (accuracy, top-k accuracy, an absolute error), an
 * approximation for anything else (an F1 score: compute it on the whole set with mn.metrics.precisionRecallF1).
 */
export interface Metric {
  /** The key in EpochLog.metrics and in the epoch line, e.g. "top5Accuracy". */
  readonly name: string;
  readonly fn: MetricFn;
}

/** What fit's `metrics` takes: "accuracy" (the built-in one), a named Metric, or a named function (its `name`). */
export type MetricSpec = "accuracy" | Metric | MetricFn;

/** The metrics fit() was asked for: whether it reports the built-in accuracy, and the others by name. */
export interface ResolvedMetrics {
  accuracy: boolean;
  custom: Metric[];
}

/** The form of a metric's name (an identifier, so that valName and testName are too). */
export const METRIC_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
// Names the built-in fields of an epoch's log use: a metric by one of them would be shadowed.
const RESERVED = ["accuracy", "loss", "lr", "epoch", "steps", "seconds"];

/** Checks fit's `metrics` list; `where` names the option in errors ("fit: metrics[2] …"). */
export function resolveMetrics(where: string, specs: readonly unknown[]): ResolvedMetrics {
  const custom: Metric[] = [];
  let accuracy = false;
  specs.forEach((spec, i) => {
    const at = `metrics[${i}]`;
    if (spec === "accuracy") {
      accuracy = true;
      return;
    }
    const metric = typeof spec === "function" ? { name: spec.name, fn: spec as MetricFn }
      : spec !== null && typeof spec === "object" && typeof (spec as Metric).fn === "function" ? spec as Metric : null;
    if (metric === null) {
      throw new OptionError({ where, what: `invalid ${at}`, expected: '"accuracy", a named function (output, target) => number, or { name, fn }', got: typeof spec === "string" ? JSON.stringify(spec) : String(spec) });
    }
    if (typeof metric.name !== "string" || metric.name === "") {
      throw new OptionError({ where, what: `${at} is a function without a name`, expected: "a named function (function f1(output, target) {…}, or const f1 = (output, target) => …) or { name: \"f1\", fn }" });
    }
    if (!METRIC_NAME.test(metric.name) || RESERVED.includes(metric.name)) {
      throw new OptionError({ where, what: `invalid name of ${at}`, expected: `an identifier other than ${RESERVED.join(", ")}`, got: JSON.stringify(metric.name) });
    }
    if (custom.some((m) => m.name === metric.name)) throw new OptionError({ where, what: `${at}: two metrics are named ${JSON.stringify(metric.name)}`, expected: "one name per metric" });
    custom.push({ name: metric.name, fn: metric.fn });
  });
  return { accuracy, custom };
}

/**
 * `sums` with one batch's metrics added, each weighted by the batch's size (a new object: fit's running
 * sums go into checkpoints, whose snapshots must not change later).
 */
export function addBatchMetrics(metrics: readonly Metric[], sums: Readonly<Record<string, number>>, output: Tensor, target: Tensor): Record<string, number> {
  const size = target.shape[0] ?? 1;
  const next = { ...sums };
  for (const m of metrics) {
    const v = m.fn(output, target);
    if (typeof v !== "number") throw new OptionError({ where: `metric ${m.name}`, what: "returned no number", expected: "a number", got: String(v) });
    next[m.name] = (next[m.name] ?? 0) + v * size;
  }
  return next;
}

/** The means of summed metrics over `seen` samples, by name; null for each when nothing was seen. */
export function metricMeans(metrics: readonly Metric[], sums: Readonly<Record<string, number>>, seen: number): Record<string, number | null> {
  return Object.fromEntries(metrics.map((m) => [m.name, seen > 0 ? (sums[m.name] ?? 0) / seen : null]));
}

/** The key of a val or test value of a metric, as valLoss is loss's: "valTop5Accuracy". */
export function splitKey(split: "val" | "test", name: string): string {
  return split + name[0]!.toUpperCase() + name.slice(1);
}
