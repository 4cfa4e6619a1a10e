import { AutogradError, ShapeError, showShape } from "../errors.js";
import type { Tensor } from "../tensor/tensor.js";
import { add } from "./ops/arith.js";
import { full } from "../tensor/create.js";
import { withGradMode } from "./tape.js";
import { noteGrad } from "../backend/capture/record.js";

export interface BackwardOptions {
  /** Keep the graph so backward can run through it again (default: createGraph). */
  retainGraph?: boolean;
  /** Record the backward pass itself, so the gradients can be differentiated again (Hessian-vector products). */
  createGraph?: boolean;
}

/** Every tensor the roots depend on through recorded ops, in an order where each comes after all its users. */
function reverseTopologicalOrder(roots: readonly Tensor[]): Tensor[] {
  const order: Tensor[] = [];
  const seen = new Set<Tensor>();
  // Iterative depth-first search: graphs of deep nets would overflow the call stack.
  const stack: [Tensor, boolean][] = roots.map((r) => [r, false]);
  while (stack.length > 0) {
    const [t, expanded] = stack.pop()!;
    if (expanded) { order.push(t); continue; }
    if (seen.has(t)) continue;
    seen.add(t);
    stack.push([t, true]);
    for (const input of t.gradFn?.inputs ?? []) if (input.requiresGrad && !seen.has(input)) stack.push([input, false]);
  }
  return order.reverse();
}

/**
 * Propagates `seeds` (gradients of the roots) back through the graph and returns the
 * gradient reaching each tensor that requires grad. Shared by `backward()` and `grad()`.
 */
export function propagate(roots: readonly Tensor[], seeds: readonly Tensor[], options: BackwardOptions): Map<Tensor, Tensor> {
  const createGraph = options.createGraph ?? false;
  const retainGraph = options.retainGraph ?? createGraph;
  const grads = new Map<Tensor, Tensor>();
  roots.forEach((r, i) => accumulate(grads, r, seeds[i]!));
  withGradMode(createGraph, () => {
    for (const t of reverseTopologicalOrder(roots)) {
      const fn = t.gradFn;
      const g = grads.get(t);
      if (!fn || !g) continue;
      if (!fn.backward) {
        throw new AutogradError({
          where: "backward",
          what: `trying to backward through the graph a second time (op ${fn.name}); its buffers were freed — pass { retainGraph: true } to the first backward`,
        });
      }
      const inputGrads = fn.backward(g);
      fn.inputs.forEach((input, i) => {
        const gi = inputGrads[i];
        if (gi && input.requiresGrad) accumulate(grads, input, gi);
      });
      if (!retainGraph) fn.backward = null;
    }
  });
  return grads;
}

function accumulate(grads: Map<Tensor, Tensor>, t: Tensor, g: Tensor): void {
  const prev = grads.get(t);
  grads.set(t, prev ? add(prev, g) : g);
}

/** The seed gradient for a root: ones for a scalar, else the given one. */
export function seedFor(where: string, root: Tensor, given: Tensor | undefined, ones: (t: Tensor) => Tensor): Tensor {
  if (given) {
    if (given.shape.length !== root.shape.length || given.shape.some((d, i) => d !== root.shape[i])) {
      throw new ShapeError({ where, what: `gradient of shape ${showShape(given.shape)} does not match output ${showShape(root.shape)}` });
    }
    return given;
  }
  if (root.numel() !== 1) {
    throw new AutogradError({ where, what: `grad can be implicitly created only for scalar outputs; pass a gradient for the output of shape ${showShape(root.shape)}` });
  }
  return ones(root);
}

/** `tensor.backward()`: accumulates d(root)/d(leaf) into every leaf's `.grad`. */
export function backward(root: Tensor, options: BackwardOptions & { gradient?: Tensor }): void {
  if (!root.requiresGrad) {
    throw new AutogradError({ where: "backward", what: "the tensor does not require grad and has no grad_fn" });
  }
  const seed = seedFor("backward", root, options.gradient, onesLike);
  const grads = propagate([root], [seed], options);
  const createGraph = options.createGraph ?? false;
  for (const [t, g] of grads) {
    if (!t.isLeaf) continue;
    const own = createGraph ? g : g.detach();
    t.grad = t.grad ? withGradMode(createGraph, () => add(t.grad!, own)) : own;
    noteGrad(t);
  }
}

/** Ones of t's shape and dtype: made fresh, not a copy of t filled (a captured step redoes copies, not fills). */
function onesLike(t: Tensor): Tensor {
  return full(t.shape, 1, { dtype: t.dtype });
}

export { onesLike };
