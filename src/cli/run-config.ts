import type { ModelFlags, TrainFlags } from "./commands/train.js";
import type { DataFingerprint } from "./data-fingerprint.js";
import type { OptimizerFlags, OptimizerName } from "./optimizers.js";
import type { LrSearch } from "./tune-lr.js";

/**
 * A run folder's config.json, as `minima train` writes it: the flags commander parsed (with their
 * defaults), resolved where the run needed it (hidden sizes, lr), and what wrote it.
 * `minima train --resume` reruns from it; schemas/config.schema.json is generated from this type.
 */
export interface TrainConfig extends Omit<TrainFlags, "resume" | "overwrite" | "optimizer" | "hidden" | "lr" | "out"> {
  command: "train";
  minimaVersion: string;
  optimizer: OptimizerName;
  hidden: number[];
  lr: number;
  /** The run folder, absolute. */
  out: string;
  /**
   * What the run trained on, which `--resume` checks (absent in runs started before minima recorded it).
   * `dataset` and `initFrom` are absolute paths in such a run, so a resume from any folder finds the same files.
   */
  data?: DataFingerprint;
}

/** config.json as `minima compare` writes it. */
export interface CompareConfig extends Omit<ModelFlags, "hidden" | "out">, Omit<OptimizerFlags, "lr"> {
  command: "compare";
  minimaVersion: string;
  optimizers: OptimizerName[];
  /**
   * Each optimizer's learning rate, by name: --lr's, else the optimizer's usual one. Runs from before per-optimizer
   * rates wrote --lr as given: one number for all, or nothing (each optimizer's usual one).
   */
  lr?: Partial<Record<OptimizerName, number>> | number;
  /** Runs per optimizer, with seeds `seed`, `seed` + 1, … (absent in runs from before --seeds: 1). */
  seeds?: number;
  /** --tune-lr: each optimizer's lr was chosen by a search on the validation set first (absent without it). */
  tuneLr?: boolean;
  /** --tune-lr's search: per optimizer, each lr tried and its final validation loss, and the one `lr` holds. */
  lrSearch?: LrSearch[];
  hidden: number[];
  /** The run folder, absolute. */
  out: string;
}

/** Any run folder's config.json. */
export type RunConfig = TrainConfig | CompareConfig;
