import type { EpochLog } from "./history.js";

/**
 * One epoch as one line: the epoch, the training loss, accuracy and metrics, the same for the val and
 * test sets when given, the lr and the epoch's time. fit's `verbose` prints it, and so do the CLI's commands.
 * @example formatEpoch(log, 10) // "epoch  3/10  train loss 0.3121 acc 90.52%  val loss 0.3380 acc 89.90%  lr 0.0500  4.1s"
 */
export function formatEpoch(r: EpochLog, epochs: number): string {
  const pct = (x: number | null) => (x === null ? "-" : (100 * x).toFixed(2) + "%");
  const num = (x: number | null) => (x === null ? "-" : x.toFixed(4));
  const metrics = (split: "train" | "val" | "test") => Object.entries(r.metrics ?? {}).map(([name, v]) => ` ${name} ${num(v[split])}`).join("");
  return `epoch ${String(r.epoch).padStart(String(epochs).length)}/${epochs}  ` +
    `train loss ${r.loss.toFixed(4)} acc ${pct(r.accuracy)}${metrics("train")}  ` +
    (r.valLoss !== null ? `val loss ${r.valLoss.toFixed(4)} acc ${pct(r.valAccuracy)}${metrics("val")}  ` : "") +
    (r.testLoss !== null ? `test loss ${r.testLoss.toFixed(4)} acc ${pct(r.testAccuracy)}${metrics("test")}  ` : "") +
    `lr ${r.lr.toPrecision(3)}  ${r.seconds.toFixed(1)}s`;
}
