import { ValueError } from "../../errors.js";
import { checkOptions, option, positiveInt, type OptionsOf } from "../../options.js";
import type { LinearOperator } from "../linear-operator.js";

export const DENSE = {
  /** The largest size formed: an n×n float64 matrix takes 8n² bytes and n products. */
  maxSize: option(2048, positiveInt),
};
export interface DenseOptions extends OptionsOf<typeof DENSE> {}

/**
 * The operator as a dense row-major n×n matrix, one product per column (A·eᵢ): entry (j, i) is (A·eᵢ)ⱼ, as
 * computed, not symmetrized. Refuses an operator larger than maxSize.
 * @example const a = mn.landscape.dense(H, { maxSize: 500 });
 */
export function dense(op: LinearOperator, options: DenseOptions = {}): Float64Array {
  const { maxSize } = checkOptions("dense", options, DENSE);
  const n = op.size;
  if (n > maxSize) throw new ValueError({ where: "dense", what: "an operator too large for a dense matrix", expected: `a size of at most ${maxSize} (maxSize)`, got: String(n) });
  const out = new Float64Array(n * n);
  const e = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    e[i] = 1;
    const column = op.matvec(e);
    e[i] = 0;
    for (let j = 0; j < n; j++) out[j * n + i] = column[j]!;
  }
  return out;
}
