import { noGrad } from "../autograd/no-grad.js";
import type { Module } from "../nn/module.js";

/**
 * Runs `fn` with the model in eval mode (dropout off, batch norm's running statistics) and without
 * recording a graph, then puts every module back in the mode it was in (a model in eval mode stays in it).
 */
export function inInferenceMode<T>(model: Module, fn: () => T): T {
  const modules = model.modules(), modes = modules.map((m) => m.training);
  model.eval();
  try {
    return noGrad(fn);
  } finally {
    modules.forEach((m, i) => (m.training = modes[i]!));
  }
}
