import type { Point, Surface } from "../landscape/surfaces/surface.js";
import { valueAt } from "../landscape/surfaces/surface.js";
import { contourPlot, type ContourPath, type ValueGrid } from "./svg/contour-plot.js";

export interface LandscapeFigureOptions {
  surface: Surface;
  /** The trajectories drawn over the contours. */
  paths: readonly ContourPath[];
  /** Where they started (default: the surface's start). */
  start?: Point;
  /** Nodes along each axis. Default 121. */
  resolution?: number;
}

/**
 * A surface's contours over its window (widened to take in the start), with trajectories, the start and the
 * minima on top. Levels are log-spaced when the surface is non-negative across more than two decades (most
 * test functions: a valley's floor and its walls differ by 10⁴), else linear (saddles).
 * @example writeFileSync("valley.svg", mn.report.landscapeFigure({ surface: mn.landscape.surfaces.valley, paths: [{ name: "sgd", x, y }] }));
 */
export function landscapeFigure(options: LandscapeFigureOptions): string {
  const { surface, paths, start = surface.start, resolution = 121 } = options;
  const { grid, levelScale } = landscapeGrid(surface, start, resolution);
  return contourPlot({
    title: `${surface.name}: ${surface.formula}`, xLabel: "x", yLabel: "y", grid,
    levels: 14, levelScale, paths,
    points: [{ x: start[0], y: start[1], label: "start" }, ...surface.minima.map((m) => ({ x: m[0], y: m[1], label: "minimum", shape: "star" as const }))],
  });
}

/**
 * The values landscapeFigure draws: f on a resolution × resolution grid over the surface's window, widened to
 * take in `start`, and the level spacing that suits them (the browser lab draws its contours from the same grid).
 */
export function landscapeGrid(surface: Surface, start: Point, resolution = 121): { grid: ValueGrid; levelScale: "linear" | "log" } {
  const span = (k: 0 | 1): Point => {
    const [lo, hi] = k === 0 ? surface.window.x : surface.window.y;
    const margin = (hi - lo) / 20;
    return [Math.min(lo, start[k] - margin), Math.max(hi, start[k] + margin)];
  };
  const [x0, x1] = span(0), [y0, y1] = span(1);
  const nodes = (lo: number, hi: number) => Array.from({ length: resolution }, (_, i) => lo + ((hi - lo) * i) / (resolution - 1));
  const x = nodes(x0, x1), y = nodes(y0, y1);
  const values = y.flatMap((yv) => x.map((xv) => valueAt(surface, [xv, yv])));
  const finite = values.filter(Number.isFinite);
  const positive = finite.filter((v) => v > 0);
  // A loop, not Math.max(...): a fine grid has more values than a call takes arguments.
  const [lo, hi] = positive.reduce(([a, b], v) => [Math.min(a, v), Math.max(b, v)], [Infinity, -Infinity]);
  const log = finite.every((v) => v >= 0) && hi > 100 * lo;
  return { grid: { x, y, values }, levelScale: log ? "log" : "linear" };
}
