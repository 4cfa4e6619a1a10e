import { IndexError, ShapeError, showShape } from "../errors.js";
import type { Tensor } from "../tensor/tensor.js";

/**
 * Anything with a length and random access to samples (torch.utils.data.Dataset), typed by its sample: a tuple such as
 * `[input: Tensor, target: Tensor]` for the datasets a DataLoader batches.
 */
export interface Dataset<T> {
  readonly length: number;
  get(i: number): T;
}

/** The sample of a classification or regression dataset: an input and its target. */
export type LabeledSample = [input: Tensor, target: Tensor];

/**
 * Tensors that share their first dim: sample i is row i of each (torch.utils.data.TensorDataset). Typed by the tuple
 * of its tensors, so `new TensorDataset(images, labels)` is a `TensorDataset<[Tensor, Tensor]>` whose samples, batches
 * and `tensors` destructure into Tensors.
 * @example const ds = new mn.data.TensorDataset(images, labels); const [x0, y0] = ds.get(0);
 */
export class TensorDataset<T extends Tensor[] = Tensor[]> implements Dataset<T> {
  readonly tensors: T;
  readonly length: number;

  constructor(...tensors: T) {
    if (tensors.length === 0) throw new ShapeError({ where: "TensorDataset", what: "needs at least one tensor" });
    const scalar = tensors.findIndex((t) => t.ndim === 0);
    if (scalar >= 0) throw new ShapeError({ where: "TensorDataset", what: `tensor ${scalar} is 0-d; every tensor needs a first dim of samples` });
    const sizes = tensors.map((t) => t.shape[0]!);
    if (sizes.some((s) => s !== sizes[0])) {
      throw new ShapeError({
        where: "TensorDataset",
        what: `size mismatch between tensors: first dims ${sizes.join(" vs ")} (shapes ${tensors.map((t) => showShape(t.shape)).join(", ")})`,
      });
    }
    this.tensors = tensors;
    this.length = sizes[0]!;
  }

  /** Row i of each tensor. */
  get(i: number): T {
    checkIndex("TensorDataset.get", i, this.length);
    return this.tensors.map((t) => t.select(0, i)) as T;
  }
}

/**
 * The samples of a dataset at the given indices, without copying (torch.utils.data.Subset).
 * @example const firstHundred = new mn.data.Subset(ds, Array.from({ length: 100 }, (_, i) => i));
 */
export class Subset<T> implements Dataset<T> {
  readonly indices: readonly number[];

  constructor(readonly dataset: Dataset<T>, indices: readonly number[]) {
    const bad = indices.find((j) => !Number.isInteger(j) || j < 0 || j >= dataset.length);
    if (bad !== undefined) throw new IndexError({ where: "Subset", what: `index ${bad} is out of range for a dataset of ${dataset.length}` });
    this.indices = indices;
  }

  get length(): number { return this.indices.length; }

  get(i: number): T {
    checkIndex("Subset.get", i, this.indices.length);
    return this.dataset.get(this.indices[i]!);
  }
}

function checkIndex(where: string, i: number, length: number): void {
  if (!Number.isInteger(i) || i < 0 || i >= length) {
    throw new IndexError({ where, what: `index ${i} is out of range for a dataset of ${length}` });
  }
}
