import { OptionError } from "../../errors.js";
import { escapeMarkup as escape } from "../escape.js";
import { jitter, placeAxis, type AxisScale } from "./axis.js";
import { cross, type LegendEntry } from "./line-chart.js";

export interface ScatterPoint {
  x: number;
  y: number;
  color?: string;
  /** "dot" (default), "ring" (hollow: a value not comparable with the rest, a pruned trial's), or "cross". */
  marker?: "dot" | "ring" | "cross";
  /** Shown on hover. */
  label?: string;
}

/** A rectangle in data coordinates, drawn under the points: a search stage's box. */
export interface ScatterRect {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
  color: string;
  label: string;
}

export interface ScatterChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  points: readonly ScatterPoint[];
  /** Default linear. A categorical axis takes the category's index as the value and spreads the points of one category a little. */
  xScale?: AxisScale;
  yScale?: AxisScale;
  rects?: readonly ScatterRect[];
  /** A tick on each axis for every value the points take there: which values were tried (grid versus random). */
  rugs?: boolean;
  legend?: readonly LegendEntry[];
  width?: number;
  height?: number;
}

const DOT = "#0072B2";

/**
 * A self-contained SVG scatter chart: points on linear, log or categorical axes, optional
 * rectangles under them and rug ticks along the axes. Points that a log axis cannot place (≤ 0)
 * or that are not finite are left out.
 * @example writeFileSync("lr.svg", scatterChart({ title: "loss by lr", xLabel: "lr", yLabel: "loss", xScale: { kind: "log" }, points: [{ x: 0.01, y: 0.3 }] }));
 */
export function scatterChart(options: ScatterChartOptions): string {
  const { title, xLabel, yLabel, points, xScale = { kind: "linear" }, yScale = { kind: "linear" }, rects = [], rugs = false, legend = [], width = 720, height = 420 } = options;
  for (const r of rects) {
    if (!(r.x0 <= r.x1 && r.y0 <= r.y1)) throw new OptionError({ where: "scatterChart", what: `rectangle "${r.label}" has its corners the wrong way round`, expected: "x0 ≤ x1 and y0 ≤ y1", got: `x ${r.x0}..${r.x1}, y ${r.y0}..${r.y1}` });
  }
  const m = { top: 36, right: legend.length > 0 ? 150 : 24, bottom: 48, left: 70 };
  const x = placeAxis(xScale, [...points.map((p) => p.x), ...rects.flatMap((r) => [r.x0, r.x1])], [m.left, width - m.right]);
  const y = placeAxis(yScale, [...points.map((p) => p.y), ...rects.flatMap((r) => [r.y0, r.y1])], [height - m.bottom, m.top]);
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`);
  out.push(`<rect width="${width}" height="${height}" fill="white"/>`);
  out.push(`<text x="${width / 2}" y="20" text-anchor="middle" font-size="15" font-weight="bold">${escape(title)}</text>`);
  for (const t of y.ticks) {
    out.push(`<line x1="${m.left}" x2="${width - m.right}" y1="${t.at}" y2="${t.at}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${m.left - 6}" y="${t.at}" text-anchor="end" dominant-baseline="middle">${escape(t.label)}</text>`);
  }
  for (const t of x.ticks) {
    out.push(`<line x1="${t.at}" x2="${t.at}" y1="${height - m.bottom}" y2="${height - m.bottom + 5}" stroke="#333"/>`);
    out.push(`<text x="${t.at}" y="${height - m.bottom + 18}" text-anchor="middle">${escape(t.label)}</text>`);
  }
  out.push(`<rect x="${m.left}" y="${m.top}" width="${width - m.left - m.right}" height="${height - m.top - m.bottom}" fill="none" stroke="#333"/>`);
  out.push(`<text x="${(m.left + width - m.right) / 2}" y="${height - 10}" text-anchor="middle">${escape(xLabel)}</text>`);
  out.push(`<text transform="translate(16 ${(m.top + height - m.bottom) / 2}) rotate(-90)" text-anchor="middle">${escape(yLabel)}</text>`);
  for (const r of rects) {
    const [left, right, top, bottom] = [x.position(r.x0), x.position(r.x1), y.position(r.y1), y.position(r.y0)];
    if (![left, right, top, bottom].every(Number.isFinite)) continue;
    out.push(`<rect x="${left}" y="${top}" width="${right - left}" height="${bottom - top}" fill="${escape(r.color)}" fill-opacity="0.08" stroke="${escape(r.color)}" stroke-width="2"><title>${escape(r.label)}</title></rect>`);
  }
  const place = (axis: typeof x, v: number, i: number) => axis.position(v) + axis.band * 0.6 * jitter(i);
  if (rugs) {
    const xs = new Set(points.map((p) => x.position(p.x)).filter(Number.isFinite));
    const ys = new Set(points.map((p) => y.position(p.y)).filter(Number.isFinite));
    for (const px of xs) out.push(`<line x1="${px}" x2="${px}" y1="${height - m.bottom}" y2="${height - m.bottom - 8}" stroke="#D55E00" stroke-width="1.5"/>`);
    for (const py of ys) out.push(`<line x1="${m.left}" x2="${m.left + 8}" y1="${py}" y2="${py}" stroke="#D55E00" stroke-width="1.5"/>`);
  }
  points.forEach((p, i) => {
    const px = place(x, p.x, i), py = place(y, p.y, i + 7);
    if (!Number.isFinite(px) || !Number.isFinite(py)) return;
    const color = escape(p.color ?? DOT);
    const label = p.label === undefined ? "" : `<title>${escape(p.label)}</title>`;
    if (p.marker === "cross") out.push(cross(px, py, color));
    else if (p.marker === "ring") out.push(`<circle cx="${px}" cy="${py}" r="3.5" fill="none" stroke="${color}" stroke-width="1.5">${label}</circle>`);
    else out.push(`<circle cx="${px}" cy="${py}" r="3.5" fill="${color}" fill-opacity="0.8">${label}</circle>`);
  });
  legend.forEach((entry, i) => {
    const ly = m.top + 10 + i * 18, lx = width - m.right + 22, color = escape(entry.color);
    const marker = entry.marker === "cross" ? cross(lx, ly, color)
      : entry.marker === "box" ? `<rect x="${lx - 8}" y="${ly - 6}" width="16" height="12" fill="${color}" fill-opacity="0.08" stroke="${color}" stroke-width="2"/>`
      : entry.marker === "line" ? `<line x1="${lx - 10}" x2="${lx + 10}" y1="${ly}" y2="${ly}" stroke="${color}" stroke-width="3"/>`
      : `<circle cx="${lx}" cy="${ly}" r="4" fill="${color}"/>`;
    out.push(marker);
    out.push(`<text x="${lx + 16}" y="${ly}" dominant-baseline="middle">${escape(entry.name)}</text>`);
  });
  out.push("</svg>");
  return out.join("\n") + "\n";
}
