import { closeSync, openSync, readdirSync, readSync, statSync, type Dirent } from "node:fs";
import { basename, join, relative, sep } from "node:path";
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
    let entries;
    try { entries = readdirSync(dir, { withFileTypes: true }); } catch { return; }
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
      runs.push({ path: rel(dir), name: basename(dir), bytes: s.size, mtimeMs: s.mtimeMs, finished: endsWithEnd(metrics, s.size), study, files });
    } else if (!inRun) {
      const files = ANALYSIS_FILES.filter((f) => names.has(f));
      if (files.length > 0) {
        const mtimeMs = Math.max(...files.map((f) => statSync(join(dir, f), { throwIfNoEntry: false })?.mtimeMs ?? 0));
        analyses.push({ path: rel(dir), name: basename(dir), mtimeMs, files });
      }
    }
    if (depth >= MAX_DEPTH) return;
    for (const e of entries) {
      if (e.isDirectory() && !e.name.startsWith(".") && !SKIP.has(e.name)) walk(join(dir, e.name), depth + 1, inStudy, inRun || names.has("metrics.jsonl"));
    }
  };
  walk(root, 0, null, false);
  for (const list of [runs, studies, analyses]) list.sort((a, b) => b.mtimeMs - a.mtimeMs);
  return { root: basename(root), runs, studies, analyses };
}

/** A run's slices: "<folder>/slice.json", and "slices/<folder>/slice.json" where minima slice writes them by default. */
function sliceFiles(dir: string, entries: Dirent[]): string[] {
  const found = entries.filter((e) => e.isDirectory() && safeExists(join(dir, e.name, "slice.json"))).map((e) => `${e.name}/slice.json`);
  if (entries.some((e) => e.isDirectory() && e.name === "slices")) {
    let inner: Dirent[] = [];
    try { inner = readdirSync(join(dir, "slices"), { withFileTypes: true }); } catch { /* gone since the listing */ }
    for (const e of inner) if (e.isDirectory() && safeExists(join(dir, "slices", e.name, "slice.json"))) found.push(`slices/${e.name}/slice.json`);
  }
  return found.sort();
}

function safeExists(path: string): boolean {
  try { return statSync(path).isFile(); } catch { return false; }
}

/** Whether the run log's last records hold the "end" record (read from the file's tail, never the whole file). */
function endsWithEnd(path: string, size: number): boolean {
  const length = Math.min(size, 64 * 1024);
  const buffer = Buffer.alloc(length);
  const fd = openSync(path, "r");
  try { readSync(fd, buffer, 0, length, size - length); } finally { closeSync(fd); }
  return /"kind":"end"/.test(buffer.toString("utf8"));
}
