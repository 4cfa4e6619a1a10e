import { scaleLinear, scaleLog } from "d3-scale";
import { line } from "d3-shape";
import { OptionError } from "../../errors.js";

export interface Series {
  name: string;
  x: readonly number[];
  y: readonly number[];
}

export interface LineChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  series: readonly Series[];
  /** "log" for losses and learning rates that span decades (non-positive values are left out). */
  yScale?: "linear" | "log";
  width?: number;
  height?: number;
}

// Okabe & Ito's colour-blind-safe palette.
const COLORS = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"];

const escape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/**
 * A self-contained SVG line chart (axes with nice ticks, one coloured line per series, a
 * legend), as a string to write to a file or inline into HTML. Scales and ticks come from
 * d3-scale, paths from d3-shape; no DOM is needed.
 * @example writeFileSync("loss.svg", lineChart({ title: "loss", xLabel: "epoch", yLabel: "loss", series: [{ name: "sgd", x: [1, 2], y: [0.9, 0.5] }] }));
 */
export function lineChart(options: LineChartOptions): string {
  const { title, xLabel, yLabel, series, yScale = "linear", width = 720, height = 420 } = options;
  series.forEach((s) => {
    if (s.x.length !== s.y.length) throw new OptionError({ where: "lineChart", what: `series "${s.name}" has ${s.x.length} x values and ${s.y.length} y values` });
  });
  const keep = (y: number) => Number.isFinite(y) && (yScale === "linear" || y > 0);
  const xs = series.flatMap((s) => s.x.filter((_, i) => keep(s.y[i]!)));
  const ys = series.flatMap((s) => s.y.filter(keep));
  const m = { top: 36, right: 150, bottom: 48, left: 70 };
  const [x0, x1] = xs.length ? [Math.min(...xs), Math.max(...xs)] : [0, 1];
  const [y0, y1] = ys.length ? [Math.min(...ys), Math.max(...ys)] : [yScale === "log" ? 0.1 : 0, 1];
  const x = scaleLinear().domain(x0 === x1 ? [x0 - 1, x1 + 1] : [x0, x1]).range([m.left, width - m.right]).nice();
  const yDomain: [number, number] = y0 === y1 ? (yScale === "log" ? [y0 / 2, y1 * 2] : [y0 - 1, y1 + 1]) : [y0, y1];
  const y = (yScale === "log" ? scaleLog() : scaleLinear()).domain(yDomain).range([height - m.bottom, m.top]).nice();
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`);
  out.push(`<rect width="${width}" height="${height}" fill="white"/>`);
  out.push(`<text x="${width / 2}" y="20" text-anchor="middle" font-size="15" font-weight="bold">${escape(title)}</text>`);
  const xTicks = x.ticks(8);
  const yTicks = yScale === "log" ? y.ticks(6).filter((t, _i, all) => all.length <= 12 || Number.isInteger(Math.log10(t))) : y.ticks(6);
  const yFormat = y.tickFormat(6, yScale === "log" ? "~g" : undefined);
  for (const t of yTicks) {
    out.push(`<line x1="${m.left}" x2="${width - m.right}" y1="${y(t)}" y2="${y(t)}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${m.left - 6}" y="${y(t)}" text-anchor="end" dominant-baseline="middle">${escape(yFormat(t))}</text>`);
  }
  for (const t of xTicks) {
    out.push(`<line x1="${x(t)}" x2="${x(t)}" y1="${height - m.bottom}" y2="${height - m.bottom + 5}" stroke="#333"/>`);
    out.push(`<text x="${x(t)}" y="${height - m.bottom + 18}" text-anchor="middle">${escape(x.tickFormat(8)(t))}</text>`);
  }
  out.push(`<rect x="${m.left}" y="${m.top}" width="${width - m.left - m.right}" height="${height - m.top - m.bottom}" fill="none" stroke="#333"/>`);
  out.push(`<text x="${(m.left + width - m.right) / 2}" y="${height - 10}" text-anchor="middle">${escape(xLabel)}</text>`);
  out.push(`<text transform="translate(16 ${(m.top + height - m.bottom) / 2}) rotate(-90)" text-anchor="middle">${escape(yLabel)}</text>`);
  series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length]!;
    const points = s.x.map((xv, j) => [xv, s.y[j]!] as [number, number]);
    const path = line<[number, number]>().defined(([, yv]) => keep(yv)).x(([xv]) => x(xv)).y(([, yv]) => y(yv))(points) ?? "";
    out.push(`<path d="${path}" fill="none" stroke="${color}" stroke-width="2"><title>${escape(s.name)}</title></path>`);
    const ly = m.top + 10 + i * 18;
    out.push(`<line x1="${width - m.right + 12}" x2="${width - m.right + 32}" y1="${ly}" y2="${ly}" stroke="${color}" stroke-width="3"/>`);
    out.push(`<text x="${width - m.right + 38}" y="${ly}" dominant-baseline="middle">${escape(s.name)}</text>`);
  });
  out.push("</svg>");
  return out.join("\n") + "\n";
}
