import { InvalidArgumentError } from "commander";
import { OptionError } from "../errors.js";
import { didYouMean } from "./choice-hints.js";
import { defaultLr } from "./optimizers.js";
import { number, plainNumber } from "./parse.js";

/** `minima compare --lr`: one learning rate for every optimizer, or one per optimizer by name. */
export type LrFlag = number | Record<string, number>;

const FORMS = "one learning rate for every optimizer (like 0.01) or name=lr pairs (like sgd=0.1,adam=0.003)";

/** Parses `--lr 0.01` or `--lr sgd=0.1,adam=0.003`, each name one of `known` and given once, each lr a number ≥ 0. */
export function lrFlag(known: readonly string[]): (v: string) => LrFlag {
  const rate = number(0);
  return (v) => {
    if (!v.includes("=")) {
      if (plainNumber(v) === null) throw new InvalidArgumentError(`expected ${FORMS}.`);
      return rate(v);
    }
    const lrs: Record<string, number> = {};
    for (const pair of v.split(",").map((s) => s.trim())) {
      const [name, value, ...rest] = pair.split("=").map((s) => s.trim());
      if (!name || value === undefined || rest.length > 0) throw new InvalidArgumentError(`expected ${FORMS}; "${pair}" is not a name=lr pair.`);
      if (!known.includes(name)) throw new InvalidArgumentError(`unknown optimizer "${name}" in "${pair}"; expected names from ${known.join(", ")}${didYouMean([name], known) || "."}`);
      if (Object.hasOwn(lrs, name)) throw new InvalidArgumentError(`${name} is given two learning rates; expected one per optimizer.`);
      try {
        lrs[name] = rate(value);
      } catch (e) {
        throw new InvalidArgumentError(`${name}=${value}: ${(e as Error).message}`);
      }
    }
    return lrs;
  };
}

/**
 * The learning rate of each optimizer a comparison runs: the one --lr gives it, else the optimizer's usual one.
 * An lr for an optimizer that --optimizers does not run would do nothing, and is refused.
 */
export function lrsFor(optimizers: readonly string[], lr: LrFlag | undefined): Record<string, number> {
  if (lr !== undefined && typeof lr === "object") {
    const idle = Object.keys(lr).filter((name) => !optimizers.includes(name));
    if (idle.length > 0) {
      const pairs = idle.map((name) => `${name}=${lr[name]}`).join(",");
      throw new OptionError({ where: "--lr", what: `${pairs} would do nothing: --optimizers runs ${optimizers.join(", ")}`, expected: `learning rates for those only, or ${idle.join(", ")} added to --optimizers` });
    }
  }
  return Object.fromEntries(optimizers.map((name) => [name, typeof lr === "number" ? lr : lr?.[name] ?? defaultLr(name)]));
}
