import { useEffect, useState } from "preact/hooks";
import type { AnalysisEntry, IndexResponse, RunEntry } from "../../src/serve/api-types.js";
import type { SharpnessLog } from "../../src/io/run-log.js";
import { fetchIndex, tailLines } from "../api.js";
import { RunCurvature } from "../pages/run-curvature.js";
import { routeHash, type Route } from "../route.js";
import { CurvatureViews } from "./curvature-views.js";
import "./curvature.css";

/**
 * "#/analysis/<path>": the curvature, slices and LR range test of a folder, a run's (with λmax during training, live) or
 * one outside every run (minima lr-find's, minima slice --out elsewhere); "#/analysis/" lists those folders.
 */
export function AnalysisPage({ route }: { route: Route }) {
  const [index, setIndex] = useState<IndexResponse | null>(null), [error, setError] = useState<string | null>(null);
  useEffect(() => { fetchIndex().then(setIndex, (e: unknown) => setError((e as Error).message)); }, []);
  if (error) return <p class="error">{error}</p>;
  if (!index) return <p class="muted">Loading…</p>;
  if (route.rest === "") return <AnalysisList analyses={index.analyses} />;
  const run = index.runs.find((r) => r.path === route.rest), analysis = index.analyses.find((a) => a.path === route.rest);
  if (run) return <RunAnalysis run={run} />;
  if (analysis) {
    return (
      <div class="curvature">
        <h2>{analysis.name} <span class="muted">{analysis.path}</span></h2>
        <CurvatureViews folder={analysis.path} name={analysis.name} files={analysis.files} run={null} />
      </div>
    );
  }
  return <p class="error">No run or analysis folder at {route.rest} in {index.root}.</p>;
}

function AnalysisList({ analyses }: { analyses: readonly AnalysisEntry[] }) {
  if (analyses.length === 0) return <p class="muted">No analysis folders (minima lr-find's, or minima slice and curvature with --out outside a run) in this folder.</p>;
  return (
    <ul class="analysis-list">
      {analyses.map((a) => <li><a href={routeHash("analysis", a.path)}>{a.path}</a> <span class="muted">{a.files.join(", ")}</span></li>)}
    </ul>
  );
}

/** A run's curvature section on its own, with the sharpness records read live from its metrics.jsonl. */
function RunAnalysis({ run }: { run: RunEntry }) {
  const [sharpness, setSharpness] = useState<readonly SharpnessLog[]>([]);
  useEffect(() => tailLines(`${run.path}/metrics.jsonl`, (line) => {
    const record = sharpnessRecord(line);
    if (record) setSharpness((list) => [...list, record]);
  }, () => setSharpness([])), [run.path]);
  return (
    <div>
      <h2>{run.name} <a class="muted" href={routeHash("run", run.path)}>{run.path}</a></h2>
      <RunCurvature run={run} sharpness={sharpness} />
    </div>
  );
}

/** A run log's "sharpness" line as a SharpnessLog, or null for every other line. */
function sharpnessRecord(line: string): SharpnessLog | null {
  let r: Record<string, unknown>;
  try { r = JSON.parse(line) as Record<string, unknown>; } catch { return null; }
  if (r["kind"] !== "sharpness") return null;
  const { step, epoch, lambdaMax, lr, matvecs } = r as unknown as SharpnessLog;
  return { step, epoch, lambdaMax, lr, matvecs };
}
