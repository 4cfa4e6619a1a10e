import { wholePower } from "./whole-power.js";

// ln 2 split in two (fdlibm's): k·LN2_HI is exact for |k| < 2²⁰, so r = y − k·ln 2 keeps its low bits.
const LN2_HI = 6.93147180369123816490e-1, LN2_LO = 1.90821492927058770002e-10;
// Taylor terms for |r| ≤ ln2/2: the 14th term is below 2⁻⁶⁰.
const TERMS = 14;

/**
 * eʸ from +, −, × and ÷ only, so every JavaScript engine gives the same bits (engines' Math.exp and `**` differ in
 * the last bit: Node 20's V8 and Chromium 156's disagree). Within a few ulps of the exact value: y = k·ln 2 + r with
 * |r| ≤ ln2/2, eʳ by its Taylor series (Horner), times 2ᵏ exactly.
 */
export function fixedExp(y: number): number {
  if (Number.isNaN(y)) return NaN;
  if (y > 709.8) return Infinity;
  if (y < -745.2) return 0;
  const k = Math.round(y / LN2_HI);
  const r = (y - k * LN2_HI) - k * LN2_LO;
  let s = 1;
  for (let i = TERMS; i >= 1; i--) s = 1 + (r / i) * s;
  // 2ᵏ in two halves, so neither over- nor underflows where eʸ itself does not.
  const half = Math.trunc(k / 2);
  return s * twoTo(half) * twoTo(k - half);
}

const twoTo = (k: number) => (k >= 0 ? wholePower(2, k) : wholePower(0.5, -k));
