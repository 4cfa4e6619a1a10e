import { createReadStream, existsSync, realpathSync, statSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { OptionError } from "../errors.js";
import { admit, isLoopbackHost, newToken, type Gate } from "./access.js";
import { ROUTES } from "./api-types.js";
import { runIndex } from "./run-index.js";
import { resolveUnder } from "./safe-path.js";
import { handleStudy } from "./study-api.js";
import { tailFile } from "./tail.js";

export interface ServeOptions {
  /** The folder whose runs and studies are served; nothing outside it is. */
  root: string;
  /** Default 127.0.0.1. Any address but loopback (127.0.0.0/8, ::1, localhost) needs `allowRemote`. */
  host?: string;
  /**
   * The user asked to expose the folder to the network (the CLI's --host): a non-loopback host is refused
   * without it. With it, every request must carry a random token, which `url` holds.
   */
  allowRemote?: boolean;
  /** Default 0: any free port. */
  port?: number;
  /** The built front end (dist/web); default: the one beside this module. */
  webDir?: string;
}

export interface RunningServer {
  /** Where to open the page; on a non-loopback host it ends with ?token=<token>. */
  url: string;
  /** The token every request must carry (null on loopback, where the Host header is checked instead). */
  token: string | null;
  server: Server;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8", ".jsonl": "text/plain; charset=utf-8", ".log": "text/plain; charset=utf-8",
  ".svg": "image/svg+xml", ".png": "image/png", ".map": "application/json; charset=utf-8", ".txt": "text/plain; charset=utf-8",
};
// Every script, style and request of the page comes from this server: nothing is fetched from elsewhere. 'wasm-unsafe-eval'
// lets the lab's workers compile minima's wasm module (bytes shipped in the bundle; no eval of text); blob: workers are
// the wasm backend's threads.
const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self' blob:; connect-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** The built front end beside this module: dist/src/serve → dist/web. */
export const WEB_DIR = fileURLToPath(new URL("../../web/", import.meta.url));

/** Starts `minima serve`'s HTTP server: read-only, GET and HEAD only, files under `root` only. */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const bind = options.host ?? "127.0.0.1";
  const remote = !isLoopbackHost(bind);
  if (remote && options.allowRemote !== true) {
    throw new OptionError({ where: "startServer", what: `host ${bind} is not a loopback address (127.0.0.0/8, ::1, localhost), so it would expose the served folder to the network`, expected: "a loopback host, or allowRemote: true to expose it (every request must then carry a random token, which the returned url holds)" });
  }
  const root = realpathSync(resolve(options.root));
  const webDir = realpathSync(options.webDir ?? WEB_DIR);
  const gate: Gate = { port: 0, token: remote ? newToken() : null };
  const server = createServer((req, res) => {
    try {
      handle(req, res, root, webDir, gate);
    } catch (e) {
      if (!res.headersSent) send(res, 500, `minima serve: ${(e as Error).message}`);
      else res.end();
    }
  });
  await new Promise<void>((ok, fail) => {
    server.once("error", fail);
    server.listen(options.port ?? 0, bind, () => ok());
  });
  const { address, port } = server.address() as AddressInfo;
  gate.port = port;
  const host = address.includes(":") ? `[${address}]` : address;
  return {
    url: `http://${host}:${port}/${gate.token === null ? "" : `?token=${gate.token}`}`,
    token: gate.token,
    server,
    close: () => new Promise<void>((ok) => { server.closeAllConnections(); server.close(() => ok()); }),
  };
}

function handle(req: IncomingMessage, res: ServerResponse, root: string, webDir: string, gate: Gate): void {
  res.setHeader("content-security-policy", CSP);
  res.setHeader("x-content-type-options", "nosniff");
  res.setHeader("referrer-policy", "no-referrer");
  // Pages of other origins may not embed these files (<script src>, <img src>) nor share a window with the page.
  res.setHeader("cross-origin-resource-policy", "same-origin");
  res.setHeader("cross-origin-opener-policy", "same-origin");
  // With the opener policy, this makes the pages cross-origin isolated: SharedArrayBuffer exists there, so the wasm
  // backend runs on threads (its workers are blob: URLs, hence worker-src blob:). Everything served is same-origin.
  res.setHeader("cross-origin-embedder-policy", "require-corp");
  const url = new URL(req.url ?? "/", "http://localhost");
  const admission = admit(req, url, gate);
  if (!admission.ok) return send(res, 403, admission.message);
  if (admission.setCookie !== null) res.setHeader("set-cookie", admission.setCookie);
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.setHeader("allow", "GET, HEAD");
    return send(res, 405, `minima serve is read-only: ${req.method} is refused (only GET and HEAD)`);
  }
  const path = url.pathname;
  if (path === "/favicon.ico") return sendFile(res, join(webDir, "favicon.svg"), req);
  if (path === ROUTES.page || path === "/index.html") return sendFile(res, join(webDir, "index.html"), req);
  if (path.startsWith(ROUTES.assets)) return sendUnder(res, webDir, path.slice(ROUTES.assets.length), req);
  if (path === ROUTES.index) return sendJson(res, runIndex(root));
  if (path.startsWith(ROUTES.files)) return sendUnder(res, root, path.slice(ROUTES.files.length), req);
  if (path.startsWith(ROUTES.tail)) {
    const file = resolveUnder(root, path.slice(ROUTES.tail.length));
    if (file === null || !statSync(file).isFile()) return send(res, 404, `no file ${path.slice(ROUTES.tail.length)} under the served folder`);
    if (req.method === "HEAD") return void res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-store" }).end();
    const from = Number(url.searchParams.get("from") ?? 0);
    return tailFile(file, req, res, Number.isSafeInteger(from) && from >= 0 ? from : 0);
  }
  if (path.startsWith(ROUTES.study)) return handleStudy(res, root, path.slice(ROUTES.study.length), url);
  send(res, 404, `minima serve has nothing at ${path}`);
}

function sendUnder(res: ServerResponse, base: string, urlPath: string, req: IncomingMessage): void {
  const file = resolveUnder(base, urlPath);
  if (file === null || !statSync(file).isFile()) return send(res, 404, `no file ${urlPath} here`);
  sendFile(res, file, req);
}

function sendFile(res: ServerResponse, file: string, req: IncomingMessage): void {
  if (!existsSync(file)) return send(res, 404, "the front end is not built: run npm run build");
  const size = statSync(file).size;
  res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream", "content-length": size, "cache-control": "no-cache" });
  if (req.method === "HEAD") return void res.end();
  createReadStream(file).pipe(res);
}

export function sendJson(res: ServerResponse, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(200, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
  res.end(text);
}

export function send(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { "content-type": "text/plain; charset=utf-8" });
  res.end(message + "\n");
}
