import { line } from "d3-shape";
import { OptionError } from "../../errors.js";
import { escapeMarkup as escape } from "../escape.js";
import { placeAxis, type AxisScale } from "./axis.js";
import type { LegendEntry } from "./line-chart.js";

/** One vertical axis: a parameter or the objective, with each line's value on it (NaN: the line has none there). */
export interface ParallelAxis {
  name: string;
  scale: AxisScale;
  values: readonly number[];
}

export interface ParallelCoordinatesOptions {
  title: string;
  axes: readonly ParallelAxis[];
  /** Each line's colour (one per value of the axes). */
  colors: readonly string[];
  /** Each line's hover text. */
  labels?: readonly string[];
  /** Lines drawn thick and on top: the best trials. */
  highlight?: readonly number[];
  legend?: readonly LegendEntry[];
  width?: number;
  height?: number;
}

/**
 * A parallel-coordinates chart (Inselberg's; Optuna's plot_parallel_coordinate): one vertical axis
 * per parameter and one polyline per trial through its values. A line breaks where a value is missing.
 * @example parallelCoordinates({ title: "trials", axes: [{ name: "lr", scale: { kind: "log" }, values: [0.01, 0.1] }, { name: "loss", scale: { kind: "linear" }, values: [0.3, 0.5] }], colors: ["#000", "#888"] });
 */
export function parallelCoordinates(options: ParallelCoordinatesOptions): string {
  const { title, axes, colors, labels = [], highlight = [], legend = [], width = Math.max(720, 140 * axes.length), height = 420 } = options;
  if (axes.length < 2) throw new OptionError({ where: "parallelCoordinates", what: `needs at least 2 axes`, got: String(axes.length) });
  for (const a of axes) {
    if (a.values.length !== colors.length) throw new OptionError({ where: "parallelCoordinates", what: `axis "${a.name}" has ${a.values.length} values for ${colors.length} lines` });
  }
  const m = { top: 52, right: legend.length > 0 ? 150 : 50, bottom: 30, left: 50 };
  const gap = (width - m.left - m.right) / (axes.length - 1);
  const placed = axes.map((a) => placeAxis(a.scale, a.values, [height - m.bottom, m.top], 5));
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`);
  out.push(`<rect width="${width}" height="${height}" fill="white"/>`);
  out.push(`<text x="${width / 2}" y="20" text-anchor="middle" font-size="15" font-weight="bold">${escape(title)}</text>`);
  const path = line<[number, number]>().defined(([, y]) => Number.isFinite(y));
  const strokes = (i: number, wide: boolean) => {
    const d = path(axes.map((_, k) => [m.left + k * gap, placed[k]!.position(axes[k]!.values[i]!)] as [number, number])) ?? "";
    const title = labels[i] === undefined ? "" : `<title>${escape(labels[i]!)}</title>`;
    return `<path d="${d}" fill="none" stroke="${escape(colors[i]!)}" stroke-width="${wide ? 3 : 1}" stroke-opacity="${wide ? 1 : 0.5}">${title}</path>`;
  };
  const top = new Set(highlight);
  for (let i = 0; i < colors.length; i++) if (!top.has(i)) out.push(strokes(i, false));
  for (const i of highlight) out.push(strokes(i, true));
  axes.forEach((a, k) => {
    const ax = m.left + k * gap;
    out.push(`<line x1="${ax}" x2="${ax}" y1="${m.top}" y2="${height - m.bottom}" stroke="#333"/>`);
    out.push(`<text x="${ax}" y="${m.top - 14}" text-anchor="middle" font-weight="bold">${escape(a.name)}</text>`);
    for (const t of placed[k]!.ticks) {
      out.push(`<line x1="${ax - 4}" x2="${ax}" y1="${t.at}" y2="${t.at}" stroke="#333"/>`);
      out.push(`<text x="${ax - 6}" y="${t.at}" text-anchor="end" dominant-baseline="middle" stroke="white" stroke-width="3" paint-order="stroke">${escape(t.label)}</text>`);
    }
  });
  legend.forEach((entry, i) => {
    const ly = m.top + 10 + i * 18, lx = width - m.right + 20;
    out.push(`<line x1="${lx}" x2="${lx + 20}" y1="${ly}" y2="${ly}" stroke="${escape(entry.color)}" stroke-width="3"/>`);
    out.push(`<text x="${lx + 26}" y="${ly}" dominant-baseline="middle">${escape(entry.name)}</text>`);
  });
  out.push("</svg>");
  return out.join("\n") + "\n";
}
