import { ATTR } from "./attrs.js";
import type { FrozenTrial } from "./frozen-trial.js";

/**
 * The rung at which a pruner paused the trial (ASHA: minima:paused_at_rung, a number while the
 * trial waits for promotion; null once resumed), or null. A trial the pruner stopped this way is
 * told WAITING, not PRUNED, by study.optimize.
 */
export function pausedRung(trial: FrozenTrial): number | null {
  const rung = trial.systemAttrs[ATTR.pausedAtRung];
  return typeof rung === "number" ? rung : null;
}

/** A WAITING trial that a pruner paused: only a promotion claims it (study.ask), never an ordinary claim. */
export function isPaused(trial: FrozenTrial): boolean {
  return trial.state === "WAITING" && pausedRung(trial) !== null;
}
