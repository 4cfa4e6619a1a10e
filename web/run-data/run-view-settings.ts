/** The run page's settings, as they live in its URL ("#/run/<path>?smooth=0.8&logy=1&compare=runs/b,runs/c"). */
export interface RunViewSettings {
  /** The smoothing weight w of the bias-corrected EWMA, in [0, MAX_WEIGHT]; 0 draws the raw series only. */
  smooth: number;
  logY: boolean;
  logX: boolean;
  /** Other runs drawn on the same charts, by path. */
  compare: string[];
}

/** TensorBoard's default smoothing weight. */
export const DEFAULT_WEIGHT = 0.6;
/** Past this the EWMA spans over a thousand steps and the smoothed curve stops following the run (TensorBoard #5370). */
export const MAX_WEIGHT = 0.999;

/** The settings in a route's query; `problems` says, for each value that is not a setting, what was used instead. */
export function readRunViewSettings(query: URLSearchParams): { settings: RunViewSettings; problems: string[] } {
  const problems: string[] = [];
  let smooth = DEFAULT_WEIGHT;
  const given = query.get("smooth");
  if (given !== null) {
    const w = Number(given);
    if (given.trim() !== "" && Number.isFinite(w) && w >= 0 && w <= MAX_WEIGHT) smooth = w;
    else problems.push(`smooth=${given} in the URL is not a smoothing weight (a number from 0 to ${MAX_WEIGHT}): using ${DEFAULT_WEIGHT}`);
  }
  const flag = (key: string): boolean => {
    const v = query.get(key);
    if (v === null || v === "0") return false;
    if (v === "1") return true;
    problems.push(`${key}=${v} in the URL is not 0 or 1: using 0`);
    return false;
  };
  const compare = (query.get("compare") ?? "").split(",").filter((p) => p !== "");
  return { settings: { smooth, logY: flag("logy"), logX: flag("logx"), compare: [...new Set(compare)] }, problems };
}

/** The query that gives these settings back (defaults left out). */
export function runViewQuery(s: RunViewSettings): Record<string, string | null> {
  return {
    smooth: s.smooth === DEFAULT_WEIGHT ? null : String(s.smooth),
    logy: s.logY ? "1" : null,
    logx: s.logX ? "1" : null,
    compare: s.compare.length > 0 ? s.compare.join(",") : null,
  };
}
