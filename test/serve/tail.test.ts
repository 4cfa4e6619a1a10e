import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { appendFileSync, mkdirSync, mkdtempSync, renameSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer, type RunningServer } from "../../src/serve/server.js";
import { tailFile, MAX_LINE } from "../../src/serve/tail.js";
import { watchedFileCount } from "../../src/serve/file-watch.js";
import { SseClient } from "./sse-client.js";

const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));
/** The byte offset after each line of `text` (the ids the tail must send), counted here with Buffer.byteLength. */
const offsetsAfter = (lines: string[], base = 0) => { let at = base; return lines.map((l) => String(at += Buffer.byteLength(l + "\n"))); };
const record = (i: number) => JSON.stringify({ kind: "step", step: i, loss: 1 / (i + 1), note: "é λ 😀" });

/** tailFile behind a bare HTTP server, keeping each response so tests can look at what waits in it. */
async function tailServer(file: string): Promise<{ url: string; responses: ServerResponse[]; server: Server }> {
  const responses: ServerResponse[] = [];
  const server = createServer((req, res) => { responses.push(res); tailFile(file, req, res, Number(new URL(req.url!, "http://x").searchParams.get("from") ?? 0)); });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, responses, server };
}
const stop = (server: Server) => new Promise<void>((ok) => { server.closeAllConnections(); server.close(() => ok()); });

describe("the SSE tail of a growing file (src/serve/tail.ts)", () => {
  let dir: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), "minima-tail-")); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test("a line appended to a run's metrics.jsonl reaches an EventSource client of /api/tail/ within 1 s, with the byte offset after it as id", { timeout: 30_000 }, async () => {
    const run = join(dir, "run-a");
    rmSync(run, { recursive: true, force: true });
    mkdirSync(run);
    const lines = [record(1)];
    writeFileSync(join(run, "metrics.jsonl"), lines[0] + "\n");
    const server: RunningServer = await startServer({ root: dir, port: 0 });
    const client = new SseClient(`${server.url}api/tail/run-a/metrics.jsonl?from=0`);
    try {
      await client.until(() => client.lines().length === 1);
      assert.equal(client.status, 200);
      const latencies: number[] = [];
      for (let i = 2; i <= 6; i++) {
        const line = record(i);
        lines.push(line);
        const sent = performance.now();
        appendFileSync(join(run, "metrics.jsonl"), line + "\n");
        await client.until(() => client.lines().length === i, 1000, `line ${i} within 1 s`);
        latencies.push(client.events.at(-1)!.at - sent);
        await sleep(50);
      }
      assert.ok(Math.max(...latencies) < 1000, `latencies ${latencies.map((l) => l.toFixed(1)).join(", ")} ms`);
      assert.deepEqual(client.lines(), lines);
      assert.deepEqual(client.events.map((e) => e.id), offsetsAfter(lines));
    } finally {
      client.close();
      await server.close();
    }
  });

  test("a dropped connection resumed with Last-Event-ID gets every line exactly once, also those appended while it was away", { timeout: 30_000 }, async () => {
    const file = join(dir, "resume.jsonl");
    const first = [1, 2, 3].map(record), second = [4, 5, 6].map(record);
    writeFileSync(file, first.map((l) => l + "\n").join(""));
    const { url, server } = await tailServer(file);
    try {
      const one = new SseClient(url);
      await one.until(() => one.lines().length === 3);
      one.close();
      for (const l of second) appendFileSync(file, l + "\n");
      const two = new SseClient(url, one.lastEventId);
      await two.until(() => two.lines().length === 3);
      await sleep(300); // nothing more may come
      two.close();
      assert.equal(one.lastEventId, offsetsAfter(first).at(-1));
      assert.deepEqual([...one.lines(), ...two.lines()], [...first, ...second]);
      assert.deepEqual(two.events.map((e) => e.type), ["line", "line", "line"]);
    } finally {
      await stop(server);
    }
  });

  test("a partial last line waits for its newline; a character split across two writes arrives whole", { timeout: 30_000 }, async () => {
    const file = join(dir, "partial.jsonl");
    const line = JSON.stringify({ kind: "event", message: "λ=😀 déjà" });
    const bytes = Buffer.from(line + "\n");
    const cut = bytes.indexOf(Buffer.from("😀")) + 2; // inside the emoji's 4 bytes
    writeFileSync(file, record(0) + "\n");
    appendFileSync(file, bytes.subarray(0, cut));
    const { url, server } = await tailServer(file);
    try {
      const client = new SseClient(url);
      await client.until(() => client.lines().length === 1);
      await sleep(700); // longer than the poll: the partial line must still wait
      assert.equal(client.lines().length, 1);
      appendFileSync(file, bytes.subarray(cut));
      await client.until(() => client.lines().length === 2);
      assert.deepEqual(client.lines(), [record(0), line]);
      client.close();
    } finally {
      await stop(server);
    }
  });

  test("a line longer than a read chunk, with multibyte characters across the chunk boundaries, arrives whole", { timeout: 30_000 }, async () => {
    const file = join(dir, "long.jsonl");
    const long = JSON.stringify({ kind: "event", message: "é😀λ".repeat(20_000) }); // ~180 KB, past 65,536 twice
    writeFileSync(file, `${record(1)}\n${long}\n${record(2)}\n`);
    const { url, server } = await tailServer(file);
    try {
      const client = new SseClient(url);
      await client.until(() => client.lines().length === 3);
      assert.deepEqual(client.lines(), [record(1), long, record(2)]);
      assert.deepEqual(client.events.map((e) => e.id), offsetsAfter([record(1), long, record(2)]));
      client.close();
    } finally {
      await stop(server);
    }
  });

  test(`a line longer than MAX_LINE (${MAX_LINE} bytes) is skipped with a "skipped" event naming its bytes, and the lines after it arrive`, { timeout: 60_000 }, async () => {
    const file = join(dir, "huge.jsonl");
    const huge = "x".repeat(MAX_LINE + 1000);
    writeFileSync(file, `${record(1)}\n${huge}\n${record(2)}\n`);
    const { url, server } = await tailServer(file);
    try {
      const client = new SseClient(url);
      await client.until(() => client.lines().length === 2, 20_000);
      const from = Buffer.byteLength(record(1) + "\n"), to = from + huge.length + 1;
      assert.deepEqual(client.events.map((e) => [e.type, e.data, e.id]), [
        ["line", record(1), String(from)],
        ["skipped", `{"from":${from},"to":${to},"reason":"a line longer than ${MAX_LINE} bytes"}`, String(to)],
        ["line", record(2), String(to + Buffer.byteLength(record(2) + "\n"))],
      ]);
      client.close();
    } finally {
      await stop(server);
    }
  });

  test("a truncated file sends a reset (id 0) and is read again from its start", { timeout: 30_000 }, async () => {
    const file = join(dir, "truncate.jsonl");
    writeFileSync(file, [1, 2, 3].map((i) => record(i) + "\n").join(""));
    const { url, server } = await tailServer(file);
    try {
      const client = new SseClient(url);
      await client.until(() => client.lines().length === 3);
      truncateSync(file, 0);
      appendFileSync(file, record(9) + "\n");
      await client.until(() => client.events.some((e) => e.type === "reset") && client.lines().at(-1) === record(9));
      assert.deepEqual(client.events.slice(3).map((e) => [e.type, e.id]), [["reset", "0"], ["line", offsetsAfter([record(9)])[0]]]);
      client.close();
    } finally {
      await stop(server);
    }
  });

  test("a file replaced by rename with a longer one sends a reset and streams the new file from its start", { timeout: 30_000 }, async () => {
    const file = join(dir, "replace.jsonl"), next = join(dir, "replace.next");
    writeFileSync(file, record(1) + "\n");
    const { url, server } = await tailServer(file);
    try {
      const client = new SseClient(url);
      await client.until(() => client.lines().length === 1);
      const fresh = [10, 11, 12, 13].map(record);
      writeFileSync(next, fresh.map((l) => l + "\n").join(""));
      renameSync(next, file);
      await client.until(() => client.lines().length === 5);
      assert.deepEqual(client.events.map((e) => e.type), ["line", "reset", "line", "line", "line", "line"]);
      assert.deepEqual(client.lines().slice(1), fresh);
      // The watch follows the new file: an append to it arrives too.
      appendFileSync(file, record(14) + "\n");
      await client.until(() => client.lines().length === 6, 1000, "an append to the replacing file within 1 s");
      client.close();
    } finally {
      await stop(server);
    }
  });

  test("a file deleted and written again sends a reset, streams the new file, and an append to it arrives within 1 s", { timeout: 30_000 }, async () => {
    const file = join(dir, "recreate.jsonl");
    writeFileSync(file, record(1) + "\n");
    const { url, server } = await tailServer(file);
    try {
      const client = new SseClient(url);
      await client.until(() => client.lines().length === 1);
      rmSync(file);
      await sleep(700); // the poll sees it gone
      writeFileSync(file, record(20) + "\n");
      await client.until(() => client.lines().length === 2);
      appendFileSync(file, record(21) + "\n");
      await client.until(() => client.lines().length === 3, 1000, "an append to the new file within 1 s");
      assert.deepEqual(client.events.map((e) => e.type), ["line", "reset", "line", "line"]);
      assert.deepEqual(client.lines(), [record(1), record(20), record(21)]);
      client.close();
    } finally {
      await stop(server);
    }
  });

  test("a Last-Event-ID that is not a line's start in the file now (it came from a replaced file) resets to the start", { timeout: 30_000 }, async () => {
    const file = join(dir, "stale-id.jsonl");
    const lines = [1, 2].map(record);
    writeFileSync(file, lines.map((l) => l + "\n").join(""));
    const { url, server } = await tailServer(file);
    try {
      const client = new SseClient(url, "7");
      await client.until(() => client.lines().length === 2);
      assert.deepEqual(client.events.map((e) => e.type), ["reset", "line", "line"]);
      assert.deepEqual(client.lines(), lines);
      client.close();
    } finally {
      await stop(server);
    }
  });

  test("a slow client is not queued more than a chunk's events (at most 1 MB waits in the response), and once it reads it gets every line once", { timeout: 120_000 }, async () => {
    const file = join(dir, "slow.jsonl");
    writeFileSync(file, "");
    const { url, responses, server } = await tailServer(file);
    try {
      const client = new SseClient(url);
      await client.until(() => client.status === 200 && responses.length === 1);
      client.pause();
      const line = JSON.stringify({ kind: "step", pad: "p".repeat(200) });
      const count = 50_000; // ~11 MB
      const block = (line + "\n").repeat(1000);
      for (let i = 0; i < count / 1000; i++) appendFileSync(file, block);
      let most = 0;
      for (let i = 0; i < 20; i++) { await sleep(100); most = Math.max(most, responses[0]!.writableLength); }
      assert.ok(most > 0, "the response is waiting on the paused client");
      assert.ok(most < 1 << 20, `${most} bytes wait in the response`);
      client.resume();
      await client.until(() => client.lines().length === count, 90_000, `${count} lines`);
      assert.ok(client.lines().every((l) => l === line));
      assert.equal(client.lastEventId, String(count * Buffer.byteLength(line + "\n")));
      client.close();
    } finally {
      await stop(server);
    }
  });

  test("20 clients of one file share one watcher, all get an appended line within 1 s, and closing them (and every test before) leaves no watcher", { timeout: 30_000 }, async () => {
    const file = join(dir, "many.jsonl");
    writeFileSync(file, record(1) + "\n");
    const { url, server } = await tailServer(file);
    const settled = async () => { for (let i = 0; i < 100 && watchedFileCount() > 0; i++) await sleep(20); return watchedFileCount(); };
    assert.equal(await settled(), 0, "the tests before closed every watcher they opened");
    try {
      const clients = Array.from({ length: 20 }, () => new SseClient(url));
      await Promise.all(clients.map((c) => c.until(() => c.lines().length === 1)));
      assert.equal(watchedFileCount(), 1);
      appendFileSync(file, record(2) + "\n");
      await Promise.all(clients.map((c) => c.until(() => c.lines().length === 2, 1000, "the appended line within 1 s")));
      for (const c of clients) c.close();
      assert.equal(await settled(), 0);
    } finally {
      await stop(server);
    }
  });

  test("HEAD answers the event-stream headers without a body", { timeout: 10_000 }, async () => {
    const file = join(dir, "head.jsonl");
    writeFileSync(file, record(1) + "\n");
    const { url, server } = await tailServer(file);
    try {
      const response = await fetch(url, { method: "HEAD" });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get("content-type"), "text/event-stream; charset=utf-8");
      assert.equal(await response.text(), "");
    } finally {
      await stop(server);
    }
  });
});
