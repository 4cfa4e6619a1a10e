import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { DataFormatError } from "../errors.js";
import { removeStaleTempFiles, writeFileAtomic, writeFileDurable } from "../io/atomic-write.js";
import { nonFiniteReplacer, nonFiniteReviver } from "../io/non-finite-json.js";
import { decodeSafetensors, encodeSafetensors } from "../io/safetensors.js";
import { CHECKPOINT_FORMAT, CHECKPOINT_VERSION, externalize, internalize, type Checkpoint, type TrainState } from "./checkpoint.js";

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
    writeFileAtomic(join(dir, `${name}.json`), JSON.stringify({ ...(json as object), files: digests }, nonFiniteReplacer) + "\n");
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
  if (parsed["format"] !== CHECKPOINT_FORMAT || parsed["version"] !== CHECKPOINT_VERSION) {
    throw new DataFormatError({ where, what: `${jsonPath} is not a minima checkpoint`, expected: `format "${CHECKPOINT_FORMAT}", version ${CHECKPOINT_VERSION}`, got: `format ${JSON.stringify(parsed["format"])}, version ${JSON.stringify(parsed["version"])}` });
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
