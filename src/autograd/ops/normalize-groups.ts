import type { FloatArray } from "../../tensor/dtype.js";
import type { Tensor } from "../../tensor/tensor.js";
import { isGradEnabled, record } from "../tape.js";
import { reshape } from "./shape.js";
import { empty, kernels, scratch } from "./util.js";

/** How normalizeGroups views its input: [n, groups, channelsPerGroup, spatial], row-major. */
export interface GroupLayout { n: number; groups: number; channelsPerGroup: number; spatial: number }

/**
 * x viewed as [n, groups, channelsPerGroup, spatial]: each (sample, group) is normalized by its own mean and
 * biased variance over its channels and positions, then each channel is scaled and shifted:
 *   y = (x − mean) / √(var + eps) · weight[channel] + bias[channel].
 * GroupNorm is this with its [N, C, *] input; LayerNorm is one group whose channels are the normalized
 * elements (spatial 1), its weight flat. Statistics are summed in double; the forward and the usual backward are
 * kernels (normalizeGroupsForward/Backward, src/backend/kernels.ts), the backward one pass per (sample, group)
 * that also sums the weight's and bias's gradients, and when the backward is itself recorded (createGraph) it
 * is written in tensor ops that differentiate again.
 */
export function normalizeGroups(x: Tensor, layout: GroupLayout, weight: Tensor | null, bias: Tensor | null, eps: number): Tensor {
  const { n, groups, channelsPerGroup: cpg, spatial } = layout;
  const mean = new Float64Array(n * groups), invstd = new Float64Array(n * groups);
  const out = scratch(x.shape, x.dtype);
  kernels().normalizeGroupsForward(x.data as FloatArray, n, groups, cpg, spatial, (weight?.data ?? null) as FloatArray | null,
    (bias?.data ?? null) as FloatArray | null, eps, mean, invstd, out.data as FloatArray);
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
  const channels = groups * cpg;
  const gx = x.requiresGrad ? scratch(x.shape, x.dtype) : null;
  const sumGW = new Float64Array(channels), sumGB = new Float64Array(channels);
  kernels().normalizeGroupsBackward(gy.data as FloatArray, x.data as FloatArray, n, groups, cpg, spatial, (weight?.data ?? null) as FloatArray | null,
    mean, invstd, (gx?.data ?? null) as FloatArray | null, sumGW, sumGB);
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
