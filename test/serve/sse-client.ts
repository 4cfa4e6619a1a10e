import { get, type ClientRequest, type IncomingMessage } from "node:http";

/** One Server-Sent Event as the HTML spec's parser dispatches it, and when it arrived (performance.now()). */
export interface SseEvent {
  type: string;
  data: string;
  id: string;
  at: number;
}

/**
 * A Node EventSource enough for tests, written from the HTML spec's "event stream interpretation": lines end
 * in CRLF, LF or CR; "field: value" (one leading space dropped); data lines joined by LF; a blank line
 * dispatches; ":" starts a comment; the last event ID persists across events. It does not reconnect: tests
 * reconnect by hand with `lastEventId`.
 */
export class SseClient {
  readonly events: SseEvent[] = [];
  status = 0;
  lastEventId = "";
  ended = false;
  private request: ClientRequest;
  private response: IncomingMessage | null = null;
  private rest = "";
  private pendingCr = false;
  private type = "";
  private data: string[] = [];
  private waiters: (() => void)[] = [];

  constructor(url: string, lastEventId?: string) {
    const headers: Record<string, string> = { accept: "text/event-stream" };
    if (lastEventId !== undefined) { headers["last-event-id"] = lastEventId; this.lastEventId = lastEventId; }
    this.request = get(url, { headers }, (response) => {
      this.response = response;
      this.status = response.statusCode ?? 0;
      response.setEncoding("utf8");
      response.on("data", (text: string) => this.feed(text));
      response.on("end", () => { this.ended = true; this.notify(); });
      response.on("error", () => {});
      this.notify();
    });
    this.request.on("error", () => { this.ended = true; this.notify(); });
  }

  /** Events of type "line", their data. */
  lines(): string[] {
    return this.events.filter((e) => e.type === "line").map((e) => e.data);
  }

  /** Resolves when `ready()` holds, checked after every event; rejects after `ms`. */
  until(ready: () => boolean, ms = 5000, what = "the events awaited"): Promise<void> {
    return new Promise((ok, fail) => {
      const timer = setTimeout(() => { this.waiters = this.waiters.filter((w) => w !== check); fail(new Error(`timed out after ${ms} ms waiting for ${what}; got ${JSON.stringify(this.events.map((e) => [e.type, e.data.slice(0, 60), e.id]).slice(-8))}`)); }, ms);
      const check = () => {
        if (!ready()) return;
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== check);
        ok();
      };
      this.waiters.push(check);
      check();
    });
  }

  /** Stops reading the socket (a slow client), or starts again. */
  pause(): void { this.response?.pause(); }
  resume(): void { this.response?.resume(); }

  /** Drops the connection, as a network failure would. */
  close(): void {
    this.request.destroy();
  }

  private notify(): void {
    for (const w of [...this.waiters]) w();
  }

  private feed(text: string): void {
    let buffer = this.rest + text;
    if (this.pendingCr && buffer.startsWith("\n")) buffer = buffer.slice(1);
    this.pendingCr = false;
    const lines = buffer.split(/\r\n|\n|\r/);
    this.rest = lines.pop()!;
    // A CR at the very end may be the first half of a CRLF split across chunks.
    if (this.rest === "" && buffer.endsWith("\r")) this.pendingCr = true;
    for (const line of lines) this.line(line);
    this.notify();
  }

  private line(line: string): void {
    if (line === "") {
      if (this.data.length > 0) this.events.push({ type: this.type || "message", data: this.data.join("\n"), id: this.lastEventId, at: performance.now() });
      this.type = "";
      this.data = [];
      return;
    }
    if (line.startsWith(":")) return;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "event") this.type = value;
    else if (field === "data") this.data.push(value);
    else if (field === "id" && !value.includes("\0")) this.lastEventId = value;
  }
}
