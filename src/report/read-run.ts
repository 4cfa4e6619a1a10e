import { existsSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { DataFormatError, MinimaError } from "../errors.js";
import { parseMetrics, type RunData } from "./run-data.js";

/**
 * Reads a run directory written by `minima train`: config.json and metrics.jsonl (the run log: a
 * header, then "step", "layer", "event", "epoch" and a closing "end" record; see io/run-log.ts).
 * @example const { history, diagnosis } = mn.report.readRun("runs/train-mnist-20250101-120000");
 */
export function readRun(path: string): RunData {
  const dir = resolve(path);
  if (!existsSync(dir)) throw new MinimaError({ where: "readRun", what: `no run directory at ${dir}` });
  if (!statSync(dir).isDirectory()) throw new MinimaError({ where: "readRun", what: `${dir} is a file, not a run directory` });
  const metricsPath = join(dir, "metrics.jsonl");
  if (!existsSync(metricsPath)) {
    throw new MinimaError({ where: "readRun", what: `${dir} is not a run directory: it has no metrics.jsonl`, expected: "a folder written by minima train (config.json, metrics.jsonl)" });
  }
  const configPath = join(dir, "config.json");
  let config: Record<string, unknown> | null = null;
  if (existsSync(configPath)) {
    try {
      config = JSON.parse(readFileSync(configPath, "utf8")) as Record<string, unknown>;
    } catch (e) {
      throw new DataFormatError({ where: configPath, what: "not valid JSON", got: (e as Error).message });
    }
    if (config === null || typeof config !== "object" || Array.isArray(config)) {
      throw new DataFormatError({ where: configPath, what: "not a JSON object", got: JSON.stringify(config) });
    }
  }
  return { config, ...parseMetrics(readFileSync(metricsPath, "utf8"), metricsPath) };
}
