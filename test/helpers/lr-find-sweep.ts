import type { LrFindSettings } from "../../src/cli/lr-find-summary.js";
import type { LrFindResult } from "../../src/train/lr-find.js";

/** A short diverged LR range test written by hand (NaN inside the cut, no slide suggestion), and its settings. */
export const settings: LrFindSettings = { startLr: 1e-7, endLr: 10, numIt: 8, mode: "exp", stopDiv: 4, smoothing: 0.98, batchSize: 64 };
const suggestion = (lr: number, loss: number) => ({ lr, point: { lr, loss } });
export const result: LrFindResult = {
  lrs: [1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2], losses: [2.3, 2.2, 2, 1.5, 1, NaN], smoothed: [2.3, 2.25, 2.1, 1.8, 1.2, 9],
  stop: "diverged",
  suggestions: { valley: suggestion(1e-4, 1.8), slide: null, minimum: { lr: 1e-4, point: { lr: 1e-3, loss: 1.2 } }, steep: suggestion(1e-3, 1.2) },
};
