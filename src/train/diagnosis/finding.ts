import type { LoggedFinding, Severity } from "../../io/run-log.js";

export type FindingKind = "overfitting" | "underfitting" | "diverging" | "oscillating" | "lr-too-low" | "noisy-loss"
  | "dead-layer" | "exploding-layer" | "slow-layer" | "fast-layer" | "schedule-unfinished" | "healthy";

export type { Severity } from "../../io/run-log.js";

/**
 * What diagnose() reports: one observation about a run, in plain words with the numbers behind it.
 * Its shape is the run log's (the "end" record holds the diagnosis); here the kinds are diagnose()'s.
 */
export interface Finding extends LoggedFinding {
  kind: FindingKind;
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
