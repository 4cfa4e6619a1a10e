/**
 * Numbers as people write them in a table or on a command line, in decimal or scientific notation
 * (0.1, -.5, 1e-3, 5); JavaScript's Number() also reads 0x10, " 5", "Infinity" and "" (as 0),
 * which would pass a typo, a stray space or an empty cell off as a value.
 */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A plain decimal or scientific number, or null for any other text. */
export function plainNumber(v: string): number | null {
  return DECIMAL.test(v) ? Number(v) : null;
}
