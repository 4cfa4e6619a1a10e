import { AutogradError } from "../errors.js";
import type { Tensor } from "../tensor/tensor.js";
import { onesLike, propagate, seedFor, type BackwardOptions } from "./backward.js";
import { empty } from "./ops/util.js";

export interface GradOptions extends BackwardOptions {
  /** Gradients of the outputs (needed for non-scalar outputs). */
  gradOutputs?: Tensor[];
  /** Return zeros instead of failing for an input the outputs do not depend on. */
  allowUnused?: boolean;
}

/**
 * The gradients of outputs with respect to inputs, returned rather than accumulated into
 * `.grad` (torch.autograd.grad). With createGraph the results are differentiable again:
 * grad of (grad · v) gives a Hessian-vector product.
 * @example const [g] = mn.autograd.grad(loss, [w], { createGraph: true }); const [hv] = mn.autograd.grad(g.mul(v).sum(), [w]);
 */
export function grad(outputs: Tensor | readonly Tensor[], inputs: readonly Tensor[], options: GradOptions = {}): Tensor[] {
  const roots = Array.isArray(outputs) ? outputs : [outputs as Tensor];
  roots.forEach((r, i) => {
    if (!r.requiresGrad) throw new AutogradError({ where: "grad", what: `output ${i} does not require grad and has no grad_fn` });
  });
  inputs.forEach((t, i) => {
    if (!t.requiresGrad) throw new AutogradError({ where: "grad", what: `input ${i} does not require grad` });
  });
  const seeds = roots.map((r, i) => seedFor("grad", r, options.gradOutputs?.[i], onesLike));
  const grads = propagate(roots, seeds, options);
  return inputs.map((t, i) => {
    const g = grads.get(t);
    if (g) return options.createGraph ? g : g.detach();
    if (options.allowUnused) return empty(t.shape, t.dtype);
    throw new AutogradError({ where: "grad", what: `input ${i} was not used in computing the outputs; pass { allowUnused: true } for zeros` });
  });
}
