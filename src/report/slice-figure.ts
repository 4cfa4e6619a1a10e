import { DataFormatError } from "../errors.js";
import { nonFiniteReviver } from "../io/non-finite-json.js";
import type { SliceResult } from "../landscape/slices/slice.js";
import type { SlicePlotOptions } from "./slice-plot.js";
import type { ContourPath, ContourPoint } from "./svg/contour-plot.js";

/** The settings a slice.json records that name what was sliced (minima slice's --directions, --dim, --checkpoint). */
export interface SliceAbout {
  directions: "random" | "eigen" | "pca";
  dim: 1 | 2;
  checkpoint: string;
  /** eigen: the eigenvalues of the directions. */
  eigenvalues?: number[];
  /** pca: the share of the path's variance each axis explains, the epochs and their coordinates in the plane. */
  explainedVariance?: number[];
  epochs?: number[];
  coordinates?: number[][];
}

/** A slice.json as minima slice writes it: the settings, what the directions are, and the loss at every cell. */
export interface SliceFile extends SliceResult {
  settings: SliceAbout & Record<string, unknown>;
  samples: number;
  eigenvalues?: number[];
  explainedVariance?: number[];
  epochs?: number[];
  coordinates?: number[][];
}

/**
 * Reads a slice.json (its NaN and ±Infinity losses written as strings); `file` names it in errors.
 * @example const s = parseSliceFile(readFileSync("runs/a/slices/random-2d/slice.json", "utf8"), "slice.json"); mn.report.slicePlot(s, sliceFigure(s, "runs/a"));
 */
export function parseSliceFile(text: string, file: string): SliceFile {
  let parsed: SliceFile;
  try { parsed = JSON.parse(text, nonFiniteReviver) as SliceFile; } catch (e) {
    throw new DataFormatError({ where: file, what: `is not JSON (${(e as Error).message})`, expected: "the slice.json minima slice writes" });
  }
  const { shape, alphas, losses, settings } = parsed ?? {};
  const cells = Array.isArray(shape) ? shape.reduce((n, k) => n * k, 1) : NaN;
  if (!Array.isArray(alphas) || !Array.isArray(losses) || typeof settings !== "object" || settings === null
    || ![1, 2].includes(shape.length) || alphas.length !== shape.length || alphas.some((a, i) => a.length !== shape[i]) || losses.length !== cells) {
    throw new DataFormatError({ where: file, what: "is not a slice", expected: "settings, a shape of one or two sizes, steps (alphas) along each direction and a loss per cell" });
  }
  return parsed;
}

/** How minima slice names its directions ("two filter-normalized random directions"). */
export function describeSlice(about: Pick<SliceAbout, "directions" | "dim">): string {
  const n = about.dim === 1 ? "a" : "two";
  if (about.directions === "random") return `${n} filter-normalized random direction${about.dim === 1 ? "" : "s"}`;
  if (about.directions === "eigen") return about.dim === 1 ? "the top Hessian eigenvector" : "the top two Hessian eigenvectors";
  return about.dim === 1 ? "the first principal axis of the run's epochs" : "the first two principal axes of the run's epochs";
}

/**
 * The title, axis names and overlay of a slice's plot, as minima slice draws it: the directions' names (an
 * eigenvector's λ, a principal axis's share of the path's variance), and over a PCA plane the run's path.
 */
export function sliceFigure(about: SliceAbout, run: string): SlicePlotOptions {
  const axes = Array.from({ length: about.dim }, (_, k) => {
    if (about.directions === "random") return `random direction ${k + 1} (filter-normalized)`;
    if (about.directions === "eigen") return `eigenvector ${k + 1} (λ = ${about.eigenvalues![k]!.toPrecision(4)})`;
    return `PC${k + 1} (${(100 * about.explainedVariance![k]!).toFixed(1)}% of the path's variance)`;
  });
  const title = `loss of ${run} (${about.checkpoint}) along ${describeSlice(about)}`;
  const model: ContourPoint = { x: 0, y: 0, label: about.checkpoint, shape: "star" };
  if (about.directions !== "pca" || about.dim !== 2) return { title, axes, points: [model] };
  const c = about.coordinates!;
  const paths: ContourPath[] = [{ name: "training path", x: c.map((p) => p[0]!), y: c.map((p) => p[1]!) }];
  return { title, axes, paths, points: [{ x: c[0]![0]!, y: c[0]![1]!, label: "epoch 0" }, model] };
}
