import { Generator, optim } from "../../../src/index.js";
import { SCHEDULERS } from "./catalog.js";
import { checkSpec, type ScheduleSpec } from "./spec.js";

/** The explorer's answer: the lr at every step, and the simulated loss when ReduceLROnPlateau drives it. */
export interface Curve {
  lrs: Float64Array;
  /** The validation loss fed to ReduceLROnPlateau at each step (null when no part is one). */
  loss: Float64Array | null;
}

/**
 * A validation loss that falls, then flattens into noise: what ReduceLROnPlateau watches. Seeded, so the
 * page and a test see the same curve: 0.3 + 2·e^(−t/150) + 0.01·N(0, 1).
 */
export function simulatedLoss(steps: number): Float64Array {
  const g = new Generator(0);
  return Float64Array.from({ length: steps }, (_, t) => 0.3 + 2 * Math.exp(-t / 150) + 0.01 * g.normal());
}

/**
 * Builds the spec's scheduler on a one-group optimizer with the spec's lr, as a training script would, and
 * reads its lr at each step: `lrAt(t)` — the closed form — or, when a ReduceLROnPlateau is in it (its lr
 * depends on the metrics seen), the group's lr after t calls to step(loss). Throws the library's error
 * when an option is refused.
 */
export function scheduleCurve(spec: ScheduleSpec): Curve {
  const problem = checkSpec(spec);
  if (problem) throw new Error(problem);
  const optimizer = { paramGroups: [{ lr: spec.lr }] };
  const S = optim.lrScheduler;
  const parts = spec.parts.map((p) => SCHEDULERS[p.name]!.build(optimizer, p.values));
  const scheduler = spec.compose === "sequential" ? new S.SequentialLR(optimizer, { schedulers: parts, milestones: spec.milestones })
    : spec.compose === "chained" ? new S.ChainedScheduler(parts) : parts[0]!;
  const lrs = new Float64Array(spec.steps);
  if (!spec.parts.some((p) => p.name === "ReduceLROnPlateau")) {
    for (let t = 0; t < spec.steps; t++) lrs[t] = scheduler.lrAt(t)[0]!;
    return { lrs, loss: null };
  }
  const loss = simulatedLoss(spec.steps);
  lrs[0] = optimizer.paramGroups[0]!.lr;
  for (let t = 1; t < spec.steps; t++) {
    scheduler.step(loss[t - 1]);
    lrs[t] = optimizer.paramGroups[0]!.lr;
  }
  return { lrs, loss };
}
