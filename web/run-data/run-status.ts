import type { RunEntry } from "../api.js";

/** A run whose metrics.jsonl grew this recently and has no "end" record is taken to be training still. */
export const LIVE_WITHIN_MS = 120_000;

/** "finished" (an end record), "live" (no end record, written to lately) or "stopped" (no end record, quiet: killed?). */
export function runStatus(run: RunEntry, now: number): "finished" | "live" | "stopped" {
  if (run.finished) return "finished";
  return now - run.mtimeMs <= LIVE_WITHIN_MS ? "live" : "stopped";
}

/** "12 s ago", "5 min ago", "3 h ago", or the date. */
export function ago(mtimeMs: number, now: number): string {
  const s = Math.max(0, Math.round((now - mtimeMs) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86_400) return `${Math.round(s / 3600)} h ago`;
  return new Date(mtimeMs).toISOString().slice(0, 16).replace("T", " ");
}

/** 1234567 → "1.2 MB". */
export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ["kB", "MB", "GB", "TB"];
  let v = n / 1024, u = 0;
  while (v >= 1024 && u < units.length - 1) { v /= 1024; u++; }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[u]}`;
}
