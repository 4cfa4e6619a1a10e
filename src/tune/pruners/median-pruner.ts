import { checkOptions, type OptionsOf } from "../../options.js";
import { PERCENTILE_COMMON, PercentilePruner } from "./percentile-pruner.js";

export interface MedianPrunerOptions extends OptionsOf<typeof PERCENTILE_COMMON> {}

/**
 * Prunes a trial whose best intermediate value is worse than the median of the completed trials'
 * values at the same step: Optuna's MedianPruner, PercentilePruner at 50.
 */
export class MedianPruner extends PercentilePruner {
  override readonly name: string = "median";

  constructor(options: MedianPrunerOptions = {}) {
    super({ ...checkOptions("MedianPruner", options, PERCENTILE_COMMON), percentile: 50 });
  }

  override spec(): Record<string, unknown> {
    const { percentile: _fixed, ...rest } = this.o;
    return { name: this.name, ...rest };
  }
}
