// The study's large, live charts on canvas (uPlot): the optimization history and every trial's intermediate values.
import { useMemo } from "preact/hooks";
import uPlot from "uplot";
import { thinTrials } from "../../src/report/study-plots.js";
import type { FrozenTrial } from "../../src/tune/frozen-trial.js";
import { bestSoFar, type StudyModel } from "./study-model.js";
import { UPlot } from "./uplot-chart.js";

const COMPLETE = "#0072B2", PRUNED = "#E69F00", FAIL = "#D55E00", BEST = "#000000", OTHER = "#999999";
/** Curves drawn at most in the intermediate-values chart (the best first, then every k-th other, as the report thins). */
export const MAX_CURVES = 300;
const HEIGHT = 280;
/** Trial numbers and steps are whole: the x axis ticks at 1, 2, 5 × 10^k only. */
const WHOLE = Array.from({ length: 8 }, (_, k) => [1, 2, 5].map((m) => m * 10 ** k)).flat();

const noLine = () => null;
const dots = (color: string, size: number): uPlot.Series => ({ stroke: color, paths: noLine, points: { show: true, size, space: 0, fill: color, stroke: color } });
const range = (vs: number[]) => vs.reduce(([lo, hi], v) => (Number.isFinite(v) ? [Math.min(lo, v), Math.max(hi, v)] : [lo, hi]), [Infinity, -Infinity]);
/** A log y axis when every value is positive and they span a decade or more (the report's rule). */
const logY = (vs: number[]) => { const [lo, hi] = range(vs); return lo > 0 && hi / lo >= 10; };

/** Each trial's value by number (COMPLETE blue, PRUNED orange at its last reported value) and the best so far (a step line). */
export function HistoryChart({ model }: { model: StudyModel }) {
  const { data, options, points } = useMemo(() => {
    const drawn = model.trials.filter((t) => t.value !== null && Number.isFinite(t.value));
    const best = bestSoFar(model);
    const size = drawn.length > 1000 ? 3 : 6;
    const at = (t: FrozenTrial, state: string) => (t.state === state ? t.value : null);
    const data: uPlot.AlignedData = [drawn.map((t) => t.number), drawn.map((t) => at(t, "COMPLETE")), drawn.map((t) => at(t, "PRUNED")),
      drawn.map((t) => (Number.isNaN(best[t.number]!) ? null : best[t.number]!))];
    const options: Omit<uPlot.Options, "width"> = {
      title: `Optimization history (${model.data.metric})`, height: HEIGHT,
      scales: { x: { time: false }, y: { distr: logY(drawn.map((t) => t.value!)) ? 3 : 1 } },
      axes: [{ label: "trial", incrs: WHOLE }, { label: model.data.metric, size: 60 }],
      series: [{ label: "trial" }, { label: "complete", ...dots(COMPLETE, size) }, { label: "pruned (last value)", ...dots(PRUNED, size) },
        { label: "best so far", stroke: BEST, width: 2, paths: uPlot.paths.stepped!({ align: 1 }), points: { show: false }, spanGaps: true }],
    };
    return { data, options, points: drawn.length };
  }, [model]);
  if (points === 0) return <p class="muted">No trial has a value yet.</p>;
  return <UPlot name="history" options={options} data={data} points={points} />;
}

/** Each trial's reported values by step, pruned trials orange and ended by a dot where the pruner stopped them, the best black. */
export function IntermediateChart({ model }: { model: StudyModel }) {
  const { data, options, curves, total } = useMemo(() => {
    const withValues = model.trials.filter((t) => t.intermediateValues.size > 0);
    const bestTrial = model.data.ranked[0];
    const curves = thinTrials(withValues, model.data.ranked, MAX_CURVES).sort((a, b) => (a === bestTrial ? 1 : b === bestTrial ? -1 : 0));
    const steps = [...new Set(curves.flatMap((t) => [...t.intermediateValues.keys()]))].sort((a, b) => a - b);
    const ys = curves.map((t) => steps.map((s) => t.intermediateValues.get(s) ?? null));
    const color = (t: FrozenTrial) => (t === bestTrial ? BEST : t.state === "PRUNED" ? PRUNED : t.state === "FAIL" ? FAIL : t.state === "COMPLETE" ? COMPLETE : OTHER);
    const series: uPlot.Series[] = curves.map((t) => {
      const last = steps.indexOf(Math.max(...t.intermediateValues.keys()));
      return {
        label: `trial ${t.number} (${t.state.toLowerCase()})`, stroke: color(t), width: t === bestTrial ? 2.5 : 1, alpha: t === bestTrial ? 1 : 0.5, spanGaps: true,
        points: t.state === "PRUNED" ? { show: true, size: 6, space: 0, fill: PRUNED, stroke: PRUNED, filter: () => [last] } : { show: false },
      };
    });
    const options: Omit<uPlot.Options, "width"> = {
      title: `Intermediate values (${model.data.metric})${curves.length < withValues.length ? `: ${curves.length} of ${withValues.length} trials drawn, the best first, then every k-th` : ""}`,
      height: HEIGHT, legend: { show: false }, cursor: { points: { show: false } },
      scales: { x: { time: false }, y: { distr: logY(ys.flat().filter((v): v is number => v !== null)) ? 3 : 1 } },
      axes: [{ label: "step", incrs: WHOLE }, { label: model.data.metric, size: 60 }], series: [{ label: "step" }, ...series],
    };
    return { data: [steps, ...ys] as uPlot.AlignedData, options, curves: curves.length, total: withValues.length };
  }, [model]);
  if (total === 0) return <p class="muted">No trial reported intermediate values.</p>;
  return (
    <>
      <UPlot name="intermediate" options={options} data={data} points={curves} />
      <p class="legend-note"><span style={{ color: COMPLETE }}>■</span> complete <span style={{ color: PRUNED }}>●</span> pruned (the dot: where it was stopped)
        {" "}<span style={{ color: FAIL }}>■</span> failed <span style={{ color: OTHER }}>■</span> running or waiting <span style={{ color: BEST }}>■</span> best</p>
    </>
  );
}
