import { closeSync, openSync, readdirSync, readSync, statSync } from "node:fs";
import { basename, join, relative, sep } from "node:path";
import type { IndexResponse, RunEntry, StudyEntry } from "./api-types.js";

const SKIP = new Set(["node_modules", "checkpoints", "epochs"]);
const MAX_DEPTH = 6;
/** Files a run folder may hold that the page shows. */
const RUN_FILES = ["config.json", "report.html", "curvature.json", "sharpness.json", "lr_find.jsonl"];

/** Every run (a folder with metrics.jsonl) and study (a folder with journal.log) under `root`, newest first. */
export function runIndex(root: string): IndexResponse {
  const runs: RunEntry[] = [], studies: StudyEntry[] = [];
  const rel = (path: string) => relative(root, path).split(sep).join("/");
  const walk = (dir: string, depth: number, study: string | null) => {
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
      const files = RUN_FILES.filter((f) => names.has(f));
      for (const e of entries) if (e.isDirectory() && safeExists(join(dir, e.name, "slice.json"))) files.push(`${e.name}/slice.json`);
      runs.push({ path: rel(dir), name: basename(dir), bytes: s.size, mtimeMs: s.mtimeMs, finished: endsWithEnd(metrics, s.size), study, files });
    }
    if (depth >= MAX_DEPTH) return;
    for (const e of entries) {
      if (e.isDirectory() && !e.name.startsWith(".") && !SKIP.has(e.name)) walk(join(dir, e.name), depth + 1, inStudy);
    }
  };
  walk(root, 0, null);
  runs.sort((a, b) => b.mtimeMs - a.mtimeMs);
  studies.sort((a, b) => b.mtimeMs - a.mtimeMs);
  return { root: basename(root), runs, studies };
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
