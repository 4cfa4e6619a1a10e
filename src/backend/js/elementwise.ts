import type { TypedArray } from "../../tensor/dtype.js";
import type { BinaryOp, UnaryOp } from "../kernels.js";
import { erf } from "./special.js";

type Fn2 = (x: number, y: number) => number;

const BINARY: Record<BinaryOp, Fn2> = {
  add: (x, y) => x + y,
  sub: (x, y) => x - y,
  mul: (x, y) => x * y,
  div: (x, y) => x / y,
  // C's pow, as PyTorch and the native kernels have it: 1 ** y is 1 even for a NaN y, and (−1) ** ±∞ is 1, where
  // JavaScript's ** gives NaN for both.
  pow: (x, y) => (x === 1 || (x === -1 && Math.abs(y) === Infinity) ? 1 : Math.pow(x, y)),
  // NaN propagates, as in torch.maximum.
  maximum: (x, y) => (x !== x || y !== y ? NaN : x > y ? x : y),
  minimum: (x, y) => (x !== x || y !== y ? NaN : x < y ? x : y),
  eq: (x, y) => (x === y ? 1 : 0),
  ne: (x, y) => (x !== y ? 1 : 0),
  lt: (x, y) => (x < y ? 1 : 0),
  le: (x, y) => (x <= y ? 1 : 0),
  gt: (x, y) => (x > y ? 1 : 0),
  ge: (x, y) => (x >= y ? 1 : 0),
  // torch's threshold_backward: the gradient passes where y is positive or NaN.
  reluGrad: (x, y) => (y <= 0 ? 0 : x),
};

/**
 * Broadcast binary op. The common cases (same shape, a scalar side, a row broadcast over
 * the last dim) run as flat loops; add/sub/mul/div get loops of their own there because
 * a shared loop calling a closure is several times slower once V8 sees many ops.
 */
export function binary(op: BinaryOp, a: TypedArray, aShape: readonly number[], b: TypedArray,
  bShape: readonly number[], out: TypedArray, outShape: readonly number[]): void {
  const n = out.length;
  if (a.length === n && b.length === n) return flat(op, a, 0, 1, b, 0, 1, out, 0, n);
  if (b.length === 1 && a.length === n) return flat(op, a, 0, 1, b, 0, 0, out, 0, n);
  if (a.length === 1 && b.length === n) return flat(op, a, 0, 0, b, 0, 1, out, 0, n);
  // General case: walk the output in rows of its last dim; each operand is either
  // contiguous along that dim or broadcast (stride 0).
  const rank = outShape.length;
  const aStr = broadcastStrides(aShape, outShape);
  const bStr = broadcastStrides(bShape, outShape);
  const last = outShape[rank - 1] ?? 1;
  const rows = last === 0 ? 0 : n / last;
  const idx = new Array<number>(rank).fill(0);
  let aOff = 0, bOff = 0;
  for (let r = 0; r < rows; r++) {
    flat(op, a, aOff, aStr[rank - 1] ?? 0, b, bOff, bStr[rank - 1] ?? 0, out, r * last, last);
    for (let d = rank - 2; d >= 0; d--) {
      idx[d]++;
      aOff += aStr[d]!;
      bOff += bStr[d]!;
      if (idx[d]! < outShape[d]!) break;
      aOff -= aStr[d]! * outShape[d]!;
      bOff -= bStr[d]! * outShape[d]!;
      idx[d] = 0;
    }
  }
}

/** Strides of `shape` read as if broadcast to `outShape`: 0 along broadcast dims. */
export function broadcastStrides(shape: readonly number[], outShape: readonly number[]): number[] {
  const rank = outShape.length;
  const strides = new Array<number>(rank).fill(0);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    const o = rank - shape.length + i;
    strides[o] = shape[i] === 1 ? 0 : s;
    s *= shape[i]!;
  }
  return strides;
}

function flat(op: BinaryOp, a: TypedArray, ao: number, as: number, b: TypedArray, bo: number, bs: number,
  out: TypedArray, oo: number, n: number): void {
  switch (op) {
    case "add":
      for (let i = 0; i < n; i++) out[oo + i] = a[ao + i * as]! + b[bo + i * bs]!;
      return;
    case "sub":
      for (let i = 0; i < n; i++) out[oo + i] = a[ao + i * as]! - b[bo + i * bs]!;
      return;
    case "mul":
      for (let i = 0; i < n; i++) out[oo + i] = a[ao + i * as]! * b[bo + i * bs]!;
      return;
    case "div":
      for (let i = 0; i < n; i++) out[oo + i] = a[ao + i * as]! / b[bo + i * bs]!;
      return;
    default: {
      const f = BINARY[op];
      for (let i = 0; i < n; i++) out[oo + i] = f(a[ao + i * as]!, b[bo + i * bs]!);
    }
  }
}

export function unary(op: UnaryOp, x: TypedArray, out: TypedArray, param: number): void {
  const n = x.length;
  switch (op) {
    case "neg": for (let i = 0; i < n; i++) out[i] = -x[i]!; return;
    case "exp": for (let i = 0; i < n; i++) out[i] = Math.exp(x[i]!); return;
    case "log": for (let i = 0; i < n; i++) out[i] = Math.log(x[i]!); return;
    case "sqrt": for (let i = 0; i < n; i++) out[i] = Math.sqrt(x[i]!); return;
    case "abs": for (let i = 0; i < n; i++) out[i] = Math.abs(x[i]!); return;
    case "sign": for (let i = 0; i < n; i++) { const v = x[i]!; out[i] = v > 0 ? 1 : v < 0 ? -1 : v; } return;
    case "tanh": for (let i = 0; i < n; i++) out[i] = Math.tanh(x[i]!); return;
    case "sigmoid":
      // Two branches so exp never overflows.
      for (let i = 0; i < n; i++) {
        const v = x[i]!;
        if (v >= 0) out[i] = 1 / (1 + Math.exp(-v));
        else { const e = Math.exp(v); out[i] = e / (1 + e); }
      }
      return;
    // `v < 0 ? 0 : v` keeps a NaN (and -0), as torch.relu does.
    case "relu": for (let i = 0; i < n; i++) { const v = x[i]!; out[i] = v < 0 ? 0 : v; } return;
    case "leakyRelu": for (let i = 0; i < n; i++) { const v = x[i]!; out[i] = v > 0 ? v : v * param; } return;
    case "erf": for (let i = 0; i < n; i++) out[i] = erf(x[i]!); return;
    case "reciprocal": for (let i = 0; i < n; i++) out[i] = 1 / x[i]!; return;
    case "square": for (let i = 0; i < n; i++) { const v = x[i]!; out[i] = v * v; } return;
    // Heaviside step: 1 where x > 0, used for the derivative of relu.
    case "step": for (let i = 0; i < n; i++) out[i] = x[i]! > 0 ? 1 : 0; return;
  }
}

export function clamp(x: TypedArray, out: TypedArray, lo: number, hi: number): void {
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    out[i] = v < lo ? lo : v > hi ? hi : v;
  }
}

export function where(cond: TypedArray, a: TypedArray, b: TypedArray, out: TypedArray): void {
  for (let i = 0; i < out.length; i++) out[i] = cond[i] !== 0 ? a[i]! : b[i]!;
}
