import { AutogradError, DTypeError } from "../errors.js";
import type { Tensor } from "../tensor/tensor.js";
import { grad } from "./grad.js";
import { empty } from "./ops/util.js";

export interface GradcheckOptions {
  /** Step of the central difference (default 1e-6). */
  eps?: number;
  /** Absolute tolerance (default 1e-5). */
  atol?: number;
  /** Relative tolerance (default 1e-3). */
  rtol?: number;
}

/**
 * Compares the analytic Jacobian of fn (row by row, through backward) with central
 * differences (f(x+h) − f(x−h)) / 2h, entry by entry, like torch.autograd.gradcheck.
 * Inputs must be float64 tensors that require grad. Returns true, or throws naming the
 * input, the entry and both values.
 * @example mn.autograd.gradcheck((x) => x.tanh().sum(), [mn.randn([3], { dtype: "float64", requiresGrad: true })]);
 */
export function gradcheck(fn: (...inputs: Tensor[]) => Tensor, inputs: Tensor[], options: GradcheckOptions = {}): true {
  const { eps = 1e-6, atol = 1e-5, rtol = 1e-3 } = options;
  inputs.forEach((t, i) => {
    if (t.dtype !== "float64") throw new DTypeError({ where: "gradcheck", what: `input ${i} must be float64 for finite differences to be accurate`, got: t.dtype });
    if (!t.requiresGrad) throw new AutogradError({ where: "gradcheck", what: `input ${i} must require grad` });
  });
  const y = fn(...inputs);
  const m = y.numel();
  // analytic[i][j][e]: d y_j / d inputs[i]_e
  const analytic = inputs.map((t) => Array.from({ length: m }, () => new Float64Array(t.numel())));
  for (let j = 0; j < m; j++) {
    const seed = empty(y.shape, y.dtype);
    seed.data[j] = 1;
    const gs = y.requiresGrad
      ? grad(y, inputs, { gradOutputs: [seed], retainGraph: true, allowUnused: true })
      : inputs.map((t) => empty(t.shape, t.dtype));
    gs.forEach((g, i) => analytic[i]![j]!.set(g.data));
  }
  inputs.forEach((t, i) => {
    for (let e = 0; e < t.numel(); e++) {
      const orig = t.data[e]!;
      t.data[e] = orig + eps;
      const plus = fn(...inputs).data.slice();
      t.data[e] = orig - eps;
      const minus = fn(...inputs).data.slice();
      t.data[e] = orig;
      for (let j = 0; j < m; j++) {
        const numeric = (plus[j]! - minus[j]!) / (2 * eps);
        const a = analytic[i]![j]![e]!;
        if (!(Math.abs(a - numeric) <= atol + rtol * Math.abs(numeric))) {
          throw new AutogradError({
            where: "gradcheck",
            what: `Jacobian mismatch for input ${i}, element ${e}, output ${j}: analytic ${a} vs numerical ${numeric}`,
          });
        }
      }
    }
  });
  return true;
}
