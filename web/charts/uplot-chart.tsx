import { useEffect, useRef, useState } from "preact/hooks";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { minMaxDownsample } from "../../src/report/downsample.js";
import type { ChartLine } from "./chart-line.js";
import "./charts.css";

export type { ChartLine } from "./chart-line.js";

export interface UPlotChartProps {
  /** Names the chart in the page (data-chart="<name>"), for links and tests. */
  name: string;
  title: string;
  xLabel: string;
  yLabel: string;
  lines: readonly ChartLine[];
  logY?: boolean;
  logX?: boolean;
  height?: number;
}

// x is a count (steps, epochs): ticks at whole numbers only, 1-2-5 spaced.
const INTEGER_STEPS = Array.from({ length: 10 }, (_, e) => [1, 2, 5].map((m) => m * 10 ** e)).flat();
// The canvas width the axes take; the rest is the plot, one downsampling bucket a pixel column.
const AXES_WIDTH = 70;

/**
 * A uPlot line chart of several series over a count (steps, epochs: whole-number ticks) that may have different x
 * values (joined by uPlot.join). Each line is
 * downsampled to the plot's pixel columns (min/max per column) before drawing, so a long series draws fast and a
 * spike still shows; whatever smoothing the caller applied was computed on the full series. The chart is rebuilt
 * when its lines' names or looks change and only fed new data when they grow. The wrapper's data-points holds the
 * number of points drawn and data-source-points the number given, for tests and the curious.
 */
export function UPlotChart({ name, title, xLabel, yLabel, lines, logY = false, logX = false, height = 260 }: UPlotChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const [width, setWidth] = useState(0);

  useEffect(() => {
    const el = box.current!;
    const observer = new ResizeObserver(() => setWidth(el.clientWidth));
    observer.observe(el);
    setWidth(el.clientWidth);
    return () => observer.disconnect();
  }, []);

  const buckets = Math.max(10, width - AXES_WIDTH);
  const drawn = lines.map((l) => minMaxDownsample(l.x, l.y, buckets));
  const data = joinLines(drawn, logY, logX);
  const drawnPoints = drawn.reduce((n, d) => n + d.x.length, 0), sourcePoints = lines.reduce((n, l) => n + Math.min(l.x.length, l.y.length), 0);
  const look = JSON.stringify([title, xLabel, yLabel, logY, logX, height, lines.map((l) => [l.label, l.color, l.alpha, l.width, l.dash])]);

  useEffect(() => {
    if (width === 0) return;
    plot.current?.destroy();
    const opts: uPlot.Options = {
      title, width, height,
      scales: { x: { time: false, ...(logX ? { distr: 3 } : {}) }, y: logY ? { distr: 3 } : {} },
      axes: [{ label: xLabel, ...(logX ? {} : { incrs: INTEGER_STEPS }) }, { label: yLabel, size: 64 }],
      series: [{ label: xLabel }, ...lines.map((l) => ({
        label: l.label, stroke: withAlpha(l.color, l.alpha ?? 1), width: l.width ?? 1.5, spanGaps: false, points: { show: false },
        ...(l.dash ? { dash: l.dash } : {}),
      }))],
      legend: { live: true },
    };
    plot.current = new uPlot(opts, data, box.current!);
    return () => { plot.current?.destroy(); plot.current = null; };
  }, [look, width]);

  useEffect(() => { plot.current?.setData(data); });

  return <div class="chart" data-chart={name} data-points={drawnPoints} data-source-points={sourcePoints} ref={box} />;
}

/**
 * The lines as uPlot's aligned table: one x column (the union of the lines' x values) and a y column per line,
 * undefined where a line has no point (drawn across) and null where its value is not finite (a break; on a log
 * axis also where it is not positive).
 */
function joinLines(lines: readonly { x: number[]; y: number[] }[], logY: boolean, logX: boolean): uPlot.AlignedData {
  const drawable = (v: number) => Number.isFinite(v) && (!logY || v > 0);
  const tables = lines.map(({ x, y }): uPlot.AlignedData => {
    const keep = x.map((v) => !logX || v > 0);
    return [x.filter((_, i) => keep[i]), y.filter((_, i) => keep[i]).map((v) => (drawable(v) ? v : null))];
  });
  if (tables.length === 0) return [[]];
  if (tables.length === 1) return tables[0]!;
  return uPlot.join(tables, tables.map(() => [1]));
}

function withAlpha(color: string, alpha: number): string {
  if (alpha >= 1) return color;
  const n = parseInt(color.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}
