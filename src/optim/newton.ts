import { grad } from "../autograd/grad.js";
import { enableGrad, noGrad } from "../autograd/no-grad.js";
import { AutogradError, MinimaError, OptionError } from "../errors.js";
import { above, atLeast, isBoolean, option, positiveInt, type Check, type OptionsOf } from "../options.js";
import { Tensor } from "../tensor/tensor.js";
import { dot, gatherFlat, scatterFlat } from "./flat.js";
import { Optimizer, type Params, type Rule } from "./optimizer.js";

const inUnitInterval: Check = (v) => (typeof v === "number" && v > 0 && v <= 1 ? null : "a number in (0, 1]");

const NEWTON_OPTIONS = {
  /** The step's scale: θ ← θ − lr·(H + λI)⁻¹g (default 1). */
  lr: option(1, atLeast(0)),
  /** Initial Levenberg–Marquardt damping λ added to the Hessian's diagonal (default 1e-3; 0: pure Newton). */
  damping: option(1e-3, atLeast(0)),
  /** λ ← λ·dampingIncrease after a poor step (ρ < ¼) or a rejected one (ρ ≤ 0) (default 2). */
  dampingIncrease: option(2, above(1)),
  /** λ ← λ·dampingDecrease after a good step (ρ > ¾) (default 0.5). */
  dampingDecrease: option(0.5, inUnitInterval),
  /** Adapt λ from ρ and retry steps that raise the loss; costs one more forward pass per try (default true). */
  adaptive: option(true, isBoolean),
  /** Adaptive only: damped retries of a step whose loss went up, before leaving θ unchanged (default 10). */
  maxTries: option(10, positiveInt),
  /** Refuse models with more parameters: the Hessian holds n² numbers and takes n backward passes (default 5000). */
  maxParams: option(5000, positiveInt),
  /** w: ½w‖θ‖² is added to the loss, w·θ to g and w·I to H (default 0). */
  weightDecay: option(0, atLeast(0)),
  /** Minimize −loss (default false). */
  maximize: option(false, isBoolean),
};

/** Newton's options. */
export interface NewtonOptions extends OptionsOf<typeof NEWTON_OPTIONS> {}

/** Newton's options and their checks, as the Optimizer base reads a rule; the steps run in Newton.step(closure). */
export const newton: Rule<NewtonOptions> = {
  name: "Newton",
  options: NEWTON_OPTIONS,
  buffers: () => ({}),
  coefficients: () => [],
  // The current λ, kept on parameter 0 (as torch keeps LBFGS's state), so state dicts carry it.
  scalars: (o) => ({ damping: o.damping }),
  step() {
    throw new MinimaError({ where: "Newton", what: "works on all parameters at once through Newton.step(closure), not per parameter" });
  },
};

/**
 * The gradient and the exact Hessian of a scalar loss with respect to params, flattened in
 * parameter order, in float64: one backward with createGraph for g, then one backward of each
 * gᵢ for row i of H (n + 1 backward passes). H is symmetrized, (H + Hᵀ)/2, against round-off.
 * @example const { gradient, hessian } = mn.optim.gradientAndHessian(lossFn(), model.parameters()); // hessian[i·n + j]
 */
export function gradientAndHessian(loss: Tensor, params: readonly Tensor[]): { gradient: Float64Array; hessian: Float64Array } {
  const grads = grad(loss, params, { createGraph: true, allowUnused: true });
  const n = params.reduce((a, p) => a + p.numel(), 0);
  const gradient = new Float64Array(n);
  const hessian = new Float64Array(n * n);
  let row = 0;
  for (const gk of grads) {
    gradient.set(gk.data, row);
    const flat = gk.reshape([gk.numel()]);
    for (let j = 0; j < gk.numel(); j++, row++) {
      // A gradient entry that does not depend on the parameters (a linear term) has a zero row.
      if (!gk.requiresGrad) continue;
      let col = row * n;
      for (const h of grad(flat.select(0, j), params, { retainGraph: true, allowUnused: true })) {
        hessian.set(h.data, col);
        col += h.numel();
      }
    }
  }
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const s = (hessian[i * n + j]! + hessian[j * n + i]!) / 2;
      hessian[i * n + j] = hessian[j * n + i] = s;
    }
  }
  return { gradient, hessian };
}

/** The Cholesky factor L (row-major, lower) of the n×n matrix A + λI, or null if it is not positive definite. */
function cholesky(a: Float64Array, n: number, lambda: number): Float64Array | null {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * n + j]! + (i === j ? lambda : 0);
      for (let k = 0; k < j; k++) s -= l[i * n + k]! * l[j * n + k]!;
      if (i === j) {
        if (!(s > 0)) return null;
        l[i * n + i] = Math.sqrt(s);
      } else l[i * n + j] = s / l[j * n + j]!;
    }
  }
  return l;
}

/** Solves L Lᵀ x = b by forward then backward substitution. */
function choleskySolve(l: Float64Array, n: number, b: Float64Array): Float64Array {
  const x = b.slice();
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < i; k++) x[i] -= l[i * n + k]! * x[k]!;
    x[i] /= l[i * n + i]!;
  }
  for (let i = n - 1; i >= 0; i--) {
    for (let k = i + 1; k < n; k++) x[i] -= l[k * n + i]! * x[k]!;
    x[i] /= l[i * n + i]!;
  }
  return x;
}

/**
 * Newton's method with the exact Hessian and Levenberg–Marquardt damping. Each step:
 *   g, H ← ∇f(θ), ∇²f(θ)                 (double backward: n + 1 backward passes)
 *   d ← (H + λI)⁻¹ g                      (Cholesky; λ ×10 until H + λI factors)
 *   θ ← θ − lr·d
 *   ρ ← (f(θ) − f(θ − lr·d)) / (m(0) − m(−lr·d)),   m(s) = f + gᵀs + ½sᵀHs   (adaptive only)
 *   ρ ≤ 0: undo, λ ← λ·dampingIncrease and solve again with the same H (up to maxTries; then θ stays)
 *   ρ < ¼: λ ← λ·dampingIncrease;   ρ > ¾: λ ← λ·dampingDecrease
 * Large λ turns the step into gradient descent with step 1/λ, small λ into a pure Newton step,
 * so λ follows how far the quadratic model can be trusted: Levenberg (1944), Marquardt (1963);
 * the ratio test and its thresholds ¼, ¾ as in the trust-region Algorithm 4.1 of Nocedal &
 * Wright, Numerical Optimization (2006); Martens (2010, §4.1) uses the same rule for
 * Hessian-free training. Growing λ from 0 starts it at 10⁻³·max|Hᵢᵢ|. weightDecay w adds
 * ½w‖θ‖² to the loss (w·θ to g, w·I to H); maximize minimizes −loss.
 *
 * Cost: n backward passes and O(n²) memory per step plus an O(n³) factorization, so it is meant
 * for small models (a few thousand parameters at most, refused beyond maxParams) and for the
 * landscape tools: 2D test surfaces, where it converges quadratically near a minimum.
 * One param group only.
 * `step(closure)` needs a closure that computes and returns the loss tensor *without* calling
 * backward (Newton differentiates it twice itself); it returns that loss.
 * @example
 * const opt = new mn.optim.Newton([w], { damping: 1e-2 });
 * for (let i = 0; i < 20; i++) opt.step(() => mn.nn.functional.mseLoss(x.matmul(w), y));
 */
export class Newton extends Optimizer<NewtonOptions> {
  constructor(params: Params<NewtonOptions>, options: NewtonOptions = {}) {
    super(params, options, newton);
    this.checkSize();
  }

  override addParamGroup(group: NewtonOptions & { params: readonly Tensor[] }): void {
    if (this.paramGroups.length > 0) {
      throw new OptionError({ where: "Newton", what: "doesn't support per-parameter options (parameter groups): pass one list of tensors" });
    }
    super.addParamGroup(group);
  }

  /** The damping λ the next step starts from. */
  get currentDamping(): number {
    return this.state.get(this.paramGroups[0]!.params[0]!)?.scalars["damping"] ?? this.paramGroups[0]!.damping;
  }

  private checkSize(): number {
    const { params, maxParams } = this.paramGroups[0]!;
    const n = params.reduce((a, p) => a + p.numel(), 0);
    if (n > maxParams) {
      throw new OptionError({
        where: "Newton",
        what: `the model has ${n} parameters, more than maxParams ${maxParams}: its Hessian would hold ${n}² = ${n * n} numbers and take ${n} backward passes per step; raise maxParams or use LBFGS`,
      });
    }
    return n;
  }

  override step(closure?: () => Tensor | number): number {
    if (typeof closure !== "function") {
      throw new MinimaError({ where: "Newton", what: "step() needs a closure that returns the loss tensor (without calling backward): Newton differentiates it twice" });
    }
    const n = this.checkSize();
    const group = this.paramGroups[0]!;
    const { params, lr, weightDecay: wd, adaptive, dampingIncrease, dampingDecrease, maxTries } = group;
    const sign = group.maximize ? -1 : 1;
    const p0 = params[0]!;
    let st = this.state.get(p0);
    if (!st) this.state.set(p0, (st = { step: 0, buffers: {}, ordered: [], scalars: { damping: group.damping } }));
    st.step += 1;

    const loss = enableGrad(closure);
    if (!(loss instanceof Tensor) || !loss.requiresGrad) {
      throw new MinimaError({ where: "Newton", what: "the closure must return the loss as a tensor that depends on the parameters (and must not call backward)" });
    }
    const theta = gatherFlat(params, "data");
    const penalty = (x: Float64Array) => (wd === 0 ? 0 : (wd / 2) * dot(x, x));
    const f0 = sign * loss.item() + penalty(theta);
    let gh: ReturnType<typeof gradientAndHessian>;
    try {
      gh = gradientAndHessian(loss, params);
    } catch (e) {
      // The usual cause: a closure written for LBFGS or SGD, whose backward() freed the graph.
      if (e instanceof AutogradError) throw new MinimaError({ where: "Newton", what: `cannot differentiate the closure's loss twice (${e.message}); the closure must return the loss without calling backward` });
      throw e;
    }
    const { gradient: g, hessian: h } = gh;
    let maxDiag = 0;
    for (let i = 0; i < n; i++) {
      g[i] = sign * g[i]! + wd * theta[i]!;
      for (let j = 0; j < n; j++) h[i * n + j] *= sign;
      h[i * n + i] += wd;
      maxDiag = Math.max(maxDiag, Math.abs(h[i * n + i]!));
    }
    // From λ = 0 there is nothing to multiply: restart at a size that matters on H's scale.
    const grow = (lambda: number, factor: number) => (lambda > 0 ? lambda * factor : 1e-3 * Math.max(maxDiag, 1e-12));

    let lambda = st.scalars["damping"]!;
    for (let attempt = 1; ; attempt++) {
      let l = cholesky(h, n, lambda);
      for (let tries = 0; !l; tries++) {
        if (tries === 100) throw new MinimaError({ where: "Newton", what: `H + λI did not factor up to λ = ${lambda} (non-finite Hessian?)` });
        lambda = grow(lambda, 10);
        l = cholesky(h, n, lambda);
      }
      const d = choleskySolve(l, n, g);
      scatterFlat(params, theta, -lr, d);
      if (!adaptive) break;
      // Predicted decrease of the undamped quadratic model for s = −lr·d: lr·gᵀd − ½lr²·dᵀHd.
      let dHd = 0;
      for (let i = 0; i < n; i++) {
        let hd = 0;
        for (let j = 0; j < n; j++) hd += h[i * n + j]! * d[j]!;
        dHd += d[i]! * hd;
      }
      const predicted = lr * d.reduce((a, v, i) => a + v * g[i]!, 0) - 0.5 * lr * lr * dHd;
      const f1v = noGrad(closure);
      const f1 = sign * (typeof f1v === "number" ? f1v : f1v.item()) + penalty(gatherFlat(params, "data"));
      const rho = (f0 - f1) / predicted;
      if (rho > 0) {
        if (rho < 0.25) lambda = grow(lambda, dampingIncrease);
        else if (rho > 0.75) lambda *= dampingDecrease;
        break;
      }
      // The loss went up (or is NaN): undo, and retry with more damping on the same H, which costs a
      // factorization and a forward pass, not a new Hessian.
      scatterFlat(params, theta);
      lambda = grow(lambda, dampingIncrease);
      if (attempt === maxTries) break;
    }
    st.scalars["damping"] = lambda;
    return loss.item();
  }
}
