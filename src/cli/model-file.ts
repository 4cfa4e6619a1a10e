import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { DataFormatError } from "../errors.js";
import { readRegularFile } from "../read-file.js";
import { decodeModel, type LoadedModel } from "../io/saved-model.js";

/** The model a command's argument names, a model file or a run folder (its model.safetensors), with the file's path. */
export function loadModelArgument(arg: string, where: string): LoadedModel & { path: string } {
  let path = arg;
  if (existsSync(arg) && statSync(arg).isDirectory()) {
    path = join(arg, "model.safetensors");
    if (!existsSync(path)) throw new DataFormatError({ where, what: `${arg} has no model.safetensors (minima train writes it when the run ends)` });
  } else if (!existsSync(arg)) {
    throw new DataFormatError({ where, what: `no such model file or run folder: ${arg}` });
  }
  return { ...decodeModel(readRegularFile(path, where), path), path }; // a FIFO or a device is refused, naming the command
}
