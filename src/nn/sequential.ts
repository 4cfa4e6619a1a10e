import type { Tensor } from "../tensor/tensor.js";
import { ReLU } from "./activation.js";
import { Module } from "./module.js";
import { MaxPool2d } from "./pool.js";

/** A layer that can end in a fused ReLU (Linear, Conv2d). */
interface FusesRelu { forwardRelu(x: Tensor): Tensor }
const fusesRelu = (m: SequentialLayer): m is SequentialLayer & FusesRelu => typeof (m as Partial<FusesRelu>).forwardRelu === "function";
/** A layer that can end in a fused ReLU and max pooling (Conv2d). */
interface FusesReluMaxPool { forwardReluMaxPool(x: Tensor, pool: MaxPool2d): Tensor }
const fusesReluMaxPool = (m: SequentialLayer): m is SequentialLayer & FusesReluMaxPool =>
  typeof (m as Partial<FusesReluMaxPool>).forwardReluMaxPool === "function";

/** What a Sequential chains: a module whose forward takes one tensor and returns one. */
export type SequentialLayer = Module<[x: Tensor], Tensor>;

/**
 * Modules applied in order, named "0", "1", ... as in torch.nn.Sequential. A Linear or Conv2d followed by
 * a ReLU runs as one layer whose bias and ReLU share a pass: the same values and gradients, one
 * activation-sized array written instead of three (see BENCHMARKS.md); a Conv2d, a ReLU and a MaxPool2d run as one
 * op (conv2dReluMaxPool), the convolution's output pooled where the backend's library writes it. Each layer maps one tensor to one tensor (a
 * module with more arguments or a tuple output does not type-check here).
 * @example const model = new mn.nn.Sequential(new mn.nn.Linear(784, 10), new mn.nn.LogSoftmax(1));
 */
export class Sequential extends Module<[x: Tensor], Tensor> {
  readonly layers: SequentialLayer[];
  constructor(...layers: SequentialLayer[]) {
    super();
    this.layers = layers.map((m, i) => this.registerModule(String(i), m));
  }
  forward(x: Tensor): Tensor {
    let h = x;
    for (let i = 0; i < this.layers.length; i++) {
      const m = this.layers[i]!, pool = this.layers[i + 2];
      if (fusesReluMaxPool(m) && this.layers[i + 1] instanceof ReLU && pool instanceof MaxPool2d) h = m.forwardReluMaxPool(h, pool), i += 2;
      else if (fusesRelu(m) && this.layers[i + 1] instanceof ReLU) h = m.forwardRelu(h), i++;
      else h = m.forward(h);
    }
    return h;
  }
}
