import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync } from "node:fs";
import { createServer } from "node:net";
import { StorageError } from "../../src/errors.js";
import { PostgresDriver, PostgresStatementError } from "../../src/tune/node/postgres-driver.js";
import { freePort, privateServer, tempDatabase } from "../helpers/postgres.js";

describe("PostgresDriver: a synchronous SqlDriver over pg", () => {
  test("an unreachable server: the error names the URL without its password, the host and the port (exact message)", async () => {
    const port = await freePort();
    assert.throws(() => new PostgresDriver(`postgresql://minima:secret@127.0.0.1:${port}/studies`), {
      name: "StorageError",
      message: `postgresql://minima@127.0.0.1:${port}/studies: cannot reach the PostgreSQL server at 127.0.0.1:${port} (connection refused)`,
    });
    assert.throws(() => new PostgresDriver("postgresql+psycopg2://u:p@no-such-host.invalid:6543/db"), {
      message: "postgresql+psycopg2://u@no-such-host.invalid:6543/db: cannot reach the PostgreSQL server at no-such-host.invalid:6543 (unknown host)",
    });
    assert.throws(() => new PostgresDriver("postgresql://u:p@host:99999/db"), {
      message: "postgresql://u@host:99999/db: not a PostgreSQL URL (Invalid URL); expected postgresql://user:password@host:port/database",
    });
  });

  test("a failed open leaves no thread behind (a process that keeps trying does not pile them up)", async (t) => {
    if (!existsSync("/proc/self/task")) return void t.skip("counts threads in /proc/self/task (Linux)");
    const port = await freePort();
    const threads = () => readdirSync("/proc/self/task").length;
    const attempt = () => assert.throws(() => new PostgresDriver(`postgresql://u@127.0.0.1:${port}/db`), { name: "StorageError" });
    const settle = () => new Promise((resolve) => setTimeout(resolve, 500)); // Worker.terminate completes on the event loop
    attempt(); // the first one may start the process's shared threads (libuv's pool)
    await settle();
    const before = threads();
    for (let i = 0; i < 5; i++) attempt();
    await settle();
    assert.equal(threads(), before);
  });

  test("a server that accepts the connection but never answers: unreachable after connectSeconds (exact message)", async (t) => {
    // A loopback listener that says nothing: the kernel completes the TCP handshake, PostgreSQL's reply never comes.
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    t.after(() => new Promise((resolve) => silent.close(resolve)));
    const port = (silent.address() as { port: number }).port;
    assert.throws(() => new PostgresDriver(`postgresql://u@127.0.0.1:${port}/db`, { connectSeconds: 1 }), {
      message: `postgresql://u@127.0.0.1:${port}/db: cannot reach the PostgreSQL server at 127.0.0.1:${port} (no answer within 1 s)`,
    });
  });

  test("a refused login and a missing database: the server's own reason (exact message)", (t) => {
    const url = tempDatabase(t);
    if (url === null) return;
    const u = new URL(url);
    const server = `${u.hostname}:${u.port}`;
    u.password = "not-the-password";
    assert.throws(() => new PostgresDriver(u.toString()), {
      message: `postgresql://${u.username}@${server}${u.pathname}: the PostgreSQL server at ${server} refused the connection: password authentication failed for user "${u.username}"`,
    });
    const missing = new URL(url);
    missing.pathname = "/no_such_database";
    assert.throws(() => new PostgresDriver(missing.toString()), {
      message: `postgresql://${u.username}@${server}/no_such_database: the PostgreSQL server at ${server} refused the connection: database "no_such_database" does not exist`,
    });
  });

  test("values come back as SQLite's driver gives them: NaN, ±Infinity and -0 doubles, timestamps as text, counts as numbers", (t) => {
    const url = tempDatabase(t);
    if (url === null) return;
    const db = new PostgresDriver(url);
    t.after(() => db.close());
    assert.equal(db.dialect, "postgresql");
    assert.equal(db.url, url.replace(/:minima@/, "@"));
    const [row] = db.query("SELECT $1::float8 AS nan, $2::float8 AS inf, $3::float8 AS ninf, $4::float8 AS tiny, $5::float8 AS negzero, $6::integer AS i, TIMESTAMP '2021-01-18 18:18:32.205894' AS at, count(*) AS n FROM (VALUES (1), (2)) v(x)", [NaN, Infinity, -Infinity, 5e-324, -0, -0]);
    assert.deepEqual(row, { nan: NaN, inf: Infinity, ninf: -Infinity, tiny: 5e-324, negzero: -0, i: 0, at: "2021-01-18 18:18:32.205894", n: 2 });
    assert.deepEqual(db.query("CREATE TABLE t (x INTEGER)"), []);
    assert.deepEqual(db.query("INSERT INTO t VALUES ($1), ($2) RETURNING x", [1, 2]), [{ x: 1 }, { x: 2 }]);
  });

  test("a refused statement throws PostgresStatementError with its SQLSTATE", (t) => {
    const url = tempDatabase(t);
    if (url === null) return;
    const db = new PostgresDriver(url);
    t.after(() => db.close());
    db.query("CREATE TABLE t (x INTEGER PRIMARY KEY)");
    db.query("INSERT INTO t VALUES (1)");
    assert.throws(() => db.query("INSERT INTO t VALUES (1)"), (e: unknown) => {
      assert.ok(e instanceof PostgresStatementError && e instanceof StorageError);
      assert.equal(e.sqlState, "23505");
      assert.equal(e.message, `${db.url}: PostgreSQL refused a statement: duplicate key value violates unique constraint "t_pkey" (SQLSTATE 23505)`);
      return true;
    });
  });

  test("a parameter pg cannot encode is refused without breaking the connection", (t) => {
    const url = tempDatabase(t);
    if (url === null) return;
    const db = new PostgresDriver(url);
    t.after(() => db.close());
    const pid = db.query("SELECT pg_backend_pid() AS pid")[0]!["pid"];
    const circular: Record<string, unknown> = {};
    circular["self"] = circular;
    assert.throws(() => db.query("SELECT $1::text AS x", [circular]), (e: unknown) => {
      assert.ok(e instanceof StorageError);
      assert.ok(e.message.startsWith(`${db.url}: could not send a statement to PostgreSQL: Converting circular structure to JSON`), e.message);
      return true;
    });
    assert.deepEqual(db.query("SELECT pg_backend_pid() AS pid"), [{ pid }], "the same connection serves the next statement");
  });

  test("transaction: commits on return, rolls back on a throw, a nested call joins the open one", (t) => {
    const url = tempDatabase(t);
    if (url === null) return;
    const db = new PostgresDriver(url);
    t.after(() => db.close());
    db.query("CREATE TABLE t (x INTEGER)");
    assert.equal(db.transaction(() => { db.query("INSERT INTO t VALUES (1)"); return db.transaction(() => db.query("INSERT INTO t VALUES (2) RETURNING x")[0]!["x"]); }), 2);
    assert.throws(() => db.transaction(() => { db.query("INSERT INTO t VALUES (3)"); throw new Error("objective failed"); }), { message: "objective failed" });
    assert.deepEqual(db.query("SELECT x FROM t ORDER BY x"), [{ x: 1 }, { x: 2 }]);
  });

  test("transaction: a serialization failure (SQLSTATE 40001, made by a second connection) runs it again from the start", (t) => {
    const url = tempDatabase(t);
    if (url === null) return;
    const a = new PostgresDriver(url);
    const b = new PostgresDriver(url);
    t.after(() => { a.close(); b.close(); });
    a.query("CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER)");
    a.query("INSERT INTO counter VALUES (1, 0)");
    let attempts = 0;
    a.transaction(() => {
      attempts++;
      a.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
      const n = a.query("SELECT n FROM counter WHERE id = 1")[0]!["n"] as number;
      if (attempts === 1) b.query("UPDATE counter SET n = n + 100 WHERE id = 1"); // commits under a's snapshot
      a.query("UPDATE counter SET n = $1 WHERE id = 1", [n + 1]);
    });
    assert.equal(attempts, 2);
    assert.deepEqual(a.query("SELECT n FROM counter"), [{ n: 101 }]);
  });

  test("snapshot: its reads see one state while another connection commits in between; it refuses writes (SQLSTATE 25006)", (t) => {
    const url = tempDatabase(t);
    if (url === null) return;
    const a = new PostgresDriver(url);
    const b = new PostgresDriver(url);
    t.after(() => { a.close(); b.close(); });
    a.query("CREATE TABLE t (x INTEGER)");
    const count = () => a.query("SELECT count(*) AS n FROM t")[0]!["n"];
    const seen = a.snapshot(() => {
      const first = count();
      b.query("INSERT INTO t VALUES (1)");
      return [first, count()];
    });
    assert.deepEqual(seen, [0, 0]);
    assert.equal(count(), 1, "outside the snapshot the committed row is there");
    assert.throws(() => a.snapshot(() => a.query("INSERT INTO t VALUES (2)")), { sqlState: "25006" });
    assert.equal(a.transaction(() => a.snapshot(() => { a.query("INSERT INTO t VALUES (3)"); return count(); })), 2, "inside a transaction, snapshot joins it");
  });

  test("a closed driver refuses further statements", (t) => {
    const url = tempDatabase(t);
    if (url === null) return;
    const db = new PostgresDriver(url);
    db.close();
    assert.throws(() => db.query("SELECT 1"), { message: `${db.url}: the storage was closed` });
  });
});

describe("PostgresDriver across a server restart (a private server)", () => {
  test("reconnects after a restart while idle; a transaction cut off mid-way runs again whole on the new connection", async (t) => {
    const server = await privateServer(t);
    if (server === null) return;
    const db = new PostgresDriver(server.url);
    t.after(() => db.close());
    db.query("CREATE TABLE t (x INTEGER)");
    const before = db.query("SELECT pg_backend_pid() AS pid")[0]!["pid"];
    server.restart();
    const after = db.query("SELECT pg_backend_pid() AS pid")[0]!["pid"];
    assert.notEqual(after, before, "a new server process serves the new connection");
    let attempts = 0;
    db.transaction(() => {
      attempts++;
      db.query("INSERT INTO t VALUES ($1)", [attempts]);
      if (attempts === 1) server.restart(); // the server rolls back the first attempt's row
      db.query("INSERT INTO t VALUES ($1)", [10 * attempts]);
    });
    assert.equal(attempts, 2);
    assert.deepEqual(db.query("SELECT x FROM t ORDER BY x"), [{ x: 2 }, { x: 20 }]);
  });

  test("a server down longer than reconnectSeconds: the error says so with host and port (exact message); it works again once the server is back", async (t) => {
    const server = await privateServer(t);
    if (server === null) return;
    const db = new PostgresDriver(server.url, { reconnectSeconds: 1 });
    t.after(() => db.close());
    const where = new URL(server.url);
    server.stop();
    const started = Date.now();
    assert.throws(() => db.query("SELECT 1"), {
      message: `postgresql://minima@${where.host}/minima: lost the PostgreSQL server at ${where.host} and could not reconnect within 1 s (connection refused)`,
    });
    const waited = (Date.now() - started) / 1000;
    assert.ok(waited >= 0.5 && waited < 5, `retried for about 1 s, took ${waited} s`);
    server.start();
    assert.deepEqual(db.query("SELECT 1 AS one"), [{ one: 1 }]);
  });
});
