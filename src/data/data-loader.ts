import { stack } from "../autograd/ops/index.js";
import { allocate } from "../tensor/dtype.js";
import { defaultGenerator, type Generator } from "../tensor/random.js";
import { Tensor } from "../tensor/tensor.js";
import { checkOptions, isBoolean, positiveInt, anything } from "../options.js";
import { TensorDataset, type Dataset } from "./dataset.js";

export interface DataLoaderOptions {
  /** Samples per batch: 1 is stochastic gradient descent, the dataset's length full-batch (default 1). */
  batchSize?: number;
  /** Draw a new order at the start of every pass (default false). */
  shuffle?: boolean;
  /** Drop the last batch when it is smaller than batchSize (default false). */
  dropLast?: boolean;
  /** The stream shuffling draws from (default: the global one, seeded by mn.manualSeed). */
  generator?: Generator;
}

/**
 * Batches of a dataset, in order or shuffled, as torch.utils.data.DataLoader. Each batch is
 * one tensor per dataset field with the samples stacked along a new first dim. A
 * TensorDataset is batched by copying rows straight between typed arrays.
 * @example for (const [x, y] of new mn.data.DataLoader(train, { batchSize: 64, shuffle: true })) { ... }
 */
export class DataLoader implements Iterable<Tensor[]> {
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly dropLast: boolean;
  readonly generator: Generator;

  constructor(readonly dataset: Dataset<Tensor[]>, options: DataLoaderOptions = {}) {
    const o = checkOptions("DataLoader", options,
      { batchSize: 1, shuffle: false, dropLast: false, generator: undefined as Generator | undefined },
      { batchSize: positiveInt, shuffle: isBoolean, dropLast: isBoolean, generator: anything });
    this.batchSize = o.batchSize;
    this.shuffle = o.shuffle;
    this.dropLast = o.dropLast;
    this.generator = o.generator ?? defaultGenerator;
  }

  /** The number of batches in one pass. */
  get length(): number {
    const n = this.dataset.length;
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  *[Symbol.iterator](): Iterator<Tensor[]> {
    const n = this.dataset.length;
    const order = this.shuffle ? this.generator.permutation(n) : null;
    for (let b = 0; b < this.length; b++) {
      const start = b * this.batchSize;
      const count = Math.min(this.batchSize, n - start);
      const indices = Array.from({ length: count }, (_, i) => (order ? order[start + i]! : start + i));
      yield this.dataset instanceof TensorDataset ? gatherRows(this.dataset, indices) : collate(indices.map((i) => this.dataset.get(i)));
    }
  }
}

/** Rows of each tensor of a TensorDataset, copied with subarray/set. */
function gatherRows(ds: TensorDataset, indices: readonly number[]): Tensor[] {
  return ds.tensors.map((t) => {
    const row = t.numel() / Math.max(t.shape[0]!, 1);
    const out = allocate(t.dtype, row * indices.length);
    indices.forEach((r, i) => out.set(t.data.subarray(r * row, (r + 1) * row), i * row));
    return new Tensor(out, [indices.length, ...t.shape.slice(1)]);
  });
}

/** Stacks per-sample fields into batch tensors. */
function collate(samples: Tensor[][]): Tensor[] {
  return samples[0]!.map((_, f) => stack(samples.map((s) => s[f]!)));
}
