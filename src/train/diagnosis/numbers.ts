/** How findings write their numbers: few digits, the way an engineer would read them off a plot. */

/** A loss-like value: 2 decimals in the usual range, scientific notation when tiny or huge. */
export function num(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a === 0) return "0";
  if (a >= 1e5 || a < 1e-3) return sci(x);
  if (a >= 100) return x.toFixed(0);
  if (a >= 0.1) return x.toFixed(2);
  return x.toPrecision(2);
}

/** Four significant digits: for a curve that barely moves, where num() would print the same number twice. */
export function precise(x: number): string {
  return Number.isFinite(x) && x !== 0 && Math.abs(x) >= 1e-3 && Math.abs(x) < 1e5 ? x.toPrecision(4) : num(x);
}

/** A ratio spanning decades (update/weight, gradient norms): 3.1e-8, 1.0e-3. */
export function sci(x: number): string {
  return Number.isFinite(x) ? x.toExponential(1).replace("e+", "e") : String(x);
}

/** A fraction as a percentage: 0.9123 → "91.2%". */
export function percent(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}

/** A relative change with its sign: -0.0009 → "−0.09%", 0.25 → "+25%". */
export function change(x: number): string {
  const p = 100 * x;
  const digits = Math.abs(p) >= 10 ? 0 : Math.abs(p) >= 1 ? 1 : 2;
  return `${p < 0 ? "−" : "+"}${Math.abs(p).toFixed(digits)}%`;
}

/** A multiple: 3.2 → "3.2×", 48000 → "4.8e4×". */
export function times(x: number): string {
  return `${x >= 1e4 ? sci(x) : x >= 10 ? x.toFixed(0) : x.toFixed(1)}×`;
}
