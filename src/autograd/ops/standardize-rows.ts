import type { Tensor } from "../../tensor/tensor.js";
import { isGradEnabled, record } from "../tape.js";
import { reshape } from "./shape.js";
import { empty } from "./util.js";

/**
 * x viewed as [rows, cols], each row standardized by its own mean and biased variance:
 *   x̂ = (x − mean) / √(var + eps).
 * What LayerNorm (a row: the normalized dims of one sample) and GroupNorm (a row: one group of
 * channels of one sample) share; their affine parts are ordinary broadcast ops on top. The statistics
 * are summed in double, and the backward, gx = invstd·(g − mean(g) − x̂·mean(g·x̂)) per row, is one
 * pass, or, when the backward is itself recorded (createGraph), tensor ops that differentiate again.
 * The result has x's shape.
 */
export function standardizeRows(x: Tensor, rows: number, cols: number, eps: number): Tensor {
  const xs = x.data;
  const mean = new Float64Array(rows), invstd = new Float64Array(rows);
  const out = empty(x.shape, x.dtype);
  const ys = out.data;
  for (let r = 0; r < rows; r++) {
    const at = r * cols;
    let sum = 0;
    for (let j = 0; j < cols; j++) sum += xs[at + j]!;
    const m = sum / cols;
    let sq = 0;
    for (let j = 0; j < cols; j++) { const d = xs[at + j]! - m; sq += d * d; }
    const inv = 1 / Math.sqrt(sq / cols + eps);
    for (let j = 0; j < cols; j++) ys[at + j] = (xs[at + j]! - m) * inv;
    mean[r] = m;
    invstd[r] = inv;
  }
  return record(out, "standardizeRows", [x], (gy) =>
    [isGradEnabled() ? composedBackward(gy, x, rows, cols, eps) : fusedBackward(gy, x, rows, cols, mean, invstd)]);
}

/** The gradient in one pass per row, outside the graph (the usual backward). */
function fusedBackward(gy: Tensor, x: Tensor, rows: number, cols: number, mean: Float64Array, invstd: Float64Array): Tensor {
  const gx = empty(x.shape, x.dtype);
  const g = gy.data, xs = x.data, out = gx.data;
  for (let r = 0; r < rows; r++) {
    const at = r * cols, m = mean[r]!, inv = invstd[r]!;
    let sumG = 0, sumGXhat = 0;
    for (let j = 0; j < cols; j++) {
      sumG += g[at + j]!;
      sumGXhat += g[at + j]! * (xs[at + j]! - m) * inv;
    }
    const meanG = sumG / cols, meanGXhat = sumGXhat / cols;
    for (let j = 0; j < cols; j++) out[at + j] = inv * (g[at + j]! - meanG - (xs[at + j]! - m) * inv * meanGXhat);
  }
  return gx;
}

/** The same gradient in differentiable tensor ops, the statistics recomputed from x so their dependence on x is in the graph. */
function composedBackward(gy: Tensor, x: Tensor, rows: number, cols: number, eps: number): Tensor {
  const x2 = reshape(x, [rows, cols]), g2 = reshape(gy, [rows, cols]);
  const centred = x2.sub(x2.mean(1, true));
  const invstd = centred.square().mean(1, true).add(eps).sqrt().reciprocal();
  const xhat = centred.mul(invstd);
  const gx = g2.sub(g2.mean(1, true)).sub(xhat.mul(g2.mul(xhat).mean(1, true))).mul(invstd);
  return reshape(gx, x.shape);
}
