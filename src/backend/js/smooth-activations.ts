import type { FloatArray, TypedArray } from "../../tensor/dtype.js";
import type { SmoothActivation } from "../kernels.js";

// The smooth activations' forward loops (src/autograd/ops/smooth-activations.ts): each in double precision,
// rounded once to out's dtype, with log1p and expm1 where torch uses them; deriv, when given, gets f'(x) from
// the same exp. native/src/smooth-activations.cc runs the same formulas. Each activation has its own loop: one
// loop calling f per element through a shared helper runs ~25% slower in V8 (the call cannot be inlined).

/** out = f(x) and, when deriv is given, deriv = f'(x), for the activation op with parameters p (see Kernels). */
export function smoothActivation(op: SmoothActivation, x: TypedArray, out: FloatArray, deriv: FloatArray | null, p0: number, p1: number): void {
  switch (op) {
    case "silu": return silu(x, out, deriv);
    case "softplus": return softplus(x, out, deriv, p0, p1);
    case "elu": return elu(x, out, deriv, p0);
    case "mish": return mish(x, out, deriv);
  }
}

/** x·σ(x); f' = σ(x)·(1 + x·(1 − σ(x))). */
function silu(xs: TypedArray, ys: FloatArray, ds: FloatArray | null): void {
  for (let i = 0; i < xs.length; i++) {
    const v = xs[i]!, s = 1 / (1 + Math.exp(-v));
    ys[i] = v * s;
    if (ds) ds[i] = s * (1 + v * (1 - s));
  }
}

/** log(1 + e^(β·x)) / β, x where β·x > threshold; f' = σ(β·x), 1 past the threshold. */
function softplus(xs: TypedArray, ys: FloatArray, ds: FloatArray | null, beta: number, threshold: number): void {
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
}

/** x for x > 0, α·(e^x − 1) otherwise; f' = 1 for x > 0, α·e^x otherwise. */
function elu(xs: TypedArray, ys: FloatArray, ds: FloatArray | null, alpha: number): void {
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
}

/** x·tanh(softplus(x)); f' = t + x·σ(x)·(1 − t²), t = tanh(softplus(x)). */
function mish(xs: TypedArray, ys: FloatArray, ds: FloatArray | null): void {
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
}
