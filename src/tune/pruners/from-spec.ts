import { OptionError } from "../../errors.js";
import { closest } from "../../options.js";
import { NopPruner, type Pruner } from "../pruner.js";
import { AshaPruner } from "./asha-pruner.js";
import { HyperbandPruner } from "./hyperband-pruner.js";
import { MedianPruner } from "./median-pruner.js";
import { PercentilePruner } from "./percentile-pruner.js";
import { SuccessiveHalvingPruner } from "./successive-halving-pruner.js";

const BUILDERS: Record<string, (options: Record<string, unknown>) => Pruner> = {
  none: (o) => {
    if (Object.keys(o).length > 0) throw new OptionError({ where: "prunerFromSpec", what: `the "none" pruner takes no options`, got: JSON.stringify(o) });
    return new NopPruner();
  },
  median: (o) => new MedianPruner(o),
  percentile: (o) => new PercentilePruner(o as never),
  halving: (o) => new SuccessiveHalvingPruner(o),
  hyperband: (o) => new HyperbandPruner(o),
  asha: (o) => new AshaPruner(o as never),
};

/** The names pruner specs carry (and the CLI's --pruner takes). */
export const PRUNER_NAMES: readonly string[] = Object.keys(BUILDERS);

/**
 * Rebuilds a pruner from its spec() (the study's minima:pruner system attr), so a worker that loads
 * the study prunes as the one that created it. Pruners holding an estimate ("auto" resources)
 * estimate it again from the study.
 */
export function prunerFromSpec(spec: unknown): Pruner {
  if (spec === null || typeof spec !== "object" || typeof (spec as { name?: unknown }).name !== "string") {
    throw new OptionError({ where: "prunerFromSpec", what: "a pruner spec is an object with a name", expected: `{ name: ${PRUNER_NAMES.map((n) => JSON.stringify(n)).join(" | ")}, …options }`, got: JSON.stringify(spec) });
  }
  const { name, ...options } = spec as { name: string } & Record<string, unknown>;
  const build = BUILDERS[name];
  if (build === undefined) {
    const hint = closest(name, PRUNER_NAMES);
    throw new OptionError({ where: "prunerFromSpec", what: `unknown pruner "${name}"${hint ? ` — did you mean "${hint}"?` : ""}`, expected: `one of ${PRUNER_NAMES.join(", ")}` });
  }
  return build(options);
}
