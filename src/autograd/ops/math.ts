import type { UnaryOp } from "../../backend/kernels.js";
import type { Tensor } from "../../tensor/tensor.js";
import { record } from "../tape.js";
import { reluGrad, where } from "./arith.js";
import { empty, floatOf, kernels, scratch } from "./util.js";

/**
 * Elementwise functions. Each records its derivative in terms of its input or its output,
 * written in tensor ops so second derivatives come out of the same code.
 */
function unary(op: UnaryOp, x: Tensor, grad: ((gy: Tensor, x: Tensor, y: Tensor) => Tensor) | null,
  param = 0, keepInt = false): Tensor {
  const dtype = keepInt ? x.dtype : floatOf(x.dtype);
  const out = scratch(x.shape, dtype);
  kernels().unary(op, x.data, out.data, param);
  if (!grad) return out;
  return record(out, op, [x], (gy) => [grad(gy, x, out)]);
}

/** −x. Elementwise (torch.neg). */
export function neg(x: Tensor): Tensor { return unary("neg", x, (gy) => gy.neg(), 0, true); }
/** eˣ. Elementwise (torch.exp). */
export function exp(x: Tensor): Tensor { return unary("exp", x, (gy, _x, y) => gy.mul(y)); }
/** The natural logarithm ln x (NaN below 0, −∞ at 0). Elementwise (torch.log). */
export function log(x: Tensor): Tensor { return unary("log", x, (gy, xx) => gy.div(xx)); }
/** √x (NaN below 0). Elementwise (torch.sqrt). */
export function sqrt(x: Tensor): Tensor { return unary("sqrt", x, (gy, _x, y) => gy.div(y.mul(2))); }
/** |x|; the gradient at 0 is 0, as torch's. Elementwise (torch.abs). */
export function abs(x: Tensor): Tensor { return unary("abs", x, (gy, xx) => gy.mul(xx.sign()), 0, true); }
/** sign(x) ∈ {−1, 0, 1}; its gradient is zero. */
export function sign(x: Tensor): Tensor { return unary("sign", x, null, 0, true); }
/** x². Elementwise (torch.square). */
export function square(x: Tensor): Tensor { return unary("square", x, (gy, xx) => gy.mul(xx).mul(2), 0, true); }
/** 1/x. Elementwise (torch.reciprocal). */
export function reciprocal(x: Tensor): Tensor { return unary("reciprocal", x, (gy, _x, y) => gy.mul(y.mul(y)).neg()); }
/** The hyperbolic tangent. Elementwise (torch.tanh). */
export function tanh(x: Tensor): Tensor { return unary("tanh", x, (gy, _x, y) => gy.mul(y.mul(y).neg().add(1))); }
/** The logistic function σ(x) = 1/(1 + e⁻ˣ). Elementwise (torch.sigmoid). */
export function sigmoid(x: Tensor): Tensor { return unary("sigmoid", x, (gy, _x, y) => gy.mul(y.mul(y.neg().add(1)))); }
/** max(x, 0); the derivative at 0 is taken as 0, as in torch. */
export function relu(x: Tensor): Tensor { return unary("relu", x, (gy, xx) => reluGrad(gy, xx), 0, true); }
/** x for x > 0, slope·x otherwise. */
export function leakyRelu(x: Tensor, negativeSlope = 0.01): Tensor {
  return unary("leakyRelu", x, (gy, xx) => gy.mul(step(xx).mul(1 - negativeSlope).add(negativeSlope)), negativeSlope);
}
/** The error function, erf'(x) = 2/√π · exp(−x²). */
export function erf(x: Tensor): Tensor {
  return unary("erf", x, (gy, xx) => gy.mul(xx.mul(xx).neg().exp().mul(2 / Math.sqrt(Math.PI))));
}
/** 1 where x > 0, else 0, outside the graph: the derivative of relu, flat almost everywhere. */
function step(x: Tensor): Tensor {
  const out = empty(x.shape, floatOf(x.dtype));
  kernels().unary("step", x.data, out.data, 0);
  return out;
}

/**
 * The exact GELU, x·Φ(x) = x/2 · (1 + erf(x/√2)), torch's default (approximate="none"),
 * or its tanh approximation.
 */
export function gelu(x: Tensor, approximate: "none" | "tanh" = "none"): Tensor {
  if (approximate === "tanh") {
    const inner = x.add(x.mul(x).mul(x).mul(0.044715)).mul(Math.sqrt(2 / Math.PI));
    return x.mul(0.5).mul(inner.tanh().add(1));
  }
  return x.mul(0.5).mul(erf(x.mul(Math.SQRT1_2)).add(1));
}

/**
 * Clamps into [min, max] (either bound may be null). The gradient passes where
 * min ≤ x ≤ max, bounds included, as in torch.
 */
export function clamp(x: Tensor, min: number | null, max: number | null): Tensor {
  const lo = min ?? -Infinity;
  const hi = max ?? Infinity;
  const out = empty(x.shape, x.dtype);
  kernels().clamp(x.data, out.data, lo, hi);
  return record(out, "clamp", [x], (gy) => [where(x.ge(lo).mul(x.le(hi)), gy, 0)]);
}
