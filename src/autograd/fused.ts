import type { Tensor } from "../tensor/tensor.js";
import { grad } from "./grad.js";
import { isGradEnabled, record } from "./tape.js";

/**
 * Records an op computed by fused kernels. Its usual backward is `fused` (kernels again, outside the graph);
 * a backward that must itself be differentiable (createGraph) differentiates `composed` instead, the same
 * function written in differentiable ops, so second derivatives come out of code that already has them.
 */
export function recordFused(out: Tensor, name: string, inputs: readonly Tensor[], fused: (gy: Tensor) => (Tensor | null)[],
  composed: () => Tensor): Tensor {
  return record(out, name, inputs, (gy) => {
    if (!isGradEnabled()) return fused(gy);
    const needed = inputs.filter((t) => t.requiresGrad);
    const grads = grad([composed()], needed, { gradOutputs: [gy], createGraph: true });
    return inputs.map((t) => (t.requiresGrad ? grads[needed.indexOf(t)]! : null));
  });
}
