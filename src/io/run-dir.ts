import { existsSync, mkdirSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { MinimaError } from "../errors.js";
import { removeStaleTempFiles, writeFileAtomic } from "./atomic-write.js";
import { appendRunLog } from "./run-log-file.js";
import type { RunRecord } from "./run-log.js";

/**
 * A run directory: `config.json` (everything needed to rerun), `metrics.jsonl` (the run log,
 * see run-log.ts), `checkpoints/`.
 */
export class RunDir {
  readonly path: string;

  constructor(path: string) {
    this.path = resolve(path);
    if (existsSync(this.path) && readdirSync(this.path).length > 0 && !existsSync(join(this.path, "config.json"))) {
      throw new MinimaError({ where: "RunDir", what: `${this.path} exists and is not a run directory (no config.json); choose another --out` });
    }
    mkdirSync(join(this.path, "checkpoints"), { recursive: true });
    removeStaleTempFiles(this.path); // config.json's, metrics.jsonl's or model.safetensors's torn writes from a run that died
  }

  /** A fresh folder name under `root`: <prefix>-<YYYYMMDD-HHMMSS>, with a suffix if taken. */
  static fresh(root: string, prefix: string): RunDir {
    const stamp = new Date().toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
    let path = join(root, `${prefix}-${stamp}`);
    for (let i = 2; existsSync(path); i++) path = join(root, `${prefix}-${stamp}-${i}`);
    return new RunDir(path);
  }

  writeConfig(config: object): void {
    writeFileAtomic(join(this.path, "config.json"), JSON.stringify(config, null, 2) + "\n");
  }

  /** Appends to metrics.jsonl, which a first record creates with its header. */
  appendMetrics(record: RunRecord): void {
    appendRunLog(join(this.path, "metrics.jsonl"), [record]);
  }
}
