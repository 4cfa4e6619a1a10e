import { scaleLinear } from "d3-scale";
import { ATTR } from "../tune/attrs.js";
import type { Distribution } from "../tune/distributions.js";
import type { FrozenTrial } from "../tune/frozen-trial.js";
import type { RunPlot } from "./run-plots.js";
import { axisValue, drawnValue, importance, stageOf, type StudyData } from "./study-data.js";
import type { AxisScale } from "./svg/axis.js";
import { lineChart, type LegendEntry, type Series } from "./svg/line-chart.js";
import { parallelCoordinates } from "./svg/parallel-coordinates.js";
import { scatterChart, type ScatterPoint, type ScatterRect } from "./svg/scatter-chart.js";

export interface StudyPlotOptions {
  /** Learning curves drawn at most (the best trials first, then every k-th other). Default 300. */
  maxCurves?: number;
  /** Points per scatter chart and lines of the parallel coordinates drawn at most. Default 2000 and 500. */
  maxPoints?: number;
  maxLines?: number;
  /** The two parameters of the coarse-to-fine picture. Default: the learning rate (lr) and a regularizer (weightDecay, dropout…). */
  boxAxes?: [x: string, y: string];
  /** The two parameters of the coverage picture. Default: the two numeric ones that explain most of the objective (importance, η²). */
  coverageAxes?: [x: string, y: string];
}

const COMPLETE = "#0072B2", PRUNED = "#E69F00", FAIL = "#D55E00", BEST = "#000000", OTHER = "#999999";
const STAGE_COLORS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442"];
// viridis' ends and middle: the best trials dark, the worst light.
const rankColor = scaleLinear<string>().domain([0, 0.5, 1]).range(["#440154", "#21918c", "#fde725"]);

/**
 * The charts of a study report: every trial's learning curve, the objective against each parameter,
 * parallel coordinates, the coarse-to-fine boxes and the coverage of the two leading parameters.
 * Only the drawing is thinned on large studies (each caption says how many trials it shows); the
 * ranking and tables use every trial.
 * @example for (const p of studyPlots(studyData(study))) if (p.svg) writeFileSync(`${p.name}.svg`, p.svg);
 */
export function studyPlots(data: StudyData, options: StudyPlotOptions = {}): RunPlot[] {
  const { maxCurves = 300, maxPoints = 2000, maxLines = 500 } = options;
  const plots: RunPlot[] = [];
  const add = (name: string, caption: string, svg: string | null, note: string) => plots.push({ name, caption, svg, note: svg === null ? note : null });
  const best = data.ranked[0] ?? null;
  const metric = data.metric;

  // Learning curves.
  const withCurves = data.trials.filter((t) => t.intermediateValues.size > 0);
  const curves = thinTrials(withCurves, data.ranked, maxCurves);
  const series: Series[] = curves.filter((t) => t !== best).map((t) => curveSeries(t, t.state === "PRUNED" ? PRUNED : t.state === "FAIL" ? FAIL : t.state === "COMPLETE" ? COMPLETE : OTHER, 1, 0.45));
  if (best !== null && best.intermediateValues.size > 0) series.push(curveSeries(best, BEST, 2.5, 1));
  const present = (state: string) => curves.some((t) => t.state === state);
  const legend: LegendEntry[] = [
    ...(present("COMPLETE") ? [{ name: "complete", color: COMPLETE }] : []),
    ...(present("PRUNED") ? [{ name: "pruned (×)", color: PRUNED, marker: "cross" as const }] : []),
    ...(present("FAIL") ? [{ name: "failed", color: FAIL }] : []),
    ...(present("RUNNING") || present("WAITING") ? [{ name: "running / waiting", color: OTHER }] : []),
    ...(best !== null && best.intermediateValues.size > 0 ? [{ name: `best: trial ${best.number}`, color: BEST }] : []),
  ];
  add("curves", `${metric} reported at each step by every trial${shown(curves.length, withCurves.length)}; a cross ends a trial the pruner stopped, the best trial is black.`,
    series.length === 0 ? null : lineChart({ title: `Learning curves (${metric})`, xLabel: "step", yLabel: metric, series, legend, integerX: true, yScale: spansDecades(series) ? "log" : "linear" }),
    "No trial reported intermediate values (trial.report).");

  // The objective against each parameter.
  const valued = data.trials.filter((t) => Number.isFinite(drawnValue(t)));
  const scattered = thinTrials(valued, data.ranked, maxPoints);
  const budgets = budgetColors(data.trials);
  for (const { name, distribution } of data.params) {
    const points: ScatterPoint[] = scattered.filter((t) => name in t.params).map((t) => ({
      x: axisValue(t, name, distribution), y: drawnValue(t), marker: t === best ? "cross" : t.state === "PRUNED" ? "ring" : "dot",
      color: t === best ? FAIL : budgets.colorOf(t), label: trialLabel(t, metric),
    }));
    const legend: LegendEntry[] = [...budgets.legend, ...(best !== null ? [{ name: `best: trial ${best.number}`, color: FAIL, marker: "cross" as const }] : [])];
    add(`param-${safeName(name)}`, `${metric} against ${name}${distribution.kind !== "categorical" && distribution.log ? " (log axis, as it was sampled)" : ""}${shown(points.length, valued.filter((t) => name in t.params).length)}. ` +
      "Rings are pruned trials at their last reported value.",
    points.length === 0 ? null : scatterChart({ title: `${metric} by ${name}`, xLabel: name, yLabel: metric, xScale: axisScale(distribution), points, legend, yScale: { kind: spansDecades([{ name: "", x: [], y: points.map((p) => p.y) }]) ? "log" : "linear" } }),
    `No trial with a value used ${name}.`);
  }

  // Parallel coordinates.
  const lines = thinTrials(data.ranked, data.ranked, maxLines);
  const rankOf = new Map(data.ranked.map((t, i) => [t, data.ranked.length === 1 ? 0 : i / (data.ranked.length - 1)]));
  add("parallel", `Each COMPLETE trial as a line through its parameters and ${metric}${shown(lines.length, data.ranked.length)}, dark for the best, light for the worst; the 5 best drawn thick. ` +
    "Bands where the dark lines gather are the good ranges.",
    lines.length === 0 || data.params.length === 0 ? null : parallelCoordinates({
      title: "Parallel coordinates",
      axes: [...data.params.map(({ name, distribution }) => ({ name, scale: axisScale(distribution), values: lines.map((t) => axisValue(t, name, distribution)) })),
        { name: metric, scale: { kind: "linear" } as AxisScale, values: lines.map((t) => t.value!) }],
      colors: lines.map((t) => rankColor(rankOf.get(t)!)), labels: lines.map((t) => trialLabel(t, metric)),
      highlight: lines.map((t, i) => [t, i] as const).filter(([t]) => data.ranked.indexOf(t) < 5).map(([, i]) => i),
    }), data.params.length === 0 ? "No trial suggested a parameter." : "No trial has completed yet.");

  // Coarse-to-fine boxes.
  const numeric = data.params.filter((p) => p.distribution.kind !== "categorical");
  const boxAxes = options.boxAxes ?? defaultBoxAxes(numeric.map((p) => p.name));
  const stagePlot = () => {
    if (data.stages.length === 0 || boxAxes === null) return null;
    const [xn, yn] = boxAxes;
    const [xd, yd] = [distributionOf(data, xn), distributionOf(data, yn)];
    if (xd === null || yd === null) return null;
    const rects: ScatterRect[] = data.stages.filter((s) => s.box[xn] && s.box[yn]).map((s, i) => ({
      x0: s.box[xn]![0], x1: s.box[xn]![1], y0: s.box[yn]![0], y1: s.box[yn]![1], color: STAGE_COLORS[i % STAGE_COLORS.length]!, label: stageLabel(s.stage, s.budget),
    }));
    const stageColor = new Map(data.stages.map((s, i) => [s.stage, STAGE_COLORS[i % STAGE_COLORS.length]!]));
    const points: ScatterPoint[] = thinTrials(data.trials.filter((t) => xn in t.params && yn in t.params), data.ranked, maxPoints).map((t) => ({
      x: axisValue(t, xn, xd), y: axisValue(t, yn, yd), marker: t === best ? "cross" : t.state === "COMPLETE" ? "dot" : "ring",
      color: t === best ? BEST : stageColor.get(stageOf(t) ?? NaN) ?? OTHER, label: trialLabel(t, metric),
    }));
    const legend: LegendEntry[] = [...data.stages.map((s, i) => ({ name: stageLabel(s.stage, s.budget), color: STAGE_COLORS[i % STAGE_COLORS.length]!, marker: "box" as const })),
      ...(best !== null ? [{ name: `best: trial ${best.number}`, color: BEST, marker: "cross" as const }] : [])];
    return scatterChart({ title: `Coarse-to-fine: ${xn} × ${yn}`, xLabel: xn, yLabel: yn, xScale: axisScale(xd), yScale: axisScale(yd), points, rects, legend });
  };
  add("c2f-boxes", `The coarse-to-fine search's boxes over ${boxAxes ? `${boxAxes[0]} × ${boxAxes[1]}` : "two parameters"}: each stage samples inside its box, around the best trials of the stage before; points take their stage's colour, hollow when the trial did not complete.`,
    stagePlot(), data.stages.length === 0 ? "Not a coarse-to-fine study: it recorded no stage boxes (minima:c2f:stage:<k>)." : "The stage boxes do not span two numeric parameters the trials used.");

  // Coverage of the two leading parameters (the notes' grid-versus-random picture).
  const coverageAxes = options.coverageAxes ?? leadingPair(data);
  const coveragePlot = () => {
    if (coverageAxes === null) return null;
    const [xn, yn] = coverageAxes;
    const [xd, yd] = [distributionOf(data, xn), distributionOf(data, yn)];
    if (xd === null || yd === null) return null;
    const tried = data.trials.filter((t) => xn in t.params && yn in t.params);
    const points: ScatterPoint[] = thinTrials(tried, data.ranked, maxPoints).map((t) => ({
      x: axisValue(t, xn, xd), y: axisValue(t, yn, yd), color: rankOf.has(t) ? rankColor(rankOf.get(t)!) : OTHER, marker: rankOf.has(t) ? "dot" : "ring", label: trialLabel(t, metric),
    }));
    const distinct = (n: string) => new Set(tried.map((t) => t.params[n])).size;
    return { svg: scatterChart({ title: `${tried.length} trials tried ${distinct(xn)} values of ${xn} and ${distinct(yn)} of ${yn}`, xLabel: xn, yLabel: yn, xScale: axisScale(xd), yScale: axisScale(yd), points, rugs: true }), xn, yn, nx: distinct(xn), ny: distinct(yn), n: tried.length };
  };
  const coverage = coveragePlot();
  add("coverage", coverage === null ? "Which values of the leading parameters the trials tried." :
    `Which values of ${coverage.xn} (the one that explains most of ${metric}, by η² of its ranks) and ${coverage.yn} the ${coverage.n} trials tried: a tick on an axis for each distinct value (${coverage.nx} and ${coverage.ny}). ` +
    "A grid of k × k points tries only k values of the parameter that matters; random search tries a new one every trial (Bergstra & Bengio 2012, the notes' picture). Colour: rank of the trial's value, dark best.",
  coverage?.svg ?? null, "The trials used fewer than two numeric parameters.");
  return plots;
}

function curveSeries(t: FrozenTrial, color: string, strokeWidth: number, opacity: number): Series {
  const steps = [...t.intermediateValues.keys()].sort((a, b) => a - b);
  const kept = steps.length <= 200 ? steps : steps.filter((_, i) => i % Math.ceil(steps.length / 200) === 0 || i === steps.length - 1);
  return { name: `trial ${t.number}`, x: kept, y: kept.map((s) => t.intermediateValues.get(s)!), color, strokeWidth, opacity, ...(t.state === "PRUNED" ? { endMarker: "cross" as const } : {}) };
}

/**
 * At most `max` of the trials to draw: the best-ranked ones first (up to a tenth of max), then every
 * k-th of the rest, in trial order. Deterministic, so two reports of one study draw the same trials.
 */
export function thinTrials(trials: readonly FrozenTrial[], ranked: readonly FrozenTrial[], max: number): FrozenTrial[] {
  if (trials.length <= max) return [...trials];
  const member = new Set(trials);
  const keep = new Set(ranked.filter((t) => member.has(t)).slice(0, Math.ceil(max / 10)));
  const rest = trials.filter((t) => !keep.has(t));
  const room = max - keep.size;
  for (let i = 0; i < room; i++) keep.add(rest[Math.floor((i * rest.length) / room)]!);
  return trials.filter((t) => keep.has(t));
}

function shown(drawn: number, of: number): string {
  return drawn < of ? ` (${drawn} of ${of} trials drawn: the best, then every k-th other)` : "";
}

function spansDecades(series: readonly Series[]): boolean {
  const ys = series.flatMap((s) => s.y.filter(Number.isFinite));
  if (ys.length === 0 || ys.some((y) => y <= 0)) return false;
  let lo = Infinity, hi = -Infinity;
  for (const y of ys) { lo = Math.min(lo, y); hi = Math.max(hi, y); }
  return hi / lo >= 10;
}

function axisScale(d: Distribution): AxisScale {
  if (d.kind === "categorical") return { kind: "categorical", categories: d.choices.map(String) };
  return { kind: d.log ? "log" : "linear" };
}

function distributionOf(data: StudyData, name: string): Distribution | null {
  return data.params.find((p) => p.name === name)?.distribution ?? null;
}

function budgetOf(t: FrozenTrial): number | undefined {
  const b = t.systemAttrs[ATTR.budget];
  return typeof b === "number" ? b : undefined;
}

/** Colours by the trials' budgets when they differ (coarse-to-fine stages, Hyperband), else one colour. */
function budgetColors(trials: readonly FrozenTrial[]): { colorOf: (t: FrozenTrial) => string; legend: LegendEntry[] } {
  const budgets = [...new Set(trials.map(budgetOf).filter((b): b is number => b !== undefined))].sort((a, b) => a - b);
  if (budgets.length < 2) return { colorOf: () => COMPLETE, legend: [] };
  const color = new Map(budgets.map((b, i) => [b, STAGE_COLORS[i % STAGE_COLORS.length]!]));
  return { colorOf: (t) => color.get(budgetOf(t) ?? NaN) ?? OTHER, legend: budgets.map((b) => ({ name: `budget ${b}`, color: color.get(b)! })) };
}

function stageLabel(stage: number, budget: number | null): string {
  return `stage ${stage}${budget === null ? "" : ` (budget ${budget})`}`;
}

function trialLabel(t: FrozenTrial, metric: string): string {
  const params = Object.entries(t.params).map(([k, v]) => `${k}=${typeof v === "number" ? Number(v.toPrecision(4)) : String(v)}`).join(", ");
  return `trial ${t.number} (${t.state}): ${metric} ${t.value === null ? "none" : Number(t.value.toPrecision(5))}; ${params}`;
}

const safeName = (name: string) => name.replace(/[^A-Za-z0-9_-]/g, "_");

const LR = /^(lr|learning_?rate|eta)$/i, REG = /(weight_?decay|^wd$|l2|dropout|reg|lambda|alpha)/i;

/** The learning rate and a regularizer, the notes' picture; else the first two numeric parameters. */
function defaultBoxAxes(names: readonly string[]): [string, string] | null {
  const x = names.find((n) => LR.test(n)) ?? names[0];
  const y = names.find((n) => n !== x && REG.test(n)) ?? names.find((n) => n !== x);
  return x !== undefined && y !== undefined ? [x, y] : null;
}

/** The two numeric parameters that explain most of the objective (importance), the first on x. */
function leadingPair(data: StudyData): [string, string] | null {
  const numeric = data.params.filter((p) => p.distribution.kind !== "categorical").map((p) => p.name);
  if (numeric.length < 2) return null;
  const sorted = numeric.map((n, i) => [n, importance(data, n), i] as const).sort((a, b) => b[1] - a[1] || a[2] - b[2]);
  return [sorted[0]![0], sorted[1]![0]];
}
