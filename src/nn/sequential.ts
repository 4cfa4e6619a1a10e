import type { Tensor } from "../tensor/tensor.js";
import { Module } from "./module.js";

/**
 * Modules applied in order, named "0", "1", ... as in torch.nn.Sequential.
 * @example const model = new mn.nn.Sequential(new mn.nn.Linear(784, 10), new mn.nn.LogSoftmax(1));
 */
export class Sequential extends Module {
  readonly layers: Module[];
  constructor(...layers: Module[]) {
    super();
    this.layers = layers.map((m, i) => this.registerModule(String(i), m));
  }
  forward(x: Tensor): Tensor {
    return this.layers.reduce((h, m) => m.forward(h), x);
  }
}
