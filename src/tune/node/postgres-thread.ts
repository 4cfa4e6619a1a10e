// The worker_threads thread behind PostgresDriver: it owns the pg Client and answers one request at a
// time while the calling thread waits on an Atomics handshake. It reconnects when the server went away.
import { workerData, type MessagePort } from "node:worker_threads";
import pg from "pg";

export interface ThreadData {
  /** [0]: 0 while a request runs, 1 when its reply is posted, 2 once this thread has exited. */
  readonly flag: Int32Array;
  readonly port: MessagePort;
  readonly connectionString: string;
  readonly connectSeconds: number;
  readonly reconnectSeconds: number;
  readonly querySeconds: number;
}

/** inTransaction: a statement of the transaction the caller opened with BEGIN, which must not move to a new connection. */
export type Request = { kind: "query"; sql: string; params: readonly unknown[]; inTransaction: boolean } | { kind: "close" };

/**
 * Why a request failed. unreachable: no connection could be made (first connect; `cause` in words);
 * refused: the server answered the connection with an error (bad password, no such database);
 * lost: the connection broke during the statement (the server rolled it back unless its commit had
 * gone through); gone: it broke, and no new one could be made within reconnectSeconds;
 * sql: the server refused the statement; client: pg could not send it (a parameter it cannot encode).
 */
export type Failure =
  | { kind: "unreachable" | "refused" | "lost" | "gone" | "client"; cause: string }
  | { kind: "sql"; cause: string; sqlState: string };

export type Reply = { ok: true; rows: Record<string, unknown>[] } | { ok: false; failure: Failure };

// Values come back as SQLite's driver gives them, so SqlStorage reads both alike: timestamps as
// their text ('2021-01-18 18:18:32.205894', never a Date in this process's time zone), counts as numbers.
const TIMESTAMP = 1114, TIMESTAMPTZ = 1184, DATE = 1082, INT8 = 20, NUMERIC = 1700;
const types = {
  getTypeParser(oid: number, format?: "text" | "binary") {
    if (oid === TIMESTAMP || oid === TIMESTAMPTZ || oid === DATE) return (text: string) => text;
    if (oid === INT8 || oid === NUMERIC) return (text: string) => Number(text);
    return format === "binary" ? pg.types.getTypeParser(oid, "binary") : pg.types.getTypeParser(oid, "text");
  },
};

/** Server errors that end the session: class 08 (connection exception), admin/crash shutdown, starting up. */
function endsSession(code: unknown): boolean {
  return typeof code === "string" && (code.startsWith("08") || code === "57P01" || code === "57P02" || code === "57P03");
}

/** Whether a failed statement failed because its connection broke (the socket, the server going away, no answer in time). */
function connectionBroke(e: unknown): boolean {
  const err = e as { code?: unknown; message?: unknown };
  return broken || endsSession(err.code) || (typeof err.code === "string" && /^E[A-Z]+$/.test(err.code))
    || /Connection terminated|not queryable|Query read timeout/.test(String(err.message));
}

/** A socket error in a few words: what someone fixing the URL or the server needs. */
function describe(e: unknown): string {
  const err = e as { code?: string; message?: string };
  if (/timeout/i.test(err.message ?? "")) return `no answer within ${data.connectSeconds} s`;
  switch (err.code) {
    case "ECONNREFUSED": return "connection refused";
    case "ENOTFOUND": return "unknown host";
    case "EAI_AGAIN": return "host name lookup failed";
    case "EHOSTUNREACH": return "host unreachable";
    case "ENETUNREACH": return "network unreachable";
    case "ECONNRESET": return "connection reset";
    case "ENOENT": return "no server socket there";
    default: return err.message ?? String(e);
  }
}

const data = workerData as ThreadData;
let client: pg.Client | null = null;
let broken = false;
let everConnected = false;
/** The client on which the caller's BEGIN ran: a transaction cannot continue on another one. */
let transactionClient: pg.Client | null = null;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function connectOnce(): Promise<pg.Client> {
  const c = new pg.Client({
    connectionString: data.connectionString,
    types,
    connectionTimeoutMillis: data.connectSeconds * 1000,
    query_timeout: data.querySeconds * 1000,
    keepAlive: true,
    fallback_application_name: "minima",
  });
  broken = false;
  // A server that shuts down while the connection is idle says so with an error event: remember it,
  // and the next request connects again before it sends anything.
  c.on("error", () => { broken = true; });
  c.on("end", () => { broken = true; });
  try {
    await c.connect();
    // Timestamps in ISO text whatever the server's default; the TimeZone stays the server's, as
    // Optuna's heartbeats compare now() in the session zone with values written in it.
    await c.query("SET DateStyle TO ISO");
  } catch (e) {
    c.end().catch(() => {});
    throw e;
  }
  return c;
}

/** The live client, connecting first if there is none; after a loss, retries with backoff for reconnectSeconds. */
async function connected(): Promise<pg.Client> {
  if (client !== null && !broken) return client;
  if (client !== null) client.end().catch(() => {});
  client = null;
  const deadline = Date.now() + (everConnected ? data.reconnectSeconds * 1000 : 0);
  for (let delay = 100; ; delay = Math.min(2 * delay, 2000)) {
    try {
      client = await connectOnce();
      everConnected = true;
      return client;
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      // The server said no (a bad password, no such database): trying again cannot help.
      const refusal = typeof code === "string" && /^[0-9A-Z]{5}$/.test(code) && !endsSession(code);
      if (refusal) throw { kind: "refused", cause: (e as Error).message } satisfies Failure;
      if (Date.now() + delay > deadline) throw { kind: everConnected ? "gone" : "unreachable", cause: describe(e) } satisfies Failure;
      await sleep(delay);
    }
  }
}

async function run(request: Request): Promise<Record<string, unknown>[]> {
  if (request.kind === "close") {
    const c = client;
    client = null;
    if (c !== null && !broken) await c.end().catch(() => {});
    return [];
  }
  if (request.inTransaction && (broken || client !== transactionClient)) {
    throw { kind: "lost", cause: "the connection broke during the transaction" } satisfies Failure;
  }
  const c = await connected();
  try {
    // pg sends a number as its toString(), which drops the sign of -0; Python's float keeps it.
    const values = request.params.map((v) => (Object.is(v, -0) ? "-0" : v));
    const result = await c.query({ text: request.sql, values });
    // Several statements in one simple query give one result each; the last one's rows count.
    const last = Array.isArray(result) ? result[result.length - 1] : result;
    if (request.sql.startsWith("BEGIN")) transactionClient = c;
    return (last?.rows ?? []) as Record<string, unknown>[];
  } catch (e) {
    if (connectionBroke(e)) {
      broken = true;
      throw { kind: "lost", cause: describe(e) } satisfies Failure;
    }
    const sqlState = (e as { code?: unknown }).code;
    if (typeof sqlState === "string" && /^[0-9A-Z]{5}$/.test(sqlState)) throw { kind: "sql", cause: (e as Error).message, sqlState } satisfies Failure;
    throw { kind: "client", cause: (e as Error).message } satisfies Failure;
  }
}

function answer(reply: Reply): void {
  data.port.postMessage(reply);
  Atomics.store(data.flag, 0, 1);
  Atomics.notify(data.flag, 0);
}

data.port.on("message", async (request: Request) => {
  let reply: Reply;
  try {
    reply = { ok: true, rows: await run(request) };
  } catch (e) {
    reply = { ok: false, failure: (e as { kind?: unknown }).kind !== undefined ? (e as Failure) : { kind: "lost", cause: describe(e) } };
  }
  answer(reply);
  if (request.kind === "close") data.port.close();
});

// The caller waits on the flag: tell it if this thread ends, so it never waits for a reply that cannot come.
process.on("exit", () => {
  Atomics.store(data.flag, 0, 2);
  Atomics.notify(data.flag, 0);
});
