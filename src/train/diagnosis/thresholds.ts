import { above, atLeast, inRange, positiveInt, type Check } from "../../options.js";

/** The thresholds behind the rules; each rule's doc comment (src/train/diagnosis/) says how it uses them. */
export interface DiagnoseOptions {
  /** A loss this many times its lowest (and above its start), or a jump this many times its start, is diverging. Default 3. */
  explodeFactor?: number;
  /** A training loss that ends this many times its lowest smoothed value has swung back up (oscillating). Default 1.5. */
  reboundFactor?: number;
  /** A relative change of the training loss, start to end, below this has barely moved (lr too low). Default 0.02. */
  minProgress?: number;
  /** A relative change below this is no downward trend (oscillating or flat; stuck after a blow-up). Default 0.1. */
  trendProgress?: number;
  /** Step-to-step scatter (robust std ÷ moving median) above which a curve without trend oscillates rather than crawls. Default 0.1. */
  swingRatio?: number;
  /** The same scatter over the second half of the run above which the loss is noisy. Default 0.5. */
  noisyRatio?: number;
  /** A loss at or below this counts as near zero: the relative rules (flat, noisy, rebound, still falling) skip it. Default 0.05. */
  lossFloor?: number;
  /** Fewest finite steps for the per-step rules; with fewer, the epoch losses are read instead. Default 20. */
  minSteps?: number;
  /** Fewest epochs (with validation data, for overfitting) before the epoch rules judge. Default 3. */
  minEpochs?: number;
  /** A relative change between epochs that counts: validation loss above its best, an epoch loss rising. Default 0.05. */
  epochMargin?: number;
  /** A last-epoch drop of the training loss at least this large means the run had not converged. Default 0.1. */
  stillFalling?: number;
  /** Train accuracy below this, with validation accuracy within accuracyGap of it, is underfitting. Default 0.5. */
  lowAccuracy?: number;
  /** See lowAccuracy. Default 0.05. */
  accuracyGap?: number;
  /** A median update/weight ratio below this is a slow layer (rule of thumb ~1e-3). Default 1e-5. */
  slowRatio?: number;
  /** A median update/weight ratio above this is a fast layer. Default 0.1. */
  fastRatio?: number;
  /** A gradient norm below this is zero. Default 1e-12. */
  deadGrad?: number;
  /** A layer with a zero gradient at this fraction of its recorded steps or more is dead. Default 0.5. */
  deadFraction?: number;
  /** A median gradient norm above this, and explodingSpread× the other layers' median, is exploding. Default 1e3. */
  explodingGrad?: number;
  /** See explodingGrad. Default 100. */
  explodingSpread?: number;
}

/** Every threshold, filled in. */
export type Thresholds = Required<DiagnoseOptions>;

export const DEFAULTS: Thresholds = {
  explodeFactor: 3, reboundFactor: 1.5, minProgress: 0.02, trendProgress: 0.1, swingRatio: 0.1, noisyRatio: 0.5,
  lossFloor: 0.05, minSteps: 20, minEpochs: 3, epochMargin: 0.05, stillFalling: 0.1, lowAccuracy: 0.5, accuracyGap: 0.05,
  slowRatio: 1e-5, fastRatio: 0.1, deadGrad: 1e-12, deadFraction: 0.5, explodingGrad: 1e3, explodingSpread: 100,
};

const fraction: Check = (v) => (typeof v === "number" && v > 0 && v <= 1 ? null : "a number in (0, 1]");
export const CHECKS: { [K in keyof Thresholds]: Check } = {
  explodeFactor: above(1), reboundFactor: above(1), minProgress: inRange(0, 1), trendProgress: inRange(0, 1),
  swingRatio: above(0), noisyRatio: above(0), lossFloor: atLeast(0), minSteps: positiveInt, minEpochs: positiveInt,
  epochMargin: atLeast(0), stillFalling: fraction, lowAccuracy: fraction, accuracyGap: fraction,
  slowRatio: above(0), fastRatio: above(0), deadGrad: atLeast(0), deadFraction: fraction, explodingGrad: above(0), explodingSpread: above(1),
};

