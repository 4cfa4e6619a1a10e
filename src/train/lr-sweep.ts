/** How an LR range test sweeps: fastai's LRFinder (fastai/callback/schedule.py) with its AvgSmoothLoss. */
export interface LrSweepSettings {
  startLr: number;
  endLr: number;
  numIt: number;
  /** "exp": lr = startLr·(endLr/startLr)^(i/numIt) (fastai's SchedExp); "linear": startLr + (i/numIt)·(endLr − startLr). */
  mode: "exp" | "linear";
  /** Stop once the smoothed loss exceeds this many times the best smoothed loss so far (null: run all numIt batches). */
  stopDiv: number | null;
  /** β of the debiased moving average of the loss. */
  smoothing: number;
}

/** Why a sweep ended: the smoothed loss diverged, or numIt batches ran. */
export type LrSweepStop = "diverged" | "numIt";

/**
 * The bookkeeping of an LR range test, apart from training: the lr of batch i (i = 0, 1, …, so the last
 * of numIt batches runs at startLr·(endLr/startLr)^((numIt−1)/numIt), below endLr, as fastai's), and after
 * each batch its loss, the debiased moving average (val = lerp(loss, val, β), smoothed = val/(1 − β^count))
 * and whether to stop (smoothed > stopDiv × best smoothed, checked before the count, as LRFinder.after_batch).
 * A NaN loss makes every later smoothed value NaN, which never counts as diverged (NaN > x is false).
 */
export class LrSweep {
  readonly lrs: number[] = [];
  readonly losses: number[] = [];
  readonly smoothed: number[] = [];
  stop: LrSweepStop | null = null;
  private val = 0;
  private best = Infinity;

  constructor(readonly settings: LrSweepSettings) {}

  /** The lr batch `i` (0-based) trains at. */
  lrAt(i: number): number {
    const { startLr, endLr, numIt, mode } = this.settings;
    const pos = i / numIt;
    return mode === "exp" ? startLr * (endLr / startLr) ** pos : startLr + pos * (endLr - startLr);
  }

  /** Records the loss of the next batch, trained at `lr`; true when the sweep is over. */
  record(lr: number, loss: number): boolean {
    const { smoothing: beta, stopDiv, numIt } = this.settings;
    // torch.lerp(loss, val, β) as fastai calls it: for a weight ≥ 0.5 torch computes end − (end − start)·(1 − weight).
    this.val = beta < 0.5 ? loss + beta * (this.val - loss) : this.val - (this.val - loss) * (1 - beta);
    const smooth = this.val / (1 - beta ** (this.losses.length + 1));
    this.lrs.push(lr);
    this.losses.push(loss);
    this.smoothed.push(smooth);
    if (smooth < this.best) this.best = smooth;
    if (stopDiv !== null && smooth > stopDiv * this.best) this.stop = "diverged";
    else if (this.losses.length >= numIt) this.stop = "numIt";
    return this.stop !== null;
  }

  /** The best smoothed loss so far. */
  get bestSmoothed(): number {
    return this.best;
  }
}
