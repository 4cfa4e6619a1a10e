/**
 * βᵗ for a whole t ≥ 0 by repeated squaring in double-double arithmetic: only +, − and ×, so every JavaScript
 * engine gives the same bits, and within an ulp of the exact power. Engines' `**` differ in the last bit
 * (Node 20's V8 gives 0.8 ** 13 one ulp off the correctly rounded value Chromium 156 gives), which made the
 * bias corrections 1 − βᵗ, and so the lab's races in the page, differ from Node's.
 */
export function wholePower(base: number, t: number): number {
  let rh = 1, rl = 0, sh = base, sl = 0, n = t;
  while (n > 0) {
    if (n % 2 === 1) [rh, rl] = multiply(rh, rl, sh, sl);
    n = Math.floor(n / 2);
    if (n > 0) [sh, sl] = multiply(sh, sl, sh, sl);
  }
  return rh + rl;
}

// Dekker's splitting constant 2²⁷ + 1: a double's halves of 26 bits, whose products are exact.
const SPLIT = 134217729;

/** (xh + xl)·(yh + yl) as a normalized double-double (hi, lo). */
function multiply(xh: number, xl: number, yh: number, yl: number): [number, number] {
  const p = xh * yh;
  const cx = SPLIT * xh, xhi = cx - (cx - xh), xlo = xh - xhi;
  const cy = SPLIT * yh, yhi = cy - (cy - yh), ylo = yh - yhi;
  const e = ((xhi * yhi - p) + xhi * ylo + xlo * yhi) + xlo * ylo + (xh * yl + xl * yh);
  const hi = p + e;
  return [hi, e - (hi - p)];
}
