import type { Module } from "../nn/module.js";
import type { GroupOptions, Optimizer, OptimizerStateDict } from "../optim/optimizer.js";
import { defaultGenerator, type Generator } from "../tensor/random.js";

/**
 * Copies everything training moves — the model's parameters and buffers (batch norm's running statistics),
 * each module's train/eval mode, the parameters' gradients, the optimizer's state and hyperparameters (lr,
 * momentum buffers, step counts), the global generator (dropout) and `generators` (streams the caller owns,
 * e.g. an augmentation's) — and returns the function that puts them all back, in place (the tensors and the
 * optimizer the caller holds stay the same objects). fit() seeds its data order and ctx.generator from its
 * `seed` when it starts, so a later fit() needs nothing more to run as if nothing had trained in between.
 */
export function snapshotTraining(model: Module, optimizer: Optimizer<GroupOptions>, generators: readonly Generator[] = []): () => void {
  const weights = model.copyStateDict();
  const modules = model.modules();
  const modes = modules.map((m) => m.training);
  const params = model.parameters();
  const grads = params.map((p) => p.grad?.clone() ?? null);
  const optimizerState: OptimizerStateDict = structuredClone(optimizer.stateDict());
  const streams = [defaultGenerator, ...generators];
  const states = streams.map((g) => g.getState());
  return () => {
    model.loadStateDict(weights);
    modules.forEach((m, i) => (m.training = modes[i]!));
    params.forEach((p, i) => (p.grad = grads[i]?.clone() ?? null));
    optimizer.loadStateDict(optimizerState);
    streams.forEach((g, i) => g.setState(states[i]!));
  };
}
