import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as mn from "../../src/index.node.js";
import { loadBetterSqlite3 } from "../../src/tune/node/sqlite-driver.js";

/**
 * Whether better-sqlite3 (an optional dependency) loads here. Without it SQLite's tests are skipped
 * with a message on stderr — unless MINIMA_REQUIRE_SQLITE=1 (as .ci/run sets), where they fail.
 */
export function sqliteSkipReason(): string | undefined {
  try {
    loadBetterSqlite3("sqlite:");
    return undefined;
  } catch (e) {
    const why = (e as Error).message;
    assert.notEqual(process.env["MINIMA_REQUIRE_SQLITE"], "1", `${why}, and MINIMA_REQUIRE_SQLITE=1 requires it`);
    process.stderr.write(`\nSKIPPED SQLite storage tests: ${why}\n`);
    return why;
  }
}

/** A fresh folder for database files, removed when the process exits. */
export function tempDbDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "minima-sqlite-"));
  process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

let n = 0;
/** A new database file's URL in dir (absolute path: four slashes). */
export function newSqliteUrl(dir: string): string {
  return `sqlite:///${join(dir, `db-${process.pid}-${++n}.db`)}`;
}

export const openSqlite = (url: string, heartbeat: mn.tune.HeartbeatPolicy | null = null) => mn.tune.openStorage(url, { heartbeat });
