import { guardValue } from "../backend/capture/record.js";
import { requireFloat } from "../autograd/ops/util.js";
import { dropoutMask } from "./dropout-mask.js";
import { OptionError, ShapeError, showShape } from "../errors.js";
import { show } from "../options.js";
import { defaultGenerator, type Generator } from "../tensor/random.js";
import type { Tensor } from "../tensor/tensor.js";
import { Module } from "./module.js";

/** StochasticDepth's modes, as torchvision.ops.stochastic_depth: "row" drops per sample, "batch" the whole batch. */
export const STOCHASTIC_DEPTH_MODES = ["row", "batch"] as const;
export type StochasticDepthMode = (typeof STOCHASTIC_DEPTH_MODES)[number];

/** Throws unless p is a drop probability and mode a known mode; pName is what the caller calls p. */
export function checkStochasticDepth(where: string, p: unknown, mode: unknown, pName = "p"): void {
  if (typeof p !== "number" || !(p >= 0 && p <= 1)) {
    throw new OptionError({ where, what: `invalid ${pName}`, expected: "a probability in [0, 1]", got: show(p) });
  }
  if (!STOCHASTIC_DEPTH_MODES.includes(mode as StochasticDepthMode)) {
    throw new OptionError({ where, what: "invalid mode", expected: `one of ${STOCHASTIC_DEPTH_MODES.map((m) => `"${m}"`).join(", ")}`, got: show(mode) });
  }
}

/**
 * Stochastic depth (Huang et al. 2016, "Deep Networks with Stochastic Depth"), as
 * torchvision.ops.stochastic_depth: meant for the residual branch of a block, it drops the
 * branch with probability p and scales it by 1/(1−p) when kept, so that evaluation needs no
 * rescaling (the same trick as inverted dropout). "row" draws one keep/drop per sample (the
 * first dim), "batch" one for the whole batch. In eval mode, or with p = 0, it is the identity;
 * with p = 1 it gives zeros.
 * @example const branch = mn.nn.functional.stochasticDepth(block.forward(x), 0.1, "row", model.training);
 */
export function stochasticDepth(x: Tensor, p: number, mode: StochasticDepthMode = "row", training = true,
  generator: Generator = defaultGenerator): Tensor {
  checkStochasticDepth("stochasticDepth", p, mode);
  requireFloat("stochasticDepth", x);
  if (!training || p === 0) return x;
  if (p === 1) return x.mul(0);
  if (mode === "batch") return x.mul(dropoutMask([], x.dtype, p, generator));
  if (x.ndim === 0) {
    throw new ShapeError({ where: "stochasticDepth", what: "row mode needs a batch dimension", expected: "a tensor of at least 1 dim", got: showShape(x.shape) });
  }
  // One factor per sample, broadcast over the rest: [N, 1, ..., 1].
  return x.mul(dropoutMask([x.shape[0]!, ...x.shape.slice(1).map(() => 1)], x.dtype, p, generator));
}

/**
 * The layer form of stochasticDepth (torchvision.ops.StochasticDepth): active in training mode,
 * the identity in eval mode. Residual applies it to its branch for you (its dropPath option).
 * @example new mn.nn.StochasticDepth(0.1, "row")
 */
export class StochasticDepth extends Module {
  constructor(readonly p: number, readonly mode: StochasticDepthMode = "row") {
    super();
    checkStochasticDepth("StochasticDepth", p, mode);
  }
  forward(x: Tensor): Tensor {
    guardValue(() => this.training, "a StochasticDepth layer's training mode changed");
    return stochasticDepth(x, this.p, this.mode, this.training);
  }
  protected override extraRepr(): string { return `p=${this.p}, mode=${this.mode}`; }
}
