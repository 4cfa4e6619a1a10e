/** What diagnose() reports: one observation about a run, in plain words with the numbers behind it. */

export type FindingKind = "overfitting" | "underfitting" | "diverging" | "oscillating" | "lr-too-low" | "noisy-loss"
  | "dead-layer" | "exploding-layer" | "slow-layer" | "fast-layer" | "healthy";

/** "problem": the run is broken or wasted; "warning": it works but leaves a lot on the table; "info": worth knowing. */
export type Severity = "info" | "warning" | "problem";

export interface Finding {
  kind: FindingKind;
  severity: Severity;
  /** What the curves show, with the numbers. */
  message: string;
  /** What to try. */
  advice: string;
  /** Where it happened, when it happened at one point. */
  epoch?: number;
  step?: number;
  /** The parameter, for per-layer findings (dotted stateDict name). */
  layer?: string;
}

/** Most severe first. */
export const SEVERITIES: readonly Severity[] = ["problem", "warning", "info"];

/** Builds a Finding without writing `undefined` into the optional fields. */
export function finding(kind: FindingKind, severity: Severity, message: string, advice: string,
  where: { epoch?: number | undefined; step?: number | undefined; layer?: string | undefined } = {}): Finding {
  const f: Finding = { kind, severity, message, advice };
  if (where.epoch !== undefined) f.epoch = where.epoch;
  if (where.step !== undefined) f.step = where.step;
  if (where.layer !== undefined) f.layer = where.layer;
  return f;
}
