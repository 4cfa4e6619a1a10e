import type { EpochLog } from "../train/history.js";

/** One line per epoch for the terminal. */
export function formatEpoch(r: EpochLog, epochs: number): string {
  const pct = (x: number | null) => (x === null ? "-" : (100 * x).toFixed(2) + "%");
  return `epoch ${String(r.epoch).padStart(String(epochs).length)}/${epochs}  ` +
    `train loss ${r.loss.toFixed(4)} acc ${pct(r.accuracy)}  ` +
    (r.valLoss !== null ? `val loss ${r.valLoss.toFixed(4)} acc ${pct(r.valAccuracy)}  ` : "") +
    (r.testLoss !== null ? `test loss ${r.testLoss.toFixed(4)} acc ${pct(r.testAccuracy)}  ` : "") +
    `lr ${r.lr.toPrecision(3)}  ${r.seconds.toFixed(1)}s`;
}
