import { grad } from "../autograd/grad.js";
import { OptionError, ValueError } from "../errors.js";
import { checkOptions } from "../options.js";
import type { Module } from "../nn/module.js";
import { Tensor } from "../tensor/tensor.js";
import type { LossFn } from "../train/evaluate.js";
import type { LinearOperator } from "./linear-operator.js";
import { minEigen, topEigen, type EigenPairs, type MinEigenOptions, type TopEigenOptions } from "./linalg/eigen.js";
import { dense, DENSE, type DenseOptions } from "./linalg/dense.js";
import { density, type DensityOptions, type SpectralDensity } from "./linalg/density.js";
import { trace, type TraceEstimate, type TraceOptions } from "./linalg/trace.js";

/** One batch: inputs and targets, as a DataLoader yields them. */
export type Batch = readonly Tensor[];

/** A batch's gradient with its graph: [gradient, parameter index] for each parameter whose gradient depends on the parameters. */
type BatchGradient = [Tensor, number][];

export interface HessianOptions {
  /**
   * The parameters the operator spans, by tensor or by name (model.namedParameters()): by default every
   * parameter that requires grad, in model.parameters() order. Vectors are these parameters' values, flattened and concatenated.
   */
  params?: readonly (Tensor | string)[];
  /** The modules' mode during the products: "eval" (the default, as PyHessian: dropout off, batch norm's running statistics) or "train". */
  mode?: "eval" | "train";
  /**
   * Keep each batch's first-order graph (the gradient with its graph) between products, so that a product is only the
   * second backward (about 2× faster on the benchmark CNN: BENCHMARKS.md), at the cost of holding every batch's graph in
   * memory. The graphs are rebuilt when the parameters' values have changed since. Default: true for a single batch
   * (its graph is in memory during a product anyway), false for several.
   */
  keepGraph?: boolean;
}

/**
 * The Hessian of the mean loss over a fixed set of batches, with respect to the model's parameters, as an
 * operator: each product H·v is exact, by double backward (the gradient with its graph, then the gradient
 * of g·v), on each batch, averaged with each batch weighted by its size — the Hessian of the loss over all
 * the samples, as PyHessian's dataloader_hv_product computes it. Float64 vectors; the products run in the
 * parameters' dtype (float64 throughout when the model is float64).
 * @example const H = mn.landscape.hessian(model, mn.nn.functional.crossEntropy, [[x, y]]); const { values } = H.topEigen({ k: 2 });
 */
export function hessian(model: Module, lossFn: LossFn, batches: Iterable<Batch>, options: HessianOptions = {}): HessianOperator {
  return new HessianOperator(model, lossFn, [...batches], options);
}

/**
 * The operator `hessian()` returns: exact products H·v (matvec), and on them the eigenvalues (topEigen,
 * minEigen), the trace, the spectral density, per-module blocks and the dense matrix of a small model.
 * @example const H = mn.landscape.hessian(model, lossFn, batches); const { value, stderr } = H.trace();
 */
export class HessianOperator implements LinearOperator {
  readonly size: number;
  /** The parameters spanned, in vector order, with their names. */
  readonly params: readonly Tensor[];
  readonly names: readonly string[];
  /** How many products H·v have been taken (each is one double backward per batch). */
  matvecs = 0;
  private readonly total: number;
  private readonly keepGraph: boolean;
  /** The kept first-order graphs (keepGraph), one per batch, and the parameter values they were built at. */
  private kept: { gradients: (BatchGradient | null)[]; at: ArrayLike<number>[] } | null = null;

  constructor(readonly model: Module, readonly lossFn: LossFn, readonly batches: readonly Batch[], readonly options: HessianOptions = {}) {
    const named = model.namedParameters();
    const picked = options.params === undefined
      ? named.filter(([, p]) => p.requiresGrad)
      : options.params.map((want, i) => {
        const hit = named.find(([name, p]) => (typeof want === "string" ? name === want : p === want));
        if (!hit) {
          throw new OptionError({ where: `hessian: params[${i}]`, what: typeof want === "string" ? `no parameter named "${want}"` : "a tensor that is not one of the model's parameters", expected: `one of ${named.map(([n]) => n).join(", ")}` });
        }
        return hit;
      });
    if (picked.length === 0) throw new OptionError({ where: "hessian", what: "the model has no parameter that requires grad" });
    if (this.batches.length === 0) throw new ValueError({ where: "hessian", what: "needs at least one batch" });
    this.names = picked.map(([n]) => n);
    this.params = picked.map(([, p]) => p);
    this.size = this.params.reduce((n, p) => n + p.numel(), 0);
    this.total = this.batches.reduce((n, b) => n + b[1]!.shape[0]!, 0);
    this.keepGraph = options.keepGraph ?? this.batches.length === 1;
  }

  /** H·v over every batch, weighted by batch size. */
  matvec(v: Float64Array): Float64Array {
    if (v.length !== this.size) throw new ValueError({ where: "HessianOperator.matvec", what: "vector of the wrong length", expected: String(this.size), got: String(v.length) });
    const vs = this.split(v);
    const out = new Float64Array(this.size);
    this.inMode(() => {
      const gradients = this.keepGraph ? this.keptGradients() : null;
      this.batches.forEach(([x, y], b) => {
        const weight = y!.shape[0]! / this.total;
        const g = gradients ? gradients[b]! : this.gradient(x!, y!);
        if (g === null) return;
        const hv = grad(g.map(([gi]) => gi), this.params, { gradOutputs: g.map(([, i]) => vs[i]!), allowUnused: true, retainGraph: this.keepGraph });
        let off = 0;
        for (const h of hv) {
          const data = h.data;
          for (let i = 0; i < data.length; i++) out[off + i]! += weight * data[i]!;
          off += data.length;
        }
      });
    });
    this.matvecs++;
    return out;
  }

  /**
   * One batch's gradient with its graph, as [gradient, parameter index] for the parameters whose gradient depends on
   * the parameters (a loss linear in one has a zero block); null when none does.
   */
  private gradient(x: Tensor, y: Tensor): BatchGradient | null {
    const loss = this.lossFn(this.model.forward(x), y);
    const g = grad(loss, this.params, { createGraph: true, allowUnused: true });
    const live = g.map((gi, i) => [gi, i] as [Tensor, number]).filter(([gi]) => gi.requiresGrad);
    return live.length > 0 ? live : null;
  }

  /** The kept gradients with their graphs, rebuilt when a parameter's values differ from those they were built at. */
  private keptGradients(): (BatchGradient | null)[] {
    if (this.kept === null || !this.params.every((p, i) => sameValues(p.data, this.kept!.at[i]!))) {
      this.kept = null; // the old graphs can go before the new ones are built
      this.kept = { gradients: this.batches.map(([x, y]) => this.gradient(x!, y!)), at: this.params.map((p) => p.data.slice()) };
    }
    return this.kept.gradients;
  }

  /** The k largest eigenvalues, decreasing, with their eigenvectors (Lanczos by default; see linalg/eigen.ts). */
  topEigen(options: TopEigenOptions = {}): EigenPairs {
    return topEigen(this, options);
  }

  /** The smallest (most negative) eigenvalue with its eigenvector, by Lanczos. */
  minEigen(options: MinEigenOptions = {}): { value: number; vector: Float64Array; residual: number } {
    return minEigen(this, options);
  }

  /** tr(H) estimated from `matvecs` products (Hutch++ by default), with its standard error. */
  trace(options: TraceOptions = {}): TraceEstimate {
    return trace(this, options);
  }

  /** The spectral density by stochastic Lanczos quadrature, with the fraction of negative eigenvalues. */
  density(options: DensityOptions = {}): SpectralDensity {
    return density(this, options);
  }

  /**
   * The Hessian's diagonal blocks, one per module that owns parameters ("0" for 0.weight and 0.bias), in
   * parameter order: each an operator over that module's parameters alone (its own topEigen is the layer's λmax).
   */
  blocks(): { name: string; operator: HessianOperator }[] {
    const groups = new Map<string, string[]>();
    for (const name of this.names) {
      const owner = name.includes(".") ? name.slice(0, name.lastIndexOf(".")) : "";
      groups.set(owner, [...(groups.get(owner) ?? []), name]);
    }
    return [...groups].map(([name, params]) => ({ name, operator: new HessianOperator(this.model, this.lossFn, this.batches, { ...this.options, params }) }));
  }

  /**
   * The whole Hessian as a row-major size×size float64 matrix, one product per column; refuses a model with
   * more than maxSize (2048) parameters spanned.
   */
  dense(options: DenseOptions = {}): Float64Array {
    const { maxSize } = checkOptions("HessianOperator.dense", options, DENSE);
    if (this.size > maxSize) {
      throw new ValueError({ where: "HessianOperator.dense", what: "a model too large for a dense Hessian", expected: `at most ${maxSize} parameters (maxSize)`, got: `${this.size} parameters` });
    }
    return dense(this, { maxSize });
  }

  /** A flat vector cut into tensors shaped (and typed) like the parameters. */
  split(v: Float64Array): Tensor[] {
    let off = 0;
    return this.params.map((p) => {
      const t = new Tensor(p.dtype === "float64" ? v.slice(off, off + p.numel()) : Float32Array.from(v.subarray(off, off + p.numel())), p.shape);
      off += p.numel();
      return t;
    });
  }

  private inMode<T>(fn: () => T): T {
    const modules = this.model.modules(), modes = modules.map((m) => m.training);
    this.model.train(this.options.mode === "train");
    try {
      return fn();
    } finally {
      modules.forEach((m, i) => (m.training = modes[i]!));
    }
  }
}

function sameValues(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
