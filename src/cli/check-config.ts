import { DataFormatError } from "../errors.js";
import { schemaFault } from "../io/schema-check.js";
import type { TrainConfig } from "./run-config.js";

/**
 * Checks a run's config.json against schemas/config.schema.json (generated from TrainConfig) and
 * names the first bad field: `<file>: field "epochs" is of the wrong type; expected a number, got "ten"`.
 */
export function checkTrainConfig(config: unknown, file: string, where = "--resume"): TrainConfig {
  const fault = schemaFault(config, { file: "config.schema.json", type: "TrainConfig", writer: "minima train" }, file);
  if (fault) throw new DataFormatError({ where, ...fault });
  return config as TrainConfig;
}
