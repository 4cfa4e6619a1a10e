import { guardValue } from "../backend/capture/record.js";
import { requireFloat } from "../autograd/ops/util.js";
import { dropoutMask } from "./dropout-mask.js";
import { OptionError, ShapeError, showShape } from "../errors.js";
import { defaultGenerator, type Generator } from "../tensor/random.js";
import type { Tensor } from "../tensor/tensor.js";
import { Module } from "./module.js";

/**
 * Channel dropout (Tompson et al. 2015; torch.nn.functional.dropout2d) of x [N, C, H, W]: in training,
 * each channel of each sample, a whole H×W map, is zeroed with probability p and the others are scaled
 * by 1/(1−p), so evaluation needs no rescaling. Neighbouring pixels of a feature map are strongly
 * correlated, and zeroing single pixels hardly regularizes a convolution; zeroing whole maps does.
 * A [C, H, W] input is refused: torch reads it as [N, C, L] today and plans to read it as [C, H, W].
 * @example const y = mn.nn.functional.dropout2d(features, 0.1, model.training);
 */
export function dropout2d(x: Tensor, p = 0.5, training = true, generator: Generator = defaultGenerator): Tensor {
  return applyDropout2d("dropout2d", x, p, training, generator);
}

/** Throws unless p is a probability (the wording of dropout's check). */
function checkP(where: string, p: number): void {
  if (!(p >= 0 && p <= 1)) throw new OptionError({ where, what: "invalid p", expected: "a probability in [0, 1]", got: String(p) });
}

function applyDropout2d(where: string, x: Tensor, p: number, training: boolean, generator: Generator): Tensor {
  checkP(where, p);
  requireFloat(where, x);
  if (x.ndim !== 4) {
    const hint = x.ndim === 3 ? " (a single [C,H,W] sample: add the batch dim with unsqueeze(0))" : "";
    throw new ShapeError({ where, what: `invalid input shape${hint}`, expected: "a 4-D [N,C,H,W] tensor", got: showShape(x.shape) });
  }
  if (!training || p === 0) return x;
  if (p === 1) return x.mul(0);
  // One factor per (sample, channel), broadcast over the map: [N, C, 1, 1].
  return x.mul(dropoutMask([x.shape[0]!, x.shape[1]!, 1, 1], x.dtype, p, generator));
}

/**
 * The layer form of dropout2d (torch.nn.Dropout2d): active in training mode, the identity in eval mode.
 * @example new mn.nn.Sequential(new mn.nn.Conv2d(1, 32, 3), new mn.nn.ReLU(), new mn.nn.Dropout2d(0.1))
 */
export class Dropout2d extends Module {
  constructor(readonly p = 0.5) {
    super();
    checkP("Dropout2d", p);
  }
  forward(x: Tensor): Tensor {
    guardValue(() => this.training, "a Dropout2d layer's training mode changed");
    return applyDropout2d("Dropout2d", x, this.p, this.training, defaultGenerator);
  }
  protected override extraRepr(): string { return `p=${this.p}`; }
}
