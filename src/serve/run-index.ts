import { closeSync, openSync, readdirSync, readSync, statSync } from "node:fs";
import { basename, join, relative, sep } from "node:path";
import { RUN_KINDS } from "../io/run-log.js";
import type { AnalysisEntry, IndexResponse, RunEntry, StudyEntry } from "./api-types.js";

const SKIP = new Set(["node_modules", "checkpoints", "epochs"]);
const MAX_DEPTH = 6;
/** Files a run folder may hold that the page shows. */
const RUN_FILES = ["config.json", "report.html", "curvature.json", "sharpness.json", "lr_find.jsonl"];
/** Files that make a folder outside every run an analysis (minima lr-find's folder, minima slice or curvature --out elsewhere). */
const ANALYSIS_FILES = ["curvature.json", "sharpness.json", "lr_find.jsonl", "slice.json"];

/**
 * Every run (a folder with metrics.jsonl), study (a folder with journal.log) and analysis (a folder outside every run
 * with curvature, slice or LR range test files) under `root`, newest first.
 */
export function runIndex(root: string): IndexResponse {
  const runs: RunEntry[] = [], studies: StudyEntry[] = [], analyses: AnalysisEntry[] = [];
  const rel = (path: string) => relative(root, path).split(sep).join("/");
  const walk = (dir: string, depth: number, study: string | null, inRun: boolean) => {
    const entries = listDir(dir);
    if (entries === null) return;
    const names = new Set(entries.map((e) => e.name));
    let inStudy = study;
    if (names.has("journal.log")) {
      const s = statSync(join(dir, "journal.log"));
      studies.push({ path: rel(dir), name: basename(dir), bytes: s.size, mtimeMs: s.mtimeMs });
      inStudy = rel(dir);
    }
    if (names.has("metrics.jsonl")) {
      const metrics = join(dir, "metrics.jsonl"), s = statSync(metrics);
      const files = [...RUN_FILES.filter((f) => names.has(f)), ...sliceFiles(dir, entries)];
      runs.push({ path: rel(dir), name: basename(dir), bytes: s.size, mtimeMs: s.mtimeMs, finished: finished(metrics, s.size, s.mtimeMs, s.ino), study, files });
    } else if (!inRun) {
      const files = ANALYSIS_FILES.filter((f) => names.has(f));
      if (files.length > 0) {
        const mtimeMs = Math.max(...files.map((f) => statSync(join(dir, f), { throwIfNoEntry: false })?.mtimeMs ?? 0));
        analyses.push({ path: rel(dir), name: basename(dir), mtimeMs, files });
      }
    }
    if (depth >= MAX_DEPTH) return;
    for (const e of entries) {
      if (e.dir && !e.name.startsWith(".") && !SKIP.has(e.name)) walk(join(dir, e.name), depth + 1, inStudy, inRun || names.has("metrics.jsonl"));
    }
  };
  walk(root, 0, null, false);
  for (const list of [runs, studies, analyses]) list.sort((a, b) => b.mtimeMs - a.mtimeMs);
  return { root: basename(root), runs, studies, analyses };
}

/** A run's slices: "<folder>/slice.json", and "slices/<folder>/slice.json" where minima slice writes them by default. */
function sliceFiles(dir: string, entries: Listing["entries"]): string[] {
  const found = entries.filter((e) => e.dir && !SKIP.has(e.name) && isFile(join(dir, e.name, "slice.json"))).map((e) => `${e.name}/slice.json`);
  if (entries.some((e) => e.dir && e.name === "slices")) {
    for (const e of listDir(join(dir, "slices")) ?? []) if (e.dir && isFile(join(dir, "slices", e.name, "slice.json"))) found.push(`slices/${e.name}/slice.json`);
  }
  return found.sort();
}

function isFile(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;
}

interface Listing { mtimeMs: number; listedAtMs: number; entries: { name: string; dir: boolean }[] }
/** Folders listed before: a study's 10,000 trial folders are stat'ed again, not read again, while unchanged. */
const listings = new Map<string, Listing>();
/** How long after a folder changed its mtime is trusted to show the next change (file systems with coarse mtimes). */
const SETTLED_MS = 2000;

/** A folder's entries, or null when it cannot be read; from the last listing while its mtime says nothing changed. */
function listDir(dir: string): Listing["entries"] | null {
  const s = statSync(dir, { throwIfNoEntry: false });
  if (s === undefined || !s.isDirectory()) return null;
  const seen = listings.get(dir);
  // A listing taken soon after the folder's last change may have missed a second change within the mtime's tick.
  if (seen !== undefined && seen.mtimeMs === s.mtimeMs && seen.listedAtMs - s.mtimeMs > SETTLED_MS) return seen.entries;
  let entries: Listing["entries"];
  try {
    entries = readdirSync(dir, { withFileTypes: true }).map((e) => ({ name: e.name, dir: e.isDirectory() }));
  } catch {
    return null;
  }
  listings.set(dir, { mtimeMs: s.mtimeMs, listedAtMs: Date.now(), entries });
  return entries;
}

/** What `finished` found for a metrics.jsonl of this size, mtime and inode: the index is asked again every few seconds. */
const known = new Map<string, { size: number; mtimeMs: number; ino: number; finished: boolean }>();

function finished(path: string, size: number, mtimeMs: number, ino: number): boolean {
  const seen = known.get(path);
  if (seen !== undefined && seen.size === size && seen.mtimeMs === mtimeMs && seen.ino === ino) return seen.finished;
  const answer = endsWithEnd(path, size);
  known.set(path, { size, mtimeMs, ino, finished: answer });
  return answer;
}

const FIRST_READ = 4096, MOST_READ = 1 << 20;

/**
 * Whether the run log is finished as parseRunLog reads it: an "end" record and no record of a running fit()
 * (RUN_KINDS) after it ("confusion", which the CLI writes after training, may follow). Read from the file's tail
 * only, backwards: 4 KB, more only while no record decides it, 1 MB at most. A torn last line is skipped.
 */
export function endsWithEnd(path: string, size: number): boolean {
  const fd = openSync(path, "r");
  try {
    for (let length = Math.min(size, FIRST_READ); ; length = Math.min(size, length * 8, MOST_READ)) {
      const buffer = Buffer.alloc(length);
      readSync(fd, buffer, 0, length, size - length);
      const lines = buffer.toString("utf8").split("\n");
      if (length < size) lines.shift(); // may start mid-line
      for (let i = lines.length - 1; i >= 0; i--) {
        const line = lines[i]!.trim();
        if (line === "") continue;
        let kind: unknown;
        try {
          kind = (JSON.parse(line) as { kind?: unknown }).kind;
        } catch {
          if (i === lines.length - 1) continue; // a torn last line: being written, or cut by a kill
          return false; // parseRunLog refuses the file
        }
        if (kind === "end") return true;
        if (RUN_KINDS.includes(kind)) return false;
      }
      if (length === size || length === MOST_READ) return false;
    }
  } finally {
    closeSync(fd);
  }
}
