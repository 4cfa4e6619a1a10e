import { StorageError } from "../../errors.js";
import { SQLITE_SCHEMA } from "../sql/schema-sqlite.js";
import { SqlStorage } from "../sql/sql-storage.js";
import type { Storage } from "../storage.js";
import type { OpenStorageOptions } from "./open-storage.js";
import { SqliteDriver } from "./sqlite-driver.js";

/**
 * The file a sqlite: URL names, as SQLAlchemy (and so Optuna) reads it: sqlite:///relative.db,
 * sqlite:////absolute/path.db, and sqlite:// or sqlite:///:memory: for a database in memory.
 */
export function sqlitePath(url: string): string {
  if (url === "sqlite://" || url === "sqlite:///:memory:") return ":memory:";
  const m = /^sqlite:\/\/\/([^?]+)$/.exec(url);
  if (m === null) throw new StorageError({ where: "openStorage", what: "a SQLite URL names its file after three slashes", expected: "sqlite:///relative/path.db or sqlite:////absolute/path.db", got: JSON.stringify(url) });
  return m[1]!;
}

/** sqlite:///path.db in Optuna's RDB schema (better-sqlite3, an optional dependency, loaded only here). */
export function openSqlite(url: string, options: OpenStorageOptions): Storage {
  const driver = SqliteDriver.open(url, sqlitePath(url));
  try {
    return new SqlStorage(driver, { schema: SQLITE_SCHEMA, heartbeat: options.heartbeat ?? null });
  } catch (e) {
    driver.close();
    throw e;
  }
}
