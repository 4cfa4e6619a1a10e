import type { SliceResult } from "../landscape/slices/slice.js";
import { contourPlot, type ContourPath, type ContourPoint } from "./svg/contour-plot.js";
import { lineChart } from "./svg/line-chart.js";

export interface SlicePlotOptions {
  title: string;
  /** The axes' names, one per direction ("random direction 1", "PC1 (62.1%)"). */
  axes: readonly string[];
  /** Paths over a 2-D slice: a run's trajectory in the plane, say. */
  paths?: readonly ContourPath[];
  /** Points over a 2-D slice; the model at the origin by default. */
  points?: readonly ContourPoint[];
}

/**
 * A loss slice as SVG: the loss along the line for a 1-D slice, contours of the loss over the plane
 * (levels spaced logarithmically: a slice's loss spans decades) for a 2-D one.
 * @example writeFileSync("slice.svg", mn.report.slicePlot(mn.landscape.slice(model, lossFn, batches, { directions }), { title: "loss", axes: ["α"] }));
 */
export function slicePlot(result: SliceResult, options: SlicePlotOptions): string {
  const { title, axes, paths = [], points = [{ x: 0, y: 0, label: "model", shape: "star" }] } = options;
  if (result.shape.length === 1) {
    return lineChart({ title, xLabel: axes[0] ?? "α", yLabel: "loss", series: [{ name: "loss", x: result.alphas[0]!, y: result.losses }], legend: [] });
  }
  const positive = result.losses.every((l) => l > 0);
  return contourPlot({
    title, xLabel: axes[0] ?? "α", yLabel: axes[1] ?? "β",
    grid: { x: result.alphas[0]!, y: result.alphas[1]!, values: result.losses },
    levelScale: positive ? "log" : "linear", paths, points,
  });
}
