import { request } from "node:http";
import { connect } from "node:net";

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface RawRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** false: send no Host header at all. */
  setHost?: boolean;
}

/**
 * One request with the path sent byte for byte as given (no URL parsing or normalization on this side:
 * "/files/../x" arrives as written). An event stream's body is not awaited: its headers are the answer.
 */
export function rawRequest(port: number, path: string, options: RawRequest = {}, host = "127.0.0.1"): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request({ host, port, path, method: options.method ?? "GET", headers: options.headers ?? {}, setHost: options.setHost ?? true, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      const done = () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") });
      if (String(res.headers["content-type"]).startsWith("text/event-stream")) {
        res.destroy();
        return done();
      }
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", done);
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(options.body);
  });
}

/** The status line of a request written to the socket as raw bytes (for what an HTTP client refuses to send, like a NUL in the path). */
export function rawBytes(port: number, bytes: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => socket.end(bytes));
    let text = "";
    socket.on("data", (d: Buffer) => { text += d.toString("latin1"); });
    socket.on("end", () => resolve(text));
    socket.on("error", reject);
  });
}
