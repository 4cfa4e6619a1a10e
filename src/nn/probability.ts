import { OptionError } from "../errors.js";

// Internal: the check dropout and Dropout share; not part of mn.nn.functional.

/** Throws unless p is a probability. */
export function checkProbability(where: string, p: number): void {
  if (!(p >= 0 && p <= 1)) throw new OptionError({ where, what: "invalid p", expected: "a probability in [0, 1]", got: String(p) });
}
