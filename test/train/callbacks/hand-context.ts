import type * as mn from "../../../src/index.node.js";
import type { FitContext } from "../../../src/train/callback.js";
import type { Optimizer, GroupOptions } from "../../../src/optim/optimizer.js";

/** The parts of FitContext a noise callback may read; step is writable so a test can drive it. */
export interface HandContext {
  model: mn.nn.Module;
  optimizer: Optimizer<GroupOptions> | null;
  generator: mn.Generator;
  step: number;
}

/**
 * A FitContext for driving a callback's hooks by hand, without fit(): it holds only the fields
 * given, and reading any other one throws, so a callback that reaches further fails the test.
 */
export function handContext(fields: HandContext): { ctx: FitContext; state: HandContext } {
  const ctx = new Proxy(fields, {
    get(target, key) {
      if (!(key in target)) throw new Error(`the hand-made FitContext has no ${String(key)}`);
      return target[key as keyof HandContext];
    },
  }) as unknown as FitContext;
  return { ctx, state: fields };
}
