import { AutogradError, showShape } from "../../errors.js";
import type { Tensor } from "../../tensor/tensor.js";
import { onesLike } from "../backward.js";
import {
  asList, callF, checkNotCaptured, checkOutputsRequireGrad, checkV, functionalOptions, gradOrNull, prepareInputs, unpack, zerosForNull,
  type Args, type FunctionalOptions, type Like, type Tensors,
} from "./arguments.js";

/**
 * The Hessian-vector product H·v of a scalar f at `inputs` (torch.autograd.functional.hvp), exact, by
 * double backward: the gradient of ∇f·v. That is vᵀH, which is H·v because the Hessian of a twice
 * continuously differentiable f is symmetric (torch's own advice: use vhp where this holds). Returns
 * `[output, hvp]`, the product shaped like the inputs; with several inputs, H is the Hessian over all of
 * them together and v holds one tensor per input. f must return one element. v may be omitted when the
 * input is a single Tensor with one element. Costs about two gradient evaluations; the Hessian itself is
 * never formed.
 * @example const [loss, hv] = mn.autograd.functional.hvp((w) => w.pow(4).sum(), w, v); // hv = 12w²·v
 */
export function hvp<const I extends Tensors>(f: (...xs: Args<I>) => Tensor, inputs: I, v?: Like<I>, options?: FunctionalOptions): [Tensor, Like<I>] {
  return hessianProduct("hvp", f as (...xs: Tensor[]) => unknown, inputs, v, options) as [Tensor, Like<I>];
}

/**
 * The vector-Hessian product vᵀH of a scalar f at `inputs` (torch.autograd.functional.vhp): the same double
 * backward as `hvp`, whose result it equals for a twice continuously differentiable f.
 * @example const [loss, vh] = mn.autograd.functional.vhp((w) => w.pow(4).sum(), w, v);
 */
export function vhp<const I extends Tensors>(f: (...xs: Args<I>) => Tensor, inputs: I, v?: Like<I>, options?: FunctionalOptions): [Tensor, Like<I>] {
  return hessianProduct("vhp", f as (...xs: Tensor[]) => unknown, inputs, v, options) as [Tensor, Like<I>];
}

function hessianProduct(where: string, f: (...xs: Tensor[]) => unknown, inputs: unknown, v: unknown, options: FunctionalOptions | undefined): [Tensor, Tensor | Tensor[]] {
  const { createGraph, strict } = functionalOptions(where, options);
  const [inIsArray, given] = asList(where, "inputs", inputs);
  const xs = prepareInputs(where, given, createGraph);
  const vs = checkV(where, v, xs, inIsArray, "input");
  const [outIsArray, outputs] = callF(where, f, xs);
  const out = scalarOutput(where, outIsArray, outputs);
  checkOutputsRequireGrad(where, outputs, strict);
  checkNotCaptured(where, [out], given, xs);
  const jac = gradOrNull([out], [onesLike(out)], xs, { createGraph: true });
  if (strict) {
    jac.forEach((g, i) => {
      if (g === null) throw new AutogradError({ where, what: `the output of f does not depend on input ${i}, which strict mode does not allow` });
      if (!g.requiresGrad) throw new AutogradError({ where, what: `the gradient of f does not depend on input ${i} (f is linear in it), which strict mode does not allow` });
    });
  }
  const grads = gradOrNull(jac, vs, xs, { createGraph });
  const products = zerosForNull(where, grads, xs, strict, (i) => `the gradient of f does not depend on input ${i}`);
  return [unpack([out], false, createGraph) as Tensor, unpack(products, inIsArray, createGraph)];
}

/** f's one output, which must be a single Tensor with one element (hvp, vhp, hessian). */
export function scalarOutput(where: string, isArray: boolean, outputs: readonly Tensor[]): Tensor {
  if (isArray) throw new AutogradError({ where, what: "f must return a single Tensor with one element", got: `an array of ${outputs.length}` });
  const out = outputs[0]!;
  if (out.numel() !== 1) throw new AutogradError({ where, what: "f must return a single Tensor with one element", got: `shape ${showShape(out.shape)}` });
  return out;
}
