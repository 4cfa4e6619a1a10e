/**
 * A synchronous connection to a SQL database, the one thing SqlStorage needs from SQLite
 * (better-sqlite3, synchronous already) and PostgreSQL (pg, answered from a worker thread while the
 * caller waits on an Atomics handshake). Statements use $1, $2… placeholders in both dialects.
 */
export interface SqlDriver {
  readonly dialect: "sqlite" | "postgresql";
  /** The URL without its password, for messages. */
  readonly url: string;
  /** Runs one statement; returns the rows of a SELECT or a RETURNING clause (else []). */
  query(sql: string, params?: readonly unknown[]): Record<string, unknown>[];
  /**
   * Runs fn in one transaction (SQLite: BEGIN IMMEDIATE), committing on return and rolling back on a
   * throw; retried from the start on a serialization failure, a deadlock or a busy database. A call
   * inside fn joins the running transaction.
   */
  transaction<T>(fn: () => T): T;
  /**
   * Runs fn's reads on one consistent snapshot without taking the write lock (SQLite: BEGIN DEFERRED;
   * PostgreSQL: REPEATABLE READ READ ONLY), so a trial read whole never mixes two commits. fn writes
   * nothing. Inside a transaction it joins it.
   */
  snapshot<T>(fn: () => T): T;
  close(): void;
}
