import type { Tensor } from "../tensor/tensor.js";

/**
 * How a non-leaf tensor was made: its op's name, its inputs, and the function that maps the
 * gradient of the output to gradients of the inputs. That function is written in tensor ops,
 * so running it with recording on (createGraph) builds the graph of the gradient itself.
 */
export interface GradFn {
  readonly name: string;
  readonly inputs: readonly Tensor[];
  /** Returns one gradient per input (null where the input needs none); null once released. */
  backward: ((gy: Tensor) => (Tensor | null)[]) | null;
}

let gradEnabled = true;

/** Whether operations record the graph now: false inside noGrad (torch.is_grad_enabled). */
export function isGradEnabled(): boolean {
  return gradEnabled;
}

/** Runs fn with recording switched on or off, restoring the previous mode however fn exits. */
export function withGradMode<T>(enabled: boolean, fn: () => T): T {
  const previous = gradEnabled;
  gradEnabled = enabled;
  try {
    return fn();
  } finally {
    gradEnabled = previous;
  }
}

/**
 * Attaches a GradFn to `out` when recording is on and some input requires grad.
 * Ops call this right after computing their output.
 */
export function record(out: Tensor, name: string, inputs: readonly Tensor[],
  backward: (gy: Tensor) => (Tensor | null)[]): Tensor {
  if (gradEnabled && inputs.some((t) => t.requiresGrad)) {
    out.requiresGrad = true;
    out.gradFn = { name, inputs, backward };
  }
  return out;
}
