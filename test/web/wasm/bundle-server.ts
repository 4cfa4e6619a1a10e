import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

/** A path under dist/ (this file is dist/test/web/wasm/bundle-server.js). */
export const dist = (path: string) => fileURLToPath(new URL(`../../../${path}`, import.meta.url));

/** Bundles a compiled entry for the browser as a web app's bundler would (esbuild, platform browser, one script). */
export async function bundle(entry: string): Promise<string> {
  const result = await build({ entryPoints: [entry], bundle: true, platform: "browser", format: "iife", target: "es2022", write: false, logLevel: "silent" });
  return result.outputFiles[0]!.text;
}

export interface Served { url: string; close(): Promise<void> }

const TYPES: Record<string, string> = { js: "text/javascript", html: "text/html", wasm: "application/wasm" };

/** Serves `files` (path → body) from 127.0.0.1 on a free port, with `headers` on every answer; anything else is a 404. */
export async function serveFiles(files: Record<string, string | Uint8Array>, headers: Record<string, string> = {}): Promise<Served> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    const body = files[path];
    if (body === undefined) return void res.writeHead(404).end();
    res.writeHead(200, { ...headers, "content-type": TYPES[path.split(".").pop()!] ?? "text/html" }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Bundles a script given as text (its imports resolved from `resolveDir`), as bundle() does a file. */
export async function bundleText(contents: string, resolveDir: string): Promise<string> {
  const result = await build({ stdin: { contents, resolveDir, loader: "js" }, bundle: true, platform: "browser", format: "iife", target: "es2022", write: false, logLevel: "silent" });
  return result.outputFiles[0]!.text;
}
