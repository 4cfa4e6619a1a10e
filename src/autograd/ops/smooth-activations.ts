import { OptionError } from "../../errors.js";
import { show } from "../../options.js";
import type { TypedArray } from "../../tensor/dtype.js";
import type { Tensor } from "../../tensor/tensor.js";
import { isGradEnabled, record } from "../tape.js";
import { where } from "./arith.js";
import { empty, floatOf } from "./util.js";

/**
 * The smooth activations SiLU, Softplus, ELU and Mish. Each forward is one loop in double precision (rounded
 * once to the output's dtype), with log1p and expm1 where torch uses them, so small values keep their digits.
 * When a backward will follow, the same loop also stores the derivative f'(x), which costs little more
 * (the exp is shared) and makes the usual backward one multiply, gx = gy·f'(x). When the backward is itself
 * recorded (createGraph) it is written in differentiable tensor ops, so second derivatives come out of the
 * same code. Each activation writes its own loop: one loop calling f per element through a shared helper
 * runs ~25% slower in V8 (the call cannot be inlined) — the math functions are most of the cost.
 */
type Loop = (x: TypedArray, out: TypedArray, deriv: TypedArray | null) => void;

function pointwise(name: string, x: Tensor, loop: Loop, recorded: (gy: Tensor) => Tensor): Tensor {
  const out = empty(x.shape, floatOf(x.dtype));
  const deriv = isGradEnabled() && x.requiresGrad ? empty(x.shape, out.dtype) : null;
  loop(x.data, out.data, deriv?.data ?? null);
  return record(out, name, [x], (gy) => {
    if (isGradEnabled()) return [recorded(gy)];
    const gx = empty(x.shape, gy.dtype), gs = gy.data, ds = deriv!.data, gxs = gx.data;
    for (let i = 0; i < gs.length; i++) gxs[i] = gs[i]! * ds[i]!;
    return [gx];
  });
}

/**
 * SiLU (swish), x·σ(x) (torch.nn.functional.silu); its derivative is σ(x)·(1 + x·(1 − σ(x))).
 * @example const y = mn.nn.functional.silu(x);
 */
export function silu(x: Tensor): Tensor {
  return pointwise("silu", x, (xs, ys, ds) => {
    for (let i = 0; i < xs.length; i++) {
      const v = xs[i]!, s = 1 / (1 + Math.exp(-v));
      ys[i] = v * s;
      if (ds) ds[i] = s * (1 + v * (1 - s));
    }
  }, (gy) => {
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
  return pointwise("softplus", x, (xs, ys, ds) => {
    for (let i = 0; i < xs.length; i++) {
      const v = xs[i]!, bv = v * beta;
      if (bv > threshold) {
        ys[i] = v;
        if (ds) ds[i] = 1;
      } else {
        const e = Math.exp(bv);
        ys[i] = Math.log1p(e) / beta;
        if (ds) ds[i] = e / (1 + e);
      }
    }
  }, (gy) => {
    const linear = x.mul(beta).gt(threshold);
    return where(linear, gy, gy.mul(x.mul(beta).sigmoid()));
  });
}

/**
 * ELU (Clevert et al. 2016), x for x > 0 and α·(e^x − 1) otherwise (torch.nn.functional.elu, default
 * α 1); its derivative is 1 for x > 0, α·e^x otherwise (α at 0, as in torch).
 * @example const y = mn.nn.functional.elu(x, 0.5);
 */
export function elu(x: Tensor, alpha = 1): Tensor {
  checkElu("elu", alpha);
  return pointwise("elu", x, (xs, ys, ds) => {
    for (let i = 0; i < xs.length; i++) {
      const v = xs[i]!;
      if (v > 0) {
        ys[i] = v;
        if (ds) ds[i] = 1;
      } else {
        const em1 = Math.expm1(v);
        ys[i] = alpha * em1;
        if (ds) ds[i] = alpha * (em1 + 1);
      }
    }
  }, (gy) => where(x.gt(0), gy, gy.mul(x.exp().mul(alpha))));
}

/**
 * Mish (Misra 2019), x·tanh(softplus(x)) (torch.nn.functional.mish); its derivative is
 * t + x·σ(x)·(1 − t²) with t = tanh(softplus(x)).
 * @example const y = mn.nn.functional.mish(x);
 */
export function mish(x: Tensor): Tensor {
  return pointwise("mish", x, (xs, ys, ds) => {
    for (let i = 0; i < xs.length; i++) {
      const v = xs[i]!;
      if (v > 20) { // tanh(softplus(v)) rounds to 1 in double from v ≈ 19.1 on
        ys[i] = v;
        if (ds) ds[i] = 1;
        continue;
      }
      // One exp for all: with e = e^v, tanh(ln(1 + e)) = ((1 + e)² − 1) / ((1 + e)² + 1) = n / (n + 2), n = e·(e + 2),
      // which keeps its digits for tiny e (t ≈ e) and costs a third of exp, log1p and tanh.
      const e = Math.exp(v), n = e * (e + 2), t = n / (n + 2);
      ys[i] = v * t;
      if (ds) ds[i] = t + v * (e / (1 + e)) * (1 - t * t);
    }
  }, (gy) => {
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
