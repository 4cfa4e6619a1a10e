let frozen = false;

/** Whether batch-norm layers leave their running statistics alone now (inside frozenRunningStats). */
export function runningStatsFrozen(): boolean {
  return frozen;
}

/**
 * Runs fn with every batch-norm layer's running statistics (running mean, variance and batch count) left as
 * they are: a layer in training mode still normalizes by the batch's own statistics, but does not fold them in.
 * For a second forward pass over a batch already counted, such as SAM's pass at the perturbed weights, which
 * would otherwise count the batch twice, the second time at weights the model never takes.
 * @example mn.nn.frozenRunningStats(() => lossFn(model.forward(x), y).backward());
 */
export function frozenRunningStats<T>(fn: () => T): T {
  const previous = frozen;
  frozen = true;
  try {
    return fn();
  } finally {
    frozen = previous;
  }
}
