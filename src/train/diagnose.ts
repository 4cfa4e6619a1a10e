import { OptionError } from "../errors.js";
import type { LoggedDiagnosis } from "../io/run-log.js";
import { checkOptions } from "../options.js";
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
import { findUnfinishedSchedule } from "./diagnosis/schedule.js";
import { findUnderfitting } from "./diagnosis/underfitting.js";
import { DIAGNOSE_OPTIONS, type DiagnoseOptions } from "./diagnosis/thresholds.js";

export type { Finding, FindingKind, Severity } from "./diagnosis/finding.js";
export type { DiagnoseOptions, Thresholds } from "./diagnosis/thresholds.js";

/** The run log's LoggedDiagnosis, with diagnose()'s kinds of findings. */
export interface Diagnosis extends LoggedDiagnosis {
  findings: Finding[];
}

/**
 * Reads a run's curves the way an engineer babysitting it would: diverging or oscillating (lr too high), a loss that
 * barely moves (lr too low), noise (batch too small), overfitting and underfitting from the validation curves, a
 * learning-rate schedule that never reached its peak or its end, what callbacks already did (early stopping), and per
 * layer the update/weight ratios (~1e-3 is healthy) and gradient norms (zero: dead; huge: exploding). Findings come
 * most severe first, each with the numbers behind it and what to try; a run with none gets one "healthy" finding.
 * @example
 * // history: a finished run's mn.train.History (or History.fromJSON of a saved one)
 * const d = mn.train.diagnose(history, { noisyRatio: 0.8 });
 * console.log(d.summary); // e.g. 'Problems: diverging at step 50, exploding-layer fc1.weight.'
 */
export function diagnose(history: History, options?: DiagnoseOptions): Diagnosis {
  const t = checkOptions("diagnose", options, DIAGNOSE_OPTIONS);
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
    const overfitting = findOverfitting(history, t);
    push(findings, overfitting);
    if (!trend && !overfitting) push(findings, findUnderfitting(history.epochs, read, t));
    push(findings, findUnfinishedSchedule(history));
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
