import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { startServer, type RunningServer } from "../../src/serve/server.js";
import { rawBytes, rawRequest } from "./raw-http.js";

// The layout: <top>/secret.txt and <top>/secret-dir/ lie outside both served folders, <top>/served (the runs) and
// <top>/web (the front end), each of which also holds symbolic links pointing out to them.
const SECRET = `secret-${process.pid}-${Date.now()}`;
let top: string, server: RunningServer, port: number;

before(async () => {
  top = mkdtempSync(join(tmpdir(), "minima-serve-security-"));
  writeFileSync(join(top, "secret.txt"), SECRET);
  mkdirSync(join(top, "secret-dir"));
  writeFileSync(join(top, "secret-dir", "secret.txt"), SECRET);
  for (const dir of ["served", "web"]) {
    mkdirSync(join(top, dir, "sub"), { recursive: true });
    writeFileSync(join(top, dir, "ok.txt"), "ok\n");
    writeFileSync(join(top, dir, "sub", "ok.txt"), "sub ok\n");
    writeFileSync(join(top, dir, "a b.txt"), "spaced\n");
    symlinkSync(join(top, "secret.txt"), join(top, dir, "link-out"));
    symlinkSync(join(top, "secret-dir"), join(top, dir, "dir-out"));
    symlinkSync("ok.txt", join(top, dir, "link-in"));
  }
  writeFileSync(join(top, "web", "index.html"), "<!doctype html><title>shell</title>\n");
  server = await startServer({ root: join(top, "served"), webDir: join(top, "web"), port: 0 });
  port = Number(new URL(server.url).port);
});
after(async () => {
  await server.close();
  rmSync(top, { recursive: true, force: true });
});

/** Every way of naming secret.txt (one folder up) or /etc/passwd from a folder, plain, encoded, doubly encoded, mixed case, with backslashes, NUL, or links. */
const ESCAPES = [
  "../secret.txt", "../../../../../../../../etc/passwd", "sub/../../secret.txt",
  "%2e%2e/secret.txt", "%2E%2e/secret.txt", "%2e%2e%2fsecret.txt", "%2E%2E%2Fsecret.txt", "sub%2f%2e%2e%2f%2e%2e%2fsecret.txt",
  "..%2fsecret.txt", "..%2Fsecret.txt", "%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd",
  "%252e%252e%252fsecret.txt", "%252E%252E%252Fsecret.txt", "%25252e%25252e%25252fsecret.txt", "%252e%252e/secret.txt",
  "..%5csecret.txt", "..%5Csecret.txt", "%2e%2e%5csecret.txt", "..\\secret.txt", "sub\\..\\..\\secret.txt", "..%255csecret.txt",
  "%2fetc%2fpasswd", "/etc/passwd", "%5cetc%5cpasswd",
  "ok.txt%00", "ok.txt%00.png", "%00", "..%00/secret.txt", "%c0%ae%c0%ae/secret.txt", "%c0%ae%c0%ae%c0%afsecret.txt", "%e0%80%ae%e0%80%ae/secret.txt",
  "link-out", "dir-out/secret.txt", "dir-out%2fsecret.txt", "./../secret.txt", ".%2e/secret.txt", "%2e./secret.txt",
];

const leaked = (body: string) => body.includes(SECRET) || /root:.*:0:0:/.test(body);

describe("minima serve refuses every path out of its folders (a reference: each request names a file outside, which must not be served)", () => {
  test("the plain names, encoded names and links inside the folders are served (the control: the refusals below are not everything refused)", async () => {
    for (const prefix of ["/files/", "/assets/"]) {
      for (const [path, body] of [["ok.txt", "ok\n"], ["sub/ok.txt", "sub ok\n"], ["a%20b.txt", "spaced\n"], ["link-in", "ok\n"], ["sub%2Fok.txt", null]] as const) {
        const r = await rawRequest(port, prefix + path);
        if (body === null) assert.equal(r.status, 404, `${prefix}${path}: a %2F inside one segment is a name with a slash, refused`);
        else assert.deepEqual([r.status, r.body], [200, body], prefix + path);
      }
    }
    const tail = await rawRequest(port, "/api/tail/ok.txt");
    assert.deepEqual([tail.status, tail.headers["content-type"]], [200, "text/event-stream; charset=utf-8"]);
  });

  for (const prefix of ["/files/", "/assets/", "/api/tail/"]) {
    test(`${prefix}: ${ESCAPES.length} escapes (../, %2e%2e%2f, %252e%252e%252f, ..%5c, mixed case, NUL, overlong UTF-8, links out) are all 404 and serve nothing from outside`, async () => {
      for (const escape of ESCAPES) {
        const r = await rawRequest(port, prefix + escape);
        assert.equal(r.status, 404, `${prefix}${escape} → ${r.status} ${r.body}`);
        assert.ok(!leaked(r.body), `${prefix}${escape} leaked: ${r.body}`);
      }
    });
  }

  test("a raw NUL in the request line is refused by the HTTP parser (400), with nothing served", async () => {
    for (const prefix of ["/files/", "/assets/", "/api/tail/"]) {
      const answer = await rawBytes(port, Buffer.from(`GET ${prefix}ok.txt\0/../../secret.txt HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`, "latin1"));
      assert.match(answer, /^HTTP\/1\.1 400 /, answer);
      assert.ok(!leaked(answer));
    }
  });

  test("the page shell and the API reached by traversal serve the page's own files only (URL normalization keeps them inside)", async () => {
    for (const path of ["/assets/../index.html", "/files/../index.html", "/files/%2e%2e/index.html"]) {
      const r = await rawRequest(port, path);
      assert.deepEqual([r.status, r.body], [200, "<!doctype html><title>shell</title>\n"], path);
    }
    for (const path of ["/files/../../secret.txt", "/files/../secret-dir/secret.txt", "/api/index/../../secret.txt", "/%2e%2e/secret.txt"]) {
      const r = await rawRequest(port, path);
      assert.equal(r.status, 404, path);
      assert.ok(!leaked(r.body), path);
    }
  });
});

/** Every file and folder under `dir` with its size, modification time and content: what a write would change. */
function snapshot(dir: string): string[] {
  const found: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name), s = statSync(path, { throwIfNoEntry: false });
      found.push(`${relative(dir, path)} ${entry.isSymbolicLink() ? "link" : entry.isDirectory() ? "dir" : "file"} ${s?.size} ${s?.mtimeMs}${entry.isFile() ? ` ${readFileSync(path, "utf8")}` : ""}`);
      if (entry.isDirectory()) walk(path);
    }
  };
  walk(dir);
  return found.sort();
}

describe("minima serve is read-only (the HTTP spec's methods that write, and any other, answer 405 Method Not Allowed)", () => {
  test("POST, PUT, DELETE, PATCH and other methods on every route → 405 with Allow: GET, HEAD, and the folders' tree, sizes, mtimes and contents are unchanged", async () => {
    const routes = ["/", "/index.html", "/favicon.ico", "/assets/ok.txt", "/assets/new.txt", "/api/index", "/files/ok.txt", "/files/sub/ok.txt",
      "/files/new.txt", "/files/sub", "/files/", "/api/tail/ok.txt", "/api/study/sub", "/nothing", "/files/../secret.txt", "/files/%2e%2e%2fsecret.txt"];
    const methods = ["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "PROPFIND", "PROPPATCH", "MKCOL", "COPY", "MOVE", "LOCK", "UNLOCK", "PURGE"];
    const before = snapshot(top);
    await new Promise((ok) => setTimeout(ok, 20)); // a write in the battery below would move an mtime past this
    for (const route of routes) {
      for (const method of methods) {
        const headers: Record<string, string> = method === "COPY" || method === "MOVE" ? { destination: `http://127.0.0.1:${port}/files/copied.txt` } : {};
        const r = await rawRequest(port, route, { method, headers, body: method === "OPTIONS" ? "" : `written by ${method}\n` });
        assert.equal(r.status, 405, `${method} ${route} → ${r.status}`);
        assert.equal(r.headers["allow"], "GET, HEAD", `${method} ${route}`);
        assert.equal(r.body, `minima serve is read-only: ${method} is refused (only GET and HEAD)\n`);
      }
    }
    assert.deepEqual(snapshot(top), before);
  });

  test("HEAD answers the headers GET would, without a body, also on the event stream (which it does not open)", async () => {
    const get = await rawRequest(port, "/files/ok.txt"), head = await rawRequest(port, "/files/ok.txt", { method: "HEAD" });
    assert.deepEqual([head.status, head.headers["content-length"], head.body], [200, get.headers["content-length"], ""]);
    const tail = await rawRequest(port, "/api/tail/ok.txt", { method: "HEAD" });
    assert.deepEqual([tail.status, tail.headers["content-type"], tail.body], [200, "text/event-stream; charset=utf-8", ""]);
  });

  test("every answer forbids other origins to embed it (CORP same-origin) and carries the CSP default-src 'self'", async () => {
    for (const path of ["/", "/assets/ok.txt", "/files/ok.txt", "/api/index", "/nothing"]) {
      const r = await rawRequest(port, path);
      assert.equal(r.headers["cross-origin-resource-policy"], "same-origin", path);
      assert.match(String(r.headers["content-security-policy"]), /^default-src 'self';/, path);
      assert.equal(r.headers["x-content-type-options"], "nosniff", path);
    }
  });
});
