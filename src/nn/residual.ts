import { OptionError } from "../errors.js";
import { checkOptions, option, type Check, type OptionsOf } from "../options.js";
import type { Tensor } from "../tensor/tensor.js";
import { guardValue } from "../backend/capture/record.js";
import { Module } from "./module.js";
import { checkStochasticDepth, stochasticDepth, type StochasticDepthMode } from "./stochastic-depth.js";

const isModule: Check = (v) => (v === null || v instanceof Module ? null : "a Module");

const RESIDUAL_OPTIONS = {
  /** Probability of dropping the block's branch in training (stochastic depth; default 0: never). */
  dropPath: option(0), // checked with mode by checkStochasticDepth, whose messages name the layer's option
  /** "row" drops the branch per sample, "batch" for the whole batch (default "row"). */
  mode: option<StochasticDepthMode>("row"),
  /** The skip path, e.g. a Linear when the block changes the width (default: the identity). */
  shortcut: option<Module | null>(null, isModule),
};

/** The options of a Residual block. */
export interface ResidualOptions extends OptionsOf<typeof RESIDUAL_OPTIONS> {}

/**
 * A residual block (He et al. 2016): y = shortcut(x) + stochasticDepth(block(x)). The block only
 * has to learn a correction to its input, which keeps deep stacks trainable; with dropPath > 0
 * the branch is sometimes skipped in training, so the net trains as an ensemble of shallower ones
 * (Huang et al. 2016). Parameters are named "block.…" and "shortcut.…".
 * @example const res = new mn.nn.Residual(new mn.nn.Sequential(new mn.nn.Linear(64, 64), new mn.nn.ReLU()), { dropPath: 0.1 });
 */
export class Residual extends Module {
  readonly block: Module;
  readonly shortcut: Module | null;
  readonly dropPath: number;
  readonly mode: StochasticDepthMode;

  constructor(block: Module, options: ResidualOptions = {}) {
    super();
    if (!(block instanceof Module)) throw new OptionError({ where: "Residual", what: "block must be a Module", got: String(block) });
    const o = checkOptions("Residual", options, RESIDUAL_OPTIONS);
    checkStochasticDepth("Residual", o.dropPath, o.mode, "dropPath");
    this.dropPath = o.dropPath;
    this.mode = o.mode;
    this.block = this.registerModule("block", block);
    // The identity shortcut is not registered: it has no parameters, and the names stay "block.…".
    this.shortcut = o.shortcut ? this.registerModule("shortcut", o.shortcut) : null;
  }

  forward(x: Tensor): Tensor {
    const skip = this.shortcut ? this.shortcut.forward(x) : x;
    if (this.dropPath > 0) guardValue(() => this.training, "a Residual block's training mode changed");
    return skip.add(stochasticDepth(this.block.forward(x), this.dropPath, this.mode, this.training));
  }

  protected override extraRepr(): string {
    return this.dropPath > 0 ? `dropPath=${this.dropPath}, mode=${this.mode}` : "";
  }
}
