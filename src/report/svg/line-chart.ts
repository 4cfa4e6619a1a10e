import { scaleLinear, scaleLog } from "d3-scale";
import { area, line } from "d3-shape";
import { OptionError } from "../../errors.js";
import { escapeMarkup as escape } from "../escape.js";

export interface Series {
  name: string;
  x: readonly number[];
  y: readonly number[];
  /** A CSS colour; by default the next one of the palette. */
  color?: string;
  /** Stroke opacity in (0, 1], e.g. 0.3 for raw values drawn under their smoothed curve. */
  opacity?: number;
  /** A shaded band from lower to upper at each x, under the line: e.g. the range of several seeds around their mean. */
  band?: { lower: readonly number[]; upper: readonly number[] };
  /** Line width in pixels. Default 2. */
  strokeWidth?: number;
  /** A cross on the series' last drawn point: a trial the pruner stopped there, say. */
  endMarker?: "cross";
}

/** A legend row of its own, for charts whose series are too many to list (a study's trials). */
export interface LegendEntry {
  name: string;
  color: string;
  /** Default: a line in a line chart, a dot in a scatter chart; "box" a stage's rectangle. */
  marker?: "line" | "cross" | "dot" | "box";
}

/** A dashed horizontal line at a value worth comparing with, e.g. the 1e-3 update/weight rule of thumb. */
export interface ReferenceLine {
  y: number;
  label: string;
}

export interface LineChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  series: readonly Series[];
  /** "log" for losses and learning rates that span decades (non-positive values are left out). */
  yScale?: "linear" | "log";
  /** "log" for an x that spans decades, e.g. the learning rates of a range test (points at x ≤ 0 are left out). */
  xScale?: "linear" | "log";
  /** Dashed horizontal lines; their values widen the y range so they are always in view. */
  references?: readonly ReferenceLine[];
  /** x counts whole things (epochs, steps): ticks only at integers, never at 1.5. */
  integerX?: boolean;
  /** The legend's rows instead of one per series ([] for none). */
  legend?: readonly LegendEntry[];
  width?: number;
  height?: number;
}

// Okabe & Ito's colour-blind-safe palette.
const COLORS = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"];


/**
 * A self-contained SVG line chart (axes with nice ticks, one coloured line per series, a
 * legend), as a string to write to a file or inline into HTML. Scales and ticks come from
 * d3-scale, paths from d3-shape; no DOM is needed.
 * @example writeFileSync("loss.svg", lineChart({ title: "loss", xLabel: "epoch", yLabel: "loss", series: [{ name: "sgd", x: [1, 2], y: [0.9, 0.5] }] }));
 */
export function lineChart(options: LineChartOptions): string {
  const { title, xLabel, yLabel, series, yScale = "linear", xScale = "linear", references = [], integerX = false, legend, width = 720, height = 420 } = options;
  series.forEach((s) => {
    if (s.x.length !== s.y.length) throw new OptionError({ where: "lineChart", what: `series "${s.name}" has ${s.x.length} x values and ${s.y.length} y values` });
    if (s.band && (s.band.lower.length !== s.x.length || s.band.upper.length !== s.x.length)) {
      throw new OptionError({ where: "lineChart", what: `series "${s.name}" has ${s.x.length} x values and a band of ${s.band.lower.length} lower and ${s.band.upper.length} upper values` });
    }
  });
  const keep = (y: number) => Number.isFinite(y) && (yScale === "linear" || y > 0);
  const keepX = (x: number) => xScale === "linear" || x > 0;
  const xs = series.flatMap((s) => s.x.filter((xv, i) => keep(s.y[i]!) && keepX(xv)));
  const refs = references.filter((r) => keep(r.y));
  const bands = series.flatMap((s) => (s.band ? [...s.band.lower, ...s.band.upper].filter(keep) : []));
  const ys = [...series.flatMap((s) => s.y.filter(keep)), ...bands, ...refs.map((r) => r.y)];
  const m = { top: 36, right: 150, bottom: 48, left: 70 };
  const [x0, x1] = xs.length ? extent(xs) : [xScale === "log" ? 0.1 : 0, 1];
  const [y0, y1] = ys.length ? extent(ys) : [yScale === "log" ? 0.1 : 0, 1];
  const xDomain: [number, number] = x0 === x1 ? (xScale === "log" ? [x0 / 2, x1 * 2] : [x0 - 1, x1 + 1]) : [x0, x1];
  const x = (xScale === "log" ? scaleLog() : scaleLinear()).domain(xDomain).range([m.left, width - m.right]).nice();
  // A constant series (a fixed learning rate of 0.05) sits mid-chart on a range of its own size, not on ±1.
  const flat = y0 === 0 ? 1 : Math.abs(y0) / 2;
  const yDomain: [number, number] = y0 === y1 ? (yScale === "log" ? [y0 / 2, y1 * 2] : [y0 - flat, y1 + flat]) : [y0, y1];
  const y = (yScale === "log" ? scaleLog() : scaleLinear()).domain(yDomain).range([height - m.bottom, m.top]).nice();
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`);
  out.push(`<rect width="${width}" height="${height}" fill="white"/>`);
  out.push(`<text x="${width / 2}" y="20" text-anchor="middle" font-size="15" font-weight="bold">${escape(title)}</text>`);
  const xTicks = xScale === "log" ? x.ticks(8).filter((t, _i, all) => all.length <= 12 || Number.isInteger(Math.log10(t)))
    : integerX ? x.ticks(8).filter(Number.isInteger) : x.ticks(8);
  const xFormat = xScale === "log" ? logTickFormat(x.tickFormat(8, "~g")) : integerX ? String : x.tickFormat(8);
  const yTicks = yScale === "log" ? y.ticks(6).filter((t, _i, all) => all.length <= 12 || Number.isInteger(Math.log10(t))) : y.ticks(6);
  const yFormat = yScale === "log" ? logTickFormat(y.tickFormat(6, "~g")) : y.tickFormat(6);
  for (const t of yTicks) {
    out.push(`<line x1="${m.left}" x2="${width - m.right}" y1="${y(t)}" y2="${y(t)}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${m.left - 6}" y="${y(t)}" text-anchor="end" dominant-baseline="middle">${escape(yFormat(t))}</text>`);
  }
  for (const t of xTicks) {
    out.push(`<line x1="${x(t)}" x2="${x(t)}" y1="${height - m.bottom}" y2="${height - m.bottom + 5}" stroke="#333"/>`);
    out.push(`<text x="${x(t)}" y="${height - m.bottom + 18}" text-anchor="middle">${escape(xFormat(t))}</text>`);
  }
  out.push(`<rect x="${m.left}" y="${m.top}" width="${width - m.left - m.right}" height="${height - m.top - m.bottom}" fill="none" stroke="#333"/>`);
  out.push(`<text x="${(m.left + width - m.right) / 2}" y="${height - 10}" text-anchor="middle">${escape(xLabel)}</text>`);
  out.push(`<text transform="translate(16 ${(m.top + height - m.bottom) / 2}) rotate(-90)" text-anchor="middle">${escape(yLabel)}</text>`);
  for (const r of refs) {
    out.push(`<line x1="${m.left}" x2="${width - m.right}" y1="${y(r.y)}" y2="${y(r.y)}" stroke="#555" stroke-width="1.5" stroke-dasharray="6 4"/>`);
    out.push(`<text x="${width - m.right - 4}" y="${y(r.y) - 5}" text-anchor="end" fill="#555">${escape(r.label)}</text>`);
  }
  series.forEach((s, i) => {
    const color = escape(s.color ?? COLORS[i % COLORS.length]!);
    const opacity = s.opacity === undefined ? "" : ` stroke-opacity="${s.opacity}"`;
    if (s.band) {
      const { lower, upper } = s.band;
      const shaded = area<number>().defined((j) => keep(lower[j]!) && keep(upper[j]!)).x((j) => x(s.x[j]!)).y0((j) => y(lower[j]!)).y1((j) => y(upper[j]!))(s.x.map((_, j) => j)) ?? "";
      out.push(`<path d="${shaded}" fill="${color}" fill-opacity="0.2" stroke="none"><title>${escape(s.name)} (band)</title></path>`);
    }
    const points = s.x.map((xv, j) => [xv, s.y[j]!] as [number, number]);
    const path = line<[number, number]>().defined(([xv, yv]) => keep(yv) && keepX(xv)).x(([xv]) => x(xv)).y(([, yv]) => y(yv))(points) ?? "";
    out.push(`<path d="${path}" fill="none" stroke="${color}" stroke-width="${s.strokeWidth ?? 2}"${opacity}><title>${escape(s.name)}</title></path>`);
    // A line through one point draws nothing: a one-epoch run, a trial stopped after its first report.
    const drawable = points.filter(([xv, yv]) => keep(yv) && keepX(xv));
    if (drawable.length === 1) out.push(`<circle cx="${x(drawable[0]![0])}" cy="${y(drawable[0]![1])}" r="2.5" fill="${color}"${s.opacity === undefined ? "" : ` fill-opacity="${s.opacity}"`}/>`);
    if (s.endMarker === "cross") {
      let last = points.length - 1;
      while (last >= 0 && !keep(points[last]![1])) last--;
      if (last >= 0) out.push(cross(x(points[last]![0]), y(points[last]![1]), color));
    }
    if (legend === undefined) legendRow(out, width - m.right, m.top + 10 + i * 18, { name: s.name, color }, opacity);
  });
  legend?.forEach((entry, i) => legendRow(out, width - m.right, m.top + 10 + i * 18, { ...entry, color: escape(entry.color) }, ""));
  out.push("</svg>");
  return out.join("\n") + "\n";
}

function legendRow(out: string[], left: number, y: number, entry: LegendEntry, opacity: string): void {
  if (entry.marker === "cross") out.push(cross(left + 22, y, entry.color));
  else out.push(`<line x1="${left + 12}" x2="${left + 32}" y1="${y}" y2="${y}" stroke="${entry.color}" stroke-width="3"${opacity}/>`);
  out.push(`<text x="${left + 38}" y="${y}" dominant-baseline="middle">${escape(entry.name)}</text>`);
}

/** An × of 10 px centred on (x, y). */
export function cross(x: number, y: number, color: string): string {
  return `<path d="M${x - 5},${y - 5}L${x + 5},${y + 5}M${x - 5},${y + 5}L${x + 5},${y - 5}" stroke="${color}" stroke-width="2" fill="none"/>`;
}

// "0.000001" is wider than the margin and hard to count; below 1e-3 and from 1e5 up, write 1e-6.
// d3's log format returns "" for the ticks it leaves unlabelled, which must stay so.
export function logTickFormat(base: (t: number) => string): (t: number) => string {
  return (t) => {
    const label = base(t);
    if (label === "" || (t >= 1e-3 && t < 1e5)) return label;
    return t.toExponential().replace(/\.?0*e/, "e").replace("e+", "e");
  };
}

// Math.min(...xs) overflows the call stack past ~10⁵ values, and a long run has that many steps.
export function extent(values: readonly number[]): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}
