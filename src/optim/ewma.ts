import { MinimaError, OptionError, StateDictError } from "../errors.js";
import { checkOptions, inRange, isBoolean, nonNegativeInt, option, type OptionsOf } from "../options.js";

const EWMA_OPTIONS = {
  /** The weight of the past, β ∈ [0, 1): the average spans roughly 1/(1−β) values (default 0.9). */
  beta: option(0.9, inRange(0, 1)),
  /** Divide by 1−βᵗ so the first values are not pulled toward the zero start (default true). */
  biasCorrection: option(true, isBoolean),
};

/** The options of an EWMA. */
export interface EWMAOptions extends OptionsOf<typeof EWMA_OPTIONS> {}

/** The JSON form of an EWMA: its options, how many values it has seen and the uncorrected average. */
export interface EWMAStateDict {
  beta: number;
  biasCorrection: boolean;
  count: number;
  raw: number;
}

/**
 * An exponentially weighted moving average of a stream of numbers, with bias correction
 * (Andrew Ng, Deep Learning Specialization, "Exponentially weighted averages" and "Bias
 * correction"; the same estimator Adam keeps for its moments, Kingma & Ba 2015, §3):
 *
 *   v₀ = 0        vₜ = β·vₜ₋₁ + (1−β)·xₜ        v̂ₜ = vₜ / (1 − βᵗ)   (biasCorrection)
 *
 * vₜ weighs xₜ₋ₖ by (1−β)βᵏ, so it averages over about the last 1/(1−β) values (β = 0.9: ten)
 * with memory O(1), which is why a moving window is not used. Because v₀ = 0, the early vₜ are
 * too small (v₁ = (1−β)x₁); those weights sum to 1−βᵗ, and dividing by it makes v̂ₜ a true
 * weighted average from the first step: a constant stream c gives v̂ₜ = c for every t.
 *
 * It works on plain numbers — a loss, an accuracy, a gradient norm — which is what smoothed
 * training curves need. Tensors are averaged elsewhere: optimizers keep their moment buffers
 * in their own state, and `swaUtils.AveragedModel` in `"ema"` mode averages weights.
 *
 * @example
 * const smooth = new mn.optim.EWMA({ beta: 0.98 });
 * for (const loss of losses) console.log(smooth.update(loss));
 */
export class EWMA {
  readonly beta: number;
  readonly biasCorrection: boolean;
  private n = 0;
  private v = 0;

  constructor(options: EWMAOptions = {}) {
    const o = checkOptions("EWMA", options, EWMA_OPTIONS);
    this.beta = o.beta;
    this.biasCorrection = o.biasCorrection;
  }

  /** Folds in the next value and returns the current (bias-corrected, if enabled) average. */
  update(x: number): number {
    // NaN and ±∞ are accepted on purpose: a diverging loss should show in its smoothed curve.
    if (typeof x !== "number") throw new MinimaError({ where: "EWMA.update", what: "expected a number", got: typeof x });
    this.v = this.beta * this.v + (1 - this.beta) * x;
    this.n += 1;
    return this.value;
  }

  /** The current average v̂ₜ (vₜ without bias correction); an error before the first update. */
  get value(): number {
    if (this.n === 0) throw new MinimaError({ where: "EWMA.value", what: "no value has been averaged yet; call update(x) first" });
    return this.biasCorrection ? this.v / (1 - this.beta ** this.n) : this.v;
  }

  /** The uncorrected vₜ, biased toward 0 early on (0 before the first update). */
  get raw(): number {
    return this.v;
  }

  /** How many values have been folded in (t). */
  get count(): number {
    return this.n;
  }

  /** Forgets every value: back to v₀ = 0, t = 0. */
  reset(): void {
    this.n = 0;
    this.v = 0;
  }

  /** A JSON-serializable copy of the state; loadStateDict of it continues exactly. */
  stateDict(): EWMAStateDict {
    return { beta: this.beta, biasCorrection: this.biasCorrection, count: this.n, raw: this.v };
  }

  /** Restores a state saved by stateDict(); its beta and biasCorrection must match this EWMA's. */
  loadStateDict(sd: EWMAStateDict): void {
    const where = "EWMA.loadStateDict";
    if (typeof sd !== "object" || sd === null) throw new StateDictError({ where, what: "not an EWMA state dict", expected: "{ beta, biasCorrection, count, raw }" });
    if (nonNegativeInt(sd.count) !== null || typeof sd.raw !== "number") {
      throw new StateDictError({ where, what: "not an EWMA state dict", expected: "{ beta, biasCorrection, count: a non-negative integer, raw: a number }", got: JSON.stringify(sd) });
    }
    // A silent switch of β would change what the average means; ask for a new EWMA instead.
    if (sd.beta !== this.beta || sd.biasCorrection !== this.biasCorrection) {
      throw new StateDictError({ where, what: `the state dict has beta ${sd.beta}, biasCorrection ${sd.biasCorrection}; this EWMA has beta ${this.beta}, biasCorrection ${this.biasCorrection}` });
    }
    this.n = sd.count;
    this.v = sd.raw;
  }
}

/**
 * The EWMA of a whole series, one output per input: the smoothed loss curve. Equal to calling
 * `update` on a fresh `EWMA({ beta, biasCorrection })` for each value in turn.
 * @param values          the series (a loss per step, say)
 * @param beta            the weight of the past, in [0, 1) (default 0.9)
 * @param options         biasCorrection (EWMA's option)
 * @example const smoothed = mn.optim.ewmaSeries(history.loss, 0.98);
 */
export function ewmaSeries(values: ArrayLike<number>, beta: number = EWMA_OPTIONS.beta.default, options: Pick<EWMAOptions, "biasCorrection"> = {}): number[] {
  if (values === null || typeof values !== "object" || typeof values.length !== "number") {
    throw new OptionError({ where: "ewmaSeries", what: "values must be an array of numbers", got: String(values) });
  }
  const { biasCorrection } = checkOptions("ewmaSeries", options, { biasCorrection: EWMA_OPTIONS.biasCorrection });
  const o = checkOptions("ewmaSeries", { beta, biasCorrection }, EWMA_OPTIONS);
  const avg = new EWMA(o);
  return Array.from(values, (x) => avg.update(x));
}
