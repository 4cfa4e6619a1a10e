/**
 * The JSON of GET /api/study/<study folder>: a study read from its journal, compact enough for 10,000
 * trials. Shared by the server (study-api.ts) and the page (web/study/); free of Node imports.
 */
import type { ParamValue } from "../tune/distributions.js";
import type { Direction, TrialState } from "../tune/trial-state.js";

/** A number as JSON carries it: a finite one as it is, NaN and ±Infinity (a diverged run's loss) as their names. */
export type WireNumber = number | "NaN" | "Infinity" | "-Infinity";

export interface StudyResponse {
  /** The study folder, relative to the served folder. */
  path: string;
  /** journal.log's size when it was read: the page reads the study again when the file has grown past it. */
  journalBytes: number;
  /** Every study the journal holds (minima tune writes one); `name` is the one answered (?name=, default the first). */
  studies: string[];
  name: string;
  direction: Direction;
  /** The study's system attrs: minima:sampler, minima:pruner, minima:metric, minima:c2f:stage:<k> boxes, minima:space… */
  systemAttrs: Record<string, unknown>;
  /** Every parameter a trial suggested, in order of first use, with the distribution of that first use (Optuna's JSON). */
  params: { name: string; distribution: string }[];
  /** In trial-number order. */
  trials: StudyTrial[];
}

export interface StudyTrial {
  number: number;
  state: TrialState;
  value: WireNumber | null;
  /** The parameters' values as the objective saw them. */
  params: Record<string, ParamValue>;
  /** trial.report's values: [step, value], by step. */
  intermediate: [step: number, value: WireNumber][];
  /** minima's diagnosis of the trial's run (the "diagnosis" user attr: { summary, findings }), or null. */
  diagnosis: unknown;
  /** The system attrs the page reads: minima:budget, minima:c2f_stage, fail_reason. */
  systemAttrs: Record<string, unknown>;
  /** The trial's run folder relative to the served folder when it holds a run (metrics.jsonl), else null. */
  run: string | null;
  /** Start and completion times, ms since 1970, or null. */
  start: number | null;
  complete: number | null;
}

export function toWire(v: number): WireNumber {
  return Number.isFinite(v) ? v : Number.isNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity";
}

export function fromWire(v: WireNumber): number {
  return typeof v === "number" ? v : Number(v);
}
