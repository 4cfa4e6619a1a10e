import { closeSync, openSync, readSync, statSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";

const POLL_MS = 200, HEARTBEAT_MS = 15_000, CHUNK = 1 << 16;

/**
 * Server-Sent Events that tail a growing text file from byte `from` (or the Last-Event-ID a reconnecting
 * EventSource sends): every complete line becomes a "line" event whose id is the byte offset after it, so
 * a reconnect resumes exactly. Reads only what was appended, a chunk at a time, never the whole file.
 */
export function tailFile(path: string, req: IncomingMessage, res: ServerResponse, from: number): void {
  const lastId = Number(req.headers["last-event-id"]);
  let offset = Number.isSafeInteger(lastId) && lastId >= 0 ? lastId : from;
  res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-store", connection: "keep-alive" });
  res.write("retry: 1000\n\n");
  let partial = Buffer.alloc(0);
  const buffer = Buffer.alloc(CHUNK);
  const pump = () => {
    let size: number;
    try { size = statSync(path).size; } catch { return; }
    if (size < offset) { // replaced or truncated: start over
      offset = 0;
      partial = Buffer.alloc(0);
      res.write("event: reset\ndata: {}\n\n");
    }
    if (size === offset + partial.length) return;
    const fd = openSync(path, "r");
    try {
      let at = offset + partial.length;
      while (at < size) {
        const n = readSync(fd, buffer, 0, Math.min(CHUNK, size - at), at);
        if (n <= 0) break;
        at += n;
        let chunk = Buffer.concat([partial, buffer.subarray(0, n)]);
        let newline: number;
        let events = "";
        while ((newline = chunk.indexOf(10)) >= 0) {
          const line = chunk.subarray(0, newline).toString("utf8");
          offset += newline + 1;
          chunk = chunk.subarray(newline + 1);
          if (line.trim() !== "") events += `id: ${offset}\nevent: line\ndata: ${line}\n\n`;
        }
        partial = Buffer.from(chunk);
        if (events !== "") res.write(events);
      }
    } finally {
      closeSync(fd);
    }
  };
  pump();
  const poll = setInterval(pump, POLL_MS);
  const heartbeat = setInterval(() => res.write(": alive\n\n"), HEARTBEAT_MS);
  req.on("close", () => { clearInterval(poll); clearInterval(heartbeat); });
}
