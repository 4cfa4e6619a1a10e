import type { PoolWindows } from "../../backend/kernels.js";
import { OptionError, ShapeError, showShape } from "../../errors.js";
import { checkOptions, isBoolean, nonNegativeInt, option, orNull, positiveInt, show, type Check, type OptionsOf } from "../../options.js";
import type { Tensor } from "../../tensor/tensor.js";

/** A size per spatial dim: one number for both H and W, or [h, w]. */
export type Size2d = number | readonly [number, number];

const isPairOf = (each: Check, v: unknown): boolean => Array.isArray(v) && v.length === 2 && v.every((e) => each(e) === null);
const sizeCheck = (each: Check, what: string): Check => (v) =>
  each(v) === null || isPairOf(each, v) ? null : `${what} or a pair of them`;
const positiveSize = sizeCheck(positiveInt, "a positive integer");
const nonNegativeSize = sizeCheck(nonNegativeInt, "a non-negative integer");
const nonZeroInt: Check = (v) => (Number.isInteger(v) && v !== 0 ? null : "a non-zero integer");
const pair = (v: Size2d): [number, number] => (typeof v === "number" ? [v, v] : [v[0], v[1]]);

const MAX_POOL_2D_OPTIONS = {
  /** The step between windows (default: kernelSize, so windows tile without overlap). */
  stride: option<Size2d | null>(null, orNull(positiveSize)),
  /** An implicit −∞ border on each side, at most half the kernel size (default 0). */
  padding: option<Size2d>(0, nonNegativeSize),
  /** The spacing between a window's taps (default 1). */
  dilation: option<Size2d>(1, positiveSize),
  /** Round the output size up, keeping a last partial window (default false). */
  ceilMode: option(false, isBoolean),
};

/** The options of max pooling (torch's max_pool2d's, in camelCase). */
export interface MaxPool2dOptions extends OptionsOf<typeof MAX_POOL_2D_OPTIONS> {}

const AVG_POOL_2D_OPTIONS = {
  /** The step between windows (default: kernelSize). */
  stride: option<Size2d | null>(null, orNull(positiveSize)),
  /** An implicit zero border on each side, at most half the kernel size (default 0). */
  padding: option<Size2d>(0, nonNegativeSize),
  /** Round the output size up, keeping a last partial window (default false). */
  ceilMode: option(false, isBoolean),
  /** Count the padding in a window's divisor (default true, as torch). */
  countIncludePad: option(true, isBoolean),
  /** Divide every window's sum by this instead of its size (default null). */
  divisorOverride: option<number | null>(null, orNull(nonZeroInt)),
};

/** The options of average pooling (torch's avg_pool2d's, in camelCase). */
export interface AvgPool2dOptions extends OptionsOf<typeof AVG_POOL_2D_OPTIONS> {}

/** Validated options of one pooling, as [h, w] pairs. divisorOverride is 0 when unset. */
export interface Pool2dParams {
  kernel: [number, number];
  stride: [number, number];
  padding: [number, number];
  dilation: [number, number];
  ceilMode: boolean;
  countIncludePad: boolean;
  divisorOverride: number;
}

/** Where a pooling reads: its planes (N·C of them) and the windows along H (rows) and W (cols). */
export interface PoolGeometry {
  /** The dims before H and W: [C] or [N, C]. */
  lead: number[];
  planes: number;
  inH: number;
  inW: number;
  rows: PoolWindows;
  cols: PoolWindows;
}

/** Checks and normalizes max-pooling options; `where` names the caller in errors. */
export function maxPoolParams(where: string, kernelSize: Size2d, options: MaxPool2dOptions = {}): Pool2dParams {
  const o = checkOptions(where, options, MAX_POOL_2D_OPTIONS);
  return windowParams(where, kernelSize, o.stride, o.padding, o.dilation, o.ceilMode, false, 0);
}

/** Checks and normalizes average-pooling options; `where` names the caller in errors. */
export function avgPoolParams(where: string, kernelSize: Size2d, options: AvgPool2dOptions = {}): Pool2dParams {
  const o = checkOptions(where, options, AVG_POOL_2D_OPTIONS);
  return windowParams(where, kernelSize, o.stride, o.padding, 1, o.ceilMode, o.countIncludePad, o.divisorOverride ?? 0);
}

function windowParams(where: string, kernelSize: Size2d, stride: Size2d | null, padding: Size2d, dilation: Size2d,
  ceilMode: boolean, countIncludePad: boolean, divisorOverride: number): Pool2dParams {
  const bad = positiveSize(kernelSize);
  if (bad) throw new OptionError({ where, what: "invalid kernelSize", expected: bad, got: show(kernelSize) });
  const kernel = pair(kernelSize);
  const pad = pair(padding);
  // torch's rule: a window must always reach past the padding into the input.
  const most = kernel.map((k) => Math.floor(k / 2));
  if (pad[0] > most[0]! || pad[1] > most[1]!) {
    throw new OptionError({ where, what: `padding must be at most half of kernelSize ${showShape(kernel)}`, expected: `at most ${showShape(most)}`, got: showShape(pad) });
  }
  return { kernel, stride: pair(stride ?? kernelSize), padding: pad, dilation: pair(dilation), ceilMode, countIncludePad, divisorOverride };
}

/**
 * torch's pooling output size along one axis: the number of window starts i·s − p whose
 * window (span d·(k−1) + 1) fits in the padded input,
 *   out = ⌊(in + 2p − d·(k−1) − 1) / s⌋ + 1,   or with ceilMode ⌈…⌉ + 1,
 * and with ceilMode a last window that would start past the input and its left padding
 * ((out − 1)·s ≥ in + p) is dropped, so no window lies wholly in the right padding.
 */
function pooledSize(size: number, k: number, s: number, p: number, d: number, ceilMode: boolean): number {
  const out = Math.floor((size + 2 * p - d * (k - 1) - 1 + (ceilMode ? s - 1 : 0)) / s) + 1;
  return ceilMode && (out - 1) * s >= size + p ? out - 1 : out;
}

/**
 * The windows of kernel k, stride s, padding p and dilation d along an axis of `size`. Window
 * i's taps are i·s − p + a·d (a < k); taps in the padding are skipped (start moves to the first
 * tap ≥ 0). count is torch's average divisor: the window clipped to the padded input when
 * countIncludePad, else to the input alone.
 */
function slidingWindows(size: number, out: number, k: number, s: number, p: number, d: number, countIncludePad: boolean): PoolWindows {
  const w = { start: new Int32Array(out), end: new Int32Array(out), count: new Int32Array(out), step: d };
  for (let i = 0; i < out; i++) {
    const first = i * s - p;
    const start = first < 0 ? first + Math.ceil(-first / d) * d : first;
    const end = Math.min(first + d * (k - 1) + 1, size);
    w.start[i] = start;
    w.end[i] = end;
    w.count[i] = countIncludePad ? Math.min(first + k, size + p) - first : end - start;
  }
  return w;
}

/**
 * torch's adaptive windows: output i of `out` covers [⌊i·size/out⌋, ⌈(i+1)·size/out⌉), so the
 * windows cover the input evenly, neighbours overlapping where out does not divide size.
 */
function adaptiveWindows(size: number, out: number): PoolWindows {
  const w = { start: new Int32Array(out), end: new Int32Array(out), count: new Int32Array(out), step: 1 };
  for (let i = 0; i < out; i++) {
    w.start[i] = Math.floor((i * size) / out);
    w.end[i] = Math.floor(((i + 1) * size + out - 1) / out);
    w.count[i] = w.end[i]! - w.start[i]!;
  }
  return w;
}

/** What a geometry reads of its input: its shape (a fused op pools an output it never makes a tensor of). */
export type Shaped = Pick<Tensor, "shape" | "ndim">;

/** The planes of a [C,H,W] or [N,C,H,W] input (N may be 0, as in torch). */
function planesOf(where: string, x: Shaped): { lead: number[]; planes: number; inH: number; inW: number } {
  const [c, inH, inW] = x.shape.slice(-3) as [number, number, number];
  if ((x.ndim !== 3 && x.ndim !== 4) || c < 1 || inH < 1 || inW < 1) {
    throw new ShapeError({ where, what: "invalid input shape", expected: "a 3-D [C,H,W] or 4-D [N,C,H,W] tensor with C, H and W ≥ 1", got: showShape(x.shape) });
  }
  const lead = x.shape.slice(0, -2);
  return { lead, planes: lead.reduce((n, d) => n * d, 1), inH, inW };
}

/** The geometry of a sliding-window pooling of x, or a ShapeError naming what does not fit. */
export function slidingGeometry(where: string, x: Shaped, o: Pool2dParams): PoolGeometry {
  const base = planesOf(where, x);
  const sizes = [base.inH, base.inW].map((n, a) => pooledSize(n, o.kernel[a]!, o.stride[a]!, o.padding[a]!, o.dilation[a]!, o.ceilMode));
  const setting = `kernelSize ${showShape(o.kernel)}, stride ${showShape(o.stride)}, padding ${showShape(o.padding)}, dilation ${showShape(o.dilation)}`;
  if (sizes[0]! < 1 || sizes[1]! < 1) {
    throw new ShapeError({ where, what: `input ${showShape(x.shape)} is too small for ${setting}`, expected: "an output size ≥ 1", got: showShape(sizes) });
  }
  const [rows, cols] = [base.inH, base.inW].map((n, a) =>
    slidingWindows(n, sizes[a]!, o.kernel[a]!, o.stride[a]!, o.padding[a]!, o.dilation[a]!, o.countIncludePad)) as [PoolWindows, PoolWindows];
  // Dilated taps can all fall in the padding; torch would then return −∞ and an index outside the plane.
  for (const [axis, w] of [["H", rows], ["W", cols]] as const) {
    const i = w.start.findIndex((s, j) => s >= w.end[j]!);
    if (i >= 0) throw new ShapeError({ where, what: `window ${i} along ${axis} of input ${showShape(x.shape)} reads only padding with ${setting}` });
  }
  return { ...base, rows, cols };
}

/** Checks an adaptive output size: a positive integer or a pair, null keeping that input dim. */
export function adaptiveSize(where: string, outputSize: number | readonly [number | null, number | null]): [number | null, number | null] {
  if (positiveInt(outputSize) !== null && !isPairOf(orNull(positiveInt), outputSize)) {
    throw new OptionError({ where, what: "invalid outputSize", expected: "a positive integer or a pair of them (null keeps that input size)", got: show(outputSize) });
  }
  return typeof outputSize === "number" ? [outputSize, outputSize] : [outputSize[0], outputSize[1]];
}

/** The geometry of an adaptive pooling of x to outputSize (already checked). */
export function adaptiveGeometry(where: string, x: Tensor, outputSize: [number | null, number | null]): PoolGeometry {
  const base = planesOf(where, x);
  return { ...base, rows: adaptiveWindows(base.inH, outputSize[0] ?? base.inH), cols: adaptiveWindows(base.inW, outputSize[1] ?? base.inW) };
}
