/**
 * The JSON the `minima serve` server answers with, shared by the server (src/serve) and the page (web/).
 * Paths are relative to the served folder, "/"-separated, never starting with "/" or holding "..".
 */

/** GET /api/index: every run and study under the served folder. */
export interface IndexResponse {
  /** The served folder's name (its last path segment), for the page's title. */
  root: string;
  runs: RunEntry[];
  studies: StudyEntry[];
  /** Folders of curvature, slices or an LR range test outside any run (minima lr-find's, minima slice --out elsewhere). */
  analyses: AnalysisEntry[];
}

/** A run folder: one that holds a metrics.jsonl (minima train's, or a study's trial under <study>/trials/<n>). */
export interface RunEntry {
  /** The folder, relative to the served folder ("runs/train-mnist-20261205-120000"). */
  path: string;
  /** Its last segment. */
  name: string;
  /** metrics.jsonl's size in bytes and modification time (ms since 1970). */
  bytes: number;
  mtimeMs: number;
  /** true when metrics.jsonl holds an "end" record (the run finished, or stopped and said so). */
  finished: boolean;
  /** The study folder this run is a trial of (its path), or null. */
  study: string | null;
  /** The other files of the run folder the page can show, by name (curvature.json, sharpness.json, lr_find.jsonl, slice folders' slice.json as "<folder>/slice.json" or "slices/<folder>/slice.json", report.html...). */
  files: string[];
}

/** A study folder: one that holds minima tune's journal.log. */
export interface StudyEntry {
  path: string;
  name: string;
  /** journal.log's size and modification time. */
  bytes: number;
  mtimeMs: number;
}

/** A folder with no metrics.jsonl, outside every run folder, holding what the curvature views show (#/analysis/<path>). */
export interface AnalysisEntry {
  path: string;
  name: string;
  /** The newest of its files' modification times. */
  mtimeMs: number;
  /** Its files the page shows: curvature.json, sharpness.json, lr_find.jsonl, slice.json. */
  files: string[];
}

/** Where the page finds the server's routes (all GET; every other method is refused). */
export const ROUTES = {
  /** The page shell; the page routes itself by location.hash. */
  page: "/",
  /** The built front end: /assets/app.js, /assets/<name>-worker.js, /assets/app.css. */
  assets: "/assets/",
  index: "/api/index",
  /** /files/<path>: a file under the served folder, as it is (read-only). */
  files: "/files/",
  /**
   * /api/tail/<path>?from=<byte>: Server-Sent Events tailing a text file under the served folder (metrics.jsonl,
   * journal.log): each complete line is one "line" event whose id is the byte offset after it; a reconnect
   * (EventSource sends Last-Event-ID) resumes after the last line it got.
   */
  tail: "/api/tail/",
  /** /api/study/<path>: a study folder's study, read from its journal (StudyResponse, web/ and src/serve/study-api.ts agree on it). */
  study: "/api/study/",
} as const;
