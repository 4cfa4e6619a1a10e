import { OptionError } from "../../errors.js";
import { show } from "../../options.js";
import type { SmoothActivation } from "../../backend/kernels.js";
import type { FloatArray } from "../../tensor/dtype.js";
import type { Tensor } from "../../tensor/tensor.js";
import { isGradEnabled, record } from "../tape.js";
import { where } from "./arith.js";
import { floatOf, kernels, scratch } from "./util.js";

/**
 * The smooth activations SiLU, Softplus, ELU and Mish. Each forward is one kernel (smoothActivation in
 * src/backend/kernels.ts): one loop in double precision (rounded once to the output's dtype), with log1p and
 * expm1 where torch uses them, so small values keep their digits. When a backward will follow, the same loop
 * also stores the derivative f'(x), which costs little more (the exp is shared) and makes the usual backward
 * one multiply, gx = gy·f'(x). When the backward is itself recorded (createGraph) it is written in
 * differentiable tensor ops, so second derivatives come out of the same code.
 */
function pointwise(op: SmoothActivation, x: Tensor, recorded: (gy: Tensor) => Tensor, p0 = 0, p1 = 0): Tensor {
  const out = scratch(x.shape, floatOf(x.dtype));
  const deriv = isGradEnabled() && x.requiresGrad ? scratch(x.shape, out.dtype) : null;
  kernels().smoothActivation(op, x.data, out.data as FloatArray, (deriv?.data ?? null) as FloatArray | null, p0, p1);
  return record(out, op, [x], (gy) => {
    if (isGradEnabled()) return [recorded(gy)];
    const gx = scratch(x.shape, gy.dtype);
    kernels().binary("mul", gy.data, gy.shape, deriv!.data, x.shape, gx.data, x.shape);
    return [gx];
  });
}

/**
 * SiLU (swish), x·σ(x) (torch.nn.functional.silu); its derivative is σ(x)·(1 + x·(1 − σ(x))).
 * @example const y = mn.nn.functional.silu(x);
 */
export function silu(x: Tensor): Tensor {
  return pointwise("silu", x, (gy) => {
    const s = x.sigmoid();
    return gy.mul(s.mul(x.mul(s.neg().add(1)).add(1)));
  });
}

/**
 * Softplus, log(1 + e^(β·x)) / β, and x itself where β·x > threshold (torch.nn.functional.softplus,
 * default β 1, threshold 20, where the two agree to float precision); its derivative is σ(β·x), 1 past
 * the threshold.
 * @example const y = mn.nn.functional.softplus(x, 2); // β = 2
 */
export function softplus(x: Tensor, beta = 1, threshold = 20): Tensor {
  checkSoftplus("softplus", beta, threshold);
  return pointwise("softplus", x, (gy) => {
    const linear = x.mul(beta).gt(threshold);
    return where(linear, gy, gy.mul(x.mul(beta).sigmoid()));
  }, beta, threshold);
}

/**
 * ELU (Clevert et al. 2016), x for x > 0 and α·(e^x − 1) otherwise (torch.nn.functional.elu, default
 * α 1); its derivative is 1 for x > 0, α·e^x otherwise (α at 0, as in torch).
 * @example const y = mn.nn.functional.elu(x, 0.5);
 */
export function elu(x: Tensor, alpha = 1): Tensor {
  checkElu("elu", alpha);
  return pointwise("elu", x, (gy) => where(x.gt(0), gy, gy.mul(x.exp().mul(alpha))), alpha);
}

/**
 * Mish (Misra 2019), x·tanh(softplus(x)) (torch.nn.functional.mish); its derivative is
 * t + x·σ(x)·(1 − t²) with t = tanh(softplus(x)).
 * @example const y = mn.nn.functional.mish(x);
 */
export function mish(x: Tensor): Tensor {
  return pointwise("mish", x, (gy) => {
    const t = softplus(x).tanh();
    return gy.mul(t.add(x.mul(x.sigmoid()).mul(t.square().neg().add(1))));
  });
}

/** Throws unless beta is a finite non-zero number (softplus divides by it) and threshold a number (Infinity: never linear). */
export function checkSoftplus(where: string, beta: unknown, threshold: unknown): void {
  if (typeof beta !== "number" || !Number.isFinite(beta) || beta === 0) {
    throw new OptionError({ where, what: "invalid beta", expected: "a finite number other than 0", got: show(beta) });
  }
  if (typeof threshold !== "number" || Number.isNaN(threshold)) throw new OptionError({ where, what: "invalid threshold", expected: "a number", got: show(threshold) });
}

/** Throws unless alpha is a finite number. */
export function checkElu(where: string, alpha: unknown): void {
  if (typeof alpha !== "number" || !Number.isFinite(alpha)) throw new OptionError({ where, what: "invalid alpha", expected: "a finite number", got: show(alpha) });
}
