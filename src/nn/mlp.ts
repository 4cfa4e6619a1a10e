import { OptionError } from "../errors.js";
import { show } from "../options.js";
import type { FloatDType } from "../tensor/dtype.js";
import { GELU, LeakyReLU, ReLU, Sigmoid, Tanh } from "./activation.js";
import { Dropout } from "./dropout.js";
import { BatchNorm1d } from "./batch-norm.js";
import { Flatten } from "./flatten.js";
import * as init from "./init.js";
import { Linear } from "./linear.js";
import type { Module } from "./module.js";
import { Sequential } from "./sequential.js";

/** The activations mlp() (and the CLI's --activation) take by name. */
export const ACTIVATIONS = ["relu", "leaky-relu", "tanh", "sigmoid", "gelu"] as const;
export type ActivationName = (typeof ACTIVATIONS)[number];
/** The weight initializations mlp() (and the CLI's --init) take by name; "default" is PyTorch's. */
export const INITS = ["default", "xavier-uniform", "xavier-normal", "kaiming-uniform", "kaiming-normal"] as const;
export type InitName = (typeof INITS)[number];

export interface MLPOptions {
  /** Input features (a [N, ...] input is flattened to [N, inputs] first). */
  inputs: number;
  /** Width of each hidden layer, in order. */
  hidden: readonly number[];
  outputs: number;
  activation?: ActivationName;
  /** "default" keeps torch.nn.Linear's initialization; the others re-draw every weight and zero the biases. */
  init?: InitName;
  /** Dropout probability after each hidden activation (default 0: no Dropout layers at all). */
  dropout?: number;
  /** BatchNorm1d after each hidden Linear, before its activation (default false). */
  batchNorm?: boolean;
  dtype?: FloatDType;
}

/** Throws unless p can be a builder's dropout: 1 would zero every hidden unit, so it is refused. */
export function checkDropout(where: string, p: unknown, name = "dropout"): void {
  if (typeof p !== "number" || !(p >= 0 && p < 1)) throw new OptionError({ where, what: `invalid ${name}`, expected: "a probability in [0, 1)", got: show(p) });
}

/** The layer for an activation name (the builders share it). */
export function activationLayer(name: ActivationName): Module {
  switch (name) {
    case "relu": return new ReLU();
    case "leaky-relu": return new LeakyReLU(0.01);
    case "tanh": return new Tanh();
    case "sigmoid": return new Sigmoid();
    case "gelu": return new GELU();
  }
}

/** The gain that keeps activations' variance steady through this nonlinearity. */
function gainFor(name: ActivationName): init.Nonlinearity {
  return name === "leaky-relu" ? "leaky_relu" : name === "tanh" ? "tanh" : name === "sigmoid" ? "sigmoid" : "relu";
}

/**
 * A multilayer perceptron: Flatten → (Linear [→ BatchNorm1d] → activation [→ Dropout]) per hidden width → Linear.
 * Without dropout the layers (and the parameter names) are exactly those of the plain network.
 * @example const model = mn.nn.mlp({ inputs: 784, hidden: [256, 256], outputs: 10, init: "kaiming-uniform" });
 */
export function mlp(options: MLPOptions): Sequential {
  const { inputs, hidden, outputs, activation = "relu", init: initName = "default", dropout = 0, batchNorm = false, dtype = "float32" } = options;
  if (!ACTIVATIONS.includes(activation)) throw new OptionError({ where: "mlp", what: `unknown activation "${activation}"`, expected: ACTIVATIONS.join(", ") });
  if (!INITS.includes(initName)) throw new OptionError({ where: "mlp", what: `unknown init "${initName}"`, expected: INITS.join(", ") });
  checkDropout("mlp", dropout);
  const widths = [inputs, ...hidden, outputs];
  const layers: Module[] = [new Flatten()];
  for (let i = 0; i + 1 < widths.length; i++) {
    const fc = new Linear(widths[i]!, widths[i + 1]!, { dtype });
    const last = i + 2 === widths.length;
    reinitialize(fc, initName, last ? "linear" : gainFor(activation));
    layers.push(fc);
    if (!last && batchNorm) layers.push(new BatchNorm1d(widths[i + 1]!, { dtype }));
    if (!last) layers.push(activationLayer(activation));
    if (!last && dropout > 0) layers.push(new Dropout(dropout));
  }
  return new Sequential(...layers);
}

function reinitialize(fc: Linear, name: InitName, nonlinearity: init.Nonlinearity): void {
  if (name === "default") return;
  const slope = nonlinearity === "leaky_relu" ? 0.01 : 0;
  if (name === "xavier-uniform") init.xavierUniform(fc.weight, init.calculateGain(nonlinearity, slope));
  if (name === "xavier-normal") init.xavierNormal(fc.weight, init.calculateGain(nonlinearity, slope));
  if (name === "kaiming-uniform") init.kaimingUniform(fc.weight, { nonlinearity, a: slope });
  if (name === "kaiming-normal") init.kaimingNormal(fc.weight, { nonlinearity, a: slope });
  if (fc.bias) init.zeros(fc.bias);
}
