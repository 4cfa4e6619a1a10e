import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openPage, serveFolder } from "./harness.js";

const record = (i: number) => JSON.stringify({ kind: "step", step: i, loss: 1 / i, note: "λ 😀" });

describe("the SSE tail in Chromium", () => {
  test("Chromium's EventSource, its connection cut by the server, reconnects with Last-Event-ID and gets every line exactly once, with those appended meanwhile", { timeout: 90_000 }, async () => {
    const root = mkdtempSync(join(tmpdir(), "minima-serve-"));
    mkdirSync(join(root, "run"));
    const metrics = join(root, "run", "metrics.jsonl");
    writeFileSync(metrics, [1, 2, 3].map((i) => record(i) + "\n").join(""));
    const server = await serveFolder(root);
    try {
      const opened = await openPage(server.url);
      try {
        // In the page (a string: the tests are type-checked without the DOM's types).
        await opened.page.evaluate(`
          window.__tail = [];
          const source = new EventSource("/api/tail/run/metrics.jsonl?from=0");
          for (const type of ["line", "reset"]) source.addEventListener(type, (e) => window.__tail.push({ type, data: e.data, id: e.lastEventId }));
        `);
        const received = (n: number) => opened.page.waitForFunction(`window.__tail.length >= ${n}`, { timeout: 10_000 });
        await received(3);
        server.server.closeAllConnections(); // the network drops
        for (const i of [4, 5]) appendFileSync(metrics, record(i) + "\n");
        await received(5);
        appendFileSync(metrics, record(6) + "\n");
        await received(6);
        await new Promise((ok) => setTimeout(ok, 500)); // time for a line sent twice to show
        const got = await opened.page.evaluate("window.__tail") as { type: string; data: string; id: string }[];
        const lines = [1, 2, 3, 4, 5, 6].map(record);
        let at = 0;
        assert.deepEqual(got, lines.map((data) => ({ type: "line", data, id: String(at += Buffer.byteLength(data + "\n")) })));
        assert.equal(opened.requests.filter((u) => u.includes("/api/tail/")).length, 2, "one reconnect");
        // The dropped stream's request may show as failed; nothing else may.
        assert.deepEqual(opened.problems.filter((p) => !p.includes("/api/tail/")), []);
      } finally {
        await opened.close();
      }
    } finally {
      await server.close();
      rmSync(root, { recursive: true, force: true });
    }
  });
});
