import type { LrFindResult } from "../../train/lr-find.js";
import { lineChart, type Series } from "./line-chart.js";

const SUGGESTIONS = ["valley", "slide", "minimum", "steep"] as const;

/**
 * The LR range test's plot, as fastai draws it: the smoothed loss against the learning rate on a log axis,
 * without the last `skipEnd` points (default 5, fastai's: where it diverged), and a dot at the point each
 * suggestion comes from (for minimum, the lowest loss, whose lr it divides by 10).
 * @example writeFileSync("lr_find.svg", mn.report.lrFindChart(mn.train.lrFind(model, { train, optimizer })));
 */
export function lrFindChart(result: Pick<LrFindResult, "lrs" | "smoothed" | "suggestions">, options: { title?: string; skipEnd?: number } = {}): string {
  const keep = Math.max(0, result.lrs.length - (options.skipEnd ?? 5));
  const curve: Series = { name: "smoothed loss", x: result.lrs.slice(0, keep), y: result.smoothed.slice(0, keep), color: "#0072B2" };
  const marks = SUGGESTIONS.flatMap((name): Series[] => {
    const s = result.suggestions[name];
    return s ? [{ name: `${name} ${Number(s.lr.toPrecision(3))}`, x: [s.point.lr], y: [s.point.loss] }] : [];
  });
  return lineChart({ title: options.title ?? "LR range test", xLabel: "learning rate", yLabel: "loss", xScale: "log", series: [curve, ...marks] });
}
