import { DataFormatError, StateDictError } from "../errors.js";
import type { HistoryJSON } from "../io/run-log.js";
import type { TensorMap } from "../io/safetensors.js";
import type { Module } from "../nn/module.js";
import type { GroupOptions, Optimizer, OptimizerStateDict } from "../optim/optimizer.js";
import { defaultGenerator, type Generator, type GeneratorState } from "../tensor/random.js";
import { Tensor } from "../tensor/tensor.js";
import type { Callback, SchedulerLike } from "./callback.js";
import { History } from "./history.js";

export const CHECKPOINT_FORMAT = "minima.checkpoint";
/** 2: the JSON records its own SHA-256 (`sha256`); version 1 did not, so edits to it went unseen. */
export const CHECKPOINT_VERSION = 2;

/** The running sums of the epoch in progress, which a checkpoint taken inside it carries on. */
export interface RunningSums {
  seen: number;
  lossSum: number;
  correct: number;
  scored: number;
  /** The lr of the epoch's first step (its EpochLog's lr). */
  lr: number;
  /** fit's metrics summed over the epoch's batches, each batch's value times its size, by name (absent without metrics). */
  metrics?: Record<string, number>;
}

/** A stateful callback's stateDict(), with its class name: a resume matches them by position and name. */
export interface CallbackState {
  type: string;
  state: unknown;
}

/** The JSON half of a checkpoint: where training stood and the state of everything that moves. */
export interface TrainState {
  format: "minima.checkpoint";
  version: 2;
  /** Epochs finished. */
  epochsDone: number;
  /** Batches finished in the epoch after those (0 at an epoch boundary). */
  batchesDone: number;
  /** Optimizer steps taken. */
  step: number;
  optimizer: OptimizerStateDict;
  /** The scheduler's stateDict(), or null for a run without one. */
  scheduler: unknown;
  generators: {
    /** The data order's, before the shuffle of the epoch in progress (a resume replays that order). */
    order: GeneratorState;
    /** ctx.generator's (augmentation, noise). */
    augment: GeneratorState;
    /** The global generator's (dropout). */
    global: GeneratorState;
  };
  running: RunningSums;
  history: HistoryJSON;
  /** fit's seed: a resume must have the same. */
  seed: number;
  callbacks: CallbackState[];
}

/** Weights by name (the model's stateDict, loadable by PyTorch users) and the JSON state. */
export interface Checkpoint {
  weights: TensorMap;
  state: TrainState;
}

/** What a checkpoint captures and restores: the parts of a fit() run. */
export interface TrainingParts {
  model: Module;
  optimizer: Optimizer<GroupOptions>;
  scheduler: SchedulerLike | null;
  /** The generators of the data order and of ctx.generator. */
  order: Generator;
  augment: Generator;
  /** The callbacks that have a stateDict, in fit's order. */
  callbacks: readonly Callback[];
  seed: number;
}

/** Where a fit() run stands. */
export interface Position {
  epochsDone: number;
  batchesDone: number;
  step: number;
  running: RunningSums;
  history: History;
  /** The order generator's state before the epoch in progress shuffled. */
  epochOrder: GeneratorState;
}

/** Everything needed to continue the run exactly from `at`: the weights and the JSON state, copies that training does not change. */
export function captureCheckpoint(parts: TrainingParts, at: Position): Checkpoint {
  const state: Omit<TrainState, "callbacks"> = {
    format: CHECKPOINT_FORMAT, version: CHECKPOINT_VERSION, epochsDone: at.epochsDone, batchesDone: at.batchesDone, step: at.step,
    optimizer: parts.optimizer.stateDict(),
    scheduler: parts.scheduler?.stateDict() ?? null,
    generators: {
      order: at.batchesDone > 0 ? at.epochOrder : parts.order.getState(),
      augment: parts.augment.getState(),
      global: defaultGenerator.getState(),
    },
    running: { ...at.running },
    history: at.history.toJSON(),
    seed: parts.seed,
  };
  // Callbacks hand back snapshots (possibly holding Tensors, which structuredClone would strip).
  return { weights: parts.model.copyStateDict(), state: { ...structuredClone(state), callbacks: parts.callbacks.map((c) => ({ type: c.constructor.name, state: c.stateDict!() })) } };
}

/**
 * Puts every part back to the checkpoint's state (fit's `resume`) and returns where the run stood.
 * Refuses a checkpoint of another seed or other stateful callbacks, which could not continue exactly.
 */
export function restoreCheckpoint(parts: TrainingParts, checkpoint: Checkpoint): Position {
  const s = checkpoint.state;
  if (s.format !== CHECKPOINT_FORMAT || s.version !== CHECKPOINT_VERSION) throw new StateDictError({ where: "fit", what: "resume is not a minima checkpoint (mn.train.loadCheckpoint gives one)" });
  if (s.seed !== parts.seed) throw new StateDictError({ where: "fit", what: `the checkpoint was saved by a run with seed ${String(s.seed)}, this one has seed ${parts.seed}` });
  const saved = s.callbacks as CallbackState[] | undefined;
  const types = (list: readonly { type: string }[]) => list.map((c) => c.type).join(", ") || "none";
  const ours = parts.callbacks.map((c) => ({ type: c.constructor.name }));
  if (!Array.isArray(saved) || types(saved) !== types(ours)) {
    throw new StateDictError({ where: "fit", what: `the checkpoint holds the state of callbacks [${Array.isArray(saved) ? types(saved) : "none"}], this run has [${types(ours)}]; resume with the same stateful callbacks in the same order` });
  }
  parts.model.loadStateDict(checkpoint.weights);
  parts.optimizer.loadStateDict(s.optimizer);
  parts.scheduler?.loadStateDict(s.scheduler as never);
  parts.order.setState(s.generators.order);
  parts.augment.setState(s.generators.augment);
  defaultGenerator.setState(s.generators.global);
  parts.callbacks.forEach((c, i) => c.loadStateDict?.(saved[i]!.state));
  return { epochsDone: s.epochsDone, batchesDone: s.batchesDone, step: s.step, running: { ...s.running }, history: History.fromJSON(s.history), epochOrder: s.generators.order };
}

/** Puts the weights and the optimizer's buffers back to a checkpoint's; the optimizer's hyperparameters (lr cuts made since) stay as they are. */
export function restoreWeights(model: Module, optimizer: Optimizer<GroupOptions>, checkpoint: Pick<Checkpoint, "weights"> & { state: Pick<TrainState, "optimizer"> }): void {
  model.loadStateDict(checkpoint.weights);
  const options = optimizer.paramGroups.map(({ params: _p, ...rest }) => rest);
  optimizer.loadStateDict(checkpoint.state.optimizer);
  optimizer.paramGroups.forEach((g, i) => Object.assign(g, options[i]));
}

/** A tensor of `<name>.state.safetensors` in a checkpoint's JSON; `$array`: it was a number array. */
export interface TensorRef {
  $tensor: string;
  $array?: true;
}

/**
 * `<name>.json` as saveCheckpoint writes it: the TrainState with its long number arrays (optimizer
 * buffers) and tensors moved to `<name>.state.safetensors` as TensorRefs, and both binary files' SHA-256.
 */
export interface CheckpointJSON extends Omit<TrainState, "optimizer"> {
  optimizer: {
    state: Record<string, { step: number; [buffer: string]: number | number[] | TensorRef }>;
    paramGroups: Record<string, unknown>[];
  };
  /** SHA-256 (hex) of `<name>.safetensors` and `<name>.state.safetensors`, by file name. */
  files: Record<string, string>;
  /** SHA-256 (hex) of this JSON's text up to this field (the object closed after `files`): an edit to any field shows. */
  sha256: string;
}

/** The run a checkpoint is loaded into: its epochs and optimizer steps per epoch. */
export interface RunShape {
  epochs: number;
  stepsPerEpoch: number;
}

/**
 * Checks the position fields of a checkpoint's JSON (types already checked) against each other and
 * its history (a step log per step, an epoch log per epoch), and against `run` when given; the
 * first bad field is refused by name. `file` names the JSON in the error.
 */
export function checkPosition(state: Pick<TrainState, "epochsDone" | "batchesDone" | "step" | "running" | "seed" | "history">, file: string, run?: RunShape): void {
  const fail = (field: string, why: string): never => {
    throw new DataFormatError({ where: "loadCheckpoint", what: `${file}: field "${field}" is ${JSON.stringify(fieldOf(state, field))}, ${why}` });
  };
  const count = (field: string) => {
    const v = fieldOf(state, field);
    if (!Number.isSafeInteger(v) || (v as number) < 0) fail(field, "not a count (an integer >= 0)");
  };
  ["epochsDone", "batchesDone", "step", "seed", "running.seen", "running.correct", "running.scored"].forEach(count);
  const { epochs, steps } = state.history;
  if (state.epochsDone !== epochs.length) fail("epochsDone", `but its history holds ${epochs.length} epoch${epochs.length === 1 ? "" : "s"}`);
  if (state.step !== steps.length) fail("step", `but its history holds ${steps.length} step${steps.length === 1 ? "" : "s"}`);
  const before = epochs.at(-1)?.steps ?? 0;
  if (state.batchesDone !== state.step - before) fail("batchesDone", `but ${state.step} steps with ${before} by the end of epoch ${state.epochsDone} leave ${state.step - before} in the epoch in progress`);
  if (run === undefined) return;
  if (state.epochsDone > run.epochs) fail("epochsDone", `but the run has ${run.epochs} epoch${run.epochs === 1 ? "" : "s"}`);
  if (state.batchesDone >= run.stepsPerEpoch) fail("batchesDone", `but an epoch of this run has ${run.stepsPerEpoch} batches`);
  if (state.step !== state.epochsDone * run.stepsPerEpoch + state.batchesDone) {
    fail("step", `but ${state.epochsDone} epochs of ${run.stepsPerEpoch} steps and ${state.batchesDone} batches make ${state.epochsDone * run.stepsPerEpoch + state.batchesDone}`);
  }
}

const fieldOf = (state: object, field: string): unknown => field.split(".").reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], state);

// Number arrays this long (optimizer buffers, saved weights inside callbacks' state) go to the
// binary file as float64 (exact for any JS number) instead of bloating the JSON.
const LONG_ARRAY = 64;

/** Moves Tensors and long number arrays out of a JSON value into named tensors, leaving TensorRefs. */
export function externalize(value: unknown): { json: unknown; tensors: TensorMap } {
  const tensors: TensorMap = {};
  const walk = (v: unknown, path: string): unknown => {
    if (v instanceof Tensor) {
      tensors[path] = v;
      return { $tensor: path };
    }
    if (Array.isArray(v)) {
      if (v.length >= LONG_ARRAY && v.every((x) => typeof x === "number")) {
        tensors[path] = new Tensor(Float64Array.from(v as number[]), [v.length]);
        return { $tensor: path, $array: true };
      }
      return v.map((x, i) => walk(x, `${path}.${i}`));
    }
    if (v !== null && typeof v === "object") {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, path ? `${path}.${k}` : k)]));
    }
    return v;
  };
  return { json: walk(value, ""), tensors };
}

/** The inverse of externalize; `where` names the tensors' file in errors. */
export function internalize(json: unknown, tensors: TensorMap, where: string): unknown {
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v === null || typeof v !== "object") return v;
    const ref = (v as { $tensor?: unknown }).$tensor;
    if (typeof ref === "string") {
      const t = tensors[ref];
      if (!t) throw new StateDictError({ where: "loadCheckpoint", what: `${where} has no tensor "${ref}", which the checkpoint's JSON refers to` });
      return (v as { $array?: boolean }).$array ? Array.from(t.data) : t;
    }
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
  };
  return walk(json);
}
