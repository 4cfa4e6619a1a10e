import { MinimaError } from "../errors.js";
import { defaultGenerator, type Generator } from "../tensor/random.js";
import { Tensor } from "../tensor/tensor.js";
import { Subset, TensorDataset, type Dataset } from "./dataset.js";

/**
 * Splits a dataset into disjoint random parts (torch.utils.data.random_split), for a
 * train/validation split. Lengths are counts summing to the dataset's length, or fractions
 * summing to 1 (remainders go to the first parts, one each, as torch does). A
 * TensorDataset splits into TensorDatasets (rows copied), anything else into Subsets.
 * @example const [train, val] = mn.data.randomSplit(full, [0.9, 0.1], { generator: new mn.Generator(0) });
 */
export function randomSplit<T>(dataset: Dataset<T>, lengths: readonly number[], options: { generator?: Generator } = {}): Dataset<T>[] {
  const n = dataset.length;
  const total = lengths.reduce((a, b) => a + b, 0);
  let counts: number[];
  if (lengths.every((l) => l >= 0 && l <= 1) && Math.abs(total - 1) < 1e-9 && total !== n) {
    counts = lengths.map((f) => Math.floor(f * n));
    let rest = n - counts.reduce((a, b) => a + b, 0);
    for (let i = 0; rest > 0; i = (i + 1) % counts.length, rest--) counts[i]!++;
  } else {
    if (lengths.some((l) => !Number.isInteger(l) || l < 0) || total !== n) {
      throw new MinimaError({ where: "randomSplit", what: `lengths ${JSON.stringify(lengths)} must be counts summing to the dataset's length ${n}, or fractions summing to 1` });
    }
    counts = [...lengths];
  }
  const order = (options.generator ?? defaultGenerator).permutation(n);
  let start = 0;
  return counts.map((c) => {
    const idx = Array.from(order.subarray(start, start + c));
    start += c;
    if (dataset instanceof TensorDataset) {
      const index = new Tensor(Int32Array.from(idx), [c]);
      return new TensorDataset(...dataset.tensors.map((t) => t.detach().indexSelect(0, index))) as unknown as Dataset<T>;
    }
    return new Subset(dataset, idx);
  });
}
