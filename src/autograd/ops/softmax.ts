import { normalizeDim, sizeOf } from "../../tensor/shape.js";
import type { Tensor } from "../../tensor/tensor.js";
import type { FloatArray } from "../../tensor/dtype.js";
import { record } from "../tape.js";
import { convert } from "./convert.js";
import { empty, floatOf, kernels } from "./util.js";

function run(x: Tensor, dim: number, log: boolean): [Tensor, Tensor, number] {
  const xf = convert(x, floatOf(x.dtype), false);
  const d = normalizeDim(log ? "logSoftmax" : "softmax", dim, x.ndim);
  const out = empty(x.shape, xf.dtype);
  const shape = x.ndim === 0 ? [1] : x.shape;
  kernels().softmax(xf.data as FloatArray, sizeOf(shape.slice(0, d)), shape[d]!, sizeOf(shape.slice(d + 1)), out.data as FloatArray, log);
  return [xf, out, d];
}

/** exp(x) / Σ exp(x) along dim, computed stably in one kernel. */
export function softmax(x: Tensor, dim: number): Tensor {
  const [xf, y, d] = run(x, dim, false);
  // dx = y · (gy − Σ gy·y)
  return record(y, "softmax", [xf], (gy) => [y.mul(gy.sub(gy.mul(y).sum(d, true)))]);
}

/** x − log Σ exp(x) along dim, computed stably in one kernel. */
export function logSoftmax(x: Tensor, dim: number): Tensor {
  const [xf, y, d] = run(x, dim, true);
  // dx = gy − softmax(x) · Σ gy
  return record(y, "logSoftmax", [xf], (gy) => [gy.sub(y.exp().mul(gy.sum(d, true)))]);
}
