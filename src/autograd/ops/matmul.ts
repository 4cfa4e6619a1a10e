import { DTypeError, ShapeError, showShape } from "../../errors.js";
import { broadcastShapes, sizeOf } from "../../tensor/shape.js";
import type { Tensor } from "../../tensor/tensor.js";
import type { FloatArray } from "../../tensor/dtype.js";
import { record } from "../tape.js";
import { expand, reshape, squeeze, sumTo, unsqueeze } from "./shape.js";
import { kernels, requireFloat, scratch } from "./util.js";

/**
 * Matrix product with PyTorch's rules: 1-D operands become a row (left) or column (right)
 * vector and lose that dim again; 2-D is a plain product; more dims are batches, broadcast.
 * @example const y = x.matmul(w); // [128,784] · [784,256] → [128,256]
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  if (a.ndim === 0 || b.ndim === 0) {
    throw new ShapeError({ where: "matmul", what: `both arguments need at least 1 dim`, got: `${showShape(a.shape)} and ${showShape(b.shape)}` });
  }
  const a2 = a.ndim === 1 ? unsqueeze(a, 0) : a;
  const b2 = b.ndim === 1 ? unsqueeze(b, 1) : b;
  let out = mm(a2, b2, false, false);
  if (a.ndim === 1) out = squeeze(out, -2);
  if (b.ndim === 1) out = squeeze(out, -1);
  return out;
}

/**
 * op(a) · op(b) for tensors of 2+ dims, op being a transpose of the last two dims when its
 * flag is set. The transposes never materialize: the kernel reads the operands as they lie.
 * Its backward is four more such products, so double backward works.
 */
export function mm(a: Tensor, b: Tensor, transA: boolean, transB: boolean): Tensor {
  requireFloat("matmul", a, "first argument");
  requireFloat("matmul", b, "second argument");
  if (a.dtype !== b.dtype) {
    throw new DTypeError({ where: "matmul", what: `arguments differ in dtype: ${a.dtype} and ${b.dtype}`, expected: "the same dtype (convert one with .to())" });
  }
  const [ar, ac] = a.shape.slice(-2) as [number, number];
  const [br, bc] = b.shape.slice(-2) as [number, number];
  const [m, k] = transA ? [ac, ar] : [ar, ac];
  const [k2, n] = transB ? [bc, br] : [br, bc];
  if (k !== k2) {
    throw new ShapeError({ where: "matmul", what: `shapes ${showShape(a.shape)} and ${showShape(b.shape)} do not align: ${k} != ${k2}` });
  }
  const batchShape = broadcastShapes("matmul", a.shape.slice(0, -2), b.shape.slice(0, -2));
  const batch = sizeOf(batchShape);
  const aFull = fitBatch(a, batchShape);
  const bFull = fitBatch(b, batchShape);
  const out = scratch([...batchShape, m, n], a.dtype);
  kernels().matmul(
    aFull.data as FloatArray, bFull.data as FloatArray, out.data as FloatArray, batch, m, n, k, transA, transB,
    sizeOf(aFull.shape.slice(0, -2)) === 1 ? 0 : m * k, sizeOf(bFull.shape.slice(0, -2)) === 1 ? 0 : k * n,
  );
  return record(out, "matmul", [a, b], (gy) => {
    let ga: Tensor | null = null;
    let gb: Tensor | null = null;
    if (a.requiresGrad) {
      ga = transA ? mm(b, gy, transB, true) : mm(gy, b, false, !transB);
      ga = sumTo(ga, a.shape);
    }
    if (b.requiresGrad) {
      gb = transB ? mm(gy, a, true, transA) : mm(a, gy, !transA, false);
      gb = sumTo(gb, b.shape);
    }
    return [ga, gb];
  });
}

/** An operand whose batch dims are all 1 is shared by every batch (stride 0); others are broadcast in full. */
function fitBatch(x: Tensor, batchShape: readonly number[]): Tensor {
  const own = x.shape.slice(0, -2);
  if (sizeOf(own) === 1) return reshape(x, x.shape.slice(-2));
  if (own.length === batchShape.length && own.every((d, i) => d === batchShape[i])) return x;
  return expand(x, [...batchShape, ...x.shape.slice(-2)]);
}
