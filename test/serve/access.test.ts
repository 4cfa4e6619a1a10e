import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { OptionError } from "../../src/errors.js";
import { isLoopbackHost } from "../../src/serve/access.js";
import { startServer, type RunningServer } from "../../src/serve/server.js";
import { rawBytes, rawRequest } from "./raw-http.js";

let root: string;
before(() => {
  root = mkdtempSync(join(tmpdir(), "minima-serve-access-"));
  writeFileSync(join(root, "ok.txt"), "ok\n");
});
after(() => rmSync(root, { recursive: true, force: true }));

const portOf = (server: RunningServer) => Number(new URL(server.url).port);

describe("isLoopbackHost (RFC 1122: 127.0.0.0/8; RFC 4291: ::1; RFC 6761: localhost)", () => {
  test("loopback addresses in their spellings are loopback; every other address or name is not", () => {
    for (const host of ["127.0.0.1", "127.255.0.9", "localhost", "LocalHost", "::1", "[::1]", "0:0:0:0:0:0:0:1", "::ffff:127.0.0.1"]) assert.equal(isLoopbackHost(host), true, host);
    for (const host of ["0.0.0.0", "::", "192.0.2.2", "10.0.0.1", "128.0.0.1", "::2", "localhost.", "localhost.example", "127.0.0.1.example", "example.com", ""]) assert.equal(isLoopbackHost(host), false, host);
  });
});

describe("startServer refuses a non-loopback host unless allowRemote says the user asked", () => {
  test("0.0.0.0, ::, this machine's address or a name → OptionError naming the host and allowRemote; nothing listens", async () => {
    for (const host of ["0.0.0.0", "::", "192.0.2.2", "example.com"]) {
      await assert.rejects(startServer({ root, host, port: 0 }), (e: unknown) => {
        assert.ok(e instanceof OptionError);
        assert.equal(e.message, `startServer: host ${host} is not a loopback address (127.0.0.0/8, ::1, localhost), so it would expose the served folder to the network; expected a loopback host, or allowRemote: true to expose it (every request must then carry a random token, which the returned url holds)`);
        return true;
      });
    }
  });

  test("loopback hosts need no consent and no token: 127.0.0.2, localhost, ::1", async () => {
    for (const host of ["127.0.0.2", "localhost", "::1"]) {
      const server = await startServer({ root, host, port: 0 });
      try {
        assert.equal(server.token, null);
        assert.doesNotMatch(server.url, /token/);
        const bound = new URL(server.url).hostname.replace(/^\[|\]$/g, ""); // localhost resolves to 127.0.0.1 or ::1
        const r = await rawRequest(portOf(server), "/files/ok.txt", { headers: { host: `localhost:${portOf(server)}` } }, bound);
        assert.deepEqual([r.status, r.body], [200, "ok\n"], host);
      } finally {
        await server.close();
      }
    }
  });
});

describe("on loopback the Host header must name a loopback address and the port (DNS rebinding: a page of another name is refused)", () => {
  let server: RunningServer, port: number;
  before(async () => { server = await startServer({ root, port: 0 }); port = portOf(server); });
  after(() => server.close());

  test("127.0.0.1, localhost (any case), [::1] and other 127/8 addresses on the port → 200", async () => {
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`, `[::1]:${port}`, `127.1.2.3:${port}`]) {
      const r = await rawRequest(port, "/files/ok.txt", { headers: { host } });
      assert.deepEqual([r.status, r.body], [200, "ok\n"], host);
    }
  });

  test("another name, another port, no port, a userinfo trick, or no Host at all → 403 with the message, and nothing served", async () => {
    for (const host of [`evil.example:${port}`, `127.0.0.1.evil.example:${port}`, `localhost.:${port}`, `127.0.0.1:${port + 1}`, "127.0.0.1", `evil.example@127.0.0.1:${port}`, `127.0.0.1:${port}@evil.example`, `[::2]:${port}`, `0.0.0.0:${port}`]) {
      for (const path of ["/", "/files/ok.txt", "/api/index", "/api/tail/ok.txt"]) {
        const r = await rawRequest(port, path, { headers: { host } });
        assert.equal(r.status, 403, `${host} ${path}`);
        assert.equal(r.body, `minima serve: refused the Host ${JSON.stringify(host)}: on loopback this server answers only 127.0.0.1, localhost or [::1] on port ${port} (so that no web page can read it through DNS rebinding)\n`);
      }
    }
    // HTTP/1.1 without Host: Node's server answers 400 itself (requireHostHeader); HTTP/1.0 may omit it and reaches minima.
    assert.equal((await rawRequest(port, "/files/ok.txt", { setHost: false })).status, 400);
    const old = await rawBytes(port, Buffer.from("GET /files/ok.txt HTTP/1.0\r\n\r\n"));
    assert.match(old, /^HTTP\/1\.1 403 /);
    assert.ok(old.endsWith(`\r\n\r\nminima serve: refused the Host "": on loopback this server answers only 127.0.0.1, localhost or [::1] on port ${port} (so that no web page can read it through DNS rebinding)\n`), old);
  });
});

describe("with allowRemote every request needs the server's random token (403 without, 200 with)", () => {
  let server: RunningServer, port: number, token: string;
  before(async () => {
    server = await startServer({ root, host: "0.0.0.0", port: 0, allowRemote: true });
    port = portOf(server);
    token = server.token!;
  });
  after(() => server.close());

  test("the url holds the token: 256 random bits, URL-safe, a new one per server", async () => {
    assert.match(token, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(server.url, `http://0.0.0.0:${port}/?token=${token}`);
    const other = await startServer({ root, host: "0.0.0.0", port: 0, allowRemote: true });
    try { assert.notEqual(other.token, token); } finally { await other.close(); }
  });

  test("without the token, or with a wrong one, every route → 403 with the message", async () => {
    const refused = "minima serve: this server needs its token: open the URL that minima serve printed (it ends with ?token=…)\n";
    const wrong = token.slice(0, -1) + (token.endsWith("A") ? "B" : "A");
    for (const path of ["/", "/assets/app.js", "/api/index", "/files/ok.txt", "/api/tail/ok.txt", `/files/ok.txt?token=${wrong}`, "/files/ok.txt?token=", `/files/ok.txt?token=${token}x`]) {
      const r = await rawRequest(port, path);
      assert.deepEqual([r.status, r.body, r.headers["set-cookie"]], [403, refused, undefined], path);
    }
    for (const cookie of [`minima-serve-${port}=${wrong}`, `minima-serve-${port + 1}=${token}`, `minima-serve-${port}=`, `x=${token}`]) {
      const r = await rawRequest(port, "/files/ok.txt", { headers: { cookie } });
      assert.equal(r.status, 403, cookie);
    }
    assert.equal((await rawRequest(port, "/files/ok.txt", { method: "POST" })).status, 403, "a write without the token is refused before its method");
  });

  test("?token= is answered and sets an HttpOnly SameSite=Strict cookie, which then suffices alone; other hosts in the Host header do not matter", async () => {
    const first = await rawRequest(port, `/?token=${token}`, { headers: { host: `192.0.2.2:${port}` } });
    assert.equal(first.status, 200);
    assert.deepEqual(first.headers["set-cookie"], [`minima-serve-${port}=${token}; HttpOnly; SameSite=Strict; Path=/`]);
    const cookie = `other=1; minima-serve-${port}=${token}`;
    for (const path of ["/api/index", "/files/ok.txt", "/api/tail/ok.txt"]) {
      const r = await rawRequest(port, path, { headers: { cookie } });
      assert.equal(r.status, 200, path);
      assert.equal(r.headers["set-cookie"], undefined, path);
    }
    assert.equal((await rawRequest(port, "/files/ok.txt", { method: "PUT", headers: { cookie } })).status, 405, "with the token, the server is still read-only");
  });
});
