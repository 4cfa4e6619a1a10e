import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from "node:worker_threads";
import { StorageError } from "../../errors.js";
import type { SqlDriver } from "../sql/driver.js";
import { postgresTarget } from "./postgres-url.js";
import type { Failure, Reply, Request, ThreadData } from "./postgres-thread.js";

export interface PostgresDriverOptions {
  /** Once connected, how long to keep trying to reconnect to a server that went away (a restart). Default 60 s. */
  reconnectSeconds?: number;
  /** How long one connection attempt may take before the host counts as unreachable. Default 10 s. */
  connectSeconds?: number;
  /** How long a statement may go unanswered before the connection counts as lost. Default 120 s. */
  querySeconds?: number;
}

/** A statement the server refused, with its SQLSTATE (23505 unique violation, 40P01 deadlock…). */
export class PostgresStatementError extends StorageError {
  constructor(where: string, cause: string, readonly sqlState: string) {
    super({ where, what: `PostgreSQL refused a statement: ${cause} (SQLSTATE ${sqlState})` });
  }
}

/** The statement's connection broke mid-way; transaction() starts the transaction again on a new one. */
class ConnectionLost extends StorageError {}

/** Serialization failure and deadlock: the server asks the client to run the transaction again. */
const RETRY_STATES = new Set(["40001", "40P01"]);
const MAX_ATTEMPTS = 8;

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * A synchronous SqlDriver over pg, which only speaks asynchronously: a worker thread owns the pg
 * Client, and each call posts the statement to it and blocks on Atomics.wait until the reply is in
 * (synckit's approach, ~50 lines here instead of a dependency that keeps one never-ending worker per
 * file). A server restart costs nothing but a pause: the thread reconnects with backoff for up to
 * reconnectSeconds, and a transaction cut off by it runs again from its start. Leases live in the
 * database, so a trial in flight keeps its lease across the reconnect.
 */
export class PostgresDriver implements SqlDriver {
  readonly dialect = "postgresql" as const;
  readonly url: string;
  private readonly server: string;
  private readonly reconnectSeconds: number;
  private readonly flag = new Int32Array(new SharedArrayBuffer(4));
  private readonly port: MessagePort;
  private readonly worker: Worker;
  private inTransaction = false;
  private closed = false;

  constructor(url: string, options: PostgresDriverOptions = {}) {
    const target = postgresTarget(url);
    this.url = target.redacted;
    this.server = target.server;
    this.reconnectSeconds = options.reconnectSeconds ?? 60;
    const channel = new MessageChannel();
    this.port = channel.port1;
    const data: ThreadData = {
      flag: this.flag,
      port: channel.port2,
      connectionString: target.connectionString,
      connectSeconds: options.connectSeconds ?? 10,
      reconnectSeconds: this.reconnectSeconds,
      querySeconds: options.querySeconds ?? 120,
    };
    // execArgv []: the thread needs none of the process's flags (a --import of minima's entry would load it twice).
    this.worker = new Worker(new URL("./postgres-thread.js", import.meta.url), { workerData: data, transferList: [channel.port2], execArgv: [] });
    this.worker.unref();
    // Connect now, so a wrong URL or a server that is down fails where the storage is opened.
    try {
      this.query("SELECT 1");
    } catch (e) {
      this.closed = true;
      void this.worker.terminate(); // a process that tries again must not collect idle threads
      throw e;
    }
  }

  query(sql: string, params: readonly unknown[] = []): Record<string, unknown>[] {
    const reply = this.call({ kind: "query", sql, params, inTransaction: this.inTransaction });
    if (reply.ok) return reply.rows;
    const failure = reply.failure;
    if (failure.kind === "lost") {
      if (this.inTransaction) throw new ConnectionLost({ where: this.url, what: `lost the connection to the PostgreSQL server at ${this.server} (${failure.cause})` });
      // On its own, the statement was its own transaction, which the server rolled back when the
      // connection broke unless its commit had gone through. SqlStorage writes only in transactions,
      // so what runs here is a read, safe to run again on a new connection.
      const again = this.call({ kind: "query", sql, params, inTransaction: false });
      if (again.ok) return again.rows;
      throw this.error(again.failure);
    }
    throw this.error(failure);
  }

  transaction<T>(fn: () => T): T {
    return this.atomically("BEGIN", fn);
  }

  /** fn's reads on one snapshot of the database: a REPEATABLE READ READ ONLY transaction (it takes no locks). */
  snapshot<T>(fn: () => T): T {
    return this.atomically("BEGIN TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY", fn);
  }

  private atomically<T>(begin: string, fn: () => T): T {
    if (this.inTransaction) return fn(); // nested: part of the transaction already open
    for (let attempt = 1; ; attempt++) {
      this.query(begin);
      this.inTransaction = true;
      try {
        const result = fn();
        this.query("COMMIT");
        this.inTransaction = false;
        return result;
      } catch (e) {
        this.inTransaction = false;
        if (!(e instanceof ConnectionLost)) this.rollbackQuietly();
        const retry = e instanceof ConnectionLost || (e instanceof PostgresStatementError && RETRY_STATES.has(e.sqlState));
        if (!retry || attempt === MAX_ATTEMPTS) throw e;
        // Random backoff, so two transactions that deadlocked do not meet again at once.
        if (!(e instanceof ConnectionLost)) sleepSync(Math.random() * Math.min(1000, 10 * 2 ** attempt));
      }
    }
  }

  close(): void {
    if (this.closed) return;
    this.call({ kind: "close" });
    this.closed = true;
    void this.worker.terminate();
  }

  private rollbackQuietly(): void {
    const reply = this.call({ kind: "query", sql: "ROLLBACK", params: [], inTransaction: true });
    void reply; // a failed ROLLBACK leaves nothing to undo: the connection is gone, and the server rolled back
  }

  private error(failure: Failure): StorageError {
    switch (failure.kind) {
      case "sql": return new PostgresStatementError(this.url, failure.cause, failure.sqlState);
      case "unreachable": return new StorageError({ where: this.url, what: `cannot reach the PostgreSQL server at ${this.server} (${failure.cause})` });
      case "refused": return new StorageError({ where: this.url, what: `the PostgreSQL server at ${this.server} refused the connection: ${failure.cause}` });
      case "gone": return new StorageError({ where: this.url, what: `lost the PostgreSQL server at ${this.server} and could not reconnect within ${this.reconnectSeconds} s (${failure.cause})` });
      case "client": return new StorageError({ where: this.url, what: `could not send a statement to PostgreSQL: ${failure.cause}` });
      case "lost": return new StorageError({ where: this.url, what: `lost the connection to the PostgreSQL server at ${this.server} twice in one statement (${failure.cause})` });
    }
  }

  /** Posts one request to the thread and blocks until it answers. */
  private call(request: Request): Reply {
    if (this.closed) throw new StorageError({ where: this.url, what: "the storage was closed" });
    Atomics.store(this.flag, 0, 0);
    this.port.postMessage(request);
    for (;;) {
      Atomics.wait(this.flag, 0, 0);
      const received = receiveMessageOnPort(this.port);
      if (received !== undefined) return received.message as Reply;
      if (Atomics.load(this.flag, 0) === 2) {
        this.closed = true;
        throw new StorageError({ where: this.url, what: "the thread that talks to PostgreSQL stopped" });
      }
      sleepSync(1); // the flag is set and the reply is on its way through the port
    }
  }
}
