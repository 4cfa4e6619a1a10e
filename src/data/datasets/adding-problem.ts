import { OptionError } from "../../errors.js";
import { checkOptions, choice, optional, type OptionsOf } from "../../options.js";
import { zeros } from "../../tensor/create.js";
import type { FloatDType } from "../../tensor/dtype.js";
import { Generator, defaultGenerator } from "../../tensor/random.js";
import type { Tensor } from "../../tensor/tensor.js";

const ADDING_PROBLEM_OPTIONS = {
  /** The dtype of x and y (default "float32"). */
  dtype: choice<FloatDType[]>("float32", "float64"),
  /** The generator that draws the values and the marked positions (default: the global one, mn.manualSeed). */
  generator: optional<Generator>((v) => (v instanceof Generator ? null : "a Generator")),
};

/** The options of addingProblem. */
export interface AddingProblemOptions extends OptionsOf<typeof ADDING_PROBLEM_OPTIONS> {}

/**
 * The adding problem (Hochreiter & Schmidhuber 1997; in the form of Le, Jaitly & Hinton 2015 and Arjovsky et al. 2016),
 * a test of long-term memory: n sequences of `length` steps, each step two features, a value drawn U(0, 1) and a marker,
 * 1 at exactly two steps (one drawn in the first half, one in the second) and 0 elsewhere; the target is the sum of the
 * two marked values. x is [n, length, 2] (batch first), y [n, 1]. Predicting 1 for every sequence scores a mean squared
 * error of 1/6 (the variance of the sum of two U(0, 1)), the baseline a model must beat by remembering across the gap.
 * @example const { x, y } = mn.data.addingProblem(1000, 100, { generator: new mn.Generator(0) });
 */
export function addingProblem(n: number, length: number, options: AddingProblemOptions = {}): { x: Tensor; y: Tensor } {
  for (const [name, v, min] of [["n", n, 1], ["length", length, 2]] as const) {
    if (!Number.isInteger(v) || v < min) throw new OptionError({ where: "addingProblem", what: `invalid ${name}`, expected: `an integer ≥ ${min}`, got: String(v) });
  }
  const o = checkOptions("addingProblem", options, ADDING_PROBLEM_OPTIONS);
  const g = o.generator ?? defaultGenerator;
  const x = zeros([n, length, 2], { dtype: o.dtype });
  const y = zeros([n, 1], { dtype: o.dtype });
  const half = Math.floor(length / 2);
  for (let i = 0; i < n; i++) {
    const row = i * length * 2;
    for (let t = 0; t < length; t++) x.data[row + 2 * t] = g.random();
    const first = g.integer(0, half);
    const second = g.integer(half, length);
    x.data[row + 2 * first + 1] = 1;
    x.data[row + 2 * second + 1] = 1;
    // The sum of the values as stored (rounded to the dtype), so the target is exact for what the model reads.
    y.data[i] = x.data[row + 2 * first]! + x.data[row + 2 * second]!;
  }
  return { x, y };
}
