import * as F from "./functional.js";
import type { Tensor } from "../tensor/tensor.js";
import { Module } from "./module.js";

/** max(0, x). */
export class ReLU extends Module {
  forward(x: Tensor): Tensor { return F.relu(x); }
}

/** x for x > 0, negativeSlope·x otherwise (default 0.01). */
export class LeakyReLU extends Module {
  constructor(readonly negativeSlope = 0.01) { super(); }
  forward(x: Tensor): Tensor { return F.leakyRelu(x, this.negativeSlope); }
  protected override extraRepr(): string { return `negativeSlope=${this.negativeSlope}`; }
}

/** 1 / (1 + e^−x). */
export class Sigmoid extends Module {
  forward(x: Tensor): Tensor { return F.sigmoid(x); }
}

/** The hyperbolic tangent, (eˣ − e⁻ˣ)/(eˣ + e⁻ˣ). */
export class Tanh extends Module {
  forward(x: Tensor): Tensor { return F.tanh(x); }
}

/** x·Φ(x), exact by default, or its tanh approximation. */
export class GELU extends Module {
  constructor(readonly approximate: "none" | "tanh" = "none") { super(); }
  forward(x: Tensor): Tensor { return F.gelu(x, this.approximate); }
}

/** eˣ normalized to sum to 1 along dim (default the last), as torch.nn.Softmax. @example new mn.nn.Softmax(1) */
export class Softmax extends Module {
  constructor(readonly dim = -1) { super(); }
  forward(x: Tensor): Tensor { return F.softmax(x, this.dim); }
}

/** log(softmax(x)) along dim (default the last), computed stably, as torch.nn.LogSoftmax. @example new mn.nn.LogSoftmax(1) */
export class LogSoftmax extends Module {
  constructor(readonly dim = -1) { super(); }
  forward(x: Tensor): Tensor { return F.logSoftmax(x, this.dim); }
}

/** Passes its input through unchanged. */
export class Identity extends Module {
  forward(x: Tensor): Tensor { return x; }
}
