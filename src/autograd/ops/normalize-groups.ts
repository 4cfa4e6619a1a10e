import type { Tensor } from "../../tensor/tensor.js";
import { isGradEnabled, record } from "../tape.js";
import { reshape } from "./shape.js";
import { empty } from "./util.js";

/** How normalizeGroups views its input: [n, groups, channelsPerGroup, spatial], row-major. */
export interface GroupLayout { n: number; groups: number; channelsPerGroup: number; spatial: number }

/**
 * x viewed as [n, groups, channelsPerGroup, spatial]: each (sample, group) is normalized by its own mean and
 * biased variance over its channels and positions, then each channel is scaled and shifted:
 *   y = (x − mean) / √(var + eps) · weight[channel] + bias[channel].
 * GroupNorm is this with its [N, C, *] input; LayerNorm is one group whose channels are the normalized
 * elements (spatial 1), its weight flat. Statistics are summed in double; the usual backward is one kernel-like
 * pass per (sample, group) that also sums the weight's and bias's gradients, and when the backward is itself
 * recorded (createGraph) it is written in tensor ops that differentiate again.
 */
export function normalizeGroups(x: Tensor, layout: GroupLayout, weight: Tensor | null, bias: Tensor | null, eps: number): Tensor {
  const { n, groups, channelsPerGroup: cpg, spatial } = layout;
  const rows = n * groups, cols = cpg * spatial;
  const xs = x.data, w = weight?.data, b = bias?.data;
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
    mean[r] = m;
    invstd[r] = inv;
    const ch0 = (r % groups) * cpg;
    for (let c = 0; c < cpg; c++) {
      const scale = w ? w[ch0 + c]! : 1, shift = b ? b[ch0 + c]! : 0;
      for (let s = 0, i = at + c * spatial; s < spatial; s++, i++) ys[i] = (xs[i]! - m) * inv * scale + shift;
    }
  }
  const inputs = [x, weight, bias].filter((t): t is Tensor => t !== null);
  return record(out, "normalizeGroups", inputs, (gy) => {
    const [gx, gw, gb] = isGradEnabled() ? composedBackward(gy, x, layout, weight, bias, eps) : fusedBackward(gy, x, layout, weight, bias, mean, invstd);
    return [gx, ...(weight ? [gw!] : []), ...(bias ? [gb!] : [])];
  });
}

/** The gradients of x, weight and bias in one pass per (sample, group), outside the graph (the usual backward). */
function fusedBackward(gy: Tensor, x: Tensor, layout: GroupLayout, weight: Tensor | null, bias: Tensor | null,
  mean: Float64Array, invstd: Float64Array): (Tensor | null)[] {
  const { n, groups, channelsPerGroup: cpg, spatial } = layout;
  const rows = n * groups, cols = cpg * spatial, channels = groups * cpg;
  const g = gy.data, xs = x.data, w = weight?.data;
  const gx = x.requiresGrad ? empty(x.shape, x.dtype) : null;
  const gxs = gx?.data;
  const sumGW = new Float64Array(channels), sumGB = new Float64Array(channels);
  for (let r = 0; r < rows; r++) {
    const at = r * cols, m = mean[r]!, inv = invstd[r]!, ch0 = (r % groups) * cpg;
    let sumGxhat = 0, sumGxhatXhat = 0;
    for (let c = 0; c < cpg; c++) {
      const scale = w ? w[ch0 + c]! : 1;
      let gwc = 0, gbc = 0;
      for (let s = 0, i = at + c * spatial; s < spatial; s++, i++) {
        const xhat = (xs[i]! - m) * inv, gi = g[i]!;
        gwc += gi * xhat;
        gbc += gi;
        sumGxhat += gi * scale;
        sumGxhatXhat += gi * scale * xhat;
      }
      sumGW[ch0 + c]! += gwc;
      sumGB[ch0 + c]! += gbc;
    }
    if (!gxs) continue;
    const meanA = sumGxhat / cols, meanB = sumGxhatXhat / cols;
    for (let c = 0; c < cpg; c++) {
      const scale = w ? w[ch0 + c]! : 1;
      for (let s = 0, i = at + c * spatial; s < spatial; s++, i++) gxs[i] = inv * (g[i]! * scale - meanA - (xs[i]! - m) * inv * meanB);
    }
  }
  const sums = (t: Tensor | null, values: Float64Array) => {
    if (!t?.requiresGrad) return null;
    const out = empty(t.shape, t.dtype);
    out.data.set(values);
    return out;
  };
  return [gx, sums(weight, sumGW), sums(bias, sumGB)];
}

/** The same gradients in differentiable tensor ops, the statistics recomputed from x so their dependence on x is in the graph. */
function composedBackward(gy: Tensor, x: Tensor, layout: GroupLayout, weight: Tensor | null, bias: Tensor | null, eps: number): Tensor[] {
  const { n, groups, channelsPerGroup: cpg, spatial } = layout;
  const view = [n, groups, cpg, spatial], stats = [2, 3], perChannel = [0, 3];
  const x4 = reshape(x, view), g4 = reshape(gy, view);
  const centred = x4.sub(x4.mean(stats, true));
  const invstd = centred.square().mean(stats, true).add(eps).sqrt().reciprocal();
  const xhat = centred.mul(invstd);
  const gxhat = weight ? g4.mul(reshape(weight, [1, groups, cpg, 1])) : g4;
  const gx = gxhat.sub(gxhat.mean(stats, true)).sub(xhat.mul(gxhat.mul(xhat).mean(stats, true))).mul(invstd);
  const shapeOf = (t: Tensor | null) => t?.shape ?? [groups * cpg];
  return [reshape(gx, x.shape), reshape(g4.mul(xhat).sum(perChannel), shapeOf(weight)), reshape(g4.sum(perChannel), shapeOf(bias))];
}
