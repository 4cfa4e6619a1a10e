import type { EpochLog } from "../../src/io/run-log.js";
import { PALETTE, type ChartLine } from "../charts/chart-line.js";
import type { RunSeries } from "./run-series.js";

/** A run drawn on the page: its name, its series, and its per-step loss smoothed (on the full series). */
export interface RunView {
  name: string;
  series: RunSeries;
  smoothedLoss: readonly number[];
}

/** One chart of the run page. */
export interface ChartSpec {
  name: string;
  title: string;
  xLabel: string;
  yLabel: string;
  lines: ChartLine[];
  logY: boolean;
  logX: boolean;
}

// Karpathy's rule of thumb for ‖Δw‖/‖w‖ per step, as in the report's chart.
const HEALTHY_UPDATE_RATIO = 1e-3;
const SPLITS = [
  { key: "train", label: "train", dash: undefined },
  { key: "val", label: "validation", dash: [6, 3] },
  { key: "test", label: "test", dash: [2, 3] },
] as const;

/**
 * The run page's charts, the report's set (runPlots) drawn live: loss per step (raw, light, and smoothed with weight
 * `smooth`), loss and accuracy per epoch, learning rate, gradient norm, the first run's per-layer update/weight ratios,
 * and each of fit's metrics per epoch. With one run, train/validation/test get the report's colours; with several,
 * each run gets a colour and the splits a dash. The loss per step is always there (empty while a run starts); the
 * others only when some run recorded their values.
 */
export function runCharts(runs: readonly RunView[], { smooth, logY, logX }: { smooth: number; logY: boolean; logX: boolean }): ChartSpec[] {
  const several = runs.length > 1;
  const named = (run: RunView, what: string) => (several ? `${run.name} ${what}` : what);
  const splitLook = (i: number, split: number) => several ? { color: PALETTE[i % PALETTE.length]!, ...(SPLITS[split]!.dash ? { dash: [...SPLITS[split]!.dash!] } : {}) } : { color: PALETTE[split]! };
  const charts: ChartSpec[] = [];
  const chart = (name: string, title: string, xLabel: string, yLabel: string, lines: ChartLine[], options: { always?: boolean; log?: boolean } = {}) => {
    if (options.always || lines.some((l) => hasFinite(l.y))) charts.push({ name, title, xLabel, yLabel, lines, logY: options.log ?? logY, logX });
  };

  chart("step-loss", "Training loss per step", "optimizer step", "loss", runs.flatMap((run, i) => {
    const { step, loss } = run.series.steps, color = several ? PALETTE[i % PALETTE.length]! : PALETTE[0]!;
    const raw: ChartLine = { label: named(run, "loss"), x: step, y: loss, color, alpha: smooth > 0 ? 0.25 : 1 };
    return smooth > 0 ? [raw, { label: named(run, `smoothed (w=${smooth})`), x: step, y: run.smoothedLoss, color, width: 2 }] : [raw];
  }), { always: true });

  const perEpoch = (run: RunView, i: number, pick: (e: EpochLog, split: number) => number | null | undefined): ChartLine[] =>
    SPLITS.map((s, split) => ({
      label: named(run, s.label), x: run.series.epochs.map((e) => e.epoch), y: run.series.epochs.map((e) => pick(e, split) ?? NaN), ...splitLook(i, split),
    })).filter((l) => l.y.some(Number.isFinite));
  chart("epoch-loss", "Loss per epoch", "epoch", "loss", runs.flatMap((run, i) => perEpoch(run, i, (e, s) => [e.loss, e.valLoss, e.testLoss][s])));
  chart("accuracy", "Accuracy per epoch", "epoch", "accuracy", runs.flatMap((run, i) => perEpoch(run, i, (e, s) => [e.accuracy, e.valAccuracy, e.testAccuracy][s])));

  chart("lr", "Learning rate", "optimizer step", "learning rate", runs.map((run, i) => {
    const { step, lr } = run.series.steps, color = PALETTE[i % PALETTE.length]!;
    // Runs from before per-step records have only each epoch's first lr, placed at that epoch's first step.
    if (step.length > 0 || run.series.epochs.length === 0) return { label: named(run, "lr"), x: step, y: lr, color };
    return { label: named(run, "lr (per epoch)"), x: run.series.epochs.map((e) => e.epoch), y: run.series.epochs.map((e) => e.lr), color };
  }));
  chart("grad-norm", "Gradient norm per step", "optimizer step", "‖g‖₂", runs.map((run, i) => ({
    label: named(run, "gradient norm"), x: run.series.steps.step, y: run.series.steps.gradNorm, color: PALETTE[i % PALETTE.length]!,
  })), { log: true });

  const first = runs[0];
  if (first !== undefined) {
    const layers = [...first.series.layerRatios()];
    const lines: ChartLine[] = layers.map(([name, s], i) => ({ label: name, x: s.step, y: s.ratio, color: PALETTE[i % PALETTE.length]! }));
    if (lines.length > 0) {
      const steps = layers.flatMap(([, s]) => [s.step[0]!, s.step[s.step.length - 1]!]);
      lines.push({ label: "1e-3 (rule of thumb)", x: [Math.min(...steps), Math.max(...steps)], y: [HEALTHY_UPDATE_RATIO, HEALTHY_UPDATE_RATIO], color: "#888888", dash: [4, 4] });
    }
    chart("update-ratio", `Update / weight ratio per parameter${several ? ` (${first.name})` : ""}`, "optimizer step", "‖Δw‖ / ‖w‖", lines, { log: true });
  }

  const metricNames = [...new Set(runs.flatMap((r) => r.series.epochs.flatMap((e) => Object.keys(e.metrics ?? {}))))];
  for (const metric of metricNames) {
    chart(`metric-${metric}`, `${metric} per epoch`, "epoch", metric, runs.flatMap((run, i) => perEpoch(run, i, (e, s) => {
      const v = e.metrics?.[metric];
      return v === undefined ? null : [v.train, v.val, v.test][s];
    })));
  }
  return charts;
}

function hasFinite(values: ArrayLike<number>): boolean {
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) return true;
  return false;
}
