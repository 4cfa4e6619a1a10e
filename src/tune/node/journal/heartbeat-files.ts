import { closeSync, fstatSync, mkdirSync, openSync, rmSync, statSync, writeSync } from "node:fs";
import { join } from "node:path";
import type { HeartbeatBook } from "../../journal/backend.js";
import { writeError } from "../../../file-error.js";

/** The sidecar folder beside a journal that holds its heartbeats (Optuna reads only the journal, so it ignores it). */
export const HEARTBEATS_SUFFIX = ".heartbeats";

/** How long a measured offset between this process's clock and the file system's is trusted. */
const CLOCK_TTL_MS = 5000;

/**
 * Heartbeats of a journal's running trials, one small file per trial (`<journal>.heartbeats/<trial
 * id>`) whose modification time is the last beat. Optuna's journal has no heartbeat op (#6615), and
 * an op per beat would grow every reader's replay. Ages are measured on the file system's clock, as
 * Optuna's RDB storage measures them on the database's: "now" is the modification time of a file
 * this process has just written, so workers on machines sharing the journal over NFS need not agree
 * on the time.
 */
export class FileHeartbeats implements HeartbeatBook {
  readonly dir: string;
  /** The file system's clock minus this process's, in ms, and when it was measured. */
  private offset = 0;
  private measuredAt = -Infinity;

  constructor(journalPath: string) {
    this.dir = journalPath + HEARTBEATS_SUFFIX;
  }

  beat(trialId: number): void {
    this.touch(join(this.dir, String(trialId)));
  }

  age(trialId: number): number | null {
    let mtime: number;
    try {
      mtime = statSync(join(this.dir, String(trialId))).mtimeMs;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw e;
    }
    return Math.max(0, this.fsNow() - mtime) / 1000;
  }

  forget(trialId: number): void {
    rmSync(join(this.dir, String(trialId)), { force: true });
  }

  /** The file system's time now, in ms since the epoch. */
  private fsNow(): number {
    if (performance.now() - this.measuredAt > CLOCK_TTL_MS) this.touch(join(this.dir, "clock"));
    return Date.now() + this.offset;
  }

  /** Rewrites a file (so the file system stamps it with its own time) and learns the clock offset from it. */
  private touch(path: string): void {
    let fd: number;
    try {
      fd = openSync(path, "w");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw writeError(e, path);
      try { mkdirSync(this.dir, { recursive: true }); } catch (m) { throw writeError(m, this.dir); }
      fd = openSync(path, "w");
    }
    try {
      const before = Date.now();
      writeSync(fd, `${new Date(before).toISOString()}\n`);
      this.offset = fstatSync(fd).mtimeMs - before;
      this.measuredAt = performance.now();
    } catch (e) {
      throw writeError(e, path);
    } finally {
      closeSync(fd);
    }
  }
}
