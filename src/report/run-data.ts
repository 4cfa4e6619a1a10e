import { parseRunLog, type RunLog } from "../io/run-log.js";
import { History } from "../train/history.js";

/** A run directory read back: its flags, what it recorded and how it ended. */
export interface RunData extends Omit<RunLog, "history"> {
  /** config.json (the CLI flags), or null when the folder has none. */
  config: Record<string, unknown> | null;
  history: History;
}

/**
 * Parses the text of a metrics.jsonl into a History (io's parseRunLog, which says what it tolerates);
 * `file` names it in errors ("runs/a/metrics.jsonl:12: ...").
 * @example const { history } = mn.report.parseMetrics(text, "metrics.jsonl");
 */
export function parseMetrics(text: string, file: string): Omit<RunData, "config"> {
  const log = parseRunLog(text, file);
  return { ...log, history: History.fromJSON(log.history) };
}
