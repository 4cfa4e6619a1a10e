import { record } from "../../autograd/tape.js";
import { allocate } from "../../tensor/dtype.js";
import { Tensor } from "../../tensor/tensor.js";

// Rastrigin's surface needs cos, which minima's ops do not have (no network layer uses it). These two are
// exact elementwise ops whose derivatives are each other, so second derivatives work as for any op.

/** cos x, elementwise, differentiable any number of times. */
export function cos(x: Tensor): Tensor {
  return record(elementwise(x, Math.cos), "cos", [x], (gy) => [gy.mul(sin(x)).neg()]);
}

/** sin x, elementwise, differentiable any number of times. */
export function sin(x: Tensor): Tensor {
  return record(elementwise(x, Math.sin), "sin", [x], (gy) => [gy.mul(cos(x))]);
}

function elementwise(x: Tensor, fn: (v: number) => number): Tensor {
  const out = allocate(x.dtype === "float64" ? "float64" : "float32", x.data.length);
  for (let i = 0; i < out.length; i++) out[i] = fn(x.data[i]!);
  return new Tensor(out, x.shape);
}
