import { OptionError } from "../errors.js";
import type { ActivationName, InitName } from "../nn/mlp.js";
import { modelFromSpec, type ModelSpec } from "../nn/model-spec.js";
import type { Sequential } from "../nn/sequential.js";
import type { PreparedData } from "./dataset.js";
import { checkTrainingMemory } from "./memory.js";

export const MODELS = ["mlp", "resmlp", "cnn"] as const;
export type ModelName = (typeof MODELS)[number];

export interface ModelChoice {
  model: ModelName;
  /** Hidden widths; by default 256,256 for the MLP and 128 for the CNN's dense part. */
  hidden?: number[];
  /** The CNN's conv channels (conv3x3 → ReLU → maxpool 2 each). */
  channels: number[];
  activation: ActivationName;
  init: InitName;
  /** Dropout after each hidden layer. */
  dropout?: number | undefined;
  /** Batch normalization before each hidden activation (mlp, cnn). */
  batchNorm?: boolean | undefined;
  /** resmlp: residual blocks, and the last one's stochastic-depth probability. */
  blocks?: number | undefined;
  dropPath?: number | undefined;
  /** Samples per step, for the memory the model would need to train (default 64). */
  batchSize?: number | undefined;
}

/** The hidden widths a run uses: the flag, or the model's default. */
export function hiddenFor(choice: ModelChoice): number[] {
  return choice.hidden ?? (choice.model === "cnn" ? [128] : [256, 256]);
}

/**
 * Builds the model the flags name, with a one-line description for the run's header and its spec
 * (the builder and options, without the initialization, which the trained weights replace).
 */
export function buildModel(choice: ModelChoice, data: PreparedData): { model: Sequential; description: string; spec: ModelSpec } {
  const spec = specFor(choice, data);
  // A batch is at most the training set (the loader's last batch, or full-batch training).
  checkTrainingMemory(describeModel(spec), spec, Math.min(choice.batchSize ?? 64, data.train?.length ?? Infinity));
  const model = modelFromSpec(spec.builder === "mlp" ? { builder: "mlp", options: { ...spec.options, init: choice.init } } : spec);
  return { model, description: describeModel(spec), spec };
}

/** The builder and options the flags name, for the data's inputs and classes. */
function specFor(choice: ModelChoice, data: PreparedData): ModelSpec {
  const hidden = hiddenFor(choice);
  const dropout = choice.dropout ?? 0;
  if (choice.model === "mlp") {
    return { builder: "mlp", options: { inputs: data.features, hidden, outputs: data.classes, activation: choice.activation, dropout, batchNorm: choice.batchNorm ?? false } };
  }
  if (choice.model === "resmlp") {
    return { builder: "residualMlp", options: { inputs: data.features, width: hidden[0] ?? 256, blocks: choice.blocks ?? 2, outputs: data.classes, activation: choice.activation, dropout, dropPath: choice.dropPath ?? 0 } };
  }
  if (data.inputShape.length !== 3) {
    throw new OptionError({ where: "--model cnn", what: "needs image inputs [channels, height, width]", got: `samples of shape [${data.inputShape}]` });
  }
  return { builder: "cnn", options: { inputShape: data.inputShape as [number, number, number], channels: choice.channels, hidden, outputs: data.classes, dropout, batchNorm: choice.batchNorm ?? false } };
}

/** A model's one-line description: "MLP 784-256-256-10, batch norm", as train's header and evaluate show it. */
export function describeModel(spec: ModelSpec): string {
  const extras = (o: { batchNorm?: boolean | undefined; dropout?: number | undefined; dropPath?: number | undefined }) =>
    `${o.batchNorm ? ", batch norm" : ""}${o.dropPath ? `, stochastic depth ${o.dropPath}` : ""}${o.dropout ? `, dropout ${o.dropout}` : ""}`;
  if (spec.builder === "mlp") {
    const o = spec.options;
    return `MLP ${[o.inputs, ...o.hidden, o.outputs].join("-")}${extras(o)}`;
  }
  if (spec.builder === "residualMlp") {
    const o = spec.options;
    return `residual MLP ${o.inputs}-${o.width}, ${o.blocks} blocks of ${o.width}${extras(o)}`;
  }
  const o = spec.options;
  return `CNN ${(o.channels ?? [32, 64]).map((c) => `conv3x3 ${c}`).join(", ")}, dense ${[...(o.hidden ?? [128]), o.outputs].join("-")}${extras(o)}`;
}
