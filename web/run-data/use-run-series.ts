import { useEffect, useRef, useState } from "preact/hooks";
import { tailLines } from "../api.js";
import { RunSeries } from "./run-series.js";

// Lines arriving together (a file read from its start, a burst of steps) redraw once, at most every REDRAW_MS;
// and a redraw that took long (a run of 100,000s of steps) waits REDRAW_SHARE times its cost, so drawing takes at
// most about a fifth of the page's time while a long log streams in.
const REDRAW_MS = 40, REDRAW_SHARE = 4;

/**
 * Run folders' metrics.jsonl followed live (the server's SSE tail), one RunSeries per folder growing with every
 * line, redrawn in batches. A file replaced or truncated starts its RunSeries over.
 */
export function useRunSeries(runPaths: readonly string[]): RunSeries[] {
  const key = runPaths.join("\n");
  const fresh = () => runPaths.map((p) => new RunSeries(`${p}/metrics.jsonl`));
  const [series, setSeries] = useState<RunSeries[]>(fresh);
  const redraw = useRef({ asked: 0, cost: 0 });
  // After each render: how long the last batch took from its flush to the screen.
  useEffect(() => { if (redraw.current.asked > 0) { redraw.current.cost = performance.now() - redraw.current.asked; redraw.current.asked = 0; } });
  useEffect(() => {
    const current = fresh();
    let timer: ReturnType<typeof setTimeout> | null = null;
    const flush = () => { timer = null; redraw.current.asked = performance.now(); setSeries([...current]); };
    const later = () => { timer ??= setTimeout(flush, Math.max(REDRAW_MS, REDRAW_SHARE * redraw.current.cost)); };
    setSeries([...current]);
    const stops = current.map((s, i) => tailLines(s.file, (line) => { current[i]!.push(line); later(); }, () => { current[i] = new RunSeries(s.file); later(); }));
    return () => { for (const stop of stops) stop(); if (timer !== null) clearTimeout(timer); };
  }, [key]);
  return series;
}
