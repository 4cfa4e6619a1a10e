import { scaleLinear, scaleLog, scalePoint } from "d3-scale";
import { extent, logTickFormat } from "./line-chart.js";

/** How a chart places a value: linear, log (a log-scale parameter), or one slot per category (the value is the category's index). */
export type AxisScale = { kind: "linear" } | { kind: "log" } | { kind: "categorical"; categories: readonly string[] };

/** An axis fitted to its data: where a value goes (NaN when it cannot be drawn: ≤ 0 on a log axis), and its labelled ticks. */
export interface PlacedAxis {
  position(value: number): number;
  ticks: { at: number; label: string }[];
  /** The distance between two categories (0 for a numeric axis): room to spread points that share one. */
  band: number;
}

/** Fits `scale` to the finite values (positive ones on a log axis) and maps it onto `range` (pixels, either order). */
export function placeAxis(scale: AxisScale, values: readonly number[], range: [number, number], tickCount = 6): PlacedAxis {
  if (scale.kind === "categorical") {
    const point = scalePoint<number>().domain(scale.categories.map((_, i) => i)).range(range).padding(0.5);
    return {
      position: (v) => point(v) ?? NaN,
      ticks: scale.categories.map((label, i) => ({ at: point(i)!, label })),
      band: Math.abs(point.step()),
    };
  }
  const log = scale.kind === "log";
  const usable = values.filter((v) => Number.isFinite(v) && (!log || v > 0));
  const [lo, hi] = usable.length > 0 ? extent(usable) : log ? [0.1, 1] : [0, 1];
  const flat = lo === 0 ? 1 : Math.abs(lo) / 2;
  const domain: [number, number] = lo !== hi ? [lo, hi] : log ? [lo / 2, hi * 2] : [lo - flat, hi + flat];
  if (log) {
    const s = scaleLog().domain(domain).range(range).nice();
    const format = logTickFormat(s.tickFormat(tickCount, "~g"));
    const ticks = s.ticks(tickCount).filter((t, _i, all) => all.length <= 12 || Number.isInteger(Math.log10(t)));
    return { position: (v) => (v > 0 ? s(v) : NaN), ticks: ticks.map((t) => ({ at: s(t), label: format(t) })).filter((t) => t.label !== ""), band: 0 };
  }
  const s = scaleLinear().domain(domain).range(range).nice();
  const format = s.tickFormat(tickCount);
  return { position: (v) => (Number.isFinite(v) ? s(v) : NaN), ticks: s.ticks(tickCount).map((t) => ({ at: s(t), label: format(t) })), band: 0 };
}

/** A spread in (-0.5, 0.5) that differs from point to point yet is the same on every run (the golden ratio's sequence). */
export function jitter(i: number): number {
  return ((i * 0.6180339887498949) % 1) - 0.5;
}
