import { AutogradError } from "../../errors.js";
import type { Tensor } from "../../tensor/tensor.js";
import { reshape } from "../ops/shape.js";
import { checkNotCaptured, outputsOf, type Args, type FunctionalOptions, type Tensors } from "./arguments.js";
import { scalarOutput } from "./hvp.js";
import { jacobianOf } from "./jacobian.js";

/** The Hessian's layout: one Tensor for one input; for an array of inputs, H[i][j] for inputs i and j. */
export type HessianOf<I extends Tensors> = I extends Tensor ? Tensor : { -readonly [K in keyof I]: { -readonly [L in keyof I]: Tensor } };

/**
 * The Hessian of a scalar f at `inputs` (torch.autograd.functional.hessian): the Jacobian of the gradient,
 * of shape [...input.shape, ...input.shape] (H[i][j]: [...inputs[i].shape, ...inputs[j].shape]). One
 * double-backward pass per input element — for small inputs; for large ones, `hvp` gives H·v without
 * forming H. Options as `jacobian`.
 * @example mn.autograd.functional.hessian((x) => x.pow(3).sum(), mn.tensor([1, 2])); // [[6, 0], [0, 12]]
 */
export function hessian<const I extends Tensors>(f: (...xs: Args<I>) => Tensor, inputs: I, options?: FunctionalOptions): HessianOf<I> {
  const fn = f as (...xs: Tensor[]) => unknown;
  const { strict = false } = options ?? {};
  const given = Array.isArray(inputs) ? inputs as readonly Tensor[] : [inputs as Tensor];
  const scalar = (...xs: Tensor[]): Tensor => {
    const [isArray, outputs] = outputsOf("hessian", fn(...xs));
    const out = scalarOutput("hessian", isArray, outputs);
    checkNotCaptured("hessian", [out], given, xs);
    return reshape(out, []);
  };
  const gradient = (...xs: Tensor[]) => {
    const g = jacobianOf("hessian", scalar, Array.isArray(inputs) ? xs : xs[0], { createGraph: true, strict });
    if (strict) {
      (Array.isArray(g) ? g as Tensor[] : [g]).forEach((gi, i) => {
        if (!gi.requiresGrad) throw new AutogradError({ where: "hessian", what: `the gradient of f does not depend on input ${i} (f is linear in it), which strict mode does not allow` });
      });
    }
    return g;
  };
  return jacobianOf("hessian", gradient, inputs, options) as HessianOf<I>;
}
