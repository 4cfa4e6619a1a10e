import { stack } from "../autograd/ops/indexing.js";
import { OptionError } from "../errors.js";
import { checkOptions, isBoolean, option, positiveInt, type Check, type OptionsOf } from "../options.js";
import { allocate, type TypedArray } from "../tensor/dtype.js";
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
  /**
   * Write every batch of a pass into the same arrays (one set per batch size), so a pass allocates no fresh memory for
   * its batches: each batch's tensors are overwritten when the next batch is drawn (keep one longer with `.clone()`).
   * Only for a TensorDataset or a Subset of one (default false).
   */
  reuseBuffers: option(false, isBoolean),
};

/** The options of a DataLoader (torch's, in camelCase). */
export interface DataLoaderOptions extends OptionsOf<typeof DATA_LOADER_OPTIONS> {}

/**
 * Batches of a dataset, in order or shuffled, as torch.utils.data.DataLoader: each batch holds
 * one tensor per sample field, the samples stacked along a new first dim, typed as the dataset's sample tuple (a
 * loader over a `TensorDataset<[Tensor, Tensor]>` yields `[Tensor, Tensor]` batches). With `shuffle`, every
 * pass (every `for…of`) draws a fresh permutation from the generator, so each epoch visits every
 * sample exactly once in a new order. A TensorDataset (or a Subset of one) is batched by copying
 * rows straight between typed arrays, without a tensor per sample; with `reuseBuffers` into the same arrays every batch.
 * @example for (const [x, y] of new mn.data.DataLoader(train, { batchSize: 64, shuffle: true })) { ... }
 */
export class DataLoader<T extends Tensor[] = Tensor[]> implements Iterable<T> {
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly dropLast: boolean;
  readonly generator: Generator;
  readonly reuseBuffers: boolean;

  constructor(readonly dataset: Dataset<T>, options: DataLoaderOptions = {}) {
    if (typeof dataset?.get !== "function" || !Number.isInteger(dataset.length)) {
      throw new OptionError({ where: "DataLoader", what: "dataset must have an integer length and a get(i) method", got: String(dataset) });
    }
    const o = checkOptions("DataLoader", options, DATA_LOADER_OPTIONS);
    this.batchSize = o.batchSize;
    this.shuffle = o.shuffle;
    this.dropLast = o.dropLast;
    this.generator = o.generator;
    this.reuseBuffers = o.reuseBuffers;
    if (this.reuseBuffers && !tableOf(dataset)) {
      throw new OptionError({ where: "DataLoader", what: "reuseBuffers needs a dataset whose rows it can copy into the reused arrays",
        expected: "a TensorDataset or a Subset of one", got: dataset.constructor?.name ?? typeof dataset });
    }
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
    const buffers = this.reuseBuffers ? new Map<number, TypedArray[]>() : null; // per batch size: a pass's last batch may be short
    for (let b = 0, batches = this.length; b < batches; b++) {
      const start = b * this.batchSize;
      const indices = new Int32Array(Math.min(this.batchSize, n - start));
      for (let i = 0; i < indices.length; i++) indices[i] = order ? order[start + i]! : start + i;
      // Both keep the sample's fields in order, one batch tensor each: the sample's tuple type.
      yield (rows ? gatherRows(rows.tensors, indices, rows.map, buffers) : collate(Array.from(indices, (i) => this.dataset.get(i)))) as T;
    }
  }
}

/** Whether a DataLoader over `dataset` can take `reuseBuffers` (a TensorDataset, or Subsets of one). */
export function canReuseBuffers(dataset: Dataset<readonly Tensor[]>): boolean {
  return tableOf(dataset) !== null;
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

/**
 * The given rows of each tensor, copied into one array per tensor: a new one, or with `buffers` the one kept for this
 * batch size (made on first use).
 */
function gatherRows(tensors: Tensor[], indices: Int32Array, map: readonly number[] | null, buffers: Map<number, TypedArray[]> | null): Tensor[] {
  const n = indices.length;
  const kept = buffers?.get(n);
  const outs = tensors.map((t, f) => {
    const row = t.numel() / t.shape[0]!;
    const out = kept?.[f] ?? allocate(t.dtype, row * n);
    const src = t.data;
    for (let i = 0; i < n; i++) {
      const r = map ? map[indices[i]!]! : indices[i]!;
      if (row === 1) out[i] = src[r]!; // a label: one element, where a subarray per row would cost more than the copy
      else out.set(src.subarray(r * row, (r + 1) * row), i * row);
    }
    return out;
  });
  if (buffers && !kept) buffers.set(n, outs);
  return tensors.map((t, f) => new Tensor(outs[f]!, [n, ...t.shape.slice(1)]));
}

/** Stacks the samples' fields into one batch tensor per field. */
function collate(samples: readonly (readonly Tensor[])[]): Tensor[] {
  return samples[0]!.map((_, f) => stack(samples.map((s) => s[f]!)));
}
