import { BackendError } from "../../errors.js";
import type { ConvGeometry, Convolution } from "../../backend/kernels.js";
import type { Tensor } from "../../tensor/tensor.js";
import { recordFused } from "../fused.js";
import { allFloat32, conv2dActivated, convolutionGeometry, im2colConv2d, type Conv2dOptions } from "./conv.js";
import { maxPool2d } from "./pool.js";
import { maxPoolParams, slidingGeometry, type MaxPool2dOptions, type PoolGeometry, type Size2d } from "./pool-window.js";
import { kernels, scratch } from "./util.js";

/**
 * maxPool2d(relu(conv2d(x, weight, bias))) as one op where the backend fuses the three (native with oneDNN: the
 * convolution's output is pooled where oneDNN writes it, in its own channel-blocked layout, and never copied out to
 * NCHW; the backward writes the convolution's output gradient straight into that layout). The same values and
 * gradients as the three ops apart, which run instead wherever the backend declines. Sequential calls this for a
 * Conv2d, a ReLU and a MaxPool2d in a row.
 * @example const y = conv2dReluMaxPool(x, conv.weight, conv.bias, {}, 2); // conv → ReLU → 2x2 max pooling
 */
export function conv2dReluMaxPool(x: Tensor, weight: Tensor, bias: Tensor | null, options: Conv2dOptions, kernelSize: Size2d,
  poolOptions: MaxPool2dOptions = {}): Tensor {
  const { g, groups } = convolutionGeometry(x, weight, bias, options);
  const params = maxPoolParams("maxPool2d", kernelSize, poolOptions);
  const pool = slidingGeometry("maxPool2d", { shape: [x.shape[0]!, weight.shape[0]!, g[11], g[12]], ndim: 4 }, params);
  const lib = kernels().convolution;
  if (lib?.forwardReluMaxPool && lib.backwardReluMaxPool && allFloat32(x, weight, bias)) {
    const composed = () => maxPool2d(im2colConv2d(x, weight, bias, g, groups, true), kernelSize, poolOptions);
    const out = fused(lib as Required<Convolution>, x, weight, bias, g, groups, pool, composed);
    if (out) return out;
  }
  return maxPool2d(conv2dActivated(x, weight, bias, options, true), kernelSize, poolOptions);
}

/** The fused op through the library, null where it declines; a differentiable backward runs `composed` instead. */
function fused(lib: Required<Convolution>, x: Tensor, weight: Tensor, bias: Tensor | null, g: ConvGeometry,
  groups: number, pool: PoolGeometry, composed: () => Tensor): Tensor | null {
  const n = x.shape[0]!, cOut = weight.shape[0]!, outPlane = pool.rows.start.length * pool.cols.start.length;
  const shape = [n, cOut, pool.rows.start.length, pool.cols.start.length];
  const out = scratch(shape, "float32"), indices = scratch(shape, "int32");
  const f32 = (t: Tensor) => t.data as Float32Array;
  if (!lib.forwardReluMaxPool(f32(x), f32(weight), bias ? f32(bias) : null, n, cOut, groups, g, pool.rows, pool.cols, f32(out),
    indices.data as Int32Array)) return null;
  return recordFused(out, "conv2dReluMaxPool", bias ? [x, weight, bias] : [x, weight], (gy) => {
    const gx = x.requiresGrad ? scratch(x.shape, "float32") : null;
    const weights = weight.requiresGrad || bias?.requiresGrad === true;
    const gw = weights ? scratch(weight.shape, "float32") : null;
    const gb = weights && bias ? scratch([cOut], "float32") : null;
    if (!lib.backwardReluMaxPool(f32(gy), f32(out), indices.data as Int32Array, outPlane, f32(x), f32(weight), n, cOut, groups, g,
      gx && f32(gx), gw && f32(gw), gb && f32(gb))) {
      throw new BackendError({ where: "conv2d", what: "the backend's convolution took the fused forward pass (ReLU, max pooling) but declined its backward" });
    }
    return [gx, weight.requiresGrad ? gw : null, ...(bias ? [bias.requiresGrad ? gb : null] : [])];
  }, composed);
}
