import { noGrad } from "../autograd/no-grad.js";
import type { Module } from "../nn/module.js";
import type { Optimizer, GroupOptions } from "../optim/optimizer.js";
import type { Tensor } from "../tensor/tensor.js";
import { countCorrect } from "../metrics/accuracy.js";

/** A loss over a batch: model outputs and targets in, a scalar tensor out. */
export type LossFn = (output: Tensor, target: Tensor) => Tensor;

export interface BatchEnd {
  batch: number;
  size: number;
  loss: number;
  correct: number;
}

export interface EpochHooks {
  /** Runs between backward() and the optimizer step: where gradient clipping goes. */
  beforeStep?: () => void;
  /** Runs after each step: per-step schedules, progress, logging. */
  onBatchEnd?: (b: BatchEnd) => void;
}

/**
 * One pass of mini-batch gradient descent over `batches` ([input, target] pairs): zero the
 * gradients, forward, loss, backward, step. Returns the sample-weighted mean loss and accuracy.
 */
export function trainEpoch<O extends GroupOptions>(model: Module, batches: Iterable<Tensor[]>, optimizer: Optimizer<O>,
  loss: LossFn, hooks: EpochHooks = {}): { loss: number; accuracy: number } {
  model.train();
  let seen = 0, lossSum = 0, correct = 0, batch = 0;
  for (const [x, y] of batches) {
    optimizer.zeroGrad();
    const out = model.forward(x!);
    const l = loss(out, y!);
    l.backward();
    hooks.beforeStep?.();
    optimizer.step();
    const size = y!.shape[0]!;
    const value = l.item();
    const hits = countCorrect(out, y!);
    seen += size; lossSum += value * size; correct += hits;
    hooks.onBatchEnd?.({ batch: batch++, size, loss: value, correct: hits });
  }
  return { loss: lossSum / seen, accuracy: correct / seen };
}

/** Mean loss and accuracy of the model in eval mode over `batches`, without recording a graph. */
export function evaluate(model: Module, batches: Iterable<Tensor[]>, loss: LossFn): { loss: number; accuracy: number } {
  model.eval();
  let seen = 0, lossSum = 0, correct = 0;
  noGrad(() => {
    for (const [x, y] of batches) {
      const out = model.forward(x!);
      const size = y!.shape[0]!;
      lossSum += loss(out, y!).item() * size;
      correct += countCorrect(out, y!);
      seen += size;
    }
  });
  model.train();
  return { loss: lossSum / seen, accuracy: correct / seen };
}
