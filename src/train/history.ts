/**
 * What one epoch reported. Train figures are means over the epoch's batches (weighted by batch
 * size, measured while the weights moved, in training mode); val/test ones are measured after the
 * epoch in eval mode, null when that set was not given.
 */
export interface EpochLog {
  /** 1-based. */
  epoch: number;
  loss: number;
  accuracy: number | null;
  valLoss: number | null;
  valAccuracy: number | null;
  testLoss: number | null;
  testAccuracy: number | null;
  /** The first param group's learning rate during the epoch's first step. */
  lr: number;
  /** Optimizer steps taken so far, over the whole run. */
  steps: number;
  seconds: number;
}

/** The metrics a callback can monitor: the numeric fields of an EpochLog. */
export type MetricName = "loss" | "accuracy" | "valLoss" | "valAccuracy" | "testLoss" | "testAccuracy" | "lr";
export const METRIC_NAMES: readonly MetricName[] = ["loss", "accuracy", "valLoss", "valAccuracy", "testLoss", "testAccuracy", "lr"];

/** One optimizer step. */
export interface StepLog {
  /** 1-based, over the whole run. */
  step: number;
  epoch: number;
  loss: number;
  /** The lr the step used (first param group). */
  lr: number;
  /** Global L2 norm of the gradients the step used (after clipping, if any). */
  gradNorm: number;
}

/**
 * One parameter tensor at a sampled step: the norms behind the update-to-weight ratio (rule of
 * thumb ~1e-3: far below, the layer barely learns; far above, it thrashes) and the gradient norm
 * (zero: a dead layer; huge: exploding).
 */
export interface LayerLog {
  step: number;
  epoch: number;
  /** Dotted parameter name, as in the model's stateDict. */
  name: string;
  weightNorm: number;
  gradNorm: number;
  updateNorm: number;
  /** updateNorm / weightNorm (Infinity when the weights are all zero and moved). */
  ratio: number;
}

/** Something a callback did to the run (a rollback, a learning-rate cut), for the report. */
export interface RunEvent {
  step: number;
  epoch: number;
  message: string;
}

/**
 * The record of a fit() run, as plain JSON: one entry per epoch, per optimizer step, and per
 * parameter at sampled steps. Saved in checkpoints, so a resumed run's history is whole.
 */
export class History {
  epochs: EpochLog[] = [];
  steps: StepLog[] = [];
  layers: LayerLog[] = [];
  events: RunEvent[] = [];
  /** Why training ended early, when it did ("early stopping at epoch 7", "loss became NaN at step 812"). */
  stopReason: string | null = null;

  /** One metric over the epochs, e.g. history.metric("valLoss"). */
  metric(name: MetricName): (number | null)[] {
    return this.epochs.map((e) => e[name]);
  }

  toJSON(): HistoryJSON {
    return { epochs: this.epochs, steps: this.steps, layers: this.layers, events: this.events, stopReason: this.stopReason };
  }

  static fromJSON(json: Partial<HistoryJSON>): History {
    const h = new History();
    h.epochs = [...(json.epochs ?? [])];
    h.steps = [...(json.steps ?? [])];
    h.layers = [...(json.layers ?? [])];
    h.events = [...(json.events ?? [])];
    h.stopReason = json.stopReason ?? null;
    return h;
  }
}

export interface HistoryJSON {
  epochs: EpochLog[];
  steps: StepLog[];
  layers: LayerLog[];
  events: RunEvent[];
  stopReason: string | null;
}

/**
 * JSON cannot hold NaN or ±Infinity, and a diverging run's losses are exactly those: write them as
 * the strings "NaN", "Infinity", "-Infinity" (JSON.stringify(x, nonFiniteReplacer)) and read them
 * back with nonFiniteReviver.
 */
export function nonFiniteReplacer(_key: string, value: unknown): unknown {
  return typeof value === "number" && !Number.isFinite(value) ? String(value) : value;
}

export function nonFiniteReviver(_key: string, value: unknown): unknown {
  return value === "NaN" ? NaN : value === "Infinity" ? Infinity : value === "-Infinity" ? -Infinity : value;
}
