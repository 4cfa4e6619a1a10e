import type { LrFindResult } from "../train/lr-find.js";
import type { LrSuggestions } from "../train/lr-suggestions.js";
import type { LrSweepSettings } from "../train/lr-sweep.js";

/** What `minima lr-find` swept and how (lr_find.jsonl's first line holds it): the sweep's settings and the batch size. */
export interface LrFindSettings extends LrSweepSettings {
  batchSize: number;
}

/** The largest eigenvalue of the training loss's Hessian at the swept model's weights (Lanczos), over `batches` batches. */
export interface CurvatureCheck {
  lambdaMax: number;
  batches: number;
}

const fmt = (v: number) => String(Number(v.toPrecision(3)));
const NOTES: Record<keyof LrSuggestions, string> = {
  valley: "the middle of the longest descent (fastai's default)",
  slide: "where the slope stops changing, walking down from the end",
  minimum: "a tenth of the lr with the lowest loss",
  steep: "where the loss falls fastest",
};

/** The lines `minima lr-find` prints after the sweep: how it ended, the suggestions, the one-cycle peak they imply, and 2/λmax. */
export function lrFindSummary(result: LrFindResult, settings: LrFindSettings, curvature: CurvatureCheck | null): string[] {
  const n = result.lrs.length;
  const best = result.smoothed.reduce((k, s, i) => (s < result.smoothed[k]! ? i : k), 0);
  const lines = [
    result.stop === "diverged"
      ? `stopped after ${n} of ${settings.numIt} batches at lr ${fmt(result.lrs[n - 1]!)}: the smoothed loss ${fmt(result.smoothed[n - 1]!)} passed ${settings.stopDiv} × its best, ${fmt(result.smoothed[best]!)} at lr ${fmt(result.lrs[best]!)}`
      : `ran all ${n} batches up to lr ${fmt(result.lrs[n - 1]!)}; the smoothed loss was lowest, ${fmt(result.smoothed[best]!)}, at lr ${fmt(result.lrs[best]!)}`,
    "suggested learning rates (fastai's rules on the smoothed loss):",
  ];
  for (const name of ["valley", "slide", "minimum", "steep"] as const) {
    const s = result.suggestions[name];
    lines.push(`  ${name.padEnd(8)} ${s ? fmt(s.lr).padEnd(10) : "none".padEnd(10)} ${s ? NOTES[name] : `the curve left after the cut is too short for ${name}`}`);
  }
  const valley = result.suggestions.valley;
  lines.push(valley
    ? `one-cycle: its peak at the valley, minima train --schedule one-cycle --max-lr ${fmt(valley.lr)} (starts at ${fmt(valley.lr / 25)}, max-lr/25)`
    : "one-cycle: no valley to take its peak from; sweep more batches (--num-it) or to a larger --end-lr");
  if (curvature) {
    const { lambdaMax, batches } = curvature;
    lines.push(lambdaMax > 0
      ? `curvature: λmax ${fmt(lambdaMax)} at these weights (Lanczos, ${batches} batch${batches === 1 ? "" : "es"}): plain gradient descent is stable below lr 2/λmax = ${fmt(2 / lambdaMax)}` +
        (valley ? `; the valley is ${fmt(valley.lr * lambdaMax / 2)} × that` : "")
      : `curvature: λmax is not positive (${fmt(lambdaMax)}, Lanczos over ${batches} batch${batches === 1 ? "" : "es"}): no stability limit 2/λmax to compare with`);
  }
  return lines;
}

/** lr_find.jsonl: a first line with the settings, how the sweep ended, the suggestions and the curvature; then one line per batch (a NaN loss as null). */
export function lrFindRecords(result: LrFindResult, settings: LrFindSettings, curvature: CurvatureCheck | null): object[] {
  const finite = (v: number) => (Number.isFinite(v) ? v : null);
  return [
    {
      kind: "lr-find", ...settings, stop: result.stop, batches: result.lrs.length, suggestions: result.suggestions,
      oneCycleMaxLr: result.suggestions.valley?.lr ?? null,
      curvature: curvature ? { ...curvature, lrLimit: curvature.lambdaMax > 0 ? 2 / curvature.lambdaMax : null } : null,
    },
    ...result.lrs.map((lr, i) => ({ kind: "batch", step: i, lr, loss: finite(result.losses[i]!), smoothed: finite(result.smoothed[i]!) })),
  ];
}
