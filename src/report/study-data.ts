import { ATTR, DIAGNOSIS_USER_ATTR } from "../tune/attrs.js";
import type { Distribution, ParamValue } from "../tune/distributions.js";
import type { FrozenTrial } from "../tune/frozen-trial.js";
import { TRIAL_STATES, type Direction, type TrialState } from "../tune/trial-state.js";

/** What a study report reads: a Study, or any object with its name, direction, trials and system attrs. */
export interface StudyLike {
  readonly studyName: string;
  readonly direction: Direction;
  readonly trials: readonly FrozenTrial[];
  readonly systemAttrs: Readonly<Record<string, unknown>>;
}

/** One coarse-to-fine stage's box: for each parameter, the range its trials were sampled from, in the parameter's own units. */
export interface StageBox {
  stage: number;
  box: Record<string, [low: number, high: number]>;
  /** A categorical parameter's choices the stage keeps. */
  choices: Record<string, ParamValue[]>;
  /** The budget (epochs) of the stage's trials; null when they have none. */
  budget: number | null;
}

/** A study as its report draws it. */
export interface StudyData {
  name: string;
  direction: Direction;
  /** The objective's name (the study's minima:metric attr), "objective" when unknown. */
  metric: string;
  sampler: string | null;
  pruner: string | null;
  /** Every parameter any trial suggested, with its distribution, in order of first use. */
  params: { name: string; distribution: Distribution }[];
  trials: readonly FrozenTrial[];
  counts: Record<TrialState, number>;
  /** COMPLETE trials with a finite value, best first (the earlier of two equal values first). */
  ranked: FrozenTrial[];
  /** Coarse-to-fine stages (the study's minima:c2f:stage:<k> attrs), by stage number. */
  stages: StageBox[];
}


/** Reads a study for its report; the trials are read once. */
export function studyData(study: StudyLike): StudyData {
  const trials = study.trials;
  const attrs = study.systemAttrs;
  const params = new Map<string, Distribution>();
  for (const t of trials) for (const [name, d] of Object.entries(t.distributions)) if (!params.has(name)) params.set(name, d);
  const counts = Object.fromEntries(TRIAL_STATES.map((s) => [s, 0])) as Record<TrialState, number>;
  for (const t of trials) counts[t.state]++;
  const sign = study.direction === "maximize" ? -1 : 1;
  const ranked = trials.filter((t) => t.state === "COMPLETE" && t.value !== null && Number.isFinite(t.value))
    .sort((a, b) => sign * (a.value! - b.value!) || a.number - b.number);
  const metric = attrs[ATTR.metric];
  return {
    name: study.studyName, direction: study.direction, metric: typeof metric === "string" && metric !== "" ? metric : "objective",
    sampler: nameOf(attrs[ATTR.sampler]), pruner: nameOf(attrs[ATTR.pruner]),
    params: [...params].map(([name, distribution]) => ({ name, distribution })), trials, counts, ranked, stages: stagesOf(attrs, trials),
  };
}

function nameOf(spec: unknown): string | null {
  const name = (spec as { name?: unknown } | null)?.name;
  return typeof name === "string" ? name : null;
}

/**
 * The stage boxes in the attrs, as CoarseToFineSampler stores them ({ lr: { low, high, log }, act: {
 * choices } }, the edges in the parameter's units); a stage's budget is its trials' (minima:budget).
 * An entry of another shape (a newer minima's) is left out.
 */
function stagesOf(attrs: Readonly<Record<string, unknown>>, trials: readonly FrozenTrial[]): StageBox[] {
  const stages: StageBox[] = [];
  for (const [key, value] of Object.entries(attrs)) {
    const match = C2F_BOX.exec(key);
    if (match === null || typeof value !== "object" || value === null) continue;
    const stage = Number(match[1]);
    const box: Record<string, [number, number]> = {};
    const choices: Record<string, ParamValue[]> = {};
    for (const [name, entry] of Object.entries(value as Record<string, unknown>)) {
      const { low, high, choices: kept } = (entry ?? {}) as { low?: unknown; high?: unknown; choices?: unknown };
      if (typeof low === "number" && typeof high === "number" && Number.isFinite(low) && Number.isFinite(high) && low <= high) box[name] = [low, high];
      else if (Array.isArray(kept)) choices[name] = kept as ParamValue[];
    }
    const budgets = trials.filter((t) => stageOf(t) === stage).map((t) => t.systemAttrs[ATTR.budget]).filter((b): b is number => typeof b === "number");
    stages.push({ stage, box, choices, budget: budgets[0] ?? null });
  }
  return stages.sort((a, b) => a.stage - b.stage);
}

// ATTR.c2fBox(k), read back: the study's box of stage k.
const C2F_BOX = new RegExp(`^${ATTR.c2fBox(0).replace(/0$/, "")}(\\d+)$`);

/** The coarse-to-fine stage a trial belongs to (CoarseToFineSampler's trial attr), or null. */
export function stageOf(trial: FrozenTrial): number | null {
  const stage = trial.systemAttrs[ATTR.c2fStage];
  return typeof stage === "number" ? stage : null;
}

/** A trial's diagnosis summary (the user attr minima's trial runner writes: mn.train.diagnose's result, or a string); null if none. */
export function diagnosisOf(trial: FrozenTrial): string | null {
  const d = trial.userAttrs[DIAGNOSIS_USER_ATTR];
  if (typeof d === "string") return d;
  const summary = (d as { summary?: unknown } | null | undefined)?.summary;
  return typeof summary === "string" ? summary : null;
}

/** The most severe finding's severity in the trial's diagnosis ("problem", "warning", "info"); null without one. */
export function diagnosisSeverity(trial: FrozenTrial): string | null {
  const findings = (trial.userAttrs[DIAGNOSIS_USER_ATTR] as { findings?: unknown } | null | undefined)?.findings;
  const severity = Array.isArray(findings) ? (findings[0] as { severity?: unknown } | undefined)?.severity : undefined;
  return typeof severity === "string" ? severity : null;
}

/** A parameter's value as a number on its axis: the value itself, or a categorical choice's index. NaN when the trial has none. */
export function axisValue(trial: FrozenTrial, name: string, distribution: Distribution): number {
  if (!(name in trial.params)) return NaN;
  const v = trial.params[name];
  if (distribution.kind === "categorical") return distribution.choices.findIndex((c) => c === v);
  return typeof v === "number" ? v : NaN;
}

/** The trial's value to draw: its objective value, or (PRUNED) its last intermediate value; NaN when none is finite. */
export function drawnValue(trial: FrozenTrial): number {
  return trial.value !== null && Number.isFinite(trial.value) ? trial.value : NaN;
}

/**
 * How much of the objective's variation a parameter explains: the correlation ratio η² of the
 * values' ranks over bins of the parameter (its categories, or ⌊√n⌋ bins of equally many trials in
 * the parameter's order), over COMPLETE trials. It sees a U-shaped dependence (a learning rate too
 * small or too large) that a correlation misses; 0 with fewer than 3 trials. A cheap stand-in for
 * Optuna's fANOVA importance, enough to pick which parameter the coverage picture puts first.
 */
export function importance(data: StudyData, name: string): number {
  const dist = data.params.find((p) => p.name === name)?.distribution;
  if (dist === undefined) return 0;
  const pairs = data.ranked.map((t) => [axisValue(t, name, dist), t.value!] as const).filter(([p]) => Number.isFinite(p) && p >= 0);
  if (pairs.length < 3) return 0;
  const valueRanks = ranks(pairs.map(([, v]) => v));
  const bins = new Map<number, number[]>();
  if (dist.kind === "categorical") {
    pairs.forEach(([p], i) => bins.set(p, [...(bins.get(p) ?? []), valueRanks[i]!]));
  } else {
    const count = Math.max(2, Math.floor(Math.sqrt(pairs.length)));
    const order = pairs.map((_, i) => i).sort((a, b) => pairs[a]![0] - pairs[b]![0] || a - b);
    order.forEach((i, k) => {
      const bin = Math.floor((k * count) / order.length);
      bins.set(bin, [...(bins.get(bin) ?? []), valueRanks[i]!]);
    });
  }
  return correlationRatio([...bins.values()]);
}

/** η² = between-group sum of squares / total sum of squares; 0 when every value is equal. */
export function correlationRatio(groups: readonly (readonly number[])[]): number {
  const all = groups.flat();
  const mean = all.reduce((s, v) => s + v, 0) / all.length;
  const total = all.reduce((s, v) => s + (v - mean) ** 2, 0);
  if (total === 0) return 0;
  const between = groups.reduce((s, g) => s + g.length * (g.reduce((a, v) => a + v, 0) / g.length - mean) ** 2, 0);
  return between / total;
}

/** Ranks 1..n, ties sharing their mean rank (as scipy.stats.rankdata's "average"). */
export function ranks(values: readonly number[]): number[] {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const out = new Array<number>(values.length);
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && order[j + 1]![0] === order[i]![0]) j++;
    for (let k = i; k <= j; k++) out[order[k]![1]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return out;
}
