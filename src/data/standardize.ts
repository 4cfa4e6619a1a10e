import { noGrad } from "../autograd/no-grad.js";
import { MinimaError, ShapeError, showShape } from "../errors.js";
import { checkOptions, isBoolean, atLeast } from "../options.js";
import { Tensor } from "../tensor/tensor.js";
import { tensor } from "../tensor/create.js";

export interface StandardizeOptions {
  /** One mean and std per feature (default), or one for all values. */
  perFeature?: boolean;
  /** Stds at or below eps count as zero (constant features). */
  eps?: number;
}

/**
 * Zero-centers and scales to unit variance with statistics of the training data only, so
 * validation and test data are transformed exactly as the model will see new data
 * (CS231n's preprocessing). Features are the entries of each sample flattened.
 * @example const s = new mn.data.Standardize().fit(xTrain); const xTest2 = s.transform(xTest);
 */
export class Standardize {
  readonly perFeature: boolean;
  readonly eps: number;
  mean: Tensor | null = null;
  std: Tensor | null = null;

  constructor(options: StandardizeOptions = {}) {
    const o = checkOptions("Standardize", options, { perFeature: true, eps: 1e-8 }, { perFeature: isBoolean, eps: atLeast(0) });
    this.perFeature = o.perFeature;
    this.eps = o.eps;
  }

  /** Computes mean and population std over the samples (dim 0) of x. */
  fit(x: Tensor): this {
    noGrad(() => {
      const flat = x.detach().double().reshape([x.shape[0]!, -1]);
      const dims = this.perFeature ? [0] : [0, 1];
      this.mean = flat.mean(dims);
      // A constant feature (an always-black border pixel) has std 0; dividing by 1 leaves it at 0 instead of NaN.
      const std = flat.std(dims, { correction: 0 });
      this.std = tensor(Float64Array.from(std.data, (s) => (s > this.eps ? s : 1))).reshape([...std.shape]);
    });
    return this;
  }

  /** (x − mean) / std, in x's shape and dtype. */
  transform(x: Tensor): Tensor {
    if (!this.mean || !this.std) throw new MinimaError({ where: "Standardize.transform", what: "call fit() on the training data first" });
    const flat = x.reshape([x.shape[0]!, -1]);
    if (this.perFeature && flat.shape[1] !== this.mean.numel()) {
      throw new ShapeError({ where: "Standardize.transform", what: `input ${showShape(x.shape)} has ${flat.shape[1]} features, the statistics ${this.mean.numel()}` });
    }
    return noGrad(() => flat.sub(this.mean!.to(x.dtype)).div(this.std!.to(x.dtype)).reshape([...x.shape]));
  }

  fitTransform(x: Tensor): Tensor {
    return this.fit(x).transform(x);
  }

  stateDict(): { mean: number[]; std: number[] } {
    if (!this.mean || !this.std) throw new MinimaError({ where: "Standardize.stateDict", what: "not fitted" });
    return { mean: Array.from(this.mean.data), std: Array.from(this.std.data) };
  }

  loadStateDict(state: { mean: number[]; std: number[] }): void {
    this.mean = tensor(Float64Array.from(state.mean));
    this.std = tensor(Float64Array.from(state.std));
  }
}
