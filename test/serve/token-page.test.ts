import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer } from "../../src/serve/server.js";
import { openPage } from "../web/harness.js";

describe("the page behind a token (startServer with allowRemote, as minima serve --host 0.0.0.0 starts it)", () => {
  test("opened with ?token= in Chromium, the page and every request it makes afterwards (script, styles, fetch, EventSource) carry the cookie: no 403, no problem; a second browser without the token gets 403", { timeout: 60_000 }, async () => {
    const root = mkdtempSync(join(tmpdir(), "minima-serve-token-"));
    writeFileSync(join(root, "metrics.jsonl"), '{"type":"config"}\n');
    const server = await startServer({ root, host: "0.0.0.0", port: 0, allowRemote: true });
    const port = new URL(server.url).port;
    try {
      const opened = await openPage(`http://127.0.0.1:${port}/?token=${server.token}`);
      const statuses: string[] = [];
      opened.page.on("response", (r) => statuses.push(`${r.status()} ${new URL(r.url()).pathname}`));
      try {
        await opened.page.waitForSelector("header.bar nav a");
        await opened.page.reload({ waitUntil: "networkidle0" }); // the URL keeps its token; what matters is the requests after the first
        await opened.page.goto(`http://127.0.0.1:${port}/#/`, { waitUntil: "networkidle0" }); // no token in this URL: the cookie alone
        await opened.page.waitForSelector("header.bar nav a");
        // The page's own fetch and EventSource, as the pages make them (credentials: same-origin, the default).
        assert.equal(await opened.page.evaluate("fetch('/api/index').then((r) => r.status)"), 200);
        assert.equal(await opened.page.evaluate(`new Promise((ok) => { const s = new EventSource("/api/tail/metrics.jsonl"); s.addEventListener("line", (e) => { s.close(); ok(e.data); }); s.onerror = () => { s.close(); ok("error"); }; })`), '{"type":"config"}');
        assert.ok(statuses.includes("200 /assets/app.js") && statuses.includes("200 /api/index"), statuses.join(", "));
        assert.deepEqual(statuses.filter((s) => !s.startsWith("200 ")), []);
        const cookies = await opened.page.cookies();
        assert.deepEqual(cookies.map((c) => [c.name, c.httpOnly, c.sameSite]), [[`minima-serve-${port}`, true, "Strict"]]);
        assert.equal(await opened.page.evaluate("document.cookie"), "", "the page's script cannot read the HttpOnly cookie");
        assert.deepEqual(opened.problems, []);
      } finally {
        await opened.close();
      }
      const stranger = await openPage(`http://127.0.0.1:${port}/`);
      try {
        assert.equal(await stranger.page.evaluate("document.body.innerText"), "minima serve: this server needs its token: open the URL that minima serve printed (it ends with ?token=…)\n");
      } finally {
        await stranger.close();
      }
    } finally {
      await server.close();
      rmSync(root, { recursive: true, force: true });
    }
  });
});
