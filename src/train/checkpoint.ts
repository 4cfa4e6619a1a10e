import { createHash } from "node:crypto";
import { existsSync, readFileSync, renameSync } from "node:fs";
import { join } from "node:path";
import { DataFormatError, StateDictError } from "../errors.js";
import { writeFileAtomic, writeFileDurable } from "../io/atomic-write.js";
import { decodeSafetensors, encodeSafetensors, type TensorMap } from "../io/safetensors.js";
import { Tensor } from "../tensor/tensor.js";
import { nonFiniteReplacer, nonFiniteReviver } from "../io/non-finite-json.js";

/** The JSON half of a checkpoint: where training stood and the state of everything that moves. */
export interface TrainState {
  format: "minima.checkpoint";
  version: 1;
  /** Epochs finished. */
  epochsDone: number;
  /** Batches finished in the epoch after those (0 at an epoch boundary). */
  batchesDone: number;
  /** Optimizer steps taken. */
  step: number;
  [key: string]: unknown;
}

/** Weights by name (the model's stateDict, loadable by PyTorch users) and the JSON state. */
export interface Checkpoint {
  weights: TensorMap;
  state: TrainState;
}

const FORMAT = "minima.checkpoint";
// Number arrays this long (optimizer buffers, saved weights inside callbacks' state) go to the
// binary file as float64 (exact for any JS number) instead of bloating the JSON.
const LONG_ARRAY = 64;

/**
 * Writes `<dir>/<name>.safetensors` (weights), `<dir>/<name>.state.safetensors` (the state's long
 * arrays and tensors) and `<dir>/<name>.json` (the rest, with both files' SHA-256) so that a kill at
 * any instant leaves a whole checkpoint, old or new: each binary file is first written complete and
 * fsynced as `<file>.next`; replacing the JSON (atomically) is the commit; then the `.next` files are
 * renamed over the old ones. A reader that finds a file not matching the JSON finishes the renames.
 */
export function saveCheckpoint(dir: string, name: string, checkpoint: Checkpoint): void {
  const { json, tensors } = externalize(checkpoint.state);
  const files: Record<string, Uint8Array> = {
    [`${name}.safetensors`]: encodeSafetensors(checkpoint.weights, { format: "pt" }),
    [`${name}.state.safetensors`]: encodeSafetensors(tensors),
  };
  const digests: Record<string, string> = {};
  for (const [file, bytes] of Object.entries(files)) {
    writeFileDurable(join(dir, `${file}.next`), bytes);
    digests[file] = sha256(bytes);
  }
  writeFileAtomic(join(dir, `${name}.json`), JSON.stringify({ ...(json as object), files: digests }, nonFiniteReplacer) + "\n");
  for (const file of Object.keys(files)) renameSync(join(dir, `${file}.next`), join(dir, file));
}

/** Whether `<dir>/<name>.json` exists. */
export function hasCheckpoint(dir: string, name: string): boolean {
  return existsSync(join(dir, `${name}.json`));
}

/**
 * Reads a checkpoint saveCheckpoint wrote, checking every file against the digests in its JSON;
 * a file that does not match (a truncated copy, another run's file) fails, naming it.
 */
export function loadCheckpoint(dir: string, name: string): Checkpoint {
  const where = "loadCheckpoint";
  const jsonPath = join(dir, `${name}.json`);
  if (!existsSync(jsonPath)) throw new DataFormatError({ where, what: `no checkpoint ${jsonPath}` });
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(readFileSync(jsonPath, "utf8"), nonFiniteReviver) as Record<string, unknown>;
  } catch (e) {
    throw new DataFormatError({ where, what: `${jsonPath} is not valid JSON (${(e as Error).message})` });
  }
  if (parsed["format"] !== FORMAT || parsed["version"] !== 1) {
    throw new DataFormatError({ where, what: `${jsonPath} is not a minima checkpoint`, expected: `format "${FORMAT}", version 1`, got: `format ${JSON.stringify(parsed["format"])}, version ${JSON.stringify(parsed["version"])}` });
  }
  const digests = parsed["files"] as Record<string, string> | undefined;
  const weightsFile = `${name}.safetensors`, stateFile = `${name}.state.safetensors`;
  if (typeof digests?.[weightsFile] !== "string" || typeof digests[stateFile] !== "string") {
    throw new DataFormatError({ where, what: `${jsonPath} does not list the digests of ${weightsFile} and ${stateFile}` });
  }
  const read = (file: string) => verified(dir, file, digests[file]!, jsonPath);
  const weights = decodeSafetensors(read(weightsFile), join(dir, weightsFile));
  const tensors = decodeSafetensors(read(stateFile), join(dir, stateFile));
  const { files: _files, ...json } = parsed;
  return { weights, state: internalize(json, tensors, join(dir, stateFile)) as TrainState };
}

/** The file's bytes when they match the digest; else the committed `.next` copy, renamed into place. */
function verified(dir: string, file: string, digest: string, jsonPath: string): Uint8Array {
  const path = join(dir, file);
  if (existsSync(path)) {
    const bytes = readFileSync(path);
    if (sha256(bytes) === digest) return bytes;
  }
  const next = `${path}.next`;
  if (existsSync(next)) {
    const bytes = readFileSync(next);
    if (sha256(bytes) === digest) {
      renameSync(next, path);
      return bytes;
    }
  }
  throw new DataFormatError({ where: "loadCheckpoint", what: `${path} is ${existsSync(path) ? "corrupt or from another checkpoint" : "missing"}: its SHA-256 does not match the one ${jsonPath} records` });
}

function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** Moves Tensors and long number arrays out of a JSON value into named tensors, leaving {"$tensor": key}. */
export function externalize(value: unknown): { json: unknown; tensors: TensorMap } {
  const tensors: TensorMap = {};
  const walk = (v: unknown, path: string): unknown => {
    if (v instanceof Tensor) {
      tensors[path] = v;
      return { $tensor: path };
    }
    if (Array.isArray(v)) {
      if (v.length >= LONG_ARRAY && v.every((x) => typeof x === "number")) {
        tensors[path] = new Tensor(Float64Array.from(v as number[]), [v.length]);
        return { $tensor: path, $array: true };
      }
      return v.map((x, i) => walk(x, `${path}.${i}`));
    }
    if (v !== null && typeof v === "object") {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, path ? `${path}.${k}` : k)]));
    }
    return v;
  };
  return { json: walk(value, ""), tensors };
}

/** The inverse of externalize. */
export function internalize(json: unknown, tensors: TensorMap, where: string): unknown {
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v === null || typeof v !== "object") return v;
    const ref = (v as { $tensor?: unknown }).$tensor;
    if (typeof ref === "string") {
      const t = tensors[ref];
      if (!t) throw new StateDictError({ where: "loadCheckpoint", what: `${where} has no tensor "${ref}", which the checkpoint's JSON refers to` });
      return (v as { $array?: boolean }).$array ? Array.from(t.data) : t;
    }
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
  };
  return walk(json);
}
