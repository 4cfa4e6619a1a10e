// The study of /api/study as the report's code reads it (FrozenTrial-like trials), and the table's paging.
import * as mn from "../../src/index.js";
import { fromWire, type StudyResponse, type StudyTrial } from "../../src/serve/study-response.js";
import type { Distribution } from "../../src/tune/distributions.js";
import type { FrozenTrial } from "../../src/tune/frozen-trial.js";
import type { TrialState } from "../../src/tune/trial-state.js";

export interface StudyModel {
  response: StudyResponse;
  /** The trials as the report's studyData / studyPlots take them, in number order. */
  trials: FrozenTrial[];
  /** The response's trial of each FrozenTrial (run folder, diagnosis), by number. */
  wire: StudyTrial[];
  data: mn.report.StudyData;
}

/**
 * The study as the report draws it. A trial's distributions are the study's (each parameter's first use, as
 * studyData takes them), so a coarse-to-fine stage's narrower box does not change an axis.
 */
export function studyModel(response: StudyResponse): StudyModel {
  const dists = new Map<string, Distribution>(response.params.map((p) => [p.name, mn.tune.jsonToDistribution(p.distribution)]));
  const trials = response.trials.map((t): FrozenTrial => ({
    trialId: t.number, number: t.number, state: t.state, value: t.value === null ? null : fromWire(t.value),
    datetimeStart: t.start === null ? null : new Date(t.start), datetimeComplete: t.complete === null ? null : new Date(t.complete),
    params: t.params, distributions: Object.fromEntries(Object.keys(t.params).filter((k) => dists.has(k)).map((k) => [k, dists.get(k)!])),
    intermediateValues: new Map(t.intermediate.map(([s, v]) => [s, fromWire(v)])),
    userAttrs: t.diagnosis === null ? {} : { [mn.tune.DIAGNOSIS_USER_ATTR]: t.diagnosis }, systemAttrs: t.systemAttrs,
  }));
  const data = mn.report.studyData({ studyName: response.name, direction: response.direction, trials, systemAttrs: response.systemAttrs });
  return { response, trials, wire: response.trials, data };
}

export type SortKey = "number" | "value";
export const PAGE_SIZE = 50;

/**
 * The trials the table lists: of one state (or all), sorted by number or by value (best first when
 * ascending means best: the study's direction decides; trials without a finite value last, by number).
 */
export function tableRows(model: StudyModel, state: TrialState | "all", sort: SortKey, descending: boolean): FrozenTrial[] {
  const rows = state === "all" ? [...model.trials] : model.trials.filter((t) => t.state === state);
  if (sort === "value") {
    const sign = descending ? -1 : 1;
    const valued = (t: FrozenTrial) => t.value !== null && !Number.isNaN(t.value);
    rows.sort((a, b) => (valued(a) && valued(b) ? sign * (a.value! - b.value!) || a.number - b.number : valued(a) ? -1 : valued(b) ? 1 : a.number - b.number));
  } else if (descending) rows.reverse();
  return rows;
}

/** The best value so far after each trial in order (COMPLETE trials only), NaN before the first. */
export function bestSoFar(model: StudyModel): number[] {
  const better = model.data.direction === "maximize" ? (a: number, b: number) => a > b : (a: number, b: number) => a < b;
  let best = NaN;
  return model.trials.map((t) => {
    if (t.state === "COMPLETE" && t.value !== null && Number.isFinite(t.value) && (Number.isNaN(best) || better(t.value, best))) best = t.value;
    return best;
  });
}

/** A value for the table: 4 significant digits, NaN and ±Infinity by name, "—" for none. */
export function formatNumber(v: number | null): string {
  if (v === null) return "—";
  if (!Number.isFinite(v)) return String(v);
  return Math.abs(v) >= 1e-3 && Math.abs(v) < 1e5 || v === 0 ? String(Number(v.toPrecision(4))) : v.toExponential(3);
}
