import type { Tensor } from "../tensor/tensor.js";
import { linear } from "./functional.js";
import { Recurrent, type DirectionWeights, type RecurrentOptions } from "./recurrent.js";

/** The options of LSTM (torch's, in camelCase). */
export interface LSTMOptions extends RecurrentOptions {}

/**
 * One step of a long short-term memory cell (torch's lstm_cell), gates in torch's order i, f, g, o (the rows of W_ih and
 * W_hh in four blocks of hidden): i, f, o = sigmoid(·), g = tanh(·) of x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh's blocks;
 * c' = f·c + i·g; h' = o·tanh(c'). Returns [h', c'].
 */
export function lstmCell(x: Tensor, h: Tensor, c: Tensor, w: DirectionWeights): [h: Tensor, c: Tensor] {
  const hidden = h.shape[h.ndim - 1]!;
  const gates = linear(x, w.weightIh, w.biasIh).add(linear(h, w.weightHh, w.biasHh));
  const gate = (k: number) => gates.narrow(1, k * hidden, hidden);
  const cNext = gate(1).sigmoid().mul(c).add(gate(0).sigmoid().mul(gate(2).tanh()));
  return [gate(3).sigmoid().mul(cNext.tanh()), cNext];
}

/**
 * A multi-layer long short-term memory network (torch.nn.LSTM; Hochreiter & Schmidhuber 1997), each layer the cell of
 * lstmCell. forward(x, [h0, c0]?) takes x [time, batch, inputSize] ([batch, time, inputSize] with batchFirst, or unbatched
 * [time, inputSize]) and the initial states, each [numLayers·directions, batch, hiddenSize] (zeros if left out), and
 * returns [output, [hN, cN]]: the last layer's h_t at every step, [time, batch, directions·hiddenSize], and every layer's
 * last h and c. Parameters (weight_ih_l0 [4·hidden, inputSize], weight_hh_l0, bias_ih_l0, bias_hh_l0, …, _reverse for the
 * backward direction) and their initialization U(−1/√hiddenSize, 1/√hiddenSize) are torch's.
 * @example const lstm = new mn.nn.LSTM(2, 64, { batchFirst: true }); const [output, [hN, cN]] = lstm.forward(x);
 */
export class LSTM extends Recurrent<[x: Tensor, state?: readonly [h0: Tensor, c0: Tensor]], [output: Tensor, state: [hN: Tensor, cN: Tensor]]> {
  constructor(inputSize: number, hiddenSize: number, options: LSTMOptions = {}) {
    super("LSTM", inputSize, hiddenSize, 4, options);
  }

  forward(x: Tensor, state?: readonly [h0: Tensor, c0: Tensor]): [output: Tensor, state: [hN: Tensor, cN: Tensor]] {
    const { output, finals } = this.run(x, [state?.[0], state?.[1]], ["h0", "c0"]);
    return [output, [finals[0]!, finals[1]!]];
  }

  protected cell(x: Tensor, state: readonly Tensor[], w: DirectionWeights): Tensor[] {
    return lstmCell(x, state[0]!, state[1]!, w);
  }
}
