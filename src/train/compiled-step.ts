import { StepCapture } from "../compile/compile.js";
import type { Module } from "../nn/module.js";
import type { GroupOptions, Optimizer } from "../optim/optimizer.js";
import { SAM } from "../optim/sam.js";
import type { Tensor } from "../tensor/tensor.js";
import type { Callback } from "./callback.js";

/**
 * What one training step leaves for fit's bookkeeping: the output (accuracy, metrics), the loss without the penalty
 * (the reported loss) and each of the model's parameters' gradients (the logged norms), in model.parameters()'s order.
 */
export interface StepOutcome {
  out: Tensor;
  dataLoss: Tensor;
  grads: (Tensor | null)[];
}

/**
 * Why fit runs every step eagerly although `compile` is on (null: it captures them): work inside the step that a
 * replay of its kernel calls cannot redo. SAM runs forward and backward twice through a closure; a callback's
 * onBeforeStep is JavaScript between backward and the optimizer step.
 */
export function eagerReason(optimizer: Optimizer<GroupOptions>, callbacks: readonly Callback[]): string | null {
  if (optimizer instanceof SAM) return "SAM's closure runs forward and backward twice per step, which fit does not capture";
  const hooked = callbacks.find((c) => typeof c.onBeforeStep === "function");
  if (hooked) return `the callback ${hooked.constructor.name} has onBeforeStep, JavaScript between backward and the optimizer step that a replay would skip`;
  return null;
}

/**
 * fit's training step captured once per batch shape and replayed after (mn.compile's StepCapture): `run` returns
 * the step's outcome, whose tensors the replay rewrote, and points every parameter's `grad` at the gradient the step
 * wrote, as an eager step leaves it. A shape the capture refuses runs eagerly, with `note` saying why once.
 */
export class CompiledFitStep {
  private capture: StepCapture<[Tensor, Tensor], StepOutcome>;

  constructor(private readonly model: Module, private readonly body: (x: Tensor, y: Tensor) => StepOutcome, private readonly note: (text: string) => void) {
    this.capture = this.fresh();
  }

  run(x: Tensor, y: Tensor): StepOutcome {
    const outcome = this.capture.run(x, y);
    // A replay writes the gradients captured; an eager step in between (another shape) may have left others in p.grad.
    this.model.parameters().forEach((p, i) => { p.grad = outcome.grads[i] ?? null; });
    return outcome;
  }

  /**
   * Forgets every captured step, so the next run captures anew: called where arrays a plan holds were replaced
   * (the optimizer's state after a rollback's loadStateDict), which a replay would otherwise write into dead copies of.
   */
  recapture(): void {
    this.capture = this.fresh();
  }

  private fresh(): StepCapture<[Tensor, Tensor], StepOutcome> {
    return new StepCapture<[Tensor, Tensor], StepOutcome>(this.body, { onNote: this.note });
  }
}
