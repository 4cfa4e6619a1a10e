import { OptionError } from "../../errors.js";
import { closest, show } from "../../options.js";
import type { Callback } from "../callback.js";

type Hooks = Omit<Callback, "late" | "stateDict" | "loadStateDict">;

/**
 * A callback from plain functions, for one-off hooks (Keras's LambdaCallback).
 * @example new mn.train.callbacks.LambdaCallback({ onEpochEnd: (ctx, log) => console.log(log.epoch, log.valLoss) })
 */
export class LambdaCallback implements Callback {
  constructor(hooks: Hooks) {
    const known = ["onTrainBegin", "onTrainEnd", "onEpochBegin", "onEpochEnd", "onBatchBegin", "onBeforeStep", "onBatchEnd"];
    for (const [name, fn] of Object.entries(hooks ?? {})) {
      if (!known.includes(name)) throw new OptionError({ where: "LambdaCallback", what: `unknown hook "${name}"${hint(name, known)}`, expected: `one of ${known.join(", ")}` });
      if (typeof fn !== "function") throw new OptionError({ where: "LambdaCallback", what: `invalid ${name}`, expected: "a function", got: show(fn) });
    }
    Object.assign(this, hooks);
  }
}

function hint(name: string, known: string[]): string {
  const c = closest(name, known);
  return c ? ` — did you mean "${c}"?` : "";
}
