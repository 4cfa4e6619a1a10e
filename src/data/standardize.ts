import { MinimaError, ShapeError, StateDictError, showShape } from "../errors.js";
import { atLeast, checkOptions, isBoolean, option, type OptionsOf } from "../options.js";
import { allocate, floatOf } from "../tensor/dtype.js";
import { Tensor } from "../tensor/tensor.js";

const STANDARDIZE_OPTIONS = {
  /** One mean and std per feature (default true), or one pair for all values. */
  perFeature: option(true, isBoolean),
  /** A std at or below eps marks a constant feature, which is divided by 1 (default 1e-8). */
  eps: option(1e-8, atLeast(0)),
};

/** The options of Standardize. */
export interface StandardizeOptions extends OptionsOf<typeof STANDARDIZE_OPTIONS> {}

/** What stateDict() returns and loadStateDict() takes: one entry per feature (or one in all). */
export interface StandardizeState {
  mean: number[];
  std: number[];
}

/**
 * Zero-centers and scales to unit variance, with statistics of the training data only, so that
 * validation and test data are transformed exactly as new data will be (CS231n's preprocessing):
 *   μ = mean of x over samples,  σ = √(mean of (x − μ)²)  (population std, correction 0)
 *   transform(x) = (x − μ) / σ
 * A feature is an entry of a sample flattened (x viewed as [N, −1]); with perFeature false, one
 * μ and σ cover every value. Statistics are accumulated in float64.
 * @example const s = new mn.data.Standardize().fit(xTrain); const [a, b] = [s.transform(xTrain), s.transform(xTest)];
 */
export class Standardize {
  readonly perFeature: boolean;
  readonly eps: number;
  /** μ per feature (float64 [F], or [1]); null until fit or loadStateDict. */
  mean: Tensor | null = null;
  /** σ per feature, with constant features set to 1; null until fit or loadStateDict. */
  std: Tensor | null = null;

  constructor(options: StandardizeOptions = {}) {
    const o = checkOptions("Standardize", options, STANDARDIZE_OPTIONS);
    this.perFeature = o.perFeature;
    this.eps = o.eps;
  }

  /** Computes μ and σ over the samples (dim 0) of x, two passes in float64. */
  fit(x: Tensor): this {
    if (x.ndim === 0 || x.shape[0] === 0) {
      throw new ShapeError({ where: "Standardize.fit", what: "needs at least one sample", got: showShape(x.shape) });
    }
    const d = x.data;
    const f = this.perFeature ? d.length / x.shape[0]! : 1;
    const n = d.length / f;
    const mean = new Float64Array(f);
    const sq = new Float64Array(f);
    for (let i = 0; i < d.length; i += f) for (let j = 0; j < f; j++) mean[j] += d[i + j]!;
    for (let j = 0; j < f; j++) mean[j] /= n;
    for (let i = 0; i < d.length; i += f) for (let j = 0; j < f; j++) { const c = d[i + j]! - mean[j]!; sq[j] += c * c; }
    // A constant feature (an always-black border pixel) has σ = 0: dividing by 0 would turn it
    // into NaN, while dividing by 1 leaves it at 0 after centering, which is what it carries.
    const std = sq.map((s) => { const sd = Math.sqrt(s / n); return sd > this.eps ? sd : 1; });
    this.mean = new Tensor(mean, [f]);
    this.std = new Tensor(std, [f]);
    return this;
  }

  /** (x − μ) / σ, in x's shape (an int32 x comes back as float32); not recorded by autograd. */
  transform(x: Tensor): Tensor {
    if (!this.mean || !this.std) {
      throw new MinimaError({ where: "Standardize.transform", what: "not fitted yet; call fit() on the training data first (or loadStateDict())" });
    }
    const mean = this.mean.data, std = this.std.data;
    const f = mean.length;
    const perSample = x.ndim === 0 ? 1 : x.numel() / x.shape[0]!;
    if (this.perFeature && perSample !== f) {
      throw new ShapeError({ where: "Standardize.transform", what: `input ${showShape(x.shape)} has ${perSample} features per sample, the statistics ${f}` });
    }
    const d = x.data;
    const out = allocate(floatOf(x.dtype), d.length);
    if (f === 1) for (let i = 0; i < d.length; i++) out[i] = (d[i]! - mean[0]!) / std[0]!;
    else for (let i = 0; i < d.length; i += f) for (let j = 0; j < f; j++) out[i + j] = (d[i + j]! - mean[j]!) / std[j]!;
    return new Tensor(out, x.shape);
  }

  /** fit(x), then transform(x). */
  fitTransform(x: Tensor): Tensor {
    return this.fit(x).transform(x);
  }

  stateDict(): StandardizeState {
    if (!this.mean || !this.std) throw new MinimaError({ where: "Standardize.stateDict", what: "not fitted yet; call fit() first" });
    return { mean: Array.from(this.mean.data), std: Array.from(this.std.data) };
  }

  loadStateDict(state: StandardizeState): void {
    const { mean, std } = state ?? {};
    const ok = (a: unknown): a is number[] => Array.isArray(a) && a.length > 0 && a.every((v) => typeof v === "number" && Number.isFinite(v));
    if (!ok(mean) || !ok(std) || mean.length !== std.length || std.some((s) => s <= 0) || (!this.perFeature && mean.length !== 1)) {
      throw new StateDictError({
        where: "Standardize.loadStateDict",
        what: `mean and std must be arrays of finite numbers of the same length (${this.perFeature ? "one per feature" : "1, as perFeature is false"}), std > 0`,
        got: `mean of ${Array.isArray(mean) ? mean.length : typeof mean}, std of ${Array.isArray(std) ? std.length : typeof std}`,
      });
    }
    this.mean = new Tensor(Float64Array.from(mean), [mean.length]);
    this.std = new Tensor(Float64Array.from(std), [std.length]);
  }
}
