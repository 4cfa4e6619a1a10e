import { mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { saveSafetensors } from "../../io/safetensors-file.js";
import { checkOptions, required, type OptionsOf } from "../../options.js";
import type { Callback, FitContext } from "../callback.js";
import type { EpochLog } from "../history.js";

const EPOCH_WEIGHTS_OPTIONS = {
  /** The folder of the `epoch-NNNN.safetensors` files (a run's `checkpoints/epochs/`) (required). */
  dir: required<string>((v) => (typeof v === "string" && v.length > 0 ? null : "a folder path")),
};
export interface EpochWeightsOptions extends OptionsOf<typeof EPOCH_WEIGHTS_OPTIONS> {}

const FILE = /^epoch-(\d+)\.safetensors$/;

/**
 * Keeps the path of training: the model's weights (its stateDict) before the first step as
 * `epoch-0000.safetensors` and after every epoch as `epoch-0001.safetensors`…, each written atomically.
 * Best and last checkpoints keep two points of the path; a PCA of the trajectory (minima slice
 * --directions pca, mn.landscape.pcaDirections) needs them all. A resumed run adds the epochs it trains.
 * @example new mn.train.callbacks.EpochWeights({ dir: "runs/a/checkpoints/epochs" })
 */
export class EpochWeights implements Callback {
  // After the other callbacks: the weights saved are the epoch's final ones.
  readonly late = true;
  private readonly dir: string;

  constructor(options: EpochWeightsOptions) {
    this.dir = checkOptions("EpochWeights", options, EPOCH_WEIGHTS_OPTIONS).dir;
    mkdirSync(this.dir, { recursive: true });
  }

  onTrainBegin(ctx: FitContext): void {
    if (ctx.step === 0) this.save(ctx, 0);
  }

  onEpochEnd(ctx: FitContext, log: EpochLog): void {
    this.save(ctx, log.epoch);
  }

  private save(ctx: FitContext, epoch: number): void {
    saveSafetensors(join(this.dir, epochWeightsFile(epoch)), ctx.model.stateDict());
  }
}

/** The file name of an epoch's weights: epoch-0003.safetensors. */
export function epochWeightsFile(epoch: number): string {
  return `epoch-${String(epoch).padStart(4, "0")}.safetensors`;
}

/** The epochs saved in `dir` by EpochWeights, in order, with their files ([] when there is no such folder). */
export function listEpochWeights(dir: string): { epoch: number; path: string }[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.flatMap((n) => {
    const m = FILE.exec(n);
    return m ? [{ epoch: Number(m[1]), path: join(dir, n) }] : [];
  }).sort((a, b) => a.epoch - b.epoch);
}
