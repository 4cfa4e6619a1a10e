import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestContext } from "node:test";
import { PostgresDriver } from "../../src/tune/node/postgres-driver.js";
import { repoRoot } from "./repo-root.js";

/** Skips the test loudly, or fails it where MINIMA_REQUIRE_POSTGRES=1 (as .ci/run sets) says the server must be there. */
function skipLoudly(t: TestContext, why: string): null {
  assert.notEqual(process.env["MINIMA_REQUIRE_POSTGRES"], "1", `${why}, and MINIMA_REQUIRE_POSTGRES=1 requires it`);
  process.stderr.write(`\nSKIPPED ${t.name}: ${why}\n`);
  t.skip(why);
  return null;
}

/** The server the PostgreSQL tests use (tools/postgres-server.sh starts one), or undefined. */
export function testServerUrl(): string | undefined {
  const url = process.env["MINIMA_TEST_POSTGRES_URL"];
  return url === undefined || url === "" ? undefined : url;
}

/** Skips a test that needs the test server, saying how to start one (fails under MINIMA_REQUIRE_POSTGRES=1). */
export function skipWithoutServer(t: TestContext): null {
  return skipLoudly(t, "no PostgreSQL server: set MINIMA_TEST_POSTGRES_URL (eval \"$(tools/postgres-server.sh start)\" starts one)");
}

/** Creates a database with a fresh name on the server of baseUrl; returns its URL and how to drop it. */
export function newDatabase(baseUrl: string): { url: string; drop: () => void } {
  const name = `minima_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new PostgresDriver(baseUrl);
  admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => {
      admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      admin.close();
    },
  };
}

/**
 * A fresh database on the test server, dropped after the test: tests running at once never see
 * each other's studies. null (the test skipped, saying so) where no server is named.
 */
export function tempDatabase(t: TestContext): string | null {
  const base = testServerUrl();
  if (base === undefined) return skipWithoutServer(t);
  const db = newDatabase(base);
  t.after(db.drop);
  return db.url;
}

/** A port nothing listens on (the OS's pick, released again). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A server of the test's own, which it may stop and restart at will. */
export interface PrivateServer {
  readonly url: string;
  /** Stops the server (pg_ctl stop -m fast: every connection is cut) and starts it again; back when this returns. */
  restart(): void;
  stop(): void;
  start(): void;
}

/**
 * Starts a throwaway cluster with tools/postgres-server.sh on a free port (needs PostgreSQL's server
 * binaries; as root, the postgres user). null (the test skipped, saying so) where there are none.
 */
export async function privateServer(t: TestContext): Promise<PrivateServer | null> {
  const script = join(repoRoot(), "tools", "postgres-server.sh");
  const probe = spawnSync("bash", [script, "bindir"], { encoding: "utf8" });
  if (probe.status !== 0) return skipLoudly(t, `no PostgreSQL server binaries to start a private server (${probe.stderr.trim()})`);
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "minima-pg-"));
  const env = { ...process.env, MINIMA_POSTGRES_PORT: String(port) };
  const run = (...args: string[]) => execFileSync("bash", [script, ...args], { env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  run("start", dir);
  t.after(() => {
    spawnSync("bash", [script, "stop", dir], { env });
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    url: `postgresql://minima:minima@127.0.0.1:${port}/minima`,
    restart: () => void run("restart", dir),
    stop: () => void run("pause", dir),
    start: () => void run("resume", dir),
  };
}
