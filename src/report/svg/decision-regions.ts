import { scaleLinear } from "d3-scale";
import { OptionError } from "../../errors.js";
import { escapeMarkup as escape } from "../escape.js";

/** A classifier's predicted class at each node of a regular grid over two inputs. */
export interface ClassGrid {
  /** The grid's x values (ascending, evenly spaced). */
  x: readonly number[];
  /** The grid's y values (ascending, evenly spaced). */
  y: readonly number[];
  /** The class at (x[i], y[j]), row-major by y: classes[j · x.length + i]. */
  classes: ArrayLike<number>;
}

export interface DecisionRegionsOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  /** Class names in label order: the legend, and the colour of class k is the palette's k-th. */
  classNames: readonly string[];
  grid: ClassGrid;
  /** The samples drawn on top, coloured by their true class. */
  points: { x: readonly number[]; y: readonly number[]; label: ArrayLike<number> };
  width?: number;
  height?: number;
}

// Okabe & Ito's colour-blind-safe palette, as the line charts use it.
const COLORS = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"];
const colorOf = (k: number) => COLORS[k % COLORS.length]!;
/** The class colour mixed with 70% white: opaque, so the regions' rectangles can overlap without seams. */
function tintOf(k: number): string {
  const c = colorOf(k);
  const mix = (at: number) => Math.round(0.3 * parseInt(c.slice(at, at + 2), 16) + 0.7 * 255).toString(16).padStart(2, "0");
  return `#${mix(1)}${mix(3)}${mix(5)}`;
}

/**
 * A 2-D classifier's decision regions as a self-contained SVG: each grid cell filled in a light tint of the
 * colour of its predicted class (a row's cells of one class merge into one rectangle), the samples on
 * top as dots in their true class's colour, axes and a legend. A dot on a region of another colour is
 * a misclassified sample.
 * @example
 * writeFileSync("regions.svg", mn.report.decisionRegions({ title: "spirals", xLabel: "x", yLabel: "y", classNames: ["0", "1"],
 *   grid: { x: [0, 1], y: [0, 1], classes: [0, 1, 1, 1] }, points: { x: [0.2], y: [0.9], label: [1] } }));
 */
export function decisionRegions(options: DecisionRegionsOptions): string {
  const { title, xLabel, yLabel, classNames, grid, points, width = 720, height = 600 } = options;
  const nx = grid.x.length, ny = grid.y.length;
  if (nx < 2 || ny < 2) throw new OptionError({ where: "decisionRegions", what: `the grid has ${nx}×${ny} nodes`, expected: "at least 2×2" });
  if (grid.classes.length !== nx * ny) throw new OptionError({ where: "decisionRegions", what: `the grid has ${nx}×${ny} nodes but ${grid.classes.length} classes` });
  if (points.y.length !== points.x.length || points.label.length !== points.x.length) {
    throw new OptionError({ where: "decisionRegions", what: `the points have ${points.x.length} x, ${points.y.length} y values and ${points.label.length} labels` });
  }
  const m = { top: 36, right: 150, bottom: 48, left: 70 };
  // Each node's cell reaches half a step either side, so the cells tile the plot exactly.
  const hx = (grid.x[1]! - grid.x[0]!) / 2, hy = (grid.y[1]! - grid.y[0]!) / 2;
  const x = scaleLinear().domain([grid.x[0]! - hx, grid.x[nx - 1]! + hx]).range([m.left, width - m.right]);
  const y = scaleLinear().domain([grid.y[0]! - hy, grid.y[ny - 1]! + hy]).range([height - m.bottom, m.top]);
  const f = (v: number) => v.toFixed(1);
  const cells: string[] = [];
  for (let j = 0; j < ny; j++) {
    const top = y(grid.y[j]! + hy), bottom = y(grid.y[j]! - hy);
    for (let i = 0; i < nx;) {
      const k = grid.classes[j * nx + i]!;
      let end = i + 1;
      while (end < nx && grid.classes[j * nx + end] === k) end++;
      const left = x(grid.x[i]! - hx), right = x(grid.x[end - 1]! + hx);
      // A hair of overlap hides the anti-aliasing seams between rectangles.
      cells.push(`<rect x="${f(left)}" y="${f(top)}" width="${f(right - left + 0.5)}" height="${f(bottom - top + 0.5)}" fill="${tintOf(k)}"/>`);
      i = end;
    }
  }
  const dots = points.x.map((px, i) => `<circle cx="${f(x(px))}" cy="${f(y(points.y[i]!))}" r="3" fill="${colorOf(points.label[i]!)}"/>`);
  const xTicks = x.ticks(8).map((t) => `<g transform="translate(${f(x(t))},${height - m.bottom})"><line y2="5" stroke="#444"/><text y="18" text-anchor="middle">${t}</text></g>`);
  const yTicks = y.ticks(8).map((t) => `<g transform="translate(${m.left},${f(y(t))})"><line x2="-5" stroke="#444"/><text x="-8" dy="0.32em" text-anchor="end">${t}</text></g>`);
  const legend = classNames.map((name, k) => `<g transform="translate(${width - m.right + 16},${m.top + 10 + 20 * k})"><rect width="12" height="12" y="-6" fill="${tintOf(k)}"/><circle cx="6" r="3" fill="${colorOf(k)}"/><text x="18" dy="0.32em">${escape(name)}</text></g>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" font-family="system-ui, sans-serif" font-size="12">
<text x="${width / 2}" y="20" text-anchor="middle" font-size="15" font-weight="600">${escape(title)}</text>
<g class="regions" shape-rendering="crispEdges">${cells.join("")}</g>
<g class="points" stroke="#222" stroke-width="0.6">${dots.join("")}</g>
<rect x="${m.left}" y="${m.top}" width="${width - m.left - m.right}" height="${height - m.top - m.bottom}" fill="none" stroke="#444"/>
<g class="x-axis">${xTicks.join("")}</g>
<g class="y-axis">${yTicks.join("")}</g>
<text x="${(m.left + width - m.right) / 2}" y="${height - 10}" text-anchor="middle">${escape(xLabel)}</text>
<text transform="translate(18,${(m.top + height - m.bottom) / 2}) rotate(-90)" text-anchor="middle">${escape(yLabel)}</text>
<g class="legend">${legend.join("")}</g>
</svg>
`;
}
