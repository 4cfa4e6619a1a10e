import { existsSync, readFileSync } from "node:fs";
import { appendLineDurable, writeFileAtomic } from "./atomic-write.js";
import { encodeRecord, parseRunLog, parseRunLogHeader, runLogHeader, type HeaderRecord, type RunLog, type RunRecord } from "./run-log.js";

/** Replaces the run log at `path` (atomically) with the header and `records`. */
export function writeRunLog(path: string, records: readonly RunRecord[]): void {
  writeFileAtomic(path, [runLogHeader(), ...records].map((r) => encodeRecord(r) + "\n").join(""));
}

/** Appends `records` to the run log at `path`, fsynced; a new file starts with the header. */
export function appendRunLog(path: string, records: readonly RunRecord[]): void {
  const lines = [...(existsSync(path) ? [] : [runLogHeader()]), ...records].map(encodeRecord);
  if (lines.length) appendLineDurable(path, lines.join("\n"));
}

/** Reads and parses the run log at `path` (see parseRunLog). */
export function readRunLog(path: string): RunLog {
  return parseRunLog(readFileSync(path, "utf8"), path);
}

/** The header of the run log at `path`: null when the file predates headers; refuses a newer major format. */
export function readRunLogHeader(path: string): HeaderRecord | null {
  return parseRunLogHeader(readFileSync(path, "utf8"), path);
}
