import { DataFormatError } from "../errors.js";
import type { LrFindResult } from "../train/lr-find.js";
import type { LrSweepSettings } from "../train/lr-sweep.js";

/** lr_find.jsonl as minima lr-find writes it: its first line (the settings, how the sweep ended, the suggestions, the curvature), and the sweep. */
export interface LrFindFile extends LrFindResult {
  settings: LrSweepSettings & { batchSize: number };
  /** The one-cycle peak the valley implies (null without a valley). */
  oneCycleMaxLr: number | null;
  /** With --curvature: λmax at the swept model's weights, and 2/λmax (null when λmax ≤ 0). */
  curvature: { lambdaMax: number; batches: number; lrLimit: number | null } | null;
}

/**
 * Reads lr_find.jsonl (a loss that was NaN is written as null and read back as NaN); `file` names it in errors.
 * @example mn.report.lrFindChart(parseLrFindFile(readFileSync("runs/lr-find-1/lr_find.jsonl", "utf8"), "lr_find.jsonl"));
 */
export function parseLrFindFile(text: string, file: string): LrFindFile {
  const lines = text.split("\n").filter((l) => l.trim() !== "");
  const records = lines.map((line, i) => {
    try { return JSON.parse(line) as Record<string, unknown>; } catch {
      throw new DataFormatError({ where: `${file}:${i + 1}`, what: "is not JSON", expected: "one JSON record per line" });
    }
  });
  const first = records[0];
  if (first?.["kind"] !== "lr-find") {
    throw new DataFormatError({ where: `${file}:1`, what: "is not an LR range test's first line", expected: 'a record of kind "lr-find" (minima lr-find\'s lr_find.jsonl)', got: lines[0] === undefined ? "an empty file" : `kind ${JSON.stringify(first?.["kind"])}` });
  }
  const lrs: number[] = [], losses: number[] = [], smoothed: number[] = [];
  const num = (r: Record<string, unknown>, key: string, line: number) => {
    const v = r[key];
    if (v === null) return NaN;
    if (typeof v !== "number") throw new DataFormatError({ where: `${file}:${line}`, what: `"${key}" is not a number`, got: JSON.stringify(v) });
    return v;
  };
  records.slice(1).forEach((r, i) => {
    if (r["kind"] !== "batch") return;
    lrs.push(num(r, "lr", i + 2));
    losses.push(num(r, "loss", i + 2));
    smoothed.push(num(r, "smoothed", i + 2));
  });
  const { startLr, endLr, numIt, mode, stopDiv, smoothing, batchSize } = first as unknown as LrFindFile["settings"];
  return {
    settings: { startLr, endLr, numIt, mode, stopDiv, smoothing, batchSize },
    stop: first["stop"] as LrFindResult["stop"], suggestions: first["suggestions"] as LrFindResult["suggestions"],
    oneCycleMaxLr: (first["oneCycleMaxLr"] as number | null) ?? null, curvature: (first["curvature"] as LrFindFile["curvature"]) ?? null,
    lrs, losses, smoothed,
  };
}
