import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { DataFormatError, OptionError } from "../errors.js";
import { checkTrainConfig } from "./check-config.js";
import type { TrainConfig } from "./run-config.js";

/**
 * The config.json of a run folder minima train wrote, checked field by field: what `--resume` continues and what
 * the commands that study a trained run (curvature, slice, sharpness) rebuild the model and data from. `where` names the caller.
 */
export function readTrainConfig(path: string, where: string): TrainConfig {
  const configPath = join(path, "config.json");
  if (!existsSync(configPath)) throw new OptionError({ where, what: `${path} is not a run directory (no config.json)` });
  let json: { command?: unknown };
  try {
    json = JSON.parse(readFileSync(configPath, "utf8")) as { command?: unknown };
  } catch (e) {
    throw new DataFormatError({ where, what: `${configPath} is not valid JSON (${(e as Error).message})` });
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new DataFormatError({ where, what: `${configPath} is not a run's config`, expected: "a JSON object", got: JSON.stringify(json) });
  }
  if (json.command !== "train") throw new OptionError({ where, what: `${configPath} is not from minima train`, got: json.command === undefined ? "no command field" : JSON.stringify(json.command) });
  return checkTrainConfig(json, configPath, where);
}
