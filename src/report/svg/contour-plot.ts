import { contours } from "d3-contour";
import { scaleLinear, scaleLog } from "d3-scale";
import { line } from "d3-shape";
import { OptionError } from "../../errors.js";
import { escapeMarkup as escape } from "../escape.js";
import { cross, extent, logTickFormat } from "./line-chart.js";

/** Values of a function of two variables at the nodes of a grid. */
export interface ValueGrid {
  /** The grid's x values, strictly ascending (not necessarily evenly spaced). */
  x: readonly number[];
  /** The grid's y values, strictly ascending. */
  y: readonly number[];
  /** The value at (x[i], y[j]), row-major by y: values[j · x.length + i]. NaN where it is undefined (drawn as below every level). */
  values: ArrayLike<number>;
}

/** A polyline over the contours: an optimizer's trajectory, say. */
export interface ContourPath {
  name: string;
  x: readonly number[];
  y: readonly number[];
  /** A CSS colour; by default the next one of the palette. */
  color?: string;
}

/** A labelled marker over the contours: a minimum, a starting point, a trained model. */
export interface ContourPoint {
  x: number;
  y: number;
  label: string;
  /** Default "dot". */
  shape?: "dot" | "star" | "cross";
}

export interface ContourPlotOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  grid: ValueGrid;
  /** The contour levels, or about how many to choose (nice values across the grid's range). Default 12. */
  levels?: number | readonly number[];
  /** How chosen levels are spaced: "log" for values spanning decades (Rosenbrock's); levels then cover the positive values. Default "linear". */
  levelScale?: "linear" | "log";
  paths?: readonly ContourPath[];
  points?: readonly ContourPoint[];
  width?: number;
  height?: number;
}

// Okabe & Ito's colour-blind-safe palette, as the line charts use it.
const COLORS = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"];
// The bands run from a mid blue (lowest) to near white (highest): light enough for the paths on top to stand out.
const LOW = "#7fb2d9", HIGH = "#f7fbff";
// A path leaving the grid by far (a diverging optimizer) ends where its pixels pass this bound: SVG renderers misdraw 1e300.
const FAR = 1e5;

/**
 * Contours of a grid of values as a self-contained SVG: filled bands between the levels (darker is lower)
 * with their boundaries as thin lines, computed by marching squares (d3-contour) with linear interpolation
 * between nodes; optional paths (trajectories) and labelled points on top, clipped to the grid; a legend of
 * the levels and the paths. The plot spans the grid's nodes exactly.
 * @example
 * writeFileSync("bowl.svg", mn.report.contourPlot({ title: "x² + y²", xLabel: "x", yLabel: "y",
 *   grid: { x: [-1, 0, 1], y: [-1, 0, 1], values: [2, 1, 2, 1, 0, 1, 2, 1, 2] }, levels: [0.5, 1.5] }));
 */
export function contourPlot(options: ContourPlotOptions): string {
  const { title, xLabel, yLabel, grid, levels = 12, levelScale = "linear", paths = [], points = [], width = 720, height = 600 } = options;
  const nx = grid.x.length, ny = grid.y.length;
  const where = "contourPlot";
  if (nx < 2 || ny < 2) throw new OptionError({ where, what: `the grid has ${nx}×${ny} nodes`, expected: "at least 2×2" });
  if (grid.values.length !== nx * ny) throw new OptionError({ where, what: `the grid has ${nx}×${ny} nodes but ${grid.values.length} values` });
  for (const [axis, nodes] of [["x", grid.x], ["y", grid.y]] as const) {
    const bad = nodes.findIndex((v, i) => !Number.isFinite(v) || (i > 0 && !(v > nodes[i - 1]!)));
    if (bad >= 0) throw new OptionError({ where, what: `the grid's ${axis}[${bad}] is ${nodes[bad]}`, expected: `finite ${axis} values in strictly ascending order` });
  }
  paths.forEach((p) => {
    if (p.x.length !== p.y.length) throw new OptionError({ where, what: `path "${p.name}" has ${p.x.length} x values and ${p.y.length} y values` });
  });
  const thresholds = chooseLevels(grid.values, levels, levelScale);

  const m = { top: 36, right: 150, bottom: 48, left: 70 };
  const x = scaleLinear().domain([grid.x[0]!, grid.x[nx - 1]!]).range([m.left, width - m.right]);
  const y = scaleLinear().domain([grid.y[0]!, grid.y[ny - 1]!]).range([height - m.bottom, m.top]);
  // d3-contour puts node i at 0.5 + i (the centre of pixel i): map back through the nodes, linearly between them and beyond the ends.
  const px = nodeToPixel(grid.x, x), py = nodeToPixel(grid.y, y);
  const f = (v: number) => v.toFixed(1);
  const ring = (r: number[][]) => "M" + r.map(([cx, cy]) => `${f(px(cx! - 0.5))},${f(py(cy! - 0.5))}`).join("L") + "Z";

  const color = (k: number) => mix(LOW, HIGH, k / Math.max(1, thresholds.length));
  const generator = contours().size([nx, ny]);
  // Each level's region (values ≥ the level) painted over the last: the bands. Its outline also runs half a step
  // outside the grid, where the clip hides it.
  const bands = thresholds.map((level, k) => {
    const d = generator.contour(Array.from(grid.values), level).coordinates.map((polygon) => polygon.map(ring).join("")).join("");
    return d === "" ? "" : `<path d="${d}" fill="${color(k + 1)}" stroke="#56697d" stroke-width="0.6"><title>≥ ${escape(String(level))}</title></path>`;
  });

  const pathLines = paths.map((p, i) => {
    const c = escape(p.color ?? COLORS[i % COLORS.length]!);
    const nodes = p.x.map((xv, j) => [x(xv), y(p.y[j]!)] as [number, number]);
    const near = ([a, b]: [number, number]) => Math.abs(a) < FAR && Math.abs(b) < FAR;
    const d = line<[number, number]>().defined(near)(nodes) ?? "";
    const start = nodes[0] && near(nodes[0]) ? `<circle cx="${f(nodes[0][0])}" cy="${f(nodes[0][1])}" r="3" fill="${c}"/>` : "";
    return `<g class="path"><path d="${d}" fill="none" stroke="${c}" stroke-width="1.8"><title>${escape(p.name)}</title></path>${start}</g>`;
  });
  const marks = points.map((p) => {
    const cx = x(p.x), cy = y(p.y);
    const shape = p.shape ?? "dot";
    const mark = shape === "cross" ? cross(cx, cy, "#222") : shape === "star" ? star(cx, cy) : `<circle cx="${f(cx)}" cy="${f(cy)}" r="4" fill="#222" stroke="white"/>`;
    return `<g class="point">${mark}<text x="${f(cx + 7)}" y="${f(cy - 7)}" font-size="11">${escape(p.label)}</text></g>`;
  });

  const xTicks = x.ticks(8).map((t) => `<g transform="translate(${f(x(t))},${height - m.bottom})"><line y2="5" stroke="#444"/><text y="18" text-anchor="middle">${escape(x.tickFormat(8)(t))}</text></g>`);
  const yTicks = y.ticks(8).map((t) => `<g transform="translate(${m.left},${f(y(t))})"><line x2="-5" stroke="#444"/><text x="-8" dy="0.32em" text-anchor="end">${escape(y.tickFormat(8)(t))}</text></g>`);
  const legend = legendRows(thresholds, levelScale, color, paths, m.top + 10).map((row) => `<g transform="translate(${width - m.right + 16},${row.y})">${row.svg}</g>`);
  const clip = `<clipPath id="contour-plot-area"><rect x="${m.left}" y="${m.top}" width="${width - m.left - m.right}" height="${height - m.top - m.bottom}"/></clipPath>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" font-family="sans-serif" font-size="12">
<rect width="${width}" height="${height}" fill="white"/>
<defs>${clip}</defs>
<text x="${width / 2}" y="20" text-anchor="middle" font-size="15" font-weight="bold">${escape(title)}</text>
<g clip-path="url(#contour-plot-area)">
<rect x="${m.left}" y="${m.top}" width="${width - m.left - m.right}" height="${height - m.top - m.bottom}" fill="${color(0)}"/>
<g class="bands">${bands.join("")}</g>
<g class="paths">${pathLines.join("")}</g>
<g class="points">${marks.join("")}</g>
</g>
<rect x="${m.left}" y="${m.top}" width="${width - m.left - m.right}" height="${height - m.top - m.bottom}" fill="none" stroke="#444"/>
<g class="x-axis">${xTicks.join("")}</g>
<g class="y-axis">${yTicks.join("")}</g>
<text x="${(m.left + width - m.right) / 2}" y="${height - 10}" text-anchor="middle">${escape(xLabel)}</text>
<text transform="translate(18,${(m.top + height - m.bottom) / 2}) rotate(-90)" text-anchor="middle">${escape(yLabel)}</text>
<g class="legend">${legend.join("")}</g>
</svg>
`;
}

/** The levels given, sorted; or about `count` nice ones strictly inside the finite values' range (positive ones for "log"). */
function chooseLevels(values: ArrayLike<number>, levels: number | readonly number[], scale: "linear" | "log"): number[] {
  const where = "contourPlot";
  if (typeof levels !== "number") {
    const bad = levels.find((v) => !Number.isFinite(v));
    if (bad !== undefined) throw new OptionError({ where, what: `a level is ${bad}`, expected: "finite levels" });
    return [...levels].sort((a, b) => a - b);
  }
  if (!(Number.isInteger(levels) && levels >= 1)) throw new OptionError({ where, what: `levels is ${levels}`, expected: "a positive integer or a list of levels" });
  const usable = Array.from(values).filter((v) => Number.isFinite(v) && (scale === "linear" || v > 0));
  if (usable.length === 0) {
    throw new OptionError({ where, what: `the grid has no ${scale === "log" ? "positive finite" : "finite"} value to choose levels from`, expected: "explicit levels" });
  }
  const [lo, hi] = extent(usable);
  if (lo === hi) return [lo];
  const ticks = scale === "log" ? logLevels(lo, hi, levels) : scaleLinear().domain([lo, hi]).ticks(levels);
  return ticks.filter((t) => t > lo && t < hi);
}

// d3's log ticks list 1–9 of every decade; across more decades than levels asked for, keep the powers of ten.
function logLevels(lo: number, hi: number, count: number): number[] {
  const ticks = scaleLog().domain([lo, hi]).ticks(count);
  return ticks.length <= 2 * count ? ticks : ticks.filter((t) => Number.isInteger(Math.log10(t)));
}

/** The colour a fraction t of the way from `a` to `b` (both #rrggbb), as #rrggbb. */
function mix(a: string, b: string, t: number): string {
  const channel = (at: number) => {
    const from = parseInt(a.slice(at, at + 2), 16), to = parseInt(b.slice(at, at + 2), 16);
    return Math.round(from + t * (to - from)).toString(16).padStart(2, "0");
  };
  return `#${channel(1)}${channel(3)}${channel(5)}`;
}

/** Maps a fractional node index (0 at the first node, may reach half a step beyond either end) to pixels. */
function nodeToPixel(nodes: readonly number[], scale: (v: number) => number): (u: number) => number {
  const n = nodes.length;
  return (u) => {
    const i = Math.min(Math.max(Math.floor(u), 0), n - 2);
    return scale(nodes[i]! + (u - i) * (nodes[i + 1]! - nodes[i]!));
  };
}

/** A five-pointed star of radius 7 centred on (x, y). */
function star(x: number, y: number): string {
  const corners = Array.from({ length: 10 }, (_, k) => {
    const r = k % 2 === 0 ? 7 : 3, a = (Math.PI * k) / 5 - Math.PI / 2;
    return `${(x + r * Math.cos(a)).toFixed(1)},${(y + r * Math.sin(a)).toFixed(1)}`;
  });
  return `<path d="M${corners.join("L")}Z" fill="#222" stroke="white" stroke-width="0.8"/>`;
}

/** The levels (highest first, as a colour bar reads) then the paths. At most 16 level rows: every k-th level past that. */
function legendRows(levels: readonly number[], scale: "linear" | "log", color: (k: number) => string, paths: readonly ContourPath[], top: number): { y: number; svg: string }[] {
  const rows: { y: number; svg: string }[] = [];
  const every = Math.ceil(levels.length / 16);
  const format = scale === "log" ? logTickFormat((t) => String(+t.toPrecision(3))) : (t: number) => String(+t.toPrecision(4));
  let at = top;
  for (let k = levels.length - 1; k >= 0; k--) {
    if ((levels.length - 1 - k) % every !== 0) continue;
    rows.push({ y: at, svg: `<rect width="14" height="12" y="-6" fill="${color(k + 1)}" stroke="#56697d" stroke-width="0.6"/><text x="20" dy="0.32em">≥ ${escape(format(levels[k]!))}</text>` });
    at += 16;
  }
  at += levels.length > 0 ? 8 : 0;
  paths.forEach((p, i) => {
    const c = escape(p.color ?? COLORS[i % COLORS.length]!);
    rows.push({ y: at, svg: `<line x1="0" x2="20" stroke="${c}" stroke-width="3"/><text x="26" dy="0.32em">${escape(p.name)}</text>` });
    at += 18;
  });
  return rows;
}
