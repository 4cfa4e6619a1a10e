import { withGradMode } from "./tape.js";

/**
 * Runs fn without recording the graph, as `with torch.no_grad()` does: for evaluation and
 * for updating weights in place.
 * @example const logits = mn.noGrad(() => model.forward(x));
 */
export function noGrad<T>(fn: () => T): T {
  return withGradMode(false, fn);
}

/** Runs fn with recording on, even inside noGrad. */
export function enableGrad<T>(fn: () => T): T {
  return withGradMode(true, fn);
}
