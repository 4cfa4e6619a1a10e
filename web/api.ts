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

/** A line the server did not send: longer than its limit (src/serve/tail.ts MAX_LINE); `from`/`to` are its bytes. */
export interface SkippedLine {
  from: number;
  to: number;
  reason: string;
}

/**
 * Follows a growing text file line by line (the server's SSE tail): `onLine` gets each complete line once, in
 * order, also across reconnects (EventSource resends the last line's id, the byte offset after it, and the
 * server resumes there); `onReset` when the file was replaced or truncated and is read again from its start
 * (drop what came before); `onSkipped` for a line too long to send (by default a console warning). Returns a
 * function that stops following.
 */
export function tailLines(
  path: string,
  onLine: (line: string) => void,
  onReset: () => void = () => {},
  onSkipped: (skipped: SkippedLine) => void = (s) => console.warn(`${path}: skipped bytes ${s.from} to ${s.to}: ${s.reason}`),
): () => void {
  const source = new EventSource(`${ROUTES.tail}${encodePath(path)}?from=0`);
  source.addEventListener("line", (e) => onLine((e as MessageEvent<string>).data));
  source.addEventListener("reset", () => onReset());
  source.addEventListener("skipped", (e) => onSkipped(JSON.parse((e as MessageEvent<string>).data) as SkippedLine));
  return () => source.close();
}
