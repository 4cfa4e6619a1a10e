import { lineChart, type Series } from "../../report/svg/line-chart.js";
import type { RnnCliffResult, TrainingRun } from "./rnn-cliff-measure.js";

/** The experiment's figures, each an SVG under the name its files get. */
export function rnnCliffPlots(r: RnnCliffResult): { name: string; svg: string }[] {
  const s = r.settings;
  const label = (run: TrainingRun) => (run.clipNorm === null ? "not clipped" : `clip-norm ${run.clipNorm}`);
  const perStep = (pick: (run: TrainingRun) => number[]): Series[] =>
    r.runs.map((run) => ({ name: label(run), x: pick(run).map((_, i) => i), y: pick(run) }));
  const { cliff } = r;
  const top = Math.max(...cliff.losses.filter(Number.isFinite));
  const bottom = Math.min(...cliff.losses.filter((v) => Number.isFinite(v) && v > 0));
  const marker = (name: string, at: number, color: string): Series => ({ name, x: [at, at], y: [bottom, top], color, strokeWidth: 1 });
  return [
    {
      name: "loss",
      svg: lineChart({ title: `Batch loss, RNN(2, ${s.hidden}) on the adding problem (T = ${s.length}), SGD lr ${s.lr}`, xLabel: "optimizer step", yLabel: "batch MSE", yScale: "log", integerX: true,
        series: perStep((run) => run.loss), references: [{ y: r.baselineLoss, label: "remember nothing" }] }),
    },
    {
      name: "grad-norm",
      svg: lineChart({ title: "Gradient norm per step, before clipping", xLabel: "optimizer step", yLabel: "‖g‖", yScale: "log", integerX: true,
        series: perStep((run) => run.gradNorm), references: [{ y: s.clipNorm, label: `clip-norm ${s.clipNorm}` }] }),
    },
    {
      name: "radius",
      svg: lineChart({ title: "Spectral radius of W_hh during training", xLabel: "optimizer step", yLabel: "ρ(W_hh)", yScale: "log", integerX: true,
        series: perStep((run) => run.radius), references: [{ y: 1, label: "ρ = 1" }] }),
    },
    {
      name: "cliff",
      svg: lineChart({
        title: `The loss along −g at step ${cliff.step} of the unclipped run (‖g‖ = ${cliff.gradNorm.toPrecision(3)})`,
        xLabel: "distance from the weights along −g/‖g‖", yLabel: "batch MSE", yScale: "log",
        series: [
          { name: "loss", x: cliff.distances, y: cliff.losses },
          marker("SGD step", cliff.unclippedStep, "#D55E00"),
          marker("clipped step", cliff.clippedStep, "#009E73"),
        ],
      }),
    },
    {
      name: "through-time",
      svg: lineChart({
        title: "‖∂L/∂h_t‖ at the initial weights, W_hh rescaled to radius ρ",
        xLabel: "time step t", yLabel: "‖∂L/∂h_t‖", yScale: "log", integerX: true,
        series: r.throughTime.map((t) => ({ name: `ρ = ${t.radius}`, x: t.gradNorms.map((_, i) => i + 1), y: t.gradNorms })),
      }),
    },
  ];
}
