import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { DataFormatError } from "../errors.js";
import { removeStaleTempFiles, writeFileAtomic, writeFileDurable } from "../io/atomic-write.js";
import { nonFiniteReplacer, nonFiniteReviver } from "../io/non-finite-json.js";
import { decodeSafetensors, encodeSafetensors } from "../io/safetensors.js";
import { schemaFault } from "../io/schema-check.js";
import { CHECKPOINT_FORMAT, CHECKPOINT_VERSION, checkPosition, externalize, internalize, type Checkpoint, type CheckpointJSON, type RunShape, type TrainState } from "./checkpoint.js";

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
  try {
    for (const [file, bytes] of Object.entries(files)) {
      writeFileDurable(join(dir, `${file}.next`), bytes, join(dir, file));
      digests[file] = sha256(bytes);
    }
    writeFileAtomic(join(dir, `${name}.json`), sealed(JSON.stringify({ ...(json as object), files: digests }, nonFiniteReplacer)) + "\n");
  } catch (e) {
    // Not committed: the old JSON still describes the old files, which no `.next` file is needed to complete.
    for (const file of Object.keys(files)) rmSync(join(dir, `${file}.next`), { force: true });
    throw e;
  }
  for (const file of Object.keys(files)) renameSync(join(dir, `${file}.next`), join(dir, file));
}

/**
 * Tidies a checkpoint folder that a killed or failed run left, before a run writes to it again:
 * a `<file>.next` whose digest the committed `<name>.json` records is the commit's unfinished rename,
 * and is finished (as loadCheckpoint would); any other `.next` file is an uncommitted save, and
 * writeFileAtomic's `.tmp` files of dead processes are torn writes: both are removed.
 * Returns the names of the files removed.
 */
export function cleanCheckpointLeftovers(dir: string): string[] {
  const removed = removeStaleTempFiles(dir);
  let names: string[];
  try { names = readdirSync(dir); } catch { return removed; }
  for (const next of names.filter((n) => n.endsWith(".next"))) {
    const file = next.slice(0, -".next".length);
    const name = file.replace(/(\.state)?\.safetensors$/, "");
    if (committedDigest(dir, name, file) === sha256(readFileSync(join(dir, next)))) {
      renameSync(join(dir, next), join(dir, file));
    } else {
      rmSync(join(dir, next), { force: true });
      removed.push(next);
    }
  }
  return removed;
}

/** The digest `<dir>/<name>.json` records for `file`, or null when it records none (or cannot be read). */
function committedDigest(dir: string, name: string, file: string): string | null {
  try {
    const digest = (JSON.parse(readFileSync(join(dir, `${name}.json`), "utf8")) as { files?: Record<string, unknown> }).files?.[file];
    return typeof digest === "string" ? digest : null;
  } catch {
    return null;
  }
}

/** Whether `<dir>/<name>.json` exists. */
export function hasCheckpoint(dir: string, name: string): boolean {
  return existsSync(join(dir, `${name}.json`));
}

/**
 * Reads a checkpoint saveCheckpoint wrote. Its JSON is checked field by field first
 * (schemas/checkpoint.schema.json for the types, then checkPosition: counts that agree with each
 * other, with the history, and with `run` when given), then against the SHA-256 it records of itself
 * (an edit to any field shows), then every binary file against the digests in it; the first fault
 * fails, naming the field or the file.
 */
export function loadCheckpoint(dir: string, name: string, run?: RunShape): Checkpoint {
  const where = "loadCheckpoint";
  const jsonPath = join(dir, `${name}.json`);
  if (!existsSync(jsonPath)) throw new DataFormatError({ where, what: `no checkpoint ${jsonPath}` });
  const text = readFileSync(jsonPath, "utf8");
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(text) as Record<string, unknown>;
  } catch (e) {
    throw new DataFormatError({ where, what: `${jsonPath} is not valid JSON (${(e as Error).message})` });
  }
  if (raw?.["format"] === CHECKPOINT_FORMAT && raw["version"] === 1) {
    throw new DataFormatError({ where, what: `${jsonPath} is a checkpoint of format version 1 (an older minima), whose JSON records no digest of itself, so an edit to it would go unseen; finish that run with the minima that started it, or start it again`, expected: `version ${CHECKPOINT_VERSION}` });
  }
  if (raw?.["format"] !== CHECKPOINT_FORMAT || raw["version"] !== CHECKPOINT_VERSION) {
    throw new DataFormatError({ where, what: `${jsonPath} is not a minima checkpoint`, expected: `format "${CHECKPOINT_FORMAT}", version ${CHECKPOINT_VERSION}`, got: `format ${JSON.stringify(raw?.["format"])}, version ${JSON.stringify(raw?.["version"])}` });
  }
  // The schema reads NaN and ±Infinity as the strings they are written as; the rest reads them revived.
  const fault = schemaFault(raw, { file: "checkpoint.schema.json", type: "CheckpointJSON", writer: "saveCheckpoint" }, jsonPath);
  if (fault) throw new DataFormatError({ where, ...fault });
  const parsed = JSON.parse(text, nonFiniteReviver) as CheckpointJSON;
  checkPosition(parsed, jsonPath, run);
  if (sealed(unsealed(text)) !== text.trimEnd()) {
    throw new DataFormatError({ where, what: `${jsonPath} was edited or is corrupt: its content does not match the SHA-256 it records (field "sha256")` });
  }
  const digests = parsed.files;
  const weightsFile = `${name}.safetensors`, stateFile = `${name}.state.safetensors`;
  if (typeof digests[weightsFile] !== "string" || typeof digests[stateFile] !== "string") {
    throw new DataFormatError({ where, what: `${jsonPath} does not list the digests of ${weightsFile} and ${stateFile}` });
  }
  const read = (file: string) => verified(dir, file, digests[file]!, jsonPath);
  const weights = decodeSafetensors(read(weightsFile), join(dir, weightsFile));
  const tensors = decodeSafetensors(read(stateFile), join(dir, stateFile));
  const { files: _files, sha256: _sha256, ...json } = parsed;
  return { weights, state: internalize(json, tensors, join(dir, stateFile)) as TrainState };
}

/** A checkpoint's JSON text (one object) with its own SHA-256 added as the last field, `sha256`. */
function sealed(json: string): string {
  return `${json.slice(0, -1)},"sha256":"${sha256(Buffer.from(json))}"}`;
}

/** The text a sealed JSON was sealed from: without its last field `sha256` (the text as is when it has none). */
function unsealed(text: string): string {
  const m = /,"sha256":"[0-9a-f]{64}"\}\s*$/.exec(text);
  return m ? text.slice(0, m.index) + "}" : text.trimEnd();
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
