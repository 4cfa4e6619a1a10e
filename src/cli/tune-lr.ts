import { StudyError } from "../errors.js";
import { compare } from "../train/compare.js";
import { createStudy } from "../tune/study.js";
import { InMemoryStorage } from "../tune/in-memory-storage.js";
import type { PreparedData } from "./dataset.js";
import { buildModel } from "./models.js";
import { defaultLr, makeOptimizer } from "./optimizers.js";
import type { CompareFlags } from "./commands/compare.js";

/**
 * `minima compare --tune-lr`'s search: per optimizer, LR_FACTORS times its usual lr, a log grid of 5
 * points over two decades (×0.1 … ×10, half a decade apart). One parameter needs no random search (its
 * advantage over a grid, note 003, comes from parameters that do not matter, and there are none here);
 * five points find the best lr of that range within a factor √10 ≈ 3.2, for 5 runs per optimizer.
 * Each trial trains the comparison's model for its epochs with its first seed and is judged by the last
 * epoch's validation loss; the test split stays unseen until the comparison.
 */
export const LR_FACTORS = [0.1, 0.31622776601683794, 1, 3.1622776601683795, 10] as const;

export interface LrSearch {
  optimizer: string;
  /** Each trial's lr and final validation loss (NaN: it diverged). */
  trials: { lr: number; valLoss: number }[];
  best: number;
}

export function tuneLearningRates(flags: CompareFlags, data: PreparedData, seed: number): LrSearch[] {
  return flags.optimizers.map((name) => {
    const usual = defaultLr(name);
    const lrs = LR_FACTORS.map((f) => Number((usual * f).toPrecision(6)));
    const study = createStudy({ storage: new InMemoryStorage(), studyName: `lr-${name}`, onWarning: () => {} });
    for (const lr of lrs) study.enqueueTrial({ lr });
    const trials: LrSearch["trials"] = [];
    study.optimize((trial) => {
      const lr = trial.suggestFloat("lr", lrs[0]!, lrs.at(-1)!, { log: true });
      const result = compare(() => buildModel(flags, data).model, {
        train: data.train, val: data.val, test: null, epochs: flags.epochs, batchSize: flags.batchSize, seeds: [seed], layerStatsEvery: 0, verbose: 0,
        optimizers: { [name]: (params) => makeOptimizer(name, params, { ...flags, lr }) },
      });
      const valLoss = result.optimizers[0]!.final.valLoss?.mean ?? NaN;
      trials.push({ lr, valLoss });
      console.log(`  ${name} lr ${lr}: val loss ${valLoss.toFixed(4)}`);
      return valLoss;
    }, { nTrials: lrs.length });
    let best: number;
    try {
      best = study.bestParams["lr"] as number;
    } catch {
      throw new StudyError({ where: "--tune-lr", what: `every lr tried for ${name} (${lrs.join(", ")}) diverged`, expected: "a smaller model or fewer epochs, or --lr by hand" });
    }
    // The grid's edge: a better lr may lie beyond it (CS231n's advice on coarse-to-fine search).
    if (best === lrs[0] || best === lrs.at(-1)) console.log(`  ${name}: the best lr, ${best}, is the ${best === lrs[0] ? "smallest" : "largest"} tried; a better one may lie beyond (set it with --lr)`);
    return { optimizer: name, trials, best };
  });
}
