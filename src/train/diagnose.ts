import { OptionError } from "../errors.js";
import { above, atLeast, checkOptions, inRange, positiveInt, type Check } from "../options.js";
import type { History } from "./history.js";
import { findDivergence } from "./diagnosis/divergence.js";
import { finding, SEVERITIES, type Finding } from "./diagnosis/finding.js";
import { findFlatLoss } from "./diagnosis/flat-loss.js";
import { findLayerProblems, layerStats } from "./diagnosis/layers.js";
import { readLossCurve, type LossCurve } from "./diagnosis/loss-curve.js";
import { findNoise } from "./diagnosis/noise.js";
import { num, percent } from "./diagnosis/numbers.js";
import { findOscillation } from "./diagnosis/oscillation.js";
import { findOverfitting } from "./diagnosis/overfitting.js";
import { findUnderfitting } from "./diagnosis/underfitting.js";

export type { Finding, FindingKind, Severity } from "./diagnosis/finding.js";

export interface Diagnosis {
  /** Most severe first. */
  findings: Finding[];
  /** One line naming the most severe findings. */
  summary: string;
}

/** The thresholds behind the rules; each rule's doc comment (src/train/diagnosis/) says how it uses them. */
export interface DiagnoseOptions {
  /** A loss this many times its lowest (and above its start), or a jump this many times its start, is diverging. Default 3. */
  explodeFactor?: number;
  /** A training loss that ends this many times its lowest smoothed value has swung back up (oscillating). Default 1.5. */
  reboundFactor?: number;
  /** A relative change of the training loss, start to end, below this has barely moved (lr too low). Default 0.02. */
  minProgress?: number;
  /** A relative change below this is no downward trend (oscillating or flat; stuck after a blow-up). Default 0.1. */
  trendProgress?: number;
  /** Step-to-step scatter (robust std ÷ moving median) above which a curve without trend oscillates rather than crawls. Default 0.1. */
  swingRatio?: number;
  /** The same scatter over the second half of the run above which the loss is noisy. Default 0.5. */
  noisyRatio?: number;
  /** A loss at or below this counts as near zero: the relative rules (flat, noisy, rebound, still falling) skip it. Default 0.05. */
  lossFloor?: number;
  /** Fewest finite steps for the per-step rules; with fewer, the epoch losses are read instead. Default 20. */
  minSteps?: number;
  /** Fewest epochs (with validation data, for overfitting) before the epoch rules judge. Default 3. */
  minEpochs?: number;
  /** A relative change between epochs that counts: validation loss above its best, an epoch loss rising. Default 0.05. */
  epochMargin?: number;
  /** A last-epoch drop of the training loss at least this large means the run had not converged. Default 0.1. */
  stillFalling?: number;
  /** Train accuracy below this, with validation accuracy within accuracyGap of it, is underfitting. Default 0.5. */
  lowAccuracy?: number;
  /** See lowAccuracy. Default 0.05. */
  accuracyGap?: number;
  /** A median update/weight ratio below this is a slow layer (rule of thumb ~1e-3). Default 1e-5. */
  slowRatio?: number;
  /** A median update/weight ratio above this is a fast layer. Default 0.1. */
  fastRatio?: number;
  /** A gradient norm below this is zero. Default 1e-12. */
  deadGrad?: number;
  /** A layer with a zero gradient at this fraction of its recorded steps or more is dead. Default 0.5. */
  deadFraction?: number;
  /** A median gradient norm above this, and explodingSpread× the other layers' median, is exploding. Default 1e3. */
  explodingGrad?: number;
  /** See explodingGrad. Default 100. */
  explodingSpread?: number;
}

/** Every threshold, filled in. */
export type Thresholds = Required<DiagnoseOptions>;

const DEFAULTS: Thresholds = {
  explodeFactor: 3, reboundFactor: 1.5, minProgress: 0.02, trendProgress: 0.1, swingRatio: 0.1, noisyRatio: 0.5,
  lossFloor: 0.05, minSteps: 20, minEpochs: 3, epochMargin: 0.05, stillFalling: 0.1, lowAccuracy: 0.5, accuracyGap: 0.05,
  slowRatio: 1e-5, fastRatio: 0.1, deadGrad: 1e-12, deadFraction: 0.5, explodingGrad: 1e3, explodingSpread: 100,
};

const fraction: Check = (v) => (typeof v === "number" && v > 0 && v <= 1 ? null : "a number in (0, 1]");
const CHECKS: { [K in keyof Thresholds]: Check } = {
  explodeFactor: above(1), reboundFactor: above(1), minProgress: inRange(0, 1), trendProgress: inRange(0, 1),
  swingRatio: above(0), noisyRatio: above(0), lossFloor: atLeast(0), minSteps: positiveInt, minEpochs: positiveInt,
  epochMargin: atLeast(0), stillFalling: fraction, lowAccuracy: fraction, accuracyGap: fraction,
  slowRatio: above(0), fastRatio: above(0), deadGrad: atLeast(0), deadFraction: fraction, explodingGrad: above(0), explodingSpread: above(1),
};

/**
 * Reads a run's curves the way an engineer babysitting it would: diverging or oscillating (lr too high), a loss that
 * barely moves (lr too low), noise (batch too small), overfitting and underfitting from the validation curves, and per
 * layer the update/weight ratios (~1e-3 is healthy) and gradient norms (zero: dead; huge: exploding). Findings come
 * most severe first, each with the numbers behind it and what to try; a run with none gets one "healthy" finding.
 * @example
 * // history: a finished run's mn.train.History (or History.fromJSON of a saved one)
 * const d = mn.train.diagnose(history, { noisyRatio: 0.8 });
 * console.log(d.summary); // e.g. 'Problems: diverging at step 50, exploding-layer fc1.weight.'
 */
export function diagnose(history: History, options?: DiagnoseOptions): Diagnosis {
  const t = checkOptions("diagnose", options, DEFAULTS, CHECKS);
  if (t.slowRatio >= t.fastRatio) {
    throw new OptionError({ where: "diagnose", what: "slowRatio must be below fastRatio", got: `${t.slowRatio} and ${t.fastRatio}` });
  }
  if (history.steps.length === 0 && history.epochs.length === 0) {
    return { findings: [], summary: "Nothing to diagnose: the history has no steps and no epochs." };
  }
  const curve = readLossCurve(history, t.minSteps);
  const layers = layerStats(history.layers, t);
  const findings: Finding[] = [];
  const divergence = findDivergence(history, curve, t);
  // A handful of steps can show a blow-up, but says nothing yet about trend, noise or learning rate.
  const read = curve && !curve.short ? curve : null;
  if (divergence) {
    // After a blow-up the other curves describe the wreck, not the training: only the layers are worth reading.
    findings.push(divergence);
  } else {
    // The peak: a schedule that decays towards 0 should not make a flat curve look like a tiny lr.
    const lrs = (history.steps.length ? history.steps : history.epochs).map((l) => l.lr).filter(Number.isFinite);
    const lr = lrs.length ? lrs.reduce((a, b) => Math.max(a, b)) : null;
    const trend = findFlatLoss(read, layers, lr, t) ?? findOscillation(history.epochs, read, t);
    if (trend) findings.push(trend);
    else push(findings, findNoise(read, t));
    const overfitting = findOverfitting(history.epochs, t);
    push(findings, overfitting);
    if (!trend && !overfitting) push(findings, findUnderfitting(history.epochs, read, t));
  }
  findings.push(...findLayerProblems(layers, t));
  if (findings.length === 0) findings.push(healthy(history, curve));
  findings.sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity));
  return { findings, summary: summarize(findings) };
}

function push(findings: Finding[], f: Finding | null): void {
  if (f) findings.push(f);
}

function healthy(history: History, curve: LossCurve | null): Finding {
  const last = history.epochs.at(-1);
  const parts: string[] = [];
  if (curve) {
    const n = curve.loss.length, epochs = history.epochs.length;
    const span = curve.unit === "epoch" ? `${n} epochs` : epochs ? `${epochs} epochs (${n} steps)` : `${n} steps`;
    parts.push(`the training loss fell from ${num(curve.loss[0]!)} to ${num(curve.end)} over ${span}`);
  } else if (last) {
    parts.push(`training loss ${num(last.loss)}`);
  }
  if (last?.valLoss != null) {
    const best = history.epochs.reduce((b, e) => (e.valLoss !== null && e.valLoss < (b.valLoss ?? Infinity) ? e : b), last);
    parts.push(`validation loss ${num(last.valLoss)} at the end (best ${num(best.valLoss!)} at epoch ${best.epoch})`);
  }
  if (last?.valAccuracy != null) parts.push(`validation accuracy ${percent(last.valAccuracy)}`);
  else if (last?.accuracy != null) parts.push(`training accuracy ${percent(last.accuracy)}`);
  return finding("healthy", "info",
    `Healthy: ${parts.join("; ") || "nothing stands out"}. No sign of divergence, a badly set learning rate, noise or overfitting.`,
    "Nothing to fix. To go further, tune the learning rate and regularization with a coarse-to-fine search.");
}

/** "Problems: diverging at step 50, dead-layer fc1.weight; also 1 warning." */
function summarize(findings: readonly Finding[]): string {
  const top = findings[0]!.severity;
  if (findings.length === 1 && findings[0]!.kind === "healthy") return "Healthy: no problems found.";
  const main = findings.filter((f) => f.severity === top);
  const label = (f: Finding) => f.kind + (f.layer !== undefined ? ` ${f.layer}` : f.step !== undefined ? ` at step ${f.step}`
    : f.epoch !== undefined ? ` at epoch ${f.epoch}` : "");
  const shown = main.slice(0, 4).map(label).join(", ") + (main.length > 4 ? ` and ${main.length - 4} more` : "");
  const rest = SEVERITIES.filter((s) => s !== top).map((s) => [s, findings.filter((f) => f.severity === s).length] as const)
    .filter(([, n]) => n > 0).map(([s, n]) => `${n} ${s === "info" ? "note" : s}${n > 1 ? "s" : ""}`);
  const title = { problem: "Problem", warning: "Warning", info: "Note" }[top];
  return `${title}${main.length > 1 ? "s" : ""}: ${shown}${rest.length ? `; also ${rest.join(" and ")}` : ""}.`;
}

/**
 * The diagnosis as terminal text: the summary, then one paragraph per finding — the message, then "Try: " and the advice.
 * @example console.log(mn.train.formatDiagnosis(mn.train.diagnose(history)));
 */
export function formatDiagnosis(d: Diagnosis): string {
  const paragraphs = d.findings.map((f) => `[${f.severity}] ${f.message}\nTry: ${f.advice}`);
  return [d.summary, ...paragraphs].join("\n\n") + "\n";
}
