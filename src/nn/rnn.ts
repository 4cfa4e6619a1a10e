import { checkOptions, choice, type OptionsOf } from "../options.js";
import type { Tensor } from "../tensor/tensor.js";
import { linear } from "./functional.js";
import { Recurrent, RECURRENT_OPTIONS, type DirectionWeights, type RecurrentOptions } from "./recurrent.js";

const RNN_OPTIONS = {
  /** The cell's nonlinearity, "tanh" (default) or "relu". */
  nonlinearity: choice("tanh", "relu"),
};

/** The options of RNN (torch's, in camelCase). */
export interface RNNOptions extends RecurrentOptions, OptionsOf<typeof RNN_OPTIONS> {}

/**
 * One step of an Elman cell (torch's rnn_tanh_cell / rnn_relu_cell): h' = σ(x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh), σ tanh or ReLU,
 * x [batch, inputSize], h [batch, hidden].
 */
export function rnnCell(x: Tensor, h: Tensor, w: DirectionWeights, nonlinearity: "tanh" | "relu" = "tanh"): Tensor {
  const pre = linear(x, w.weightIh, w.biasIh).add(linear(h, w.weightHh, w.biasHh));
  return nonlinearity === "tanh" ? pre.tanh() : pre.relu();
}

/**
 * A multi-layer Elman recurrent network (torch.nn.RNN): h_t = σ(x_t·W_ihᵀ + b_ih + h_{t−1}·W_hhᵀ + b_hh) with σ tanh or
 * ReLU. forward(x, h0?) takes x [time, batch, inputSize] ([batch, time, inputSize] with batchFirst, or unbatched
 * [time, inputSize]) and h0 [numLayers·directions, batch, hiddenSize] (zeros if left out), and returns [output, hN]: the
 * last layer's h_t at every step, [time, batch, directions·hiddenSize], and every layer's last h. Parameters, their
 * state-dict keys and their initialization U(−1/√hiddenSize, 1/√hiddenSize) are torch's (weight_ih_l0, weight_hh_l0,
 * bias_ih_l0, bias_hh_l0, …, _reverse for the backward direction).
 * @example const rnn = new mn.nn.RNN(2, 64); const [output, hN] = rnn.forward(x); // x [100, 32, 2] → output [100, 32, 64]
 */
export class RNN extends Recurrent<[x: Tensor, h0?: Tensor], [output: Tensor, hN: Tensor]> {
  readonly nonlinearity: "tanh" | "relu";

  constructor(inputSize: number, hiddenSize: number, options: RNNOptions = {}) {
    // Checked whole first, so that a misspelt option is told the closest of all of RNN's names.
    const { nonlinearity } = checkOptions("RNN", options, { ...RECURRENT_OPTIONS, ...RNN_OPTIONS });
    const { nonlinearity: _, ...shared } = options;
    super("RNN", inputSize, hiddenSize, 1, shared);
    this.nonlinearity = nonlinearity;
  }

  forward(x: Tensor, h0?: Tensor): [output: Tensor, hN: Tensor] {
    const { output, finals } = this.run(x, [h0], ["h0"]);
    return [output, finals[0]!];
  }

  protected cell(x: Tensor, state: readonly Tensor[], w: DirectionWeights): Tensor[] {
    return [rnnCell(x, state[0]!, w, this.nonlinearity)];
  }

  protected override reprExtras(): string[] {
    return this.nonlinearity === "tanh" ? [] : [`nonlinearity="${this.nonlinearity}"`];
  }
}
