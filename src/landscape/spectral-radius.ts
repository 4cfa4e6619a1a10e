import { ShapeError, showShape } from "../errors.js";
import type { Tensor } from "../tensor/tensor.js";

/**
 * The spectral radius ρ(W) = max |λᵢ| of a square matrix, e.g. an RNN's W_hh: the rate at which Wᵗ grows or decays,
 * the quantity behind exploding (ρ > 1) and vanishing (ρ < 1) gradients through time (Pascanu et al. 2013). W need not be
 * symmetric, so its eigenvalues may be complex; Gelfand's formula ρ = lim ‖Wᵏ‖^(1/k) holds for every matrix, and
 * repeated squaring reaches k = 2⁶⁰ in 60 float64 products, each normalized so nothing overflows:
 * log ρ ≈ Σᵢ 2⁻ⁱ·log nᵢ + 2⁻ᵐ·log‖Bₘ‖ with B₀ = W, nᵢ = ‖Bᵢ‖_F, Bᵢ₊₁ = (Bᵢ/nᵢ)².
 * @example mn.landscape.spectralRadius(rnn.stateDict()["weight_hh_l0"]) // 0.93: gradients vanish through time
 */
export function spectralRadius(matrix: Tensor): number {
  const n = matrix.shape[0]!;
  if (matrix.ndim !== 2 || matrix.shape[1] !== n) {
    throw new ShapeError({ where: "spectralRadius", what: "needs a square matrix", got: showShape(matrix.shape) });
  }
  let b: Float64Array = Float64Array.from(matrix.data);
  let logSum = 0;
  let estimate = NaN;
  for (let i = 0; i < 60; i++) {
    const size = frobenius(b);
    if (size === 0) return 0; // nilpotent: a power is exactly zero
    if (!Number.isFinite(size)) return NaN;
    const next = logSum + Math.log(size) / 2 ** i; // log ‖W^(2^i)‖ / 2^i
    if (next === estimate) break;
    estimate = logSum = next;
    for (let j = 0; j < b.length; j++) b[j]! /= size;
    b = square(b, n);
  }
  return Math.exp(estimate);
}

function frobenius(a: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * a[i]!;
  return Math.sqrt(s);
}

function square(a: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      const aik = a[i * n + k]!;
      if (aik === 0) continue;
      for (let j = 0; j < n; j++) out[i * n + j]! += aik * a[k * n + j]!;
    }
  }
  return out;
}
