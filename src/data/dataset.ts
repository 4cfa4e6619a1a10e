import { IndexError, ShapeError } from "../errors.js";
import type { Tensor } from "../tensor/tensor.js";

/** Anything with a length and random access (torch.utils.data.Dataset). */
export interface Dataset<T> {
  readonly length: number;
  get(i: number): T;
}

/**
 * Tensors that share their first dim: sample i is row i of each (torch's TensorDataset).
 * @example const ds = new mn.data.TensorDataset(images, labels); ds.get(0) // [image, label]
 */
export class TensorDataset implements Dataset<Tensor[]> {
  readonly tensors: Tensor[];
  readonly length: number;

  constructor(...tensors: Tensor[]) {
    if (tensors.length === 0) throw new ShapeError({ where: "TensorDataset", what: "needs at least one tensor" });
    const sizes = tensors.map((t) => t.shape[0] ?? -1);
    if (sizes.some((s) => s !== sizes[0] || s < 0)) {
      throw new ShapeError({ where: "TensorDataset", what: `tensors differ in their first dim: ${sizes.join(" vs ")}` });
    }
    this.tensors = tensors;
    this.length = sizes[0]!;
  }

  get(i: number): Tensor[] {
    if (!Number.isInteger(i) || i < 0 || i >= this.length) {
      throw new IndexError({ where: "TensorDataset.get", what: `index ${i} is out of range for a dataset of ${this.length}` });
    }
    return this.tensors.map((t) => t.select(0, i));
  }
}

/** The samples of a dataset at the given indices. */
export class Subset<T> implements Dataset<T> {
  constructor(readonly dataset: Dataset<T>, readonly indices: readonly number[]) {}
  get length(): number { return this.indices.length; }
  get(i: number): T {
    const j = this.indices[i];
    if (j === undefined) throw new IndexError({ where: "Subset.get", what: `index ${i} is out of range for a subset of ${this.indices.length}` });
    return this.dataset.get(j);
  }
}
