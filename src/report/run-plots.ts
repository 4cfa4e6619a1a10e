import type { ConfusionLog } from "../io/run-log.js";
import { perClassAccuracy } from "../metrics/per-class.js";
import { ewmaSeries } from "../optim/ewma.js";
import { splitKey } from "../metrics/metric.js";
import type { History, LayerLog } from "../train/history.js";
import { confusionChart, fractionBars } from "./svg/confusion-chart.js";
import { minMaxDownsample } from "./downsample.js";
import { lineChart, type Series } from "./svg/line-chart.js";

/** One chart of a run report: an SVG, or a note saying why there is none. */
export interface RunPlot {
  /** Short and file-safe: the figure's id is `plot-<name>`, its PNG `plots/<name>.png`. */
  name: string;
  caption: string;
  svg: string | null;
  /** Why the chart is left out (no validation set, no per-step records...); null when it is drawn. */
  note: string | null;
}

// The x values a chart can hold before its SVG gets heavy; longer step series are thinned to this.
const MAX_BUCKETS = 2000;
// Karpathy's rule of thumb for ‖Δw‖/‖w‖ per step ("A Recipe for Training Neural Networks", CS231n).
const HEALTHY_UPDATE_RATIO = 1e-3;
const TRAIN = "#0072B2", VAL = "#E69F00", TEST = "#009E73";

/**
 * The charts a babysitter looks at, in the order they are read: loss and accuracy per epoch, the
 * per-step loss (raw and smoothed), learning rate, gradient norm, the generalization gap, and the
 * per-layer update/weight ratio; then each of fit's `metrics` per epoch, and a classifier's confusion matrix and
 * per-class accuracy with its class names when the run measured them (`confusion`, the run log's "confusion" record).
 * @example for (const p of runPlots(history)) if (p.svg) writeFileSync(`${p.name}.svg`, p.svg);
 */
export function runPlots(history: History, confusion: ConfusionLog | null = null): RunPlot[] {
  const epochs = history.epochs, steps = history.steps;
  const ex = epochs.map((e) => e.epoch);
  const col = (values: (number | null)[]) => values.map((v) => v ?? NaN);
  const has = (values: (number | null)[]) => values.some((v) => v !== null && Number.isFinite(v));
  const noEpochs = "No epoch has finished yet.";
  const noSteps = "The run recorded no per-step metrics (runs from before minima logged steps record only epochs).";
  const plots: RunPlot[] = [];
  const add = (name: string, caption: string, draw: () => string | null, note: string) => {
    const svg = draw();
    plots.push({ name, caption, svg, note: svg === null ? note : null });
  };

  const trainLoss = history.metric("loss"), valLoss = history.metric("valLoss");
  add("loss", "Training loss (mean over each epoch's batches, while the weights moved) and validation loss (after the epoch). " +
    "Validation loss turning up while training loss still falls is overfitting.", () => {
    if (epochs.length === 0) return null;
    const series: Series[] = [{ name: "train", x: ex, y: col(trainLoss), color: TRAIN }];
    if (has(valLoss)) series.push({ name: "validation", x: ex, y: col(valLoss), color: VAL });
    return lineChart({ title: "Loss per epoch", xLabel: "epoch", yLabel: "loss", series, yScale: logIfPositive(series), integerX: true });
  }, noEpochs);

  const trainAcc = history.metric("accuracy"), valAcc = history.metric("valAccuracy"), testAcc = history.metric("testAccuracy");
  add("accuracy", "Training and validation accuracy per epoch (test accuracy too when the run measured it).", () => {
    const series: Series[] = [];
    if (has(trainAcc)) series.push({ name: "train", x: ex, y: col(trainAcc), color: TRAIN });
    if (has(valAcc)) series.push({ name: "validation", x: ex, y: col(valAcc), color: VAL });
    if (has(testAcc)) series.push({ name: "test", x: ex, y: col(testAcc), color: TEST });
    return series.length === 0 ? null : lineChart({ title: "Accuracy per epoch", xLabel: "epoch", yLabel: "accuracy", series, integerX: true });
  }, epochs.length === 0 ? noEpochs : "The run measured no accuracy (not a classification run).");

  const stepX = steps.map((s) => s.step), stepLoss = steps.map((s) => s.loss);
  const beta = smoothingBeta(steps.length);
  add("step-loss", `Loss of every optimizer step (light) and its exponentially weighted moving average (β = ${beta}, bias-corrected, so the first steps are not pulled toward 0). ` +
    "A noisy but falling curve is healthy; a flat one means the learning rate is too small, spikes or a climb that it is too large.", () => {
    if (steps.length === 0) return null;
    const raw = thin(stepX, stepLoss), smooth = thin(stepX, ewmaSeries(stepLoss, beta));
    const series: Series[] = [
      { name: "loss", ...raw, color: TRAIN, opacity: 0.3 },
      { name: `EWMA β=${beta}`, ...smooth, color: TRAIN },
    ];
    return lineChart({ title: "Training loss per step", xLabel: "optimizer step", yLabel: "loss", series, yScale: logIfPositive(series), integerX: true });
  }, noSteps);

  add("lr", steps.length > 0 ? "The learning rate each optimizer step used (first parameter group)."
    : "The learning rate at the start of each epoch (this run recorded no per-step values).", () => {
    if (steps.length > 0) {
      return lineChart({ title: "Learning rate per step", xLabel: "optimizer step", yLabel: "learning rate", series: [{ name: "lr", ...thin(stepX, steps.map((s) => s.lr)), color: TRAIN }], integerX: true });
    }
    if (epochs.length === 0) return null;
    return lineChart({ title: "Learning rate per epoch", xLabel: "epoch", yLabel: "learning rate", series: [{ name: "lr", x: ex, y: epochs.map((e) => e.lr), color: TRAIN }], integerX: true });
  }, noEpochs);

  add("grad-norm", "Global L2 norm of the gradients each step used (after clipping, if any), on a log scale. " +
    "Steady growth or sudden jumps warn of divergence; a collapse toward 0 of vanishing gradients.", () => {
    if (steps.length === 0) return null;
    return lineChart({ title: "Gradient norm per step", xLabel: "optimizer step", yLabel: "‖g‖₂", yScale: "log", integerX: true,
      series: [{ name: "gradient norm", ...thin(stepX, steps.map((s) => s.gradNorm)), color: TRAIN }] });
  }, noSteps);

  // Only for runs that measured it (SharpnessMonitor), as fit's metrics below.
  const sharp = history.sharpness;
  if (sharp.length > 0) add("sharpness", "The sharpness λmax, the largest eigenvalue of the loss's Hessian on fixed batches (SharpnessMonitor), beside 2/lr: " +
    "gradient descent is stable on a quadratic only while λmax < 2/lr. Full-batch training typically rises to that edge and hovers there " +
    "(Cohen et al. 2021, the edge of stability); with momentum β the limit is (2 + 2β)/lr, and adaptive optimizers' preconditioning moves it.", () => {
    const x = sharp.map((s) => s.step);
    const series: Series[] = [
      { name: "λmax", x, y: sharp.map((s) => s.lambdaMax), color: TRAIN },
      { name: "2/lr", x, y: sharp.map((s) => 2 / s.lr), color: VAL },
    ];
    return lineChart({ title: "Sharpness λmax against 2/lr", xLabel: "optimizer step", yLabel: "λmax", series, yScale: logIfPositive(series), integerX: true });
  }, "");

  add("gap", "Generalization gap per epoch: validation loss − training loss, and training accuracy − validation accuracy. " +
    "A gap that keeps widening is overfitting. (Training figures are averaged while the weights moved, so early gaps read a little low.)", () => {
    if (!has(valLoss) && !has(valAcc)) return null;
    const series: Series[] = [];
    if (has(valLoss)) series.push({ name: "val − train loss", x: ex, y: epochs.map((e) => (e.valLoss ?? NaN) - e.loss), color: VAL });
    if (has(valAcc) && has(trainAcc)) series.push({ name: "train − val acc", x: ex, y: epochs.map((e) => (e.accuracy ?? NaN) - (e.valAccuracy ?? NaN)), color: TEST });
    return lineChart({ title: "Generalization gap", xLabel: "epoch", yLabel: "gap", series, references: [{ y: 0, label: "no gap" }], integerX: true });
  }, epochs.length === 0 ? noEpochs : "The run had no validation set, so there is no gap to show.");

  add("update-ratio", "‖Δw‖ / ‖w‖ of each parameter tensor at the sampled steps, on a log scale. Rule of thumb: about 1e-3 (dashed). " +
    "Far below, that layer barely learns (raise the learning rate); far above, it thrashes (lower it).", () => {
    const byName = groupByName(history.layers);
    if (byName.size === 0) return null;
    const series: Series[] = [...byName].map(([name, logs]) => ({ name, ...thin(logs.map((l) => l.step), logs.map((l) => l.ratio)) }));
    return lineChart({ title: "Update / weight ratio per parameter", xLabel: "optimizer step", yLabel: "‖Δw‖ / ‖w‖", series, yScale: "log", integerX: true,
      references: [{ y: HEALTHY_UPDATE_RATIO, label: "1e-3" }], height: Math.max(420, 80 + 18 * series.length) });
  }, "The run recorded no per-layer statistics.");

  // fit's metrics: a chart each, only for runs that recorded them.
  const names = [...new Set(epochs.flatMap((e) => Object.keys(e.metrics ?? {})))];
  for (const name of names) {
    const train = history.metric(name), val = history.metric(splitKey("val", name)), test = history.metric(splitKey("test", name));
    add(`metric-${name}`, `${name} per epoch (one of fit's metrics): the mean over each epoch's training batches, and its value on the validation and test sets after the epoch.`, () => {
      const series: Series[] = [];
      if (has(train)) series.push({ name: "train", x: ex, y: col(train), color: TRAIN });
      if (has(val)) series.push({ name: "validation", x: ex, y: col(val), color: VAL });
      if (has(test)) series.push({ name: "test", x: ex, y: col(test), color: TEST });
      return series.length === 0 ? null : lineChart({ title: `${name} per epoch`, xLabel: "epoch", yLabel: name, series, integerX: true });
    }, `No epoch recorded a finite ${name}.`);
  }

  if (confusion !== null) plots.push(...confusionPlots(confusion));
  return plots;
}

/** The confusion matrix and the accuracy of each class, named, on the split the run measured them on. */
function confusionPlots({ split, classes, matrix }: ConfusionLog): RunPlot[] {
  const set = split === "test" ? "test set" : "validation set";
  const total = matrix.reduce((s, row) => s + row.reduce((a, b) => a + b, 0), 0);
  return [
    { name: "confusion-matrix", note: null, svg: confusionChart({ title: `Confusion matrix on the ${set} (${total} samples)`, classes, matrix }),
      caption: `Samples of each true class (rows) by the class the saved model predicted (columns), on the ${set}; cells shaded by their share of the row. ` +
        "Large off-diagonal cells are the pairs of classes the model confuses." },
    { name: "per-class-accuracy", note: null, svg: fractionBars({ title: `Accuracy per class on the ${set}`, labels: classes, values: perClassAccuracy(matrix) }),
      caption: `The share of each class's samples the saved model classified right (its recall), on the ${set}: the weakest classes stand out.` },
  ];
}

/** Log scale when every finite value is positive: losses span decades. */
function logIfPositive(series: readonly Series[]): "log" | "linear" {
  const finite = series.flatMap((s) => s.y.filter(Number.isFinite));
  return finite.length > 0 && finite.every((v) => v > 0) ? "log" : "linear";
}

/** β for a span of about 2% of the run, between 10 and 50 steps: smooth enough to read, short enough to follow turns. */
function smoothingBeta(n: number): number {
  const span = Math.min(50, Math.max(10, Math.round(n / 50)));
  return Number((1 - 1 / span).toFixed(3));
}

function groupByName(layers: readonly LayerLog[]): Map<string, LayerLog[]> {
  const out = new Map<string, LayerLog[]>();
  for (const l of layers) {
    const list = out.get(l.name);
    if (list) list.push(l);
    else out.set(l.name, [l]);
  }
  return out;
}

/** About 2·MAX_BUCKETS points, each bucket's lowest and highest (see minMaxDownsample): a spike survives the thinning. */
export function thin(x: readonly number[], y: readonly number[]): { x: number[]; y: number[] } {
  return minMaxDownsample(x, y, MAX_BUCKETS);
}
