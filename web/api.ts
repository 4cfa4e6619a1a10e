import { ROUTES, type IndexResponse } from "../src/serve/api-types.js";

export type { IndexResponse, RunEntry, StudyEntry } from "../src/serve/api-types.js";

/** A served path in a URL: each segment percent-encoded. */
export const encodePath = (path: string) => path.split("/").map(encodeURIComponent).join("/");

async function ok(response: Response, what: string): Promise<Response> {
  if (!response.ok) throw new Error(`${what}: ${response.status} ${(await response.text()).trim()}`);
  return response;
}

export async function fetchIndex(): Promise<IndexResponse> {
  return (await ok(await fetch(ROUTES.index), "the index")).json() as Promise<IndexResponse>;
}

/** A file under the served folder, as text. */
export async function fetchText(path: string): Promise<string> {
  return (await ok(await fetch(ROUTES.files + encodePath(path)), path)).text();
}

export async function fetchJson<T>(path: string): Promise<T> {
  return JSON.parse(await fetchText(path)) as T;
}

/**
 * Follows a growing text file line by line (the server's SSE tail): `onLine` gets each complete line once, in
 * order, also across reconnects; `onReset` when the file was replaced and is read again from its start.
 * Returns a function that stops following.
 */
export function tailLines(path: string, onLine: (line: string) => void, onReset: () => void = () => {}): () => void {
  const source = new EventSource(`${ROUTES.tail}${encodePath(path)}?from=0`);
  source.addEventListener("line", (e) => onLine((e as MessageEvent<string>).data));
  source.addEventListener("reset", () => onReset());
  return () => source.close();
}
