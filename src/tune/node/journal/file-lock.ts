import { randomUUID } from "node:crypto";
import { linkSync, lstatSync, renameSync, symlinkSync, unlinkSync } from "node:fs";
import { basename } from "node:path";
import { writeError } from "../../../file-error.js";

/** Optuna's lock file name: the journal's path plus this. */
export const LOCK_SUFFIX = ".lock";
const RENAME_SUFFIX = ".rename";

export interface JournalFileLockOptions {
  /**
   * Seconds a lock may stay unchanged while this process waits for it before it is broken as the
   * lock of a dead writer (newer Optuna's grace_period, default 30; Optuna 3.1 never breaks one).
   */
  grace?: number;
  /** Told when a stale lock is broken. */
  onWarning?: (message: string) => void;
}

/**
 * Optuna's JournalFileSymlinkLock, which Optuna 3.1 and later take on the same journal, so minima and
 * Optuna processes exclude each other: the lock is the symlink `<journal>.lock` (symlink() fails
 * with EEXIST while another holds it, also over NFS), released by renaming it to a unique name and
 * unlinking that. The waiter backs off from 1 ms, doubling up to 100 ms. As newer Optuna does, a
 * lock that stays the same file for `grace` seconds of this process's waiting is broken (a writer
 * killed while it held the lock); waiting time is measured here, so no two machines' clocks meet.
 * Unlike Optuna, release leaves alone a lock that is no longer the one this process made (its own
 * was broken while it stalled), instead of removing another writer's.
 */
export class JournalFileLock {
  readonly lockPath: string;
  private readonly grace: number;
  private readonly onWarning: (message: string) => void;
  /** The identity of the symlink this process created, while it holds the lock. */
  private held: string | null = null;

  constructor(private readonly journalPath: string, options: JournalFileLockOptions = {}) {
    this.lockPath = journalPath + LOCK_SUFFIX;
    this.grace = options.grace ?? 30;
    this.onWarning = options.onWarning ?? ((m) => console.warn(m));
  }

  acquire(): void {
    let wait = 1;
    let seen: string | null = null;
    let seenSince = performance.now();
    for (;;) {
      try {
        // The target is the journal's name, relative to the lock's folder, so the link resolves to the journal.
        symlinkSync(basename(this.journalPath), this.lockPath);
        this.held = lockIdentity(this.lockPath);
        return;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw writeError(e, this.lockPath);
      }
      const id = lockIdentity(this.lockPath);
      if (id !== seen) {
        seen = id;
        seenSince = performance.now();
      } else if (id !== null && performance.now() - seenSince > this.grace * 1000) {
        this.breakStale(id);
        seen = null;
        wait = 1;
        continue;
      }
      sleep(wait);
      wait = Math.min(wait * 2, 100);
    }
  }

  release(): void {
    const mine = this.held;
    this.held = null;
    if (mine === null) return;
    const aside = `${this.lockPath}${randomUUID()}${RENAME_SUFFIX}`;
    try {
      renameSync(this.lockPath, aside);
    } catch {
      this.onWarning(`${this.journalPath}: this process's journal lock was broken by another process while it held it`);
      return;
    }
    if (lockIdentity(aside) !== mine) {
      // Ours was broken and another writer holds a new lock: put it back (link fails if yet another appeared).
      try { linkSync(aside, this.lockPath); } catch { /* a newer lock stands; this one is stale either way */ }
      this.onWarning(`${this.journalPath}: this process's journal lock was broken by another process while it held it`);
    }
    unlinkSync(aside);
  }

  /** Removes a lock that has stood unchanged past the grace period, if it is still that one. */
  private breakStale(id: string): void {
    const aside = `${this.lockPath}${randomUUID()}${RENAME_SUFFIX}`;
    try {
      renameSync(this.lockPath, aside);
    } catch {
      return; // released or broken by another waiter meanwhile
    }
    if (lockIdentity(aside) !== id) {
      try { linkSync(aside, this.lockPath); } catch { /* a newer lock stands */ }
    } else {
      this.onWarning(`${this.journalPath}: broke the journal lock ${this.lockPath}, unchanged for ${this.grace} s (a writer died holding it)`);
    }
    unlinkSync(aside);
  }
}

/** The lock file's identity (inode and modification time in ns, which a rename keeps; a freed inode is reused at once), null when it is gone. */
function lockIdentity(path: string): string | null {
  try {
    const s = lstatSync(path, { bigint: true });
    return `${s.ino}:${s.mtimeNs}`;
  } catch {
    return null;
  }
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** Blocks this thread for `ms` milliseconds: the storage is synchronous, as fit is. */
export function sleep(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}
