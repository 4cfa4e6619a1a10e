import { OptionError } from "../errors.js";
import { cnn } from "../nn/cnn.js";
import { mlp, type ActivationName, type InitName } from "../nn/mlp.js";
import { residualMlp } from "../nn/residual-mlp.js";
import type { Sequential } from "../nn/sequential.js";
import type { PreparedData } from "./dataset.js";

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
}

/** The hidden widths a run uses: the flag, or the model's default. */
export function hiddenFor(choice: ModelChoice): number[] {
  return choice.hidden ?? (choice.model === "cnn" ? [128] : [256, 256]);
}

/** Builds the model the flags name, with a one-line description for the run's header. */
export function buildModel(choice: ModelChoice, data: PreparedData): { model: Sequential; description: string } {
  const hidden = hiddenFor(choice);
  if (choice.model === "mlp") {
    const model = mlp({ inputs: data.features, hidden, outputs: data.classes, activation: choice.activation, init: choice.init, dropout: choice.dropout ?? 0, batchNorm: choice.batchNorm ?? false });
    return { model, description: `MLP ${[data.features, ...hidden, data.classes].join("-")}${choice.batchNorm ? ", batch norm" : ""}${choice.dropout ? `, dropout ${choice.dropout}` : ""}` };
  }
  if (choice.model === "resmlp") {
    const width = hidden[0] ?? 256, blocks = choice.blocks ?? 2;
    const model = residualMlp({ inputs: data.features, width, blocks, outputs: data.classes, activation: choice.activation, dropout: choice.dropout ?? 0, dropPath: choice.dropPath ?? 0 });
    return { model, description: `residual MLP ${data.features}-${width}, ${blocks} blocks of ${width}${choice.dropPath ? `, stochastic depth ${choice.dropPath}` : ""}${choice.dropout ? `, dropout ${choice.dropout}` : ""}` };
  }
  if (data.inputShape.length !== 3) {
    throw new OptionError({ where: "--model cnn", what: "needs image inputs [channels, height, width]", got: `samples of shape [${data.inputShape}]` });
  }
  const model = cnn({ inputShape: data.inputShape as [number, number, number], channels: choice.channels, hidden, outputs: data.classes, dropout: choice.dropout ?? 0, batchNorm: choice.batchNorm ?? false });
  return { model, description: `CNN ${choice.channels.map((c) => `conv3x3 ${c}`).join(", ")}, dense ${[...hidden, data.classes].join("-")}${choice.batchNorm ? ", batch norm" : ""}${choice.dropout ? `, dropout ${choice.dropout}` : ""}` };
}
