import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { optimizerColor, optimizerSpec } from "./optimizers.js";
import type { RaceResult } from "./protocol.js";

// Below this the log axis stops: uPlot's log ticks fail (an endless loop) on spans reaching 1e-30 (heavy ball at α*, β* reaches 1e-60).
const FLOOR = 1e-20;

/** The log axis' range: whole decades around the data, so it starts and ends on a power of ten. */
const decades = (_u: uPlot, min: number | null, max: number | null): [number, number] =>
  min === null || max === null || !(min > 0) ? [1e-6, 1] : [10 ** Math.floor(Math.log10(min)), 10 ** Math.max(Math.ceil(Math.log10(max)), Math.floor(Math.log10(min)) + 1)];

/** A tick label: plain from 0.01 to 10⁴, else in powers of ten (uPlot's default rounds 1e-4 to "0"). */
const tick = (v: number | null) => (v === null ? "" : v === 0 || (Math.abs(v) >= 0.01 && Math.abs(v) < 1e4) ? String(Number(v.toPrecision(3))) : v.toExponential(0));

/**
 * Each racer's f − f* against the step (log axis) where the surface has a minimum, else f itself: how fast each one
 * gets there, the picture behind the table's steps to tolerance. uPlot (canvas); values a log axis cannot show
 * (below 1e-20, 0 reached exactly, a diverged point) are left out.
 */
export function LossChart({ result }: { result: RaceResult }) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<{ chart: uPlot; shape: string } | null>(null);
  const best = result.best;
  const log = best !== null;
  const steps = Math.max(0, ...result.racers.map((r) => r.f.length));
  const data: uPlot.AlignedData = [
    Array.from({ length: steps }, (_, k) => k),
    ...result.racers.map((r) => Array.from({ length: steps }, (_, k) => {
      const v = r.f[k];
      if (v === undefined) return null;
      const gap = log ? v - best : v;
      return Number.isFinite(gap) && (!log || gap >= FLOOR) ? gap : null;
    })),
  ];
  // A new chart when its series or axis change; new data alone is set in place.
  const shape = JSON.stringify([log, result.racers.map((r) => r.name)]);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    if (plot.current && plot.current.shape === shape) {
      plot.current.chart.setData(data);
      return;
    }
    plot.current?.chart.destroy();
    const chart = new uPlot({
      width: Math.min(760, el.clientWidth || 760), height: 260,
      scales: { x: { time: false }, y: log ? { distr: 3, log: 10, range: decades } : {} },
      axes: [{ label: "step" }, { label: log ? "f − f*" : "f", size: 70, values: (_u: uPlot, splits: number[]) => splits.map(tick) }],
      series: [{ label: "step" }, ...result.racers.map((r) => ({ label: optimizerSpec(r.name)?.title ?? r.name, stroke: optimizerColor(r.name), width: 2, spanGaps: false }))],
      legend: { show: true },
    }, data, el);
    plot.current = { chart, shape };
  });
  useEffect(() => () => plot.current?.chart.destroy(), []);
  return <div class="race-loss" ref={box} data-series={String(result.racers.length)} />;
}
