import { existsSync } from "node:fs";
import { join } from "node:path";
import { DataFormatError, OptionError } from "../errors.js";
import { crossEntropy } from "../nn/losses/index.js";
import type { Checkpoint } from "../train/checkpoint.js";
import { hasCheckpoint, loadCheckpoint } from "../train/checkpoint-files.js";
import type { LossFn } from "../train/evaluate.js";
import { prepare, type Setup } from "./commands/train.js";
import { fingerprintDifferences, fingerprintOf } from "./data-fingerprint.js";
import { readTrainConfig } from "./run-config-file.js";
import type { TrainConfig } from "./run-config.js";

export type CheckpointChoice = "best" | "last";

/** A trained run rebuilt for study: its flags, data, model (holding a checkpoint's weights), optimizer and loss. */
export interface OpenedRun extends Setup {
  path: string;
  config: TrainConfig;
  /** Which checkpoint the model holds, and where training stood at it. */
  checkpoint: CheckpointChoice;
  state: Checkpoint["state"];
  /** The run's training loss (cross-entropy with its label smoothing), as fit computed it. */
  lossFn: LossFn;
}

/**
 * Rebuilds the run in `path` (minima train's folder) from its config.json — data, model, optimizer, schedule,
 * seeded as the run was — and loads a checkpoint's weights into the model: `best` (the default, the epoch
 * with the best validation loss) or `last`. For the commands that study a trained run: curvature, slice,
 * sharpness. `where` names the command in errors.
 */
export function openRun(path: string, options: { checkpoint?: CheckpointChoice; where: string }): OpenedRun {
  const { where } = options;
  const config = readTrainConfig(path, where);
  const dir = join(path, "checkpoints");
  const which = options.checkpoint ?? "best";
  if (!hasCheckpoint(dir, which)) {
    const other: CheckpointChoice = which === "best" ? "last" : "best";
    if (!existsSync(dir) || !hasCheckpoint(dir, other)) {
      throw new DataFormatError({ where, what: `${path} has no checkpoints (${join(dir, "best.json")} and ${join(dir, "last.json")} are missing): minima train writes them at each epoch's end; train the run for at least one epoch` });
    }
    throw new OptionError({ where: "--checkpoint", what: `${path} has no "${which}" checkpoint (${join(dir, `${which}.json`)} is missing)`, expected: `--checkpoint ${other}` });
  }
  const setup = prepare(config);
  if (config.data) {
    const differences = fingerprintDifferences(config.data, fingerprintOf(setup.data));
    if (differences.length > 0) {
      throw new DataFormatError({ where, what: `the data set ${config.dataset} is not the one ${path} trained on (${join(path, "config.json")}): ${differences.join("; ")}` });
    }
  }
  const { weights, state } = loadCheckpoint(dir, which);
  setup.model.loadStateDict(weights);
  const smoothing = config.labelSmoothing ?? 0;
  return { ...setup, path, config, checkpoint: which, state, lossFn: (out, y) => crossEntropy(out, y, { labelSmoothing: smoothing }) };
}
