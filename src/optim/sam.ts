import { enableGrad } from "../autograd/no-grad.js";
import { cannotReplay } from "../backend/capture/record.js";
import { MinimaError, OptionError } from "../errors.js";
import { frozenRunningStats } from "../nn/running-stats.js";
import { above, checkOptions, isBoolean, isFunction, option, positiveInt, required } from "../options.js";
import type { FloatArray } from "../tensor/dtype.js";
import { Tensor } from "../tensor/tensor.js";
import { LBFGS } from "./lbfgs.js";
import { Newton } from "./newton.js";
import { Optimizer, type GroupOptions, type OptimizerStateDict, type ParamGroup, type Params, type Rule, type RuleOptions } from "./optimizer.js";

const SAM_OPTIONS = {
  base: required<(params: never) => unknown>(isFunction),
  rho: option(0.05, above(0)),
  adaptive: option(false, isBoolean),
  m: option(1, positiveInt),
};

/** SAM's options; O is the base optimizer's. */
export interface SAMOptions<O extends GroupOptions> {
  /**
   * Makes the optimizer that takes the actual step from the sharpness-aware gradient, over the params SAM was given
   * (required): it owns the learning rate, momentum, weight decay, and what schedules drive.
   */
  base: (params: Params<O>) => Optimizer<O>;
  /** The radius ρ of the neighbourhood whose worst loss SAM minimizes (default 0.05; ASAM's is typically 0.5 to 2). */
  rho?: number;
  /** ASAM (Kwon et al. 2021): a neighbourhood scaled by |w| element by element, as davda54/sam's `adaptive` (default false). */
  adaptive?: boolean;
  /** m-sharpness: split each batch into m chunks, each with its own perturbation, and average their gradients (default 1). */
  m?: number;
}

/**
 * What SAM's closure is told about the pass it runs: which chunk of the batch (always 0 of 1 unless m > 1), and
 * whether the weights are perturbed.
 */
export interface SAMChunk {
  /** The chunk, 0 … count − 1. */
  readonly index: number;
  /** m, the number of chunks. */
  readonly count: number;
  /** True on the pass at w + e(w) (batch-norm running statistics frozen), false on the pass at w. */
  readonly perturbed: boolean;
  /** This chunk's rows (dim 0) of a batch tensor: the tensor itself when m is 1, else one of m near-equal parts. */
  of(t: Tensor): Tensor;
}

/** Zeroes the gradients, computes the loss on `chunk.of(input)` and `chunk.of(target)`, calls backward and returns the loss. */
export type SAMClosure = (chunk: SAMChunk) => Tensor | number;

/** SAM's own rule only names it: the steps run in SAM.step(closure), the update in the base optimizer. */
const samRule = <O extends GroupOptions>(): Rule<O> => ({
  name: "SAM",
  options: {} as RuleOptions<O>,
  buffers: () => ({}),
  coefficients: () => [],
  step() {
    throw new MinimaError({ where: "SAM", what: "works on all parameters at once through SAM.step(closure), not per parameter" });
  },
});

/** Rows [start, start + length) of chunk `index` when n rows are split into `count` near-equal parts (numpy's array_split). */
function chunkRows(n: number, count: number, index: number): [start: number, length: number] {
  const size = Math.floor(n / count), extra = n % count;
  return [index * size + Math.min(index, extra), size + (index < extra ? 1 : 0)];
}

/**
 * Sharpness-Aware Minimization (Foret et al. 2021), as davda54/sam computes it, around a base optimizer that takes
 * the step. Each `step(closure)`:
 *   g ← ∇L(w)                                          (first pass)
 *   e ← ρ·g / (‖g‖ + 1e-12)                             (ASAM: e ← ρ·w²⊙g / (‖|w|⊙g‖ + 1e-12))
 *   g ← ∇L(w + e)                                      (second pass; batch-norm running statistics frozen)
 *   w ← base step from w with g
 * With m > 1 (m-sharpness, Foret et al. §4.1) each chunk i of the batch gets its own eᵢ from its own gradient and
 * g is the chunks' ∇Lᵢ(w + eᵢ) averaged by their sizes. ‖·‖ runs over every parameter with a gradient; parameters
 * without one are not perturbed. SAM's paramGroups are the base's, so a scheduler built on SAM sets the base's lr.
 *
 * The closure zeroes the gradients, computes the loss on its chunk of the batch (`chunk.of(x)`), calls backward and
 * returns the loss; step returns the first pass's loss (with m > 1, the chunks' mean weighted by their sizes).
 * @example
 * const opt = new mn.optim.SAM(model.parameters(), { base: (p) => new mn.optim.SGD(p, { lr: 0.1, momentum: 0.9 }), rho: 0.05 });
 * opt.step((chunk) => { opt.zeroGrad(); const loss = lossFn(model.forward(chunk.of(x)), chunk.of(y)); loss.backward(); return loss; });
 */
export class SAM<O extends GroupOptions = GroupOptions> extends Optimizer<O> {
  readonly base: Optimizer<O>;
  readonly rho: number;
  readonly adaptive: boolean;
  readonly m: number;

  constructor(params: Params<O>, options: SAMOptions<O>) {
    const o = checkOptions("SAM", options, SAM_OPTIONS);
    const base = (o.base as SAMOptions<O>["base"])(params);
    if (!(base instanceof Optimizer)) {
      throw new OptionError({ where: "SAM", what: "base did not make an optimizer", expected: "a function (params) => an mn.optim optimizer over them", got: base === null ? "null" : typeof base });
    }
    if (base instanceof SAM || base instanceof LBFGS || base instanceof Newton) {
      throw new OptionError({ where: "SAM", what: `base must step from the gradient it is given (SGD, Adam, ...); ${base.constructor.name} re-evaluates the loss through a closure of its own` });
    }
    if (base.paramGroups.some((g) => g.maximize)) {
      throw new OptionError({ where: "SAM", what: "a base with maximize is not supported: SAM's ascent seeks the highest loss nearby, which a maximizer would want least; minimize the negated loss instead" });
    }
    super(base.paramGroups.flatMap((g) => g.params), {} as O, samRule<O>());
    // The base's groups themselves, not copies (as davda54/sam shares them): an lr a scheduler writes here is the base's.
    (this as { paramGroups: ParamGroup<O>[] }).paramGroups = base.paramGroups;
    this.base = base;
    this.rho = o.rho;
    this.adaptive = o.adaptive;
    this.m = o.m;
  }

  /** Adds the group to the base optimizer (whose groups SAM's are). */
  override addParamGroup(group: O & { params: readonly Tensor[] }): void {
    // While Optimizer's constructor runs, the base is not yet set: that list is replaced by the base's groups.
    if (this.base === undefined) super.addParamGroup(group);
    else this.base.addParamGroup(group);
  }

  /**
   * One SAM step: the closure's passes at w and at w + e(w) (per chunk when m > 1), then, with the sharpness-aware
   * gradient in every parameter's grad and the weights back at w, `beforeStep` (where fit clips the gradient and runs
   * its callbacks) and the base optimizer's step. Returns the loss at w.
   */
  override step(closure?: SAMClosure, options: { beforeStep?: () => void } = {}): number {
    if (typeof closure !== "function") {
      throw new MinimaError({ where: "SAM", what: "step() needs a closure that takes its chunk of the batch and re-evaluates the loss (zeroGrad, forward on chunk.of(x), backward, return the loss): SAM evaluates it at w and at w + e(w)" });
    }
    cannotReplay("SAM's step moves the weights in JavaScript between its two passes");
    const loss = this.m === 1 ? this.sharpGradient(closure, 0, null) : this.chunkedGradient(closure);
    options.beforeStep?.();
    this.base.step();
    return loss;
  }

  /** The m chunks' sharpness-aware gradients, averaged by their sizes into each parameter's grad; the mean loss at w. */
  private chunkedGradient(closure: SAMClosure): number {
    const params = this.paramGroups.flatMap((g) => g.params);
    const sums = new Map<Tensor, Float64Array>();
    const rows = { batch: -1, chunk: -1 };
    let loss = 0;
    for (let i = 0; i < this.m; i++) {
      rows.chunk = -1;
      const chunkLoss = this.sharpGradient(closure, i, rows);
      if (rows.chunk < 0) {
        throw new MinimaError({ where: "SAM", what: `with m = ${this.m} the closure must take its chunk of the batch with chunk.of(tensor)` });
      }
      loss += chunkLoss * rows.chunk;
      for (const p of params) {
        if (!p.grad) continue;
        let sum = sums.get(p);
        if (!sum) sums.set(p, (sum = new Float64Array(p.numel())));
        const g = p.grad.data;
        for (let j = 0; j < g.length; j++) sum[j]! += rows.chunk * g[j]!;
      }
    }
    for (const p of params) {
      const sum = sums.get(p);
      if (!sum) { p.grad = null; continue; }
      const grad = new Tensor(p.dtype === "float32" ? new Float32Array(sum.length) : new Float64Array(sum.length), p.shape);
      for (let j = 0; j < sum.length; j++) grad.data[j] = sum[j]! / rows.batch;
      p.grad = grad;
    }
    return loss / rows.batch;
  }

  /**
   * Chunk `index`'s passes: the closure at w, the ascent to w + e(w), the closure there with batch-norm statistics
   * frozen, and the weights put back; its gradient at w + e(w) stays in the grads. `rows` (m > 1) records the rows
   * of the batch and of the chunk that the closure's chunk.of saw.
   */
  private sharpGradient(closure: SAMClosure, index: number, rows: { batch: number; chunk: number } | null): number {
    const chunk = (perturbed: boolean): SAMChunk => ({ index, count: this.m, perturbed, of: (t) => (rows ? this.rowsOf(t, index, rows) : t) });
    const value = enableGrad(() => closure(chunk(false)));
    const saved = this.ascend();
    try {
      frozenRunningStats(() => enableGrad(() => closure(chunk(true))));
    } finally {
      for (const [p, w] of saved) p.data.set(w);
    }
    return typeof value === "number" ? value : value.item();
  }

  /** Moves every parameter with a gradient to w + e(w); returns their weights at w. */
  private ascend(): [Tensor, FloatArray][] {
    const params = this.paramGroups.flatMap((g) => g.params).filter((p) => p.grad !== null);
    let squares = 0;
    for (const p of params) {
      const w = p.data, g = p.grad!.data;
      for (let i = 0; i < w.length; i++) {
        const v = this.adaptive ? Math.abs(w[i]!) * g[i]! : g[i]!;
        squares += v * v;
      }
    }
    const scale = this.rho / (Math.sqrt(squares) + 1e-12);
    return params.map((p) => {
      const w = p.data as FloatArray, g = p.grad!.data, saved = w.slice();
      for (let i = 0; i < w.length; i++) w[i]! += (this.adaptive ? w[i]! * w[i]! * g[i]! : g[i]!) * scale;
      return [p, saved];
    });
  }

  /** Chunk `index` of t's rows, checking that the batch has rows enough and that every tensor has the same. */
  private rowsOf(t: Tensor, index: number, rows: { batch: number; chunk: number }): Tensor {
    const n = t.shape[0];
    if (n === undefined || n < this.m) {
      throw new OptionError({ where: "SAM", what: `m = ${this.m} splits each batch into ${this.m} chunks, but this batch has ${n ?? "no"} rows (a tensor of shape [${t.shape.join(",")}])`, expected: `a batch of at least ${this.m} rows, or a smaller m` });
    }
    if (rows.batch >= 0 && n !== rows.batch) {
      throw new OptionError({ where: "SAM", what: `chunk.of got tensors of ${rows.batch} and ${n} rows: the tensors of one batch share their first dimension` });
    }
    rows.batch = n;
    const [start, length] = chunkRows(n, this.m, index);
    rows.chunk = length;
    return t.narrow(0, start, length);
  }

  /** The base optimizer's state dict: SAM keeps nothing between steps. */
  override stateDict(): OptimizerStateDict {
    return this.base.stateDict();
  }

  /** Restores the base optimizer's state dict. */
  override loadStateDict(sd: OptimizerStateDict): void {
    this.base.loadStateDict(sd);
  }
}
