import { createRequire } from "node:module";
import { MinimaError, StorageError } from "../../errors.js";
import type { SqlDriver } from "../sql/driver.js";

/** The part of better-sqlite3's API the driver uses (the package is optional, so its types are not a dependency). */
interface Statement {
  readonly reader: boolean;
  all(params: readonly unknown[]): Record<string, unknown>[];
  run(params: readonly unknown[]): unknown;
}
interface Database {
  prepare(sql: string): Statement;
  exec(sql: string): void;
  pragma(sql: string, options?: { simple?: boolean }): unknown;
  close(): void;
}
type DatabaseClass = new (path: string, options?: { timeout?: number }) => Database;

const require = createRequire(import.meta.url);

/**
 * better-sqlite3, required only when a sqlite: URL is opened: it is an optional dependency, a native
 * addon compiled at install, and must be version 12 on Node 20 (13 needs Node 22 and crashes on 20).
 */
export function loadBetterSqlite3(url: string): DatabaseClass {
  try {
    return require("better-sqlite3") as DatabaseClass;
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === "MODULE_NOT_FOUND") throw new StorageError({ where: url, what: "SQLite storage needs the optional package better-sqlite3, which is not installed", expected: "it installed: npm install better-sqlite3@12" });
    // Its addon unbuilt (npm ≥ 11 skips a dependency's install script until approved) or built for another Node.
    throw new StorageError({ where: url, what: `better-sqlite3 is installed but does not load (${(e as Error).message.split("\n")[0]})`, expected: "its addon built for this Node: npm install-scripts approve better-sqlite3 (npm ≥ 11), then npm rebuild better-sqlite3" });
  }
}

export interface SqliteDriverOptions {
  /** busy_timeout: how long one statement waits for another process's write lock before SQLITE_BUSY. Default 10 s. */
  busyTimeoutMs?: number;
  /** A transaction still refused after this many waits of busyTimeoutMs fails. Default 6 (a minute). */
  busyAttempts?: number;
}

/**
 * A SqlDriver over better-sqlite3: synchronous already, WAL (readers never block the writer) and a busy
 * timeout (Optuna's "database is locked" family came from neither being set). Writes take the lock up
 * front with BEGIN IMMEDIATE, so two workers never deadlock upgrading a read to a write.
 */
export class SqliteDriver implements SqlDriver {
  readonly dialect = "sqlite" as const;
  private readonly statements = new Map<string, { statement: Statement; order: number[] }>();
  private depth = 0;
  private readonly busyTimeoutMs: number;
  private readonly busyAttempts: number;

  constructor(
    readonly url: string,
    private readonly db: Database,
    options: SqliteDriverOptions = {},
  ) {
    this.busyTimeoutMs = options.busyTimeoutMs ?? 10_000;
    this.busyAttempts = options.busyAttempts ?? 6;
    this.db.pragma(`busy_timeout = ${this.busyTimeoutMs}`);
    this.run(() => this.db.pragma("journal_mode = WAL"));
  }

  static open(url: string, path: string, options: SqliteDriverOptions = {}): SqliteDriver {
    const Database = loadBetterSqlite3(url);
    let db: Database;
    try {
      db = new Database(path);
    } catch (e) {
      throw new StorageError({ where: url, what: `cannot open the SQLite database ${JSON.stringify(path)}: ${(e as Error).message}` });
    }
    try {
      return new SqliteDriver(url, db, options);
    } catch (e) {
      db.close();
      throw e;
    }
  }

  /** Runs a better-sqlite3 call, turning its errors into StorageErrors that name the database. */
  private run<T>(fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      if (e instanceof MinimaError) throw e;
      const error = new StorageError({ where: this.url, what: `SQLite: ${(e as Error).message}` });
      (error as { code?: unknown }).code = (e as { code?: unknown }).code;
      throw error;
    }
  }

  query(sql: string, params: readonly unknown[] = []): Record<string, unknown>[] {
    let prepared = this.statements.get(sql);
    if (prepared === undefined) {
      // $1, $2… become ?, with the arguments in the order their placeholders appear.
      const order: number[] = [];
      const text = sql.replace(/\$(\d+)/g, (_, n: string) => (order.push(Number(n) - 1), "?"));
      prepared = { statement: this.run(() => this.db.prepare(text)), order };
      this.statements.set(sql, prepared);
    }
    const { statement, order } = prepared;
    const args = order.map((i) => params[i] ?? null);
    return this.run(() => (statement.reader ? statement.all(args) : (statement.run(args), [])));
  }

  transaction<T>(fn: () => T): T {
    if (this.depth > 0) return fn();
    for (let attempt = 1; ; attempt++) {
      try {
        return this.within("BEGIN IMMEDIATE", fn);
      } catch (e) {
        const busy = (e as { code?: unknown }).code === "SQLITE_BUSY";
        if (!busy) throw e;
        if (attempt >= this.busyAttempts) throw new StorageError({ where: this.url, what: `the database stayed locked by another process for ${(this.busyAttempts * this.busyTimeoutMs) / 1000} s` });
      }
    }
  }

  snapshot<T>(fn: () => T): T {
    if (this.depth > 0) return fn();
    return this.within("BEGIN DEFERRED", fn);
  }

  private within<T>(begin: string, fn: () => T): T {
    this.run(() => this.db.exec(begin));
    this.depth++;
    try {
      const result = fn();
      this.run(() => this.db.exec("COMMIT"));
      return result;
    } catch (e) {
      try {
        this.db.exec("ROLLBACK");
      } catch {
        // SQLite already rolled back (it does on some errors); the first error is the one to report.
      }
      throw e;
    } finally {
      this.depth--;
    }
  }

  close(): void {
    this.statements.clear();
    this.db.close();
  }
}
