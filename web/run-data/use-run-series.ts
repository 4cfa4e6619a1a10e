import { useEffect, useState } from "preact/hooks";
import { tailLines } from "../api.js";
import { RunSeries } from "./run-series.js";

// Lines arriving together (a file read from its start, a burst of steps) redraw once.
const REDRAW_MS = 40;

/**
 * Run folders' metrics.jsonl followed live (the server's SSE tail), one RunSeries per folder growing with every line;
 * the component redraws at most every REDRAW_MS. A file replaced or truncated starts its RunSeries over.
 */
export function useRunSeries(runPaths: readonly string[]): RunSeries[] {
  const key = runPaths.join("\n");
  const fresh = () => runPaths.map((p) => new RunSeries(`${p}/metrics.jsonl`));
  const [series, setSeries] = useState<RunSeries[]>(fresh);
  useEffect(() => {
    const current = fresh();
    let timer: ReturnType<typeof setTimeout> | null = null;
    const later = () => { timer ??= setTimeout(() => { timer = null; setSeries([...current]); }, REDRAW_MS); };
    setSeries([...current]);
    const stops = current.map((s, i) => tailLines(s.file, (line) => { current[i]!.push(line); later(); }, () => { current[i] = new RunSeries(s.file); later(); }));
    return () => { for (const stop of stops) stop(); if (timer !== null) clearTimeout(timer); };
  }, [key]);
  return series;
}
