import type { BinaryOp } from "../../backend/kernels.js";
import { floatOf, promote, type DType } from "../../tensor/dtype.js";
import { broadcastShapes } from "../../tensor/shape.js";
import { DTypeError } from "../../errors.js";
import { show } from "../../options.js";
import { Tensor, type TensorLike } from "../../tensor/tensor.js";
import { record } from "../tape.js";
import { convert } from "./convert.js";
import { sumTo } from "./shape.js";
import { asTensor, empty, kernels, scratch } from "./util.js";

type Grads = (gy: Tensor, a: Tensor, b: Tensor, out: Tensor) => [Tensor | null, Tensor | null];

/**
 * x as a tensor operand: the tensor, or null for a number; anything else is refused (a string became
 * NaN and null became 0 before, silently).
 */
function operand(op: BinaryOp, x: unknown, position: 1 | 2): Tensor | null {
  if (x instanceof Tensor) return x;
  if (typeof x === "number") return null;
  throw new DTypeError({ where: op, what: `operand ${position} is not a tensor`, expected: "a tensor or a number", got: show(x) });
}

/** Runs a broadcast binary kernel in the promoted dtype and records its backward. */
function binary(op: BinaryOp, x: TensorLike, y: TensorLike, resultDType: (d: DType) => DType, grads?: Grads): Tensor {
  const xt = operand(op, x, 1);
  const yt = operand(op, y, 2);
  if (!xt && !yt) throw new DTypeError({ where: op, what: "needs a tensor", expected: "at least one tensor operand", got: `the numbers ${x} and ${y}` });
  const anchor = (xt ?? yt)!;
  let a = asTensor(x, anchor);
  let b = asTensor(y, anchor);
  const dtype = resultDType(promote(a.dtype, b.dtype));
  const computeIn = grads ? dtype : promote(a.dtype, b.dtype);
  a = convert(a, computeIn, false);
  b = convert(b, computeIn, false);
  const shape = broadcastShapes(op, a.shape, b.shape);
  const out = scratch(shape, dtype);
  kernels().binary(op, a.data, a.shape, b.data, b.shape, out.data, shape);
  if (!grads) return out;
  return record(out, op, [a, b], (gy) => {
    const [ga, gb] = grads(gy, a, b, out);
    return [ga && a.requiresGrad ? sumTo(ga, a.shape) : null, gb && b.requiresGrad ? sumTo(gb, b.shape) : null];
  });
}

const same = (d: DType): DType => d;
/** Comparisons give 0/1 masks in the inputs' float type (float32 for int32 inputs): minima has no bool dtype. */
const mask = (d: DType): DType => floatOf(d);

/** Elementwise a + b with broadcasting. @example mn.add(x, 1) */
export function add(a: TensorLike, b: TensorLike): Tensor {
  return binary("add", a, b, same, (gy) => [gy, gy]);
}

/** Elementwise a − b with broadcasting. */
export function sub(a: TensorLike, b: TensorLike): Tensor {
  return binary("sub", a, b, same, (gy, _a, bb) => [gy, bb.requiresGrad ? gy.neg() : null]);
}

/** Elementwise a · b with broadcasting. */
export function mul(a: TensorLike, b: TensorLike): Tensor {
  return binary("mul", a, b, same, (gy, aa, bb) => [
    aa.requiresGrad ? gy.mul(bb) : null,
    bb.requiresGrad ? gy.mul(aa) : null,
  ]);
}

/** Elementwise true division a / b (integer inputs give float32). */
export function div(a: TensorLike, b: TensorLike): Tensor {
  return binary("div", a, b, floatOf, (gy, aa, bb) => [
    aa.requiresGrad ? gy.div(bb) : null,
    bb.requiresGrad ? gy.mul(aa).div(bb.mul(bb)).neg() : null,
  ]);
}

/** Elementwise a^b. */
export function pow(a: TensorLike, b: TensorLike): Tensor {
  const fractional = typeof b === "number" && !Number.isInteger(b);
  return binary("pow", a, b, fractional ? floatOf : same, (gy, aa, bb, out) => [
    aa.requiresGrad ? gy.mul(bb).mul(aa.pow(bb.sub(1))) : null,
    // d/db a^b = a^b ln a; torch takes it as 0 where a = 0 (and b ≥ 0) rather than NaN.
    bb.requiresGrad ? where(aa.eq(0), 0, gy.mul(out).mul(aa.log())) : null,
  ]);
}

/** Elementwise maximum; at ties each side gets half the gradient, as in torch. */
export function maximum(a: TensorLike, b: TensorLike): Tensor {
  return binary("maximum", a, b, same, (gy, aa, bb) => tieSplit(gy, aa.gt(bb), aa.eq(bb)));
}

/** Elementwise minimum; at ties each side gets half the gradient, as in torch. */
export function minimum(a: TensorLike, b: TensorLike): Tensor {
  return binary("minimum", a, b, same, (gy, aa, bb) => tieSplit(gy, aa.lt(bb), aa.eq(bb)));
}

function tieSplit(gy: Tensor, wins: Tensor, ties: Tensor): [Tensor, Tensor] {
  const share = wins.add(ties.mul(0.5));
  return [gy.mul(share), gy.mul(sub(1, share))];
}

/** a == b elementwise with broadcasting (torch.eq): a 0/1 mask in the inputs' float dtype (float32 for int32), no gradient. */
export function eq(a: TensorLike, b: TensorLike): Tensor { return binary("eq", a, b, mask); }
/** a != b elementwise with broadcasting (torch.ne): a 0/1 mask in the inputs' float dtype (float32 for int32), no gradient. */
export function ne(a: TensorLike, b: TensorLike): Tensor { return binary("ne", a, b, mask); }
/** a < b elementwise with broadcasting (torch.lt): a 0/1 mask in the inputs' float dtype (float32 for int32), no gradient. */
export function lt(a: TensorLike, b: TensorLike): Tensor { return binary("lt", a, b, mask); }
/** a <= b elementwise with broadcasting (torch.le): a 0/1 mask in the inputs' float dtype (float32 for int32), no gradient. */
export function le(a: TensorLike, b: TensorLike): Tensor { return binary("le", a, b, mask); }
/** a > b elementwise with broadcasting (torch.gt): a 0/1 mask in the inputs' float dtype (float32 for int32), no gradient. */
export function gt(a: TensorLike, b: TensorLike): Tensor { return binary("gt", a, b, mask); }
/** a >= b elementwise with broadcasting (torch.ge): a 0/1 mask in the inputs' float dtype (float32 for int32), no gradient. */
export function ge(a: TensorLike, b: TensorLike): Tensor { return binary("ge", a, b, mask); }

/**
 * gy where x > 0 or x is NaN, else 0: relu's backward in one pass (torch's threshold_backward, which
 * passes the gradient at a NaN). Linear in gy, flat in x, so its own gradient is the same mask applied again.
 */
export function reluGrad(gy: Tensor, x: Tensor): Tensor {
  return binary("reluGrad", gy, x, same, (g, _gy, xx) => [reluGrad(g, xx), null]);
}

/**
 * Picks a where cond is non-zero and b elsewhere, broadcasting all three.
 * @example mn.where(x.gt(0), x, 0)
 */
export function where(cond: Tensor, a: TensorLike, b: TensorLike): Tensor {
  const anchor = typeof a === "number" ? (typeof b === "number" ? cond : b) : a;
  let at = asTensor(a, anchor);
  let bt = asTensor(b, anchor);
  const dtype = promote(at.dtype, bt.dtype);
  at = convert(at, dtype, false);
  bt = convert(bt, dtype, false);
  const shape = broadcastShapes("where", broadcastShapes("where", cond.shape, at.shape), bt.shape);
  const c = expandData(cond, shape);
  const out = empty(shape, dtype);
  kernels().where(c.data, expandData(at, shape).data, expandData(bt, shape).data, out.data);
  return record(out, "where", [at, bt], (gy) => [
    at.requiresGrad ? sumTo(where(c, gy, 0), at.shape) : null,
    bt.requiresGrad ? sumTo(where(c, 0, gy), bt.shape) : null,
  ]);
}

/** The data of t broadcast to shape, outside the graph (where's inputs). */
function expandData(t: Tensor, shape: readonly number[]): Tensor {
  if (t.shape.length === shape.length && t.shape.every((d, i) => d === shape[i])) return t;
  const padded = [...new Array<number>(shape.length - t.ndim).fill(1), ...t.shape];
  const out = empty(shape, t.dtype);
  kernels().expand(t.data, padded, out.data, shape);
  return out;
}
