import type { FloatArray } from "../../tensor/dtype.js";
import type { Tensor } from "../../tensor/tensor.js";
import { isGradEnabled, record } from "../tape.js";
import { add, reluGrad } from "./arith.js";
import { relu as reluOp } from "./math.js";
import { sum } from "./reduce.js";
import { permute, reshape } from "./shape.js";
import { kernels, scratch } from "./util.js";

/** How the product a layer hands over is laid out: [n, c, l], or [c, n, l] for a convolution's. */
export interface ChannelLayout {
  n: number;
  c: number;
  l: number;
  channelsFirst: boolean;
}

/**
 * act(x + bias), per channel, in one kernel pass, the output [n, c, l] reshaped to outShape: the tail of
 * Linear and Conv2d (and of the ReLU after them, which Sequential hands in). Its backward masks the
 * gradient by the output's sign for relu, then sums it per channel for the bias and moves it back to
 * x's layout: in one kernel pass (biasActivationBackward), or in differentiable ops when the backward itself
 * is recorded (createGraph). Both give the same bits.
 */
export function biasActivation(x: Tensor, bias: Tensor | null, layout: ChannelLayout, relu: boolean, outShape: readonly number[]): Tensor {
  const { n, c, l, channelsFirst } = layout;
  if (bias && bias.dtype !== x.dtype) { // mixed dtypes promote, as add does: the plain ops handle that
    const moved = channelsFirst ? permute(reshape(x, [c, n, l]), [1, 0, 2]) : reshape(x, [n, c, l]);
    const y = add(moved, reshape(bias, [1, c, 1]));
    return reshape(relu ? reluOp(y) : y, outShape);
  }
  const out = scratch(outShape, x.dtype);
  kernels().biasActivation(x.data as FloatArray, n, c, l, channelsFirst, (bias?.data ?? null) as FloatArray | null, relu, out.data as FloatArray);
  const inputs = bias ? [x, bias] : [x];
  return record(out, relu ? "biasRelu" : "bias", inputs, (gy) => {
    if (!isGradEnabled() && gy.dtype === x.dtype) return fusedBackward(gy, out, x, bias, layout, relu);
    const g = reshape(relu ? reluGrad(gy, out) : gy, [n, c, l]);
    const gx = x.requiresGrad ? reshape(channelsFirst ? permute(g, [1, 0, 2]) : g, x.shape) : null;
    return bias ? [gx, bias.requiresGrad ? sum(g, [0, 2]) : null] : [gx];
  });
}

/**
 * The backward in one kernel pass, each gradient only for an input that requires one; without a mask or a move, x's
 * gradient is gy itself (as in the composed ops) and the pass only sums the bias's.
 */
function fusedBackward(gy: Tensor, out: Tensor, x: Tensor, bias: Tensor | null, layout: ChannelLayout, relu: boolean): (Tensor | null)[] {
  const { n, c, l, channelsFirst } = layout;
  const moved = relu || channelsFirst;
  const gx = x.requiresGrad ? (moved ? scratch(x.shape, x.dtype) : reshape(gy, x.shape)) : null;
  const gBias = bias?.requiresGrad ? scratch([c], x.dtype) : null;
  if (!gBias && !moved) return bias ? [gx, null] : [gx];
  kernels().biasActivationBackward(gy.data as FloatArray, out.data as FloatArray, n, c, l, channelsFirst, relu,
    (moved ? gx?.data ?? null : null) as FloatArray | null, (gBias?.data ?? null) as FloatArray | null);
  return bias ? [gx, gBias] : [gx];
}
