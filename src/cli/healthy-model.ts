import type { TensorMap } from "../io/safetensors.js";
import { hasCheckpoint, loadCheckpoint } from "../train/checkpoint-files.js";
import type { EpochLog, History } from "../train/history.js";
import { firstNonFinite } from "../data/finite.js";

/** An epoch's loss this many times the untrained model's (the run's first step's) counts as exploded: DivergenceGuard's default. */
export const EXPLODE_FACTOR = 10;

/**
 * Why an epoch's weights are not a model to keep, or null: its training loss, and its validation
 * loss when it has one, must be finite and at most EXPLODE_FACTOR × `firstLoss`.
 */
export function unhealthyEpoch(log: EpochLog, firstLoss: number): string | null {
  for (const [name, value] of [["training", log.loss], ["validation", log.valLoss]] as const) {
    if (value === null) continue;
    if (!Number.isFinite(value)) return `epoch ${log.epoch}'s ${name} loss is ${value}`;
    if (value > EXPLODE_FACTOR * firstLoss) return `epoch ${log.epoch}'s ${name} loss ${value.toPrecision(4)} is over ${EXPLODE_FACTOR}× the first loss ${firstLoss.toPrecision(4)}`;
  }
  return null;
}

/** The first weight that is NaN or infinite, as `tensor "<name>" holds NaN`, or null. */
export function nonFiniteWeight(weights: TensorMap): string | null {
  for (const [name, t] of Object.entries(weights)) {
    const bad = firstNonFinite(t.data);
    if (bad >= 0) return `tensor "${name}" holds ${t.data[bad]}`;
  }
  return null;
}

/**
 * Why a run's final weights are not a model to keep, or null when they are: it stopped for
 * divergence (DivergenceGuard), a weight is not finite, or its last epoch is unhealthy (a run that
 * went on with --on-divergence continue).
 */
export function divergenceOf(history: History, weights: TensorMap): string | null {
  if (history.stopReason?.startsWith("diverged")) return history.stopReason;
  const bad = nonFiniteWeight(weights);
  if (bad) return bad;
  const last = history.epochs.at(-1), first = history.steps[0]?.loss;
  return last && first !== undefined ? unhealthyEpoch(last, first) : null;
}

/** A diverged run's weights to keep: its best checkpoint's, the epoch with the best monitored loss. */
export interface HealthyWeights {
  weights: TensorMap;
  epoch: number;
}

/**
 * The weights of checkpoints/best when that epoch was healthy (see unhealthyEpoch) and its weights
 * are all finite; else null. The best checkpoint is the epoch a diverged run is best kept at: its
 * monitored loss was the lowest, and a NaN loss never counts as an improvement.
 */
export function healthyBest(checkpoints: string): HealthyWeights | null {
  if (!hasCheckpoint(checkpoints, "best")) return null;
  const best = loadCheckpoint(checkpoints, "best");
  const log = best.state.history.epochs.at(-1), first = best.state.history.steps[0]?.loss;
  if (!log || first === undefined || unhealthyEpoch(log, first) || nonFiniteWeight(best.weights)) return null;
  return { weights: best.weights, epoch: log.epoch };
}
