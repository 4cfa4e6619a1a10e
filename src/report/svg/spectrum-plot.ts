import { densityCurve } from "../../landscape/linalg/density.js";
import { lineChart, type Series } from "./line-chart.js";

/** What the spectrum plot draws: SLQ's quadratures, and the eigenvalues Lanczos found. */
export interface SpectrumPlotData {
  density: { runs: readonly { nodes: readonly number[]; weights: readonly number[] }[] };
  topEigenvalues: readonly number[];
  lambdaMin: number;
}

// The density spans many decades (a spike at zero, thin tails): drawn on a log scale down to this share of its peak.
const FLOOR = 1e-7;

/**
 * The Hessian's spectral density (SLQ's nodes as Gaussians, mn.landscape.densityCurve) on a log scale, as PyHessian
 * draws it, with the top eigenvalues and λmin marked by vertical lines.
 * @example writeFileSync("spectrum.svg", spectrumPlot(summary, { title: "Hessian spectrum" }));
 */
export function spectrumPlot(data: SpectrumPlotData, options: { title: string }): string {
  const curve = densityCurve(data.density, { points: 2000 });
  const peak = Math.max(...curve.y), floor = peak * FLOOR;
  // One series of vertical segments, broken by NaN between them.
  const marks = (values: readonly number[]) => ({ x: values.flatMap((v) => [v, v, v]), y: values.flatMap(() => [floor, peak, NaN]) });
  const series: Series[] = [
    { name: "density (SLQ)", x: curve.x, y: curve.y.map((y) => Math.max(y, floor)), color: "#0072B2" },
    { name: `top ${data.topEigenvalues.length} eigenvalue${data.topEigenvalues.length === 1 ? "" : "s"} (Lanczos)`, ...marks(data.topEigenvalues), color: "#D55E00", strokeWidth: 1 },
    { name: "λmin (Lanczos)", ...marks([data.lambdaMin]), color: "#009E73", strokeWidth: 1 },
  ];
  return lineChart({ title: options.title, xLabel: "eigenvalue", yLabel: "density (log scale)", series, yScale: "log" });
}
