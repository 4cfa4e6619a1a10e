import { above, atLeast, inRange, option, positiveInt, type Check, type OptionsOf } from "../../options.js";

const fraction: Check = (v) => (typeof v === "number" && v > 0 && v <= 1 ? null : "a number in (0, 1]");

/** The thresholds behind the rules; each rule's doc comment (src/train/diagnosis/) says how it uses them. */
export const DIAGNOSE_OPTIONS = {
  /** A loss this many times its lowest (and above its start), or a jump this many times its start, is diverging. Default 3. */
  explodeFactor: option(3, above(1)),
  /** A training loss that ends this many times its lowest smoothed value has swung back up (oscillating). Default 1.5. */
  reboundFactor: option(1.5, above(1)),
  /** A relative change of the training loss, start to end, below this has barely moved (lr too low). Default 0.02. */
  minProgress: option(0.02, inRange(0, 1)),
  /** A relative change below this is no downward trend (oscillating or flat; stuck after a blow-up). Default 0.1. */
  trendProgress: option(0.1, inRange(0, 1)),
  /** Step-to-step scatter (robust std ÷ moving median) above which a curve without trend oscillates rather than crawls. Default 0.1. */
  swingRatio: option(0.1, above(0)),
  /** The same scatter over the second half of the run above which the loss is noisy. Default 0.5. */
  noisyRatio: option(0.5, above(0)),
  /** A loss at or below this counts as near zero: the relative rules (flat, noisy, rebound, still falling) skip it. Default 0.05. */
  lossFloor: option(0.05, atLeast(0)),
  /** Fewest finite steps for the per-step rules; with fewer, the epoch losses are read instead. Default 20. */
  minSteps: option(20, positiveInt),
  /** Fewest epochs (with validation data, for overfitting) before the epoch rules judge. Default 3. */
  minEpochs: option(3, positiveInt),
  /** A relative change between epochs that counts: validation loss above its best, an epoch loss rising. Default 0.05. */
  epochMargin: option(0.05, atLeast(0)),
  /** A last-epoch drop of the training loss at least this large means the run had not converged. Default 0.1. */
  stillFalling: option(0.1, fraction),
  /** Train accuracy below this, with validation accuracy within accuracyGap of it, is underfitting. Default 0.5. */
  lowAccuracy: option(0.5, fraction),
  /** See lowAccuracy. Default 0.05. */
  accuracyGap: option(0.05, fraction),
  /** A median update/weight ratio below this is a slow layer (rule of thumb ~1e-3). Default 1e-5. */
  slowRatio: option(1e-5, above(0)),
  /** A median update/weight ratio above this is a fast layer. Default 0.1. */
  fastRatio: option(0.1, above(0)),
  /** A gradient norm below this is zero. Default 1e-12. */
  deadGrad: option(1e-12, atLeast(0)),
  /** A layer with a zero gradient at this fraction of its recorded steps or more is dead. Default 0.5. */
  deadFraction: option(0.5, fraction),
  /** A median gradient norm above this, and explodingSpread× the other layers' median, is exploding. Default 1e3. */
  explodingGrad: option(1e3, above(0)),
  /** See explodingGrad. Default 100. */
  explodingSpread: option(100, above(1)),
};

/** The options of diagnose: its thresholds. */
export interface DiagnoseOptions extends OptionsOf<typeof DIAGNOSE_OPTIONS> {}

/** Every threshold, filled in. */
export type Thresholds = Required<DiagnoseOptions>;
