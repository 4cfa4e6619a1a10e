import { closeSync, fstatSync, fsyncSync, ftruncateSync, openSync, readdirSync, renameSync, rmSync, writeSync } from "node:fs";
import { dirname, basename, join } from "node:path";
import { writeError } from "../file-error.js";

/** The most one write call is given: Node refuses lengths over 2 GiB − 1, and Linux writes at most about that much at once. */
const CHUNK = 1 << 30;

/** A temporary file's name: `.<name>.<pid>.tmp`, beside the file it will replace. */
const TEMP_NAME = /^\.(.+)\.(\d+)\.tmp$/;

/**
 * Writes a file so that readers see either the old content or the new, never a torn one:
 * write a temporary file beside it, fsync it, rename it over the target, fsync the folder.
 * On any failure (a full disk, no permission) the temporary file is removed, the old file is
 * left as it was, and the error is a FileError naming `path`.
 * @example writeFileAtomic("runs/a/config.json", JSON.stringify(config));
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    writeDurable(tmp, data);
    renameSync(tmp, path);
  } catch (e) {
    removeQuietly(tmp);
    throw writeError(e, path);
  }
  syncDir(dirname(path));
}

/**
 * Writes a file and fsyncs it before returning, so its bytes are on disk; not atomic by itself
 * (writeFileAtomic renames such a file into place; checkpoints commit several of them at once).
 * On a failure the partly written file is removed and the error is a FileError naming `shownAs`
 * (the file the user knows this one as; by default `path`).
 */
export function writeFileDurable(path: string, data: string | Uint8Array, shownAs = path): void {
  try {
    writeDurable(path, data);
  } catch (e) {
    removeQuietly(path);
    throw writeError(e, shownAs);
  }
}

/**
 * Appends one line and fsyncs it, so a killed run keeps every line it reported. A failed append
 * (a full disk) cuts the file back to its old length, so no partial line stays (a file that was
 * empty is removed: a run log's next append then starts it with its header), and throws a FileError.
 */
export function appendLineDurable(path: string, line: string): void {
  let size = -1;
  try {
    const fd = openSync(path, "a");
    try {
      size = fstatSync(fd).size;
      writeAll(fd, Buffer.from(line.endsWith("\n") ? line : line + "\n"));
      fsyncSync(fd);
    } catch (e) {
      if (size > 0) try { ftruncateSync(fd, size); } catch { /* the write's error is the one to report */ }
      throw e;
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    if (size === 0) removeQuietly(path);
    throw writeError(e, path);
  }
}

/**
 * Removes the temporary files writeFileAtomic left in `dir` when its process died mid-write (their
 * names hold the writer's pid; a file of a process still alive is left alone). Returns their names.
 */
export function removeStaleTempFiles(dir: string): string[] {
  let names: string[];
  try { names = readdirSync(dir); } catch { return []; }
  const stale = names.filter((name) => {
    const pid = TEMP_NAME.exec(name)?.[2];
    return pid !== undefined && !isAlive(Number(pid));
  });
  for (const name of stale) removeQuietly(join(dir, name));
  return stale;
}

/**
 * Writes all of `bytes` at the file's position, in calls of at most CHUNK bytes: writeSync may
 * write fewer bytes than asked (a nearly full disk, a signal), and returns how many it wrote.
 * `write` is writeSync; tests give a stand-in that writes less.
 */
export function writeAll(fd: number, bytes: Uint8Array, write: (fd: number, b: Uint8Array, offset: number, length: number) => number = writeSync): void {
  for (let at = 0; at < bytes.length;) {
    const wrote = write(fd, bytes, at, Math.min(CHUNK, bytes.length - at));
    if (!(wrote > 0)) throw new Error(`write wrote ${wrote} bytes at offset ${at} of ${bytes.length}`);
    at += wrote;
  }
}

function writeDurable(path: string, data: string | Uint8Array): void {
  const fd = openSync(path, "w");
  try {
    writeAll(fd, typeof data === "string" ? Buffer.from(data) : data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM"; // alive, another user's
  }
}

function removeQuietly(path: string): void {
  try { rmSync(path, { force: true }); } catch { /* the caller's error is the one to report */ }
}

function syncDir(dir: string): void {
  try {
    const fd = openSync(dir, "r");
    try { fsyncSync(fd); } finally { closeSync(fd); }
  } catch {
    // Some platforms cannot open a directory for fsync; the rename is still atomic there.
  }
}
