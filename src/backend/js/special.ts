const TWO_OVER_SQRT_PI = 1.1283791670955126;

/**
 * The error function to about 1e-15: its Maclaurin series below |x| = 2.5, and above it
 * erfc's continued fraction (Lentz's method), where the series would lose digits to
 * cancellation. Needed for the exact GELU that PyTorch uses by default.
 */
export function erf(x: number): number {
  if (x !== x) return NaN;
  const ax = Math.abs(x);
  if (ax < 2.5) {
    const x2 = x * x;
    let term = x;
    let sum = x;
    for (let n = 1; n < 100; n++) {
      term *= -x2 / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    return TWO_OVER_SQRT_PI * sum;
  }
  if (ax > 6) return x > 0 ? 1 : -1;
  const r = erfcContinuedFraction(ax);
  return x > 0 ? 1 - r : r - 1;
}

/**
 * The complementary error function 1 − erf(x), keeping its digits in the right tail (erfc(10) ≈ 2e-45,
 * where 1 − erf(x) is 0): the continued fraction from 2.5 up, 1 − erf(x) below.
 */
export function erfc(x: number): number {
  if (x !== x) return NaN;
  if (x < 0) return 2 - erfc(-x);
  if (x < 2.5) return 1 - erf(x);
  if (x > 27.3) return 0;
  return erfcContinuedFraction(x);
}

/** erfc(x) for x ≥ 2.5: exp(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))). */
function erfcContinuedFraction(x: number): number {
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let n = 1; n < 200; n++) {
    const an = n / 2;
    d = x + an * d;
    d = d === 0 ? tiny : d;
    c = x + an / c;
    c = c === 0 ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / (f * Math.sqrt(Math.PI));
}
