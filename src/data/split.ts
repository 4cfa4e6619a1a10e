import { OptionError } from "../errors.js";
import { checkOptions, option, type Check, type OptionsOf } from "../options.js";
import { defaultGenerator, Generator } from "../tensor/random.js";
import { Tensor } from "../tensor/tensor.js";
import { Subset, TensorDataset, type Dataset } from "./dataset.js";

const isGenerator: Check = (v) => (v instanceof Generator ? null : "an mn.Generator");

const RANDOM_SPLIT_OPTIONS = {
  /** The stream the permutation is drawn from (default: the global one, seeded by mn.manualSeed). */
  generator: option<Generator>(defaultGenerator, isGenerator),
};

/** The options of randomSplit. */
export interface RandomSplitOptions extends OptionsOf<typeof RANDOM_SPLIT_OPTIONS> {}

/** One part per length: a tuple as long as a literal `lengths` (`[0.9, 0.1]` gives two parts), else an array. */
export type Parts<L extends readonly number[], D> = { -readonly [K in keyof L]: D };

/**
 * Splits a dataset into disjoint random parts, as torch.utils.data.random_split does (for a
 * train/validation split). `lengths` are counts summing to the dataset's length, or fractions
 * summing to 1 (given as a literal, the parts are a tuple as long as it): each part gets ⌊fraction·n⌋ and the rows left over go one each to the first
 * parts, round robin, as in torch. A TensorDataset splits into TensorDatasets whose rows are
 * copied (so a DataLoader over a part reads contiguous memory); any other dataset into Subsets.
 * @example const [train, val] = mn.data.randomSplit(full, [0.9, 0.1], { generator: new mn.Generator(0) });
 */
export function randomSplit<T extends Tensor[], const L extends readonly number[]>(dataset: TensorDataset<T>, lengths: L, options?: RandomSplitOptions): Parts<L, TensorDataset<T>>;
export function randomSplit<T, const L extends readonly number[]>(dataset: Dataset<T>, lengths: L, options?: RandomSplitOptions): Parts<L, Dataset<T>>;
export function randomSplit<T>(dataset: Dataset<T>, lengths: readonly number[], options: RandomSplitOptions = {}): Dataset<T>[] {
  const { generator } = checkOptions("randomSplit", options, RANDOM_SPLIT_OPTIONS);
  const counts = toCounts(dataset.length, lengths);
  const order = generator.permutation(dataset.length);
  let start = 0;
  return counts.map((c) => {
    const idx = order.subarray(start, start + c);
    start += c;
    if (dataset instanceof TensorDataset) {
      const index = new Tensor(Int32Array.from(idx), [c]);
      return new TensorDataset(...dataset.tensors.map((t: Tensor) => t.detach().indexSelect(0, index))) as unknown as Dataset<T>;
    }
    return new Subset(dataset, Array.from(idx));
  });
}

/** Counts per part from counts or fractions, checked against the dataset's length n. */
function toCounts(n: number, lengths: readonly number[]): number[] {
  const total = lengths.reduce((a, b) => a + b, 0);
  const fail = (what: string): never => {
    throw new OptionError({ where: "randomSplit", what, expected: `non-negative counts summing to ${n}, or fractions summing to 1` });
  };
  const bad = lengths.find((l) => !(l >= 0) || (l > 1 && !Number.isInteger(l)));
  if (lengths.length === 0 || bad !== undefined) fail(`lengths ${JSON.stringify(lengths)} hold ${bad ?? "nothing"}, neither a count nor a fraction`);
  // As torch decides: lengths summing to 1 are fractions, unless they are counts of a larger dataset.
  if (Math.abs(total - 1) < 1e-9 && total <= n) {
    const counts = lengths.map((f) => Math.floor(f * n));
    for (let rest = n - counts.reduce((a, b) => a + b, 0), i = 0; rest > 0; rest--, i = (i + 1) % counts.length) counts[i]!++;
    return counts;
  }
  if (lengths.every(Number.isInteger)) {
    if (total !== n) fail(`lengths ${JSON.stringify(lengths)} sum to ${total}, not to the dataset's length ${n}`);
    return [...lengths];
  }
  return fail(`fractions ${JSON.stringify(lengths)} sum to ${total}, not to 1`);
}
