import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { writeFileSync } from "node:fs";
import { connect, createServer } from "node:net";
import { networkInterfaces } from "node:os";
import { join } from "node:path";
import { rawRequest } from "../serve/raw-http.js";
import { MAIN, useCli } from "./run-minima.js";

const cli = useCli();

interface Serving {
  child: ChildProcess;
  out: () => string;
  err: () => string;
  /** Resolves with the exit code and signal. */
  exited: Promise<{ code: number | null; signal: string | null }>;
}

/** Starts `minima serve ...args` and waits until it printed its "open <url>" line. */
async function serve(...args: string[]): Promise<Serving & { port: number; url: string }> {
  const child = spawn(process.execPath, [MAIN, "serve", ...args], cli.spawnOptions);
  let out = "", err = "";
  child.stdout!.on("data", (d: Buffer) => { out += d.toString("utf8"); });
  child.stderr!.on("data", (d: Buffer) => { err += d.toString("utf8"); });
  const exited = new Promise<{ code: number | null; signal: string | null }>((ok) => child.on("close", (code, signal) => ok({ code, signal })));
  const killer = setTimeout(() => child.kill("SIGKILL"), 60_000);
  void exited.then(() => clearTimeout(killer));
  const url = await new Promise<string>((ok, fail) => {
    const look = () => {
      const m = /^open (\S+)\n/m.exec(out);
      if (m) ok(m[1]!);
    };
    child.stdout!.on("data", look);
    void exited.then(({ code }) => fail(new Error(`minima serve exited (${code}) before printing its URL: ${out} ${err}`)));
  });
  return { child, out: () => out, err: () => err, exited, url, port: Number(new URL(url).port) };
}

/** true when something accepts a TCP connection at host:port. */
const accepts = (host: string, port: number) => new Promise<boolean>((ok) => {
  const socket = connect(port, host, () => { socket.destroy(); ok(true); });
  socket.on("error", () => ok(false));
});

/** This machine's non-loopback IPv4 addresses. */
const externalIPv4 = () => Object.values(networkInterfaces()).flat().filter((a) => a !== undefined && !a.internal && a.family === "IPv4").map((a) => a!.address);

describe("minima serve: the command", () => {
  test("prints the folder and the URL on 127.0.0.1, answers / and /api/index there, and stops cleanly on SIGTERM (exit 0, nothing on stderr, the port closed)", async () => {
    const folder = cli.tmp();
    const s = await serve("--port", "0", folder);
    try {
      assert.equal(s.out(), `minima serve: ${folder}\nopen http://127.0.0.1:${s.port}/\n`);
      const page = await rawRequest(s.port, "/");
      assert.deepEqual([page.status, page.headers["content-type"]], [200, "text/html; charset=utf-8"]);
      const index = await rawRequest(s.port, "/api/index");
      assert.deepEqual(JSON.parse(index.body), { root: folder.split("/").at(-1), runs: [], studies: [], analyses: [] });
    } finally {
      s.child.kill("SIGTERM");
    }
    assert.deepEqual(await s.exited, { code: 0, signal: null });
    assert.equal(s.err(), "");
    assert.equal(await accepts("127.0.0.1", s.port), false);
  });

  test("SIGINT (Ctrl-C) stops it cleanly too, with an open event stream (exit 0)", async () => {
    const folder = cli.tmp();
    writeFileSync(join(folder, "metrics.jsonl"), "{}\n");
    const s = await serve("--port", "0", folder);
    const stream = await rawRequest(s.port, "/api/tail/metrics.jsonl");
    assert.equal(stream.status, 200);
    s.child.kill("SIGINT");
    assert.deepEqual(await s.exited, { code: 0, signal: null });
    assert.equal(s.err(), "");
  });

  test("without --host nothing listens on this machine's other addresses (the default bind is loopback only)", async (t) => {
    const addresses = externalIPv4();
    if (addresses.length === 0) return t.skip("this machine has no non-loopback IPv4 address to try");
    const s = await serve("--port", "0", cli.tmp());
    try {
      assert.equal(await accepts("127.0.0.1", s.port), true);
      for (const address of addresses) assert.equal(await accepts(address, s.port), false, address);
    } finally {
      s.child.kill("SIGTERM");
    }
    assert.deepEqual(await s.exited, { code: 0, signal: null }, s.err());
  });

  test("--host 0.0.0.0: a warning on stderr, the URL with its token (and one per address of this machine); 403 without the token, 200 with it", async () => {
    const folder = cli.tmp();
    const s = await serve("--port", "0", "--host", "0.0.0.0", folder);
    try {
      await new Promise((ok) => setTimeout(ok, 100)); // the " or" lines follow the open line
      const token = new URL(s.url).searchParams.get("token")!;
      assert.match(token, /^[A-Za-z0-9_-]{43}$/);
      const others = externalIPv4().map((a) => `  or http://${a}:${s.port}/?token=${token}\n`).join("");
      assert.equal(s.out(), `minima serve: ${folder}\nopen http://0.0.0.0:${s.port}/?token=${token}\n${others}`);
      assert.equal(s.err(), `minima: warning: --host 0.0.0.0 is not a loopback address: anyone who can reach this machine on port ${s.port} and has the token can read the runs and studies under ${folder}; keep the URL below private\n`);
      for (const path of ["/", "/api/index", "/assets/app.js"]) {
        assert.equal((await rawRequest(s.port, path)).status, 403, path);
        assert.equal((await rawRequest(s.port, `${path}${path.includes("?") ? "&" : "?"}token=${token}`)).status, 200, path);
      }
      for (const address of externalIPv4()) assert.equal((await rawRequest(s.port, `/?token=${token}`, {}, address)).status, 200, address);
    } finally {
      s.child.kill("SIGTERM");
    }
    assert.equal((await s.exited).code, 0);
  });

  test("--host with a loopback address (localhost, 127.0.0.1): no warning, no token", async () => {
    for (const host of ["localhost", "127.0.0.1"]) {
      const s = await serve("--port", "0", "--host", host, cli.tmp());
      try {
        assert.doesNotMatch(s.url, /token/);
        assert.equal(s.err(), "");
        const bound = new URL(s.url).hostname.replace(/^\[|\]$/g, ""); // localhost resolves to 127.0.0.1 or ::1
        assert.equal((await rawRequest(s.port, "/api/index", {}, bound)).status, 200);
      } finally {
        s.child.kill("SIGTERM");
      }
      assert.equal((await s.exited).code, 0);
    }
  });
});

describe("minima serve: the errors a user can make (exit 2, one line naming the value and what was expected)", () => {
  test("a folder that does not exist, or a file", () => {
    const missing = join(cli.tmp(), "no-such-folder");
    const r = cli.run("serve", missing);
    assert.deepEqual([r.code, r.out, r.err], [2, "", `minima: minima serve: no folder at ${missing}; expected a folder holding runs (minima train's runs/) or studies\n`]);
    const file = join(cli.tmp(), "metrics.jsonl");
    writeFileSync(file, "{}\n");
    const f = cli.run("serve", file);
    assert.deepEqual([f.code, f.out, f.err], [2, "", `minima: minima serve: ${file} is a file, not a folder; expected a folder holding runs (minima train's runs/) or studies\n`]);
  });

  test("a port in use names --port", async () => {
    const busy = createServer();
    await new Promise<void>((ok) => busy.listen(0, "127.0.0.1", ok));
    const port = (busy.address() as { port: number }).port;
    try {
      const child = spawn(process.execPath, [MAIN, "serve", "--port", String(port), cli.tmp()], cli.spawnOptions);
      let out = "", err = "";
      child.stdout.on("data", (d: Buffer) => { out += d; });
      child.stderr.on("data", (d: Buffer) => { err += d; });
      const code = await new Promise<number | null>((ok) => child.on("close", ok));
      assert.deepEqual([code, out, err], [2, "", `minima: --port: port ${port} on 127.0.0.1 is in use (by another minima serve or another program); expected a free port, or --port 0 for any free one\n`]);
    } finally {
      busy.close();
    }
  });

  test("an address this machine does not have names --host (203.0.113.7, TEST-NET-3 of RFC 5737)", () => {
    const r = cli.run("serve", "--port", "0", "--host", "203.0.113.7", cli.tmp());
    assert.deepEqual([r.code, r.out, r.err], [2, "", "minima: --host: 203.0.113.7 is not an address of this machine; expected one of its addresses (ip addr lists them), 0.0.0.0 for all of them, or 127.0.0.1\n"]);
  });
});
