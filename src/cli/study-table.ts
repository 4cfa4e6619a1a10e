import { ATTR, DIAGNOSIS_USER_ATTR } from "../tune/attrs.js";
import type { FrozenTrial } from "../tune/frozen-trial.js";
import type { Study } from "../tune/study.js";

/** A trial as `minima study show --json` prints it. */
export interface TrialSummary {
  number: number;
  state: string;
  params: Record<string, unknown>;
  value: number | null;
  /** The diagnosis's one-line summary (minima tune's trials), or null. */
  diagnosis: string | null;
  runDir: string | null;
}

/** A study as `minima study show --json` prints it. */
export interface StudySummaryJson {
  study: string;
  storage: string;
  direction: string;
  metric: string | null;
  trials: TrialSummary[];
  best: TrialSummary | null;
}

export function trialSummary(t: FrozenTrial): TrialSummary {
  const d = t.userAttrs[DIAGNOSIS_USER_ATTR] as { summary?: unknown } | undefined;
  const run = t.systemAttrs[ATTR.runDir];
  return { number: t.number, state: t.state, params: { ...t.params }, value: t.value, diagnosis: typeof d?.summary === "string" ? d.summary : null, runDir: typeof run === "string" ? run : null };
}

export function studySummary(study: Study): StudySummaryJson {
  const metric = study.systemAttrs[ATTR.metric];
  let best: FrozenTrial | null = null;
  try {
    best = study.bestTrial;
  } catch {
    best = null; // no trial completed yet
  }
  return {
    study: study.studyName, storage: study.storage.url, direction: study.direction, metric: typeof metric === "string" ? metric : null,
    trials: study.trials.map(trialSummary), best: best === null ? null : trialSummary(best),
  };
}

/** A number as the table shows it: four significant digits, the way lrs are written (0.0003162, 12.5). */
function show(v: unknown): string {
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(4)));
  return v === null ? "null" : String(v);
}

/**
 * The study as a Markdown table, one row per trial: number, state, each parameter, the value (named by
 * the study's metric) and the diagnosis; then the best trial, or why there is none.
 */
export function formatStudy(s: StudySummaryJson): string {
  const names = [...new Set(s.trials.flatMap((t) => Object.keys(t.params)))];
  const valueName = s.metric ?? "value";
  const head = ["trial", "state", ...names, valueName, "diagnosis"];
  const rows = s.trials.map((t) => [String(t.number), t.state, ...names.map((n) => (n in t.params ? show(t.params[n]) : "-")), t.value === null ? "-" : show(t.value), t.diagnosis ?? "-"]);
  const table = [head, head.map(() => "---"), ...rows].map((r) => `| ${r.join(" | ")} |`).join("\n");
  const counts = ["COMPLETE", "PRUNED", "FAIL", "RUNNING", "WAITING"].map((st) => [st, s.trials.filter((t) => t.state === st).length] as const).filter(([, n]) => n > 0);
  const title = `study "${s.study}" in ${s.storage}: ${s.trials.length} trial${s.trials.length === 1 ? "" : "s"}${counts.length ? ` (${counts.map(([st, n]) => `${n} ${st === "FAIL" ? "failed" : st.toLowerCase()}`).join(", ")})` : ""}, ${s.direction} ${valueName}`;
  const best = s.best === null ? "best: none yet (no trial has completed)"
    : `best: trial ${s.best.number}, ${valueName} ${String(s.best.value)}${Object.keys(s.best.params).length ? `, ${Object.entries(s.best.params).map(([k, v]) => `${k}=${String(v)}`).join(", ")}` : ""}${s.best.runDir ? ` (${s.best.runDir})` : ""}`;
  return s.trials.length === 0 ? `${title}\n\n${best}` : `${title}\n\n${table}\n\n${best}`;
}
