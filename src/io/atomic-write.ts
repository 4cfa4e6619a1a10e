import { closeSync, fsyncSync, openSync, renameSync, writeSync, rmSync } from "node:fs";
import { dirname, basename, join } from "node:path";

/**
 * Writes a file so that readers see either the old content or the new, never a torn one:
 * write a temporary file beside it, fsync it, rename it over the target, fsync the folder.
 * @example writeFileAtomic("runs/a/config.json", JSON.stringify(config));
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    writeFileDurable(tmp, data);
  } catch (e) {
    rmSync(tmp, { force: true }); // the open itself may have failed: then there is nothing to remove
    throw e;
  }
  renameSync(tmp, path);
  syncDir(dirname(path));
}

/**
 * Writes a file and fsyncs it before returning, so its bytes are on disk; not atomic by itself
 * (writeFileAtomic renames such a file into place; checkpoints commit several of them at once).
 */
export function writeFileDurable(path: string, data: string | Uint8Array): void {
  const fd = openSync(path, "w");
  try {
    writeSync(fd, typeof data === "string" ? Buffer.from(data) : data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Appends one line and fsyncs it, so a killed run keeps every line it reported. */
export function appendLineDurable(path: string, line: string): void {
  const fd = openSync(path, "a");
  try {
    writeSync(fd, line.endsWith("\n") ? line : line + "\n");
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function syncDir(dir: string): void {
  try {
    const fd = openSync(dir, "r");
    try { fsyncSync(fd); } finally { closeSync(fd); }
  } catch {
    // Some platforms cannot open a directory for fsync; the rename is still atomic there.
  }
}
