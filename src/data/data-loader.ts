import { stack } from "../autograd/ops/indexing.js";
import { OptionError } from "../errors.js";
import { checkOptions, isBoolean, option, positiveInt, type Check, type OptionsOf } from "../options.js";
import { allocate } from "../tensor/dtype.js";
import { defaultGenerator, Generator } from "../tensor/random.js";
import { Tensor } from "../tensor/tensor.js";
import { Subset, TensorDataset, type Dataset } from "./dataset.js";

const isGenerator: Check = (v) => (v instanceof Generator ? null : "an mn.Generator");

const DATA_LOADER_OPTIONS = {
  /** Samples per batch: 1 is stochastic gradient descent, the dataset's length full-batch (default 1). */
  batchSize: option(1, positiveInt),
  /** Draw a new order at the start of every pass (default false). */
  shuffle: option(false, isBoolean),
  /** Drop the last batch when it is smaller than batchSize (default false). */
  dropLast: option(false, isBoolean),
  /** The stream shuffling draws from (default: the global one, seeded by mn.manualSeed). */
  generator: option<Generator>(defaultGenerator, isGenerator),
};

/** The options of a DataLoader (torch's, in camelCase). */
export interface DataLoaderOptions extends OptionsOf<typeof DATA_LOADER_OPTIONS> {}

/**
 * Batches of a dataset, in order or shuffled, as torch.utils.data.DataLoader: each batch holds
 * one tensor per sample field, the samples stacked along a new first dim, typed as the dataset's sample tuple (a
 * loader over a `TensorDataset<[Tensor, Tensor]>` yields `[Tensor, Tensor]` batches). With `shuffle`, every
 * pass (every `for…of`) draws a fresh permutation from the generator, so each epoch visits every
 * sample exactly once in a new order. A TensorDataset (or a Subset of one) is batched by copying
 * rows straight between typed arrays, without a tensor per sample.
 * @example for (const [x, y] of new mn.data.DataLoader(train, { batchSize: 64, shuffle: true })) { ... }
 */
export class DataLoader<T extends Tensor[] = Tensor[]> implements Iterable<T> {
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly dropLast: boolean;
  readonly generator: Generator;

  constructor(readonly dataset: Dataset<T>, options: DataLoaderOptions = {}) {
    if (typeof dataset?.get !== "function" || !Number.isInteger(dataset.length)) {
      throw new OptionError({ where: "DataLoader", what: "dataset must have an integer length and a get(i) method", got: String(dataset) });
    }
    const o = checkOptions("DataLoader", options, DATA_LOADER_OPTIONS);
    this.batchSize = o.batchSize;
    this.shuffle = o.shuffle;
    this.dropLast = o.dropLast;
    this.generator = o.generator;
  }

  /** The number of batches in one pass. */
  get length(): number {
    const n = this.dataset.length;
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  *[Symbol.iterator](): Iterator<T> {
    const n = this.dataset.length;
    const order = this.shuffle ? this.generator.permutation(n) : null;
    const rows = tableOf(this.dataset);
    for (let b = 0, batches = this.length; b < batches; b++) {
      const start = b * this.batchSize;
      const indices = new Int32Array(Math.min(this.batchSize, n - start));
      for (let i = 0; i < indices.length; i++) indices[i] = order ? order[start + i]! : start + i;
      // Both keep the sample's fields in order, one batch tensor each: the sample's tuple type.
      yield (rows ? gatherRows(rows.tensors, indices, rows.map) : collate(Array.from(indices, (i) => this.dataset.get(i)))) as T;
    }
  }
}

/** The tensors behind a TensorDataset, or behind Subsets of one with the index map, else null. */
function tableOf(ds: Dataset<readonly Tensor[]>): { tensors: Tensor[]; map: readonly number[] | null } | null {
  if (ds instanceof TensorDataset) return { tensors: ds.tensors, map: null };
  if (!(ds instanceof Subset)) return null;
  const inner = tableOf(ds.dataset as Dataset<readonly Tensor[]>);
  if (!inner) return null;
  const map = inner.map;
  return { tensors: inner.tensors, map: map ? ds.indices.map((i) => map[i]!) : ds.indices };
}

/** The given rows of each tensor, copied with subarray/set into one new array per tensor. */
function gatherRows(tensors: Tensor[], indices: Int32Array, map: readonly number[] | null): Tensor[] {
  return tensors.map((t) => {
    const row = t.numel() / t.shape[0]!;
    const out = allocate(t.dtype, row * indices.length);
    for (let i = 0; i < indices.length; i++) {
      const r = map ? map[indices[i]!]! : indices[i]!;
      out.set(t.data.subarray(r * row, (r + 1) * row), i * row);
    }
    return new Tensor(out, [indices.length, ...t.shape.slice(1)]);
  });
}

/** Stacks the samples' fields into one batch tensor per field. */
function collate(samples: readonly (readonly Tensor[])[]): Tensor[] {
  return samples[0]!.map((_, f) => stack(samples.map((s) => s[f]!)));
}
