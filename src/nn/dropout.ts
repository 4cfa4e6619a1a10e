import { guardValue } from "../backend/capture/record.js";
import type { Tensor } from "../tensor/tensor.js";
import { dropout } from "./functional.js";
import { checkProbability } from "./probability.js";
import { Module } from "./module.js";

/** Inverted dropout: active in training mode, the identity in eval mode. @example new mn.nn.Dropout(0.2) */
export class Dropout extends Module {
  constructor(readonly p = 0.5) {
    super();
    checkProbability("Dropout", p);
  }
  forward(x: Tensor): Tensor {
    guardValue(() => this.training, "a Dropout layer's training mode changed");
    return dropout(x, this.p, this.training);
  }
  protected override extraRepr(): string { return `p=${this.p}`; }
}
