import type { Module } from "../nn/module.js";
import type { Tensor } from "../tensor/tensor.js";
import type { FloatArray } from "../tensor/dtype.js";
import type { LayerLog } from "./history.js";
import { distance, sumOfSquares } from "./norms.js";

/** Each trainable parameter's weights and gradient norm just before a sampled step. */
export interface LayerSample {
  params: { name: string; tensor: Tensor; before: FloatArray; gradNorm: number }[];
}

/**
 * Samples what the playbook says to watch per layer, every `every` steps: the weight norm, the
 * gradient norm and the norm of the update the optimizer made, whose ratio to the weights should
 * sit near 1e-3. It copies the weights before the step, so sampling costs one copy of the model.
 */
export class LayerStats {
  constructor(private readonly model: Module, private readonly every: number) {}

  /** Whether optimizer step `step` (1-based) is sampled. */
  due(step: number): boolean {
    return this.every > 0 && (step === 1 || step % this.every === 0);
  }

  /** The sample of a step about to be taken, between backward and the optimizer step. */
  before(): LayerSample {
    return this.sample(this.weights());
  }

  /** A copy of each trainable parameter's weights: taken before a step that is replayed whole (fit's compile). */
  weights(): Map<Tensor, FloatArray> {
    return new Map(this.model.parameters().filter((p) => p.requiresGrad).map((p) => [p, (p.data as FloatArray).slice()]));
  }

  /** The sample from weights taken before the step and the gradients the step computed (in p.grad). */
  sample(weights: Map<Tensor, FloatArray>): LayerSample {
    const params = this.model.namedParameters()
      .filter(([, p]) => weights.has(p) && p.grad !== null)
      .map(([name, tensor]) => ({ name, tensor, before: weights.get(tensor)!, gradNorm: Math.sqrt(sumOfSquares(tensor.grad!.data as FloatArray)) }));
    return { params };
  }

  after(sample: LayerSample, step: number, epoch: number): LayerLog[] {
    return sample.params.map(({ name, tensor, before, gradNorm }) => {
      const weightNorm = Math.sqrt(sumOfSquares(before)), updateNorm = distance(tensor.data, before);
      const ratio = weightNorm > 0 ? updateNorm / weightNorm : updateNorm > 0 ? Infinity : 0;
      return { step, epoch, name, weightNorm, gradNorm, updateNorm, ratio };
    });
  }
}
