import { checkElu, checkSoftplus } from "../autograd/ops/smooth-activations.js";
import type { Tensor } from "../tensor/tensor.js";
import * as F from "./functional.js";
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

/**
 * Passes its input through unchanged (torch.nn.Identity): a placeholder where a model's layer is optional.
 * @example const norm = useNorm ? new mn.nn.LayerNorm(256) : new mn.nn.Identity();
 */
export class Identity extends Module {
  forward(x: Tensor): Tensor { return x; }
}

/** x·σ(x), also called swish (torch.nn.SiLU). @example new mn.nn.SiLU() */
export class SiLU extends Module {
  forward(x: Tensor): Tensor { return F.silu(x); }
}

/**
 * log(1 + e^(β·x)) / β, a smooth ReLU, linear where β·x > threshold (torch.nn.Softplus; defaults β 1, threshold 20).
 * @example new mn.nn.Softplus(2) // β = 2
 */
export class Softplus extends Module {
  constructor(readonly beta = 1, readonly threshold = 20) {
    super();
    checkSoftplus("Softplus", beta, threshold);
  }
  forward(x: Tensor): Tensor { return F.softplus(x, this.beta, this.threshold); }
  protected override extraRepr(): string { return `beta=${this.beta}, threshold=${this.threshold}`; }
}

/** x for x > 0, α·(e^x − 1) otherwise (torch.nn.ELU; default α 1). @example new mn.nn.ELU(0.5) */
export class ELU extends Module {
  constructor(readonly alpha = 1) {
    super();
    checkElu("ELU", alpha);
  }
  forward(x: Tensor): Tensor { return F.elu(x, this.alpha); }
  protected override extraRepr(): string { return `alpha=${this.alpha}`; }
}

/** x·tanh(softplus(x)) (torch.nn.Mish). @example new mn.nn.Mish() */
export class Mish extends Module {
  forward(x: Tensor): Tensor { return F.mish(x); }
}
