import { OptionError } from "../../errors.js";
import type { Module } from "../../nn/module.js";
import { checkOptions, choice, option, positiveInt, type OptionsOf } from "../../options.js";
import { parameterVector, type Direction } from "./direction.js";
import { weightsFor, type Weights } from "./weights.js";

const PCA_OPTIONS = {
  /** How many principal directions (default 2, a plane). */
  k: option(2, positiveInt),
  /** "biasbn" (the default, as loss-landscape's PCA runs): 1-D tensors (biases, batch norm) left out of the analysis, their directions zero; "none": every parameter. */
  ignore: choice("biasbn", "none"),
};
export interface PcaDirectionsOptions extends OptionsOf<typeof PCA_OPTIONS> {}

export interface PcaDirections {
  /** Unit directions, the principal axes of the trajectory, by decreasing variance. */
  directions: Direction[];
  /** The share of the trajectory's variance along each direction (sklearn's explained_variance_ratio_). */
  explainedVariance: number[];
  /** Each weight set of the trajectory projected on the directions, θᵢ − θ: the model itself is at the origin. */
  coordinates: number[][];
}

/**
 * The principal directions of an optimization trajectory around the model's weights θ (Li et al. 2018 §7,
 * loss-landscape's projection.py): the rows θᵢ − θ of the trajectory's weight sets (a run's saved epochs),
 * centred, their top principal axes, the explained variance, and each θᵢ − θ projected on the axes — a
 * plane in which the path of training is seen. Each axis's sign puts its largest-magnitude score positive
 * (sklearn's u-based sign rule), so the result is deterministic.
 * @example const { directions, coordinates } = mn.landscape.pcaDirections(model, epochs);
 */
export function pcaDirections(model: Module, trajectory: readonly Weights[], options: PcaDirectionsOptions = {}): PcaDirections {
  const o = checkOptions("pcaDirections", options, PCA_OPTIONS);
  if (trajectory.length < o.k + 1) {
    throw new OptionError({ where: "pcaDirections", what: `${trajectory.length} weight sets cannot span ${o.k} directions`, expected: `at least ${o.k + 1} (k + 1)` });
  }
  const theta = parameterVector(model), keep = kept(model, o.ignore);
  const rows = trajectory.map((w, i) => {
    const flat = new Float64Array(theta.length);
    let off = 0;
    for (const part of weightsFor(model, w, `pcaDirections: trajectory[${i}]`, "parameters")) {
      flat.set(part, off);
      off += part.length;
    }
    for (let j = 0; j < flat.length; j++) flat[j] = keep[j] ? flat[j]! - theta[j]! : 0;
    return flat;
  });
  const n = rows.length, size = theta.length;
  const mean = new Float64Array(size);
  for (const r of rows) for (let j = 0; j < size; j++) mean[j]! += r[j]! / n;
  const centred = rows.map((r) => r.map((v, j) => v - mean[j]!));
  const gram = new Float64Array(n * n);
  for (let a = 0; a < n; a++) for (let b = a; b < n; b++) gram[a * n + b] = gram[b * n + a] = dot(centred[a]!, centred[b]!);
  const total = Array.from({ length: n }, (_, a) => gram[a * n + a]!).reduce((s, v) => s + v, 0);
  const { values, vectors } = jacobiEigen(gram, n);
  const order = values.map((_, i) => i).sort((a, b) => values[b]! - values[a]!).slice(0, o.k);
  if (!(values[order[o.k - 1]!]! > 1e-12 * total) || total === 0) {
    throw new OptionError({ where: "pcaDirections", what: `the trajectory spans fewer than ${o.k} directions (its weight sets lie on a ${o.k === 1 ? "point" : "lower-dimensional subspace"})` });
  }
  const directions = order.map((c) => {
    const u = Array.from({ length: n }, (_, a) => vectors[a * n + c]!);
    const big = u.reduce((m, v, a) => (Math.abs(v) > Math.abs(u[m]!) ? a : m), 0);
    const sign = u[big]! < 0 ? -1 : 1;
    const d = new Float64Array(size);
    centred.forEach((r, a) => {
      for (let j = 0; j < size; j++) d[j]! += sign * u[a]! * r[j]!;
    });
    const len = Math.sqrt(dot(d, d));
    for (let j = 0; j < size; j++) d[j]! /= len;
    return d;
  });
  return {
    directions,
    explainedVariance: order.map((c) => values[c]! / total),
    coordinates: rows.map((r) => directions.map((d) => dot(r, d))),
  };
}

/** Which entries of the parameter vector take part: all, or those of tensors of two or more dimensions. */
function kept(model: Module, ignore: "biasbn" | "none"): Uint8Array {
  const params = model.parameters(), out = new Uint8Array(params.reduce((s, p) => s + p.numel(), 0));
  let off = 0;
  for (const p of params) {
    out.fill(ignore === "none" || p.shape.length > 1 ? 1 : 0, off, off + p.numel());
    off += p.numel();
  }
  return out;
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/**
 * Eigenvalues and eigenvectors (columns of `vectors`, row-major n×n) of a small symmetric matrix by cyclic
 * Jacobi rotations: robust for the Gram matrix of a few weight sets, which is singular (centred rows) and may
 * repeat eigenvalues — cases where a Krylov method breaks down.
 */
function jacobiEigen(matrix: Float64Array, n: number): { values: number[]; vectors: Float64Array } {
  const a = matrix.slice(), v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  const scale = Math.sqrt(dot(a, a));
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p * n + q]! ** 2;
    if (Math.sqrt(off) <= 1e-15 * scale) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q]!;
        if (apq === 0) continue;
        const theta = (a[q * n + q]! - a[p * n + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1), s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p]!, akq = a[k * n + q]!;
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k]!, aqk = a[q * n + k]!;
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p]!, vkq = v[k * n + q]!;
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  return { values: Array.from({ length: n }, (_, i) => a[i * n + i]!), vectors: v };
}
