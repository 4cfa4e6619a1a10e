import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { MinimaError, OptionError } from "../errors.js";
import { removeStaleTempFiles, writeFileAtomic } from "./atomic-write.js";
import { appendRunLog } from "./run-log-file.js";
import type { RunRecord } from "./run-log.js";
import { checkNotLocked, LOCK_FILE, lockRunDir, type RunLock } from "./run-lock.js";

/** What `minima train` writes in a run folder: `--overwrite` removes these, and only these. */
export const RUN_FILES = ["config.json", "metrics.jsonl", "model.safetensors", "report.html", "plots", "checkpoints"] as const;

/**
 * A run directory: `config.json` (everything needed to rerun), `metrics.jsonl` (the run log,
 * see run-log.ts), `checkpoints/`.
 */
export class RunDir {
  readonly path: string;
  /** Whether this process made the folder (it did not exist or was empty): `discardUnstarted` may remove it. */
  private created: boolean;
  private lock: RunLock | null = null;

  constructor(path: string) {
    this.path = resolve(path);
    this.created = !existsSync(this.path) || readdirSync(this.path).every((f) => f === LOCK_FILE);
    if (!this.created && !existsSync(join(this.path, "config.json"))) {
      throw new MinimaError({ where: "RunDir", what: `${this.path} exists and is not a run directory (no config.json); choose another --out` });
    }
    mkdirSync(join(this.path, "checkpoints"), { recursive: true });
    removeStaleTempFiles(this.path); // config.json's, metrics.jsonl's or model.safetensors's torn writes from a run that died
  }

  /**
   * Checks that a new run may go to `path` before anything is made: refuses a folder that holds a
   * run (its config.json) unless `overwrite`, and a folder holding other files.
   */
  static checkNew(path: string, overwrite: boolean): void {
    const dir = resolve(path);
    if (!existsSync(dir) || readdirSync(dir).every((f) => f === LOCK_FILE)) return;
    checkNotLocked(dir, "--out");
    if (!existsSync(join(dir, "config.json"))) {
      throw new MinimaError({ where: "RunDir", what: `${dir} exists and is not a run directory (no config.json); choose another --out` });
    }
    if (!overwrite) {
      throw new OptionError({ where: "--out", what: `${dir} holds a run already (its config.json); continue it with --resume ${path}, or replace it with --overwrite` });
    }
  }

  /**
   * A new run in `path`, locked for this process (see lockRunDir). A folder holding a run is
   * refused unless `overwrite`, which removes the old run's files (RUN_FILES) once the lock is held,
   * so that nothing of the old run mixes into the new one.
   */
  static create(path: string, options: { overwrite: boolean }): RunDir {
    const dir = resolve(path);
    const existed = existsSync(dir);
    mkdirSync(dir, { recursive: true });
    // The lock first: a process that holds the folder is named, whatever it has written yet.
    const lock = lockRunDir(dir, "--out");
    try {
      RunDir.checkNew(path, options.overwrite);
      const run = new RunDir(path);
      for (const name of RUN_FILES) rmSync(join(dir, name), { recursive: true, force: true });
      mkdirSync(join(dir, "checkpoints"));
      // Emptied of the old run (or new), the folder is this run's: discardUnstarted may remove it.
      run.created = readdirSync(dir).every((f) => f === LOCK_FILE || f === "checkpoints");
      run.lock = lock;
      return run;
    } catch (e) {
      lock.release();
      if (!existed) rmSync(dir, { recursive: true, force: true });
      throw e;
    }
  }

  /** An existing run, to continue (`--resume`), locked for this process. */
  static resume(path: string): RunDir {
    const lock = lockRunDir(resolve(path), "--resume");
    try {
      const run = new RunDir(path);
      run.lock = lock;
      return run;
    } catch (e) {
      lock.release();
      throw e;
    }
  }

  /** A fresh folder name under `root`: <prefix>-<YYYYMMDD-HHMMSS>, with a suffix if taken. */
  static freshPath(root: string, prefix: string): string {
    const stamp = new Date().toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
    let path = join(root, `${prefix}-${stamp}`);
    for (let i = 2; existsSync(path); i++) path = join(root, `${prefix}-${stamp}-${i}`);
    return path;
  }

  /** A new run in a fresh folder under `root` (see freshPath). */
  static fresh(root: string, prefix: string): RunDir {
    return new RunDir(RunDir.freshPath(root, prefix));
  }

  writeConfig(config: object): void {
    writeFileAtomic(join(this.path, "config.json"), JSON.stringify(config, null, 2) + "\n");
  }

  /** Appends to metrics.jsonl, which a first record creates with its header. */
  appendMetrics(record: RunRecord): void {
    appendRunLog(join(this.path, "metrics.jsonl"), [record]);
  }

  /** Frees the run folder's lock (also freed at the process's exit). */
  release(): void {
    this.lock?.release();
    this.lock = null;
  }

  /**
   * Removes the folder when this process created it and no training result is in it yet (no
   * checkpoint, no model): a run that failed before its first checkpoint leaves no folder holding
   * only its config.json. Returns whether it removed it.
   */
  discardUnstarted(): boolean {
    const left = readdirSync(this.path).filter((f) => f !== LOCK_FILE && f !== "config.json" && f !== "metrics.jsonl" && f !== "checkpoints");
    const checkpoints = existsSync(join(this.path, "checkpoints")) ? readdirSync(join(this.path, "checkpoints")) : [];
    const metrics = join(this.path, "metrics.jsonl");
    const logged = existsSync(metrics) && readFileSync(metrics, "utf8").split("\n").filter((l) => l.trim()).length > 1; // more than its header
    if (!this.created || left.length > 0 || checkpoints.length > 0 || logged) return false;
    this.release();
    rmSync(this.path, { recursive: true, force: true });
    return true;
  }
}
