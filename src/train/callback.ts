import type { Module } from "../nn/module.js";
import type { GroupOptions, Optimizer } from "../optim/optimizer.js";
import type { Generator } from "../tensor/random.js";
import type { EpochLog, History, StepLog } from "./history.js";
import type { Checkpoint } from "./checkpoint.js";

/** What a scheduler offers fit(): step() per batch or per epoch, step(metric) for plateaus, and its state. */
export interface SchedulerLike {
  step(metric?: number): void;
  stateDict(): unknown;
  loadStateDict(state: never): void;
  /** Multiplies the lrs the schedule starts from (LRScheduler.scaleBaseLrs), when the lr is cut mid-run. */
  scaleBaseLrs?(factor: number): void;
}

/** The running fit() as callbacks see it. */
export interface FitContext {
  readonly model: Module;
  readonly optimizer: Optimizer<GroupOptions>;
  readonly scheduler: SchedulerLike | null;
  readonly history: History;
  /** Epochs planned. */
  readonly epochs: number;
  /** Optimizer steps per epoch. */
  readonly stepsPerEpoch: number;
  /** The current epoch, 1-based (0 before the first). */
  readonly epoch: number;
  /** Optimizer steps taken so far. */
  readonly step: number;
  /** The stream augmentation and noise draw from (saved in checkpoints with the data order). */
  readonly generator: Generator;
  /** The names of fit's `metrics` other than "accuracy", in order (EpochLog.metrics's keys); absent or empty without them. */
  readonly metrics?: readonly string[];
  /** True once stop() was called: fit() ends after the current batch. */
  readonly stopped: boolean;
  /** Ends training after the current batch, recording why in history.stopReason. */
  stop(reason: string): void;
  /** Multiplies every group's learning rate, and the scheduler's base lrs, by `factor`. */
  scaleLearningRate(factor: number): void;
  /** Everything needed to continue this run exactly from here: weights and JSON state. */
  checkpoint(): Checkpoint;
  /** Puts the weights and the optimizer's state back to a checkpoint's; the data order, history and hyperparameters (lr) stay. */
  restoreWeights(checkpoint: Checkpoint): void;
}

/** One finished batch: its StepLog plus the position in the epoch. */
export interface BatchLog extends StepLog {
  /** 0-based index within the epoch. */
  batch: number;
  size: number;
}

/**
 * Hooks into fit(), as Keras callbacks: each is optional. onBeforeStep runs between backward()
 * and the optimizer step, where the gradients are (clipping, gradient noise, statistics).
 * A callback with state that must survive a resume (counters, the best value) implements
 * stateDict/loadStateDict; checkpoints save it by the callback's position in the list. stateDict
 * returns a snapshot that later training does not change: JSON values, and Tensors (saved in binary).
 */
export interface Callback {
  /** Run after the other callbacks at every hook (checkpoint writers: the state they save is then final). */
  readonly late?: boolean;
  onTrainBegin?(ctx: FitContext): void;
  onTrainEnd?(ctx: FitContext): void;
  onEpochBegin?(ctx: FitContext, epoch: number): void;
  onEpochEnd?(ctx: FitContext, log: EpochLog): void;
  onBatchBegin?(ctx: FitContext, batch: number): void;
  onBeforeStep?(ctx: FitContext): void;
  onBatchEnd?(ctx: FitContext, log: BatchLog): void;
  stateDict?(): unknown;
  loadStateDict?(state: unknown): void;
}
