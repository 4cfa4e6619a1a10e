import { checkOptions, choice, inRange, nonNegativeInt, oneOf, option, positiveInt, required, type OptionsOf } from "../options.js";
import type { FloatDType } from "../tensor/dtype.js";
import { Dropout } from "./dropout.js";
import { Flatten } from "./flatten.js";
import { Linear } from "./linear.js";
import { ACTIVATIONS, activationLayer, type ActivationName } from "./mlp.js";
import type { Module } from "./module.js";
import { Residual } from "./residual.js";
import { Sequential } from "./sequential.js";

const RESIDUAL_MLP_OPTIONS = {
  /** Input features (a [N, ...] input is flattened to [N, inputs] first) (required). */
  inputs: required<number>(positiveInt),
  /** Width of the stem and of every residual block (required). */
  width: required<number>(positiveInt),
  /** Number of residual blocks (0 gives a one-hidden-layer MLP) (required). */
  blocks: required<number>(nonNegativeInt),
  /** Output features: the classes (required). */
  outputs: required<number>(positiveInt),
  /** The activation after the stem and in every block (default "relu"). */
  activation: option<ActivationName>("relu", oneOf(...ACTIVATIONS)),
  /** Dropout probability at the end of each block's branch (default 0: no Dropout layers). */
  dropout: option(0, inRange(0, 1)),
  /** Stochastic-depth probability of the last block; earlier blocks get less (default 0). */
  dropPath: option(0, inRange(0, 1)),
  /** The dtype of the weights (default "float32"). */
  dtype: choice<FloatDType[]>("float32", "float64"),
};

/** The options of residualMlp. */
export interface ResidualMLPOptions extends OptionsOf<typeof RESIDUAL_MLP_OPTIONS> {}

/**
 * A residual MLP: Flatten → Linear(inputs→width) → activation, then `blocks` times
 * Residual(Linear(width→width) → activation [→ Dropout]), then Linear(width→outputs).
 * Block l of L (1-based) is dropped with probability dropPath·l/L, the linear decay rule of
 * Huang et al. 2016: the probability grows from 0 at the input to dropPath at the last block,
 * since early blocks compute features that every later one builds on. (timm spaces the values
 * as linspace(0, dropPath, L), which leaves the first block never dropped.)
 * @example const model = mn.nn.residualMlp({ inputs: 784, width: 256, blocks: 4, outputs: 10, dropPath: 0.2 });
 */
export function residualMlp(options: ResidualMLPOptions): Sequential {
  const where = "residualMlp";
  const o = checkOptions(where, options, RESIDUAL_MLP_OPTIONS);
  const { inputs, width, blocks, outputs, activation, dropout, dropPath, dtype } = o;
  const layers: Module[] = [new Flatten(), new Linear(inputs, width, { dtype }), activationLayer(activation)];
  for (let l = 1; l <= blocks; l++) {
    const branch: Module[] = [new Linear(width, width, { dtype }), activationLayer(activation)];
    if (dropout > 0) branch.push(new Dropout(dropout));
    layers.push(new Residual(new Sequential(...branch), { dropPath: (dropPath * l) / blocks }));
  }
  layers.push(new Linear(width, outputs, { dtype }));
  return new Sequential(...layers);
}
