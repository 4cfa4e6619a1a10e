import { open, type FileHandle } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { watchFile, type FileState } from "./file-watch.js";

const CHUNK = 1 << 16, HEARTBEAT_MS = 15_000;
/** A line longer than this is skipped (a "skipped" event says which bytes) rather than held in memory whole. */
export const MAX_LINE = 4 << 20;

/**
 * Server-Sent Events that tail a growing text file from byte `from` (or the Last-Event-ID a reconnecting
 * EventSource sends): every complete line becomes a "line" event whose id is the byte offset after it, so a
 * reconnect resumes exactly, each line once. A last line without its newline waits for it. Reads only what
 * was appended, a chunk at a time, never the whole file; a slow client is not written more until it drained
 * (at most a chunk's events wait in memory per client). A file replaced (another inode) or truncated below the
 * offset sends a "reset" (id 0) and is read again from its start; so is an offset that is not a line's start.
 * Blank lines are dropped, a line's trailing CR is dropped, and a CR inside a line arrives as a newline (SSE's
 * framing cannot carry it).
 */
export function tailFile(path: string, req: IncomingMessage, res: ServerResponse, from: number): void {
  const lastId = Number(req.headers["last-event-id"]);
  const start = req.headers["last-event-id"] !== undefined && Number.isSafeInteger(lastId) && lastId >= 0 ? lastId : from;
  res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-store", connection: "keep-alive" });
  if (req.method === "HEAD") return void res.end();
  res.write("retry: 1000\n\n");
  const heartbeat = setInterval(() => res.write(": alive\n\n"), HEARTBEAT_MS);
  res.on("close", () => clearInterval(heartbeat));
  follow(path, res, start).catch(() => res.destroy());
}

async function follow(path: string, res: ServerResponse, start: number): Promise<void> {
  // `dirty`: the watcher spoke since the file was last statted here, so a wait would miss that change.
  let closed = res.destroyed, dirty = false, wake: (() => void) | null = null, latest: FileState | null | undefined;
  const wakeUp = () => { const w = wake; wake = null; w?.(); };
  const changed = () => closed || dirty ? Promise.resolve() : new Promise<void>((ok) => { wake = ok; });
  // Listen before the first read, so that no append between the two is missed.
  const unwatch = watchFile(path, (state) => { latest = state; dirty = true; wakeUp(); });
  res.on("close", () => { closed = true; wakeUp(); });
  const drained = () => closed ? Promise.resolve() : new Promise<void>((ok) => {
    const done = () => { res.off("drain", done); res.off("close", done); ok(); };
    res.on("drain", done);
    res.on("close", done);
  });
  let file: FileHandle | null = null, ino = -1, offset = start, skipFrom: number | null = null;
  let buffer = Buffer.allocUnsafe(CHUNK);
  const reset = async () => {
    offset = 0;
    skipFrom = null;
    if (!res.write("event: reset\nid: 0\ndata: {}\n\n")) await drained();
  };
  try {
    while (!closed) {
      dirty = false;
      if (file === null) {
        try {
          file = await open(path, "r");
          ino = (await file.stat()).ino;
        } catch {
          await file?.close();
          file = null;
          await changed();
          continue;
        }
        if (offset > 0 && !(await startsLine(file, offset))) await reset();
      }
      if (latest != null && latest.ino !== ino) { // replaced (renamed over, or deleted and written again)
        await file.close();
        file = null;
        await reset();
        continue;
      }
      const size = (await file.stat()).size;
      if (size < offset) await reset(); // truncated
      if (size === offset) { await changed(); continue; }
      const { bytesRead } = await file.read(buffer, 0, Math.min(buffer.length, size - offset), offset);
      if (closed) break;
      const end = buffer.lastIndexOf(10, bytesRead - 1);
      if (end < 0) {
        if (skipFrom !== null) offset += bytesRead; // still inside an over-long line
        else if (bytesRead === buffer.length && buffer.length < MAX_LINE) buffer = Buffer.allocUnsafe(buffer.length * 2);
        else if (bytesRead === buffer.length) { skipFrom = offset; offset += bytesRead; }
        else await changed(); // a partial last line: wait for its newline
        continue;
      }
      let events = "", at = 0;
      if (skipFrom !== null) {
        at = buffer.indexOf(10) + 1;
        events += `id: ${offset + at}\nevent: skipped\ndata: {"from":${skipFrom},"to":${offset + at},"reason":"a line longer than ${MAX_LINE} bytes"}\n\n`;
        skipFrom = null;
      }
      while (at <= end) {
        const newline = buffer.indexOf(10, at);
        const text = buffer.toString("utf8", at, newline > at && buffer[newline - 1] === 13 ? newline - 1 : newline);
        if (text.trim() !== "") events += `id: ${offset + newline + 1}\nevent: line\ndata: ${text.split("\r").join("\ndata: ")}\n\n`;
        at = newline + 1;
      }
      offset += end + 1;
      if (buffer.length > CHUNK) buffer = Buffer.allocUnsafe(CHUNK);
      if (events !== "" && !res.write(events)) await drained();
    }
  } finally {
    unwatch();
    await file?.close();
  }
}

/** Whether byte `offset` starts a line of the file (a reconnect's offset may come from the file it replaced). */
async function startsLine(file: FileHandle, offset: number): Promise<boolean> {
  const byte = Buffer.alloc(1);
  const { bytesRead } = await file.read(byte, 0, 1, offset - 1);
  return bytesRead === 1 && byte[0] === 10;
}
