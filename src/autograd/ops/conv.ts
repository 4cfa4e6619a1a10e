import { BackendError, OptionError, ShapeError, showShape } from "../../errors.js";
import type { ConvGeometry, Convolution } from "../../backend/kernels.js";
import type { FloatArray } from "../../tensor/dtype.js";
import type { Tensor } from "../../tensor/tensor.js";
import { recordFused } from "../fused.js";
import { record } from "../tape.js";
import { reluGrad } from "./arith.js";
import { biasActivation } from "./bias-activation.js";
import { mm } from "./matmul.js";
import { permute, reshape } from "./shape.js";
import { empty, kernels, requireFloat, scratch } from "./util.js";

/** An int for both spatial dims, or one per dim [h, w]. */
export type Pair = number | readonly [number, number];

export interface Window2dOptions {
  kernelSize: Pair;
  stride?: Pair;
  padding?: Pair;
  dilation?: Pair;
}

export interface Conv2dOptions {
  stride?: Pair;
  /** Zero padding per side, or "valid" (none) or "same" (stride 1: the output keeps the input's size). */
  padding?: Pair | "valid" | "same";
  dilation?: Pair;
  groups?: number;
}

/** The pair behind an int or [h, w], each at least `min`, or a clear error. */
export function pair(where: string, name: string, v: Pair, min: number): [number, number] {
  const p = typeof v === "number" ? [v, v] : v;
  if (!Array.isArray(p) || p.length !== 2 || !p.every((x) => Number.isInteger(x) && x >= min)) {
    throw new OptionError({ where, what: `invalid ${name}`, expected: `an integer ≥ ${min} or two of them [h, w]`, got: JSON.stringify(v) });
  }
  return p as [number, number];
}

/**
 * The geometry of a 2-D window sliding over x [n, c, h, w]. Output size per dim:
 *   out = ⌊(in + 2·padding − dilation·(kernel − 1) − 1) / stride⌋ + 1.
 */
export function windowGeometry(where: string, x: Tensor, o: Window2dOptions): ConvGeometry {
  if (x.ndim !== 4) throw new ShapeError({ where, what: "input must be 4-D [batch, channels, height, width]", got: showShape(x.shape) });
  const [, c, h, w] = x.shape as [number, number, number, number];
  const [kh, kw] = pair(where, "kernelSize", o.kernelSize, 1);
  const [sh, sw] = pair(where, "stride", o.stride ?? 1, 1);
  const [ph, pw] = pair(where, "padding", o.padding ?? 0, 0);
  const [dh, dw] = pair(where, "dilation", o.dilation ?? 1, 1);
  const oh = Math.floor((h + 2 * ph - dh * (kh - 1) - 1) / sh) + 1;
  const ow = Math.floor((w + 2 * pw - dw * (kw - 1) - 1) / sw) + 1;
  if (oh < 1 || ow < 1) {
    throw new ShapeError({ where, what: `the ${kh}x${kw} window (dilation ${dh}x${dw}, padding ${ph}x${pw}) does not fit the ${h}x${w} input`, expected: "an output of at least 1x1", got: `${oh}x${ow}` });
  }
  return [c, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow];
}

/**
 * The sliding windows of x [n, c, h, w] as columns, [n, c·kh·kw, oh·ow] (torch.nn.functional.unfold).
 * Its backward is fold, and fold's is unfold: each is the other's adjoint, so double backward works.
 * @example const cols = mn.nn.functional.unfold(x, { kernelSize: 3, padding: 1 });
 */
export function unfold(x: Tensor, options: Window2dOptions): Tensor {
  requireFloat("unfold", x);
  const g = windowGeometry("unfold", x, options);
  const n = x.shape[0]!, K = g[0] * g[3] * g[4], L = g[11] * g[12];
  return permute(reshape(columns(x, g), [K, n, L]), [1, 0, 2]);
}

/**
 * Sums columns [n, c·kh·kw, L] back into an image [n, c, h, w] (torch.nn.functional.fold): overlapping
 * windows add up. outputSize is [h, w].
 */
export function fold(cols: Tensor, options: Window2dOptions & { outputSize: Pair }): Tensor {
  requireFloat("fold", cols);
  const [h, w] = pair("fold", "outputSize", options.outputSize, 1);
  const [kh, kw] = pair("fold", "kernelSize", options.kernelSize, 1);
  if (cols.ndim !== 3 || cols.shape[1]! % (kh * kw) !== 0) {
    throw new ShapeError({ where: "fold", what: "input must be 3-D [batch, channels·kh·kw, blocks]", expected: `a middle dim divisible by ${kh * kw}`, got: showShape(cols.shape) });
  }
  const [n, K, L] = cols.shape as [number, number, number];
  const g = windowGeometry("fold", empty([1, K / (kh * kw), h, w], cols.dtype), options);
  if (g[11] * g[12] !== L) {
    throw new ShapeError({ where: "fold", what: `the ${h}x${w} output has ${g[11] * g[12]} windows`, expected: `${g[11] * g[12]} blocks`, got: `${L}` });
  }
  return image(reshape(permute(cols, [1, 0, 2]), [K, n * L]), g, n);
}

/** im2col as an op: x [n, c, h, w] → [c·kh·kw, n·L], the batch in the columns (src/backend/kernels.ts). */
function columns(x: Tensor, g: ConvGeometry): Tensor {
  const [c, , , kh, kw, , , , , , , oh, ow] = g;
  const n = x.shape[0]!;
  const out = scratch([c * kh * kw, n * oh * ow], x.dtype);
  kernels().im2col(x.data as FloatArray, n, g, out.data as FloatArray);
  return record(out, "im2col", [x], (gy) => [image(gy, g, n)]);
}

/** col2im as an op, columns' adjoint: [c·kh·kw, n·L] → [n, c, h, w]. */
function image(cols: Tensor, g: ConvGeometry, n: number): Tensor {
  const [c, h, w] = g;
  const out = scratch([n, c, h, w], cols.dtype);
  kernels().col2im(cols.data as FloatArray, n, g, out.data as FloatArray);
  return record(out, "col2im", [cols], (gy) => [columns(gy, g)]);
}

/**
 * 2-D convolution (cross-correlation, as torch.nn.functional.conv2d): x [n, cIn, h, w], weight
 * [cOut, cIn/groups, kh, kw], bias [cOut]; out [n, cOut, oh, ow]. Computed as im2col with the batch in
 * the columns, then one matrix product per group for the whole batch — weight [cOut/g, cIn/g·kh·kw] ·
 * columns [cIn/g·kh·kw, n·oh·ow] — so the weight's gradient is one product too; its gradients are
 * im2col's, col2im's and the product's, and differentiate again.
 * @example const y = mn.nn.functional.conv2d(x, w, b, { padding: 1 });
 */
export function conv2d(x: Tensor, weight: Tensor, bias: Tensor | null = null, options: Conv2dOptions = {}): Tensor {
  return conv2dActivated(x, weight, bias, options, false);
}

/** conv2d, then a ReLU when relu is set, the bias and the ReLU applied in the pass that lays the output out. */
export function conv2dActivated(x: Tensor, weight: Tensor, bias: Tensor | null, options: Conv2dOptions, relu: boolean): Tensor {
  const { g, groups } = convolutionGeometry(x, weight, bias, options);
  const lib = kernels().convolution;
  if (lib && allFloat32(x, weight, bias)) {
    const out = libraryConv2d(lib, x, weight, bias, g, groups, relu);
    if (out) return out;
  }
  return im2colConv2d(x, weight, bias, g, groups, relu);
}

/** Whether a convolution's operands are all float32, the only dtype the backends' libraries take. */
export const allFloat32 = (x: Tensor, weight: Tensor, bias: Tensor | null): boolean =>
  x.dtype === "float32" && weight.dtype === "float32" && (!bias || bias.dtype === "float32");

/** Checks conv2d's operands and options; its geometry and groups, or an error naming what does not fit. */
export function convolutionGeometry(x: Tensor, weight: Tensor, bias: Tensor | null, options: Conv2dOptions): { g: ConvGeometry; groups: number } {
  requireFloat("conv2d", x);
  requireFloat("conv2d", weight, "weight");
  if (weight.ndim !== 4) throw new ShapeError({ where: "conv2d", what: "weight must be 4-D [outChannels, inChannels/groups, kh, kw]", got: showShape(weight.shape) });
  const groups = options.groups ?? 1;
  if (!Number.isInteger(groups) || groups < 1) throw new OptionError({ where: "conv2d", what: "invalid groups", expected: "a positive integer", got: String(groups) });
  const [cOut, cInG, kh, kw] = weight.shape as [number, number, number, number];
  if (x.ndim !== 4) throw new ShapeError({ where: "conv2d", what: "input must be 4-D [batch, channels, height, width]", got: showShape(x.shape) });
  const cIn = x.shape[1]!;
  if (cIn !== cInG * groups) {
    throw new ShapeError({ where: "conv2d", what: `input has ${cIn} channels; weight ${showShape(weight.shape)} with groups ${groups} takes`, expected: `${cInG * groups}`, got: `${cIn}` });
  }
  if (cOut % groups !== 0) throw new ShapeError({ where: "conv2d", what: `outChannels ${cOut} is not divisible by groups ${groups}` });
  if (bias && (bias.ndim !== 1 || bias.shape[0] !== cOut)) throw new ShapeError({ where: "conv2d", what: "bias must be 1-D [outChannels]", expected: `[${cOut}]`, got: showShape(bias.shape) });
  const dilation = options.dilation ?? 1;
  const padding = samePadding(options.padding ?? 0, [kh, kw], pair("conv2d", "dilation", dilation, 1), options.stride ?? 1);
  const g = windowGeometry("conv2d", x, { kernelSize: [kh, kw], stride: options.stride ?? 1, padding, dilation });
  return { g, groups };
}

/** The convolution as im2col, one matrix product per group, and the bias/ReLU pass: every step an op. */
export function im2colConv2d(x: Tensor, weight: Tensor, bias: Tensor | null, g: ConvGeometry, groups: number, relu: boolean): Tensor {
  const [cOut, cInG, kh, kw] = weight.shape as [number, number, number, number];
  const n = x.shape[0]!, L = g[11] * g[12], K = cInG * kh * kw;
  const cols = columns(x, g); // [groups·K, n·L]
  const prod = groups === 1
    ? mm(reshape(weight, [cOut, K]), cols, false, false)
    : mm(reshape(weight, [groups, cOut / groups, K]), reshape(cols, [groups, K, n * L]), false, false);
  return biasActivation(prod, bias, { n, c: cOut, l: L, channelsFirst: true }, relu, [n, cOut, g[11], g[12]]);
}

/**
 * The convolution in the backend's library (oneDNN on native), null where it declines the geometry. Its
 * backward is the library's two passes; a backward that must itself be differentiable (createGraph)
 * differentiates the im2col form instead, which computes the same function.
 */
function libraryConv2d(lib: Convolution, x: Tensor, weight: Tensor, bias: Tensor | null, g: ConvGeometry, groups: number, relu: boolean): Tensor | null {
  const n = x.shape[0]!, cOut = weight.shape[0]!;
  const out = scratch([n, cOut, g[11], g[12]], "float32");
  const f32 = (t: Tensor) => t.data as Float32Array;
  if (!lib.forward(f32(x), f32(weight), bias ? f32(bias) : null, n, cOut, groups, g, relu, f32(out))) return null;
  const inputs = bias ? [x, weight, bias] : [x, weight];
  return recordFused(out, relu ? "conv2dRelu" : "conv2d", inputs, (gy) => {
    const gPre = relu ? reluGrad(gy, out) : gy;
    let gx: Tensor | null = null, gw: Tensor | null = null, gb: Tensor | null = null;
    if (x.requiresGrad) {
      gx = scratch(x.shape, "float32");
      if (!lib.backwardData(f32(gPre), f32(weight), n, cOut, groups, g, f32(gx))) throw declined("backwardData");
    }
    if (weight.requiresGrad || bias?.requiresGrad) {
      gw = scratch(weight.shape, "float32");
      gb = bias ? scratch([cOut], "float32") : null;
      if (!lib.backwardWeights(f32(gPre), f32(x), n, cOut, groups, g, f32(gw), gb ? f32(gb) : null)) throw declined("backwardWeights");
    }
    return [gx, weight.requiresGrad ? gw : null, ...(bias ? [bias.requiresGrad ? gb : null] : [])];
  }, () => im2colConv2d(x, weight, bias, g, groups, relu));
}

const declined = (pass: string) => new BackendError({ where: "conv2d", what: `the backend's convolution took the forward pass but declined its ${pass}` });

/** Padding per side for "valid" (0) and "same" (torch: stride 1 only; the extra pixel of an even window goes right). */
function samePadding(padding: Pair | "valid" | "same", k: [number, number], d: [number, number], stride: Pair): Pair {
  if (padding === "valid") return 0;
  if (padding !== "same") return padding;
  const [sh, sw] = pair("conv2d", "stride", stride, 1);
  if (sh !== 1 || sw !== 1) throw new OptionError({ where: "conv2d", what: 'padding "same" needs stride 1', got: `stride ${sh}x${sw}` });
  const total = [d[0] * (k[0] - 1), d[1] * (k[1] - 1)];
  if (total.some((t) => t % 2 !== 0)) {
    throw new OptionError({ where: "conv2d", what: 'padding "same" with an even window needs asymmetric padding, which minima does not do', got: `kernel ${k[0]}x${k[1]}, dilation ${d[0]}x${d[1]}` });
  }
  return [total[0]! / 2, total[1]! / 2];
}
