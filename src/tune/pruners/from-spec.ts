import { StudyError } from "../../errors.js";
import { NopPruner, type Pruner } from "../pruner.js";

/**
 * Rebuilds a pruner from its spec() JSON (the study's minima:pruner attr). A stand-in written by the
 * CLI part so that `minima tune` builds on main: it knows "none" only; the pruners part replaces this
 * file with the one that knows median, halving, hyperband and asha.
 */
export function prunerFromSpec(spec: Readonly<Record<string, unknown>>): Pruner {
  if (spec["name"] === "none") return new NopPruner();
  throw new StudyError({ where: "prunerFromSpec", what: `the ${String(spec["name"])} pruner is not in this build of minima`, expected: "none" });
}
