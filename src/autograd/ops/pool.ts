import type { FloatArray } from "../../tensor/dtype.js";
import type { Tensor } from "../../tensor/tensor.js";
import { record } from "../tape.js";
import { gather } from "./indexing.js";
import {
  adaptiveGeometry, adaptiveSize, avgPoolParams, maxPoolParams, slidingGeometry,
  type AvgPool2dOptions, type MaxPool2dOptions, type PoolGeometry, type Size2d,
} from "./pool-window.js";
import { reshape } from "./shape.js";
import { empty, kernels, requireFloat, scratch } from "./util.js";

export type { AvgPool2dOptions, MaxPool2dOptions, Size2d };

// 2-D pooling over the last two dims of a [C,H,W] or [N,C,H,W] input, as torch accepts both.
// Along each spatial dim the output size is
//   ⌊(in + 2·padding − dilation·(kernel − 1) − 1) / stride⌋ + 1
// (rounded up instead with ceilMode, keeping only windows that start inside the input or its
// left padding): the count of window positions that fit the padded input (pool-window.ts).

const outShape = (g: PoolGeometry): number[] => [...g.lead, g.rows.start.length, g.cols.start.length];

/**
 * Max pooling with the flat in-plane index h·W + w of each maximum, as int32
 * (torch.nn.functional.max_pool2d_with_indices). Among equal values the first in row-major
 * window order wins, as in torch, and takes the whole gradient; a NaN wins over any number.
 * The gradient is a scatter-add of gy at the indices, whose own gradient (with respect to gy)
 * is a gather at the indices, so double backward works.
 * @example const [y, indices] = mn.nn.functional.maxPool2dWithIndices(x, 2); // [N,C,H,W] → [N,C,H/2,W/2]
 */
export function maxPool2dWithIndices(x: Tensor, kernelSize: Size2d, options: MaxPool2dOptions = {}): [Tensor, Tensor] {
  requireFloat("maxPool2d", x);
  const g = slidingGeometry("maxPool2d", x, maxPoolParams("maxPool2d", kernelSize, options));
  const out = scratch(outShape(g), x.dtype);
  const indices = scratch(out.shape, "int32");
  kernels().maxPool2d(x.data as FloatArray, g.planes, g.inH, g.inW, g.rows, g.cols, out.data as FloatArray, indices.data as Int32Array);
  record(out, "maxPool2d", [x], (gy) => [maxPool2dGrad(gy, indices, g, x.shape)]);
  return [out, indices];
}

/** gy added at the indices of the maxima into zeros of the input's shape; its own gradient gathers there. */
function maxPool2dGrad(gy: Tensor, indices: Tensor, g: PoolGeometry, shape: readonly number[]): Tensor {
  const inPlane = g.inH * g.inW, outPlane = g.rows.start.length * g.cols.start.length;
  const gx = scratch([g.planes, inPlane], gy.dtype);
  kernels().maxPool2dBackward(gy.data as FloatArray, indices.data as Int32Array, g.planes, inPlane, outPlane, gx.data as FloatArray);
  const flatIndices = reshape(indices, [g.planes, outPlane]);
  return reshape(record(gx, "maxPool2dBackward", [gy], (ggx) => [reshape(gather(ggx, 1, flatIndices), gy.shape)]), shape);
}

/**
 * Max over sliding windows (torch.nn.functional.max_pool2d); maxPool2dWithIndices tells ties
 * and gradients apart.
 * @example const y = mn.nn.functional.maxPool2d(x, 3, { stride: 2, padding: 1 });
 */
export function maxPool2d(x: Tensor, kernelSize: Size2d, options: MaxPool2dOptions = {}): Tensor {
  return maxPool2dWithIndices(x, kernelSize, options)[0];
}

/**
 * The mean of each sliding window (torch.nn.functional.avg_pool2d): its sum over its size, the
 * padding counted unless countIncludePad is false, or over divisorOverride when given.
 * @example const y = mn.nn.functional.avgPool2d(x, 3, { stride: 2, padding: 1, countIncludePad: false });
 */
export function avgPool2d(x: Tensor, kernelSize: Size2d, options: AvgPool2dOptions = {}): Tensor {
  requireFloat("avgPool2d", x);
  const params = avgPoolParams("avgPool2d", kernelSize, options);
  return windowMean("avgPool2d", x, slidingGeometry("avgPool2d", x, params), params.divisorOverride);
}

/**
 * Average pooling to a fixed output size (torch.nn.functional.adaptive_avg_pool2d): output i
 * along a dim of size `in` averages input positions ⌊i·in/out⌋ to ⌈(i+1)·in/out⌉ − 1, so
 * neighbouring windows overlap where out does not divide in. null keeps that input size.
 * @example const pooled = mn.nn.functional.adaptiveAvgPool2d(features, 1); // global average: [N,C,1,1]
 */
export function adaptiveAvgPool2d(x: Tensor, outputSize: number | readonly [number | null, number | null]): Tensor {
  requireFloat("adaptiveAvgPool2d", x);
  const size = adaptiveSize("adaptiveAvgPool2d", outputSize);
  return windowMean("adaptiveAvgPool2d", x, adaptiveGeometry("adaptiveAvgPool2d", x, size), 0);
}

/** Window sums over their divisors: linear in x, so its gradient is its transpose. */
function windowMean(name: string, x: Tensor, g: PoolGeometry, divisorOverride: number): Tensor {
  const out = empty(outShape(g), x.dtype);
  kernels().avgPool2d(x.data as FloatArray, g.planes, g.inH, g.inW, g.rows, g.cols, divisorOverride, out.data as FloatArray);
  return record(out, name, [x], (gy) => [windowMeanTranspose(name, gy, x.shape, g, divisorOverride)]);
}

/** The transpose of windowMean, linear too: its gradient is windowMean again, to any order. */
function windowMeanTranspose(name: string, gy: Tensor, shape: readonly number[], g: PoolGeometry, divisorOverride: number): Tensor {
  const gx = empty(shape, gy.dtype);
  kernels().avgPool2dBackward(gy.data as FloatArray, g.planes, g.inH, g.inW, g.rows, g.cols, divisorOverride, gx.data as FloatArray);
  return record(gx, `${name}Backward`, [gy], (ggx) => [windowMean(name, ggx, g, divisorOverride)]);
}
