import { closeSync, openSync, readFileSync, renameSync, rmSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { MinimaError } from "../errors.js";

/** The lock file's name inside a run folder. */
export const LOCK_FILE = "minima.lock";

/** Who holds a run folder: the process and its machine. */
export interface LockHolder {
  pid: number;
  host: string;
}

/** A run folder's lock, held by this process until `release()` (or the process's exit). */
export interface RunLock {
  readonly path: string;
  /** Removes the lock file if this process still holds it; safe to call more than once. */
  release(): void;
}

/**
 * Locks a run folder for this process, so that two processes never write one run (two `--resume R`,
 * or two fresh runs with one `--out`): creates `<dir>/minima.lock` holding `{ pid, host }` with
 * O_EXCL, which only one process can do. A lock whose process no longer exists on this host is
 * stale (a killed run) and taken over. `where` (the flag that named the folder) starts the refusal. The lock is released at the process's exit, however it
 * ends (process.exit included); `release()` frees it earlier.
 */
export function lockRunDir(dir: string, where: string): RunLock {
  const path = join(dir, LOCK_FILE);
  const me: LockHolder = { pid: process.pid, host: hostname() };
  for (let attempt = 0; ; attempt++) {
    if (create(path, me)) break;
    const holder = readHolder(path);
    if (holder === undefined) continue; // released between our try and our read: try again
    if (holder === null || isAlive(holder) || attempt > 0) throw inUse(dir, holder, where);
    takeOverStale(path, holder);
  }
  let held = true;
  const release = (): void => {
    if (!held) return;
    held = false;
    process.off("exit", release);
    const holder = readHolder(path);
    if (holder && holder.pid === me.pid && holder.host === me.host) rmSync(path, { force: true });
  };
  process.on("exit", release);
  return { path, release };
}

/** Refuses, naming the holder, when another live process holds `dir`'s lock; `where` starts the refusal. */
export function checkNotLocked(dir: string, where: string): void {
  const holder = readHolder(join(dir, LOCK_FILE));
  if (holder && holder.pid === process.pid && holder.host === hostname()) return; // ours
  if (holder === null || (holder !== undefined && isAlive(holder))) throw inUse(dir, holder, where);
}

function inUse(dir: string, holder: LockHolder | null, where: string): MinimaError {
  const path = join(dir, LOCK_FILE);
  const by = holder === null ? `another process: its lock file ${path} is unreadable; remove it if no minima uses this run`
    : `process ${holder.pid} on ${holder.host} (lock file ${path}); wait for that process to end${holder.host === hostname() ? "" : ", or remove the lock file if it is gone (a lock of another host cannot be checked)"}`;
  return new MinimaError({ where, what: `${dir} is in use by ${by}` });
}

/** Creates the lock file holding `me`; false when it exists. */
function create(path: string, me: LockHolder): boolean {
  let fd: number;
  try {
    fd = openSync(path, "wx");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw e;
  }
  try {
    writeSync(fd, JSON.stringify(me) + "\n");
  } finally {
    closeSync(fd);
  }
  return true;
}

/** The lock's holder; null when the file cannot be read as one; undefined when it is gone. */
function readHolder(path: string): LockHolder | null | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  }
  try {
    const h = JSON.parse(text) as Partial<LockHolder>;
    return Number.isSafeInteger(h.pid) && h.pid! > 0 && typeof h.host === "string" ? { pid: h.pid!, host: h.host } : null;
  } catch {
    // A process killed between creating the file and writing its pid leaves it empty.
    return null;
  }
}

/** Whether the holder's process may still run: another host's cannot be checked, so it counts as alive. */
function isAlive(holder: LockHolder): boolean {
  if (holder.host !== hostname()) return true;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM"; // exists, owned by another user
  }
}

/**
 * Removes a stale lock. It is first renamed aside (atomic: of two processes taking over at once,
 * one moves it) and removed only if what was moved is the stale lock read before; a live lock
 * moved by mistake (taken by another process in between) is put back.
 */
function takeOverStale(path: string, stale: LockHolder): void {
  const aside = `${path}.${process.pid}.stale`;
  try {
    renameSync(path, aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return; // another process took it over first
    throw e;
  }
  const moved = readHolder(aside);
  if (moved && (moved.pid !== stale.pid || moved.host !== stale.host)) renameSync(aside, path);
  else rmSync(aside, { force: true });
}
