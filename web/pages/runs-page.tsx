import { useEffect, useState } from "preact/hooks";
import { fetchIndex, type IndexResponse } from "../api.js";
import { routeHash, setQuery, type Route } from "../route.js";
import { ago, bytes, runStatus } from "../run-data/run-status.js";
import "./runs.css";

// The index is small and cheap (the server reads only the tails of the logs); a few seconds keeps the list current.
const REFRESH_MS = 3000;

/** Every run and study under the served folder, newest first, refreshed as runs start, grow and finish. */
export function RunsPage({ route }: { route: Route }) {
  const [index, setIndex] = useState<IndexResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [picked, setPicked] = useState<string[]>([]);
  const [now, setNow] = useState(Date.now());
  const [filter, setFilter] = useState(route.query.get("filter") ?? "");
  useEffect(() => {
    let stopped = false;
    const load = () => fetchIndex().then((i) => { if (!stopped) { setIndex(i); setError(null); setNow(Date.now()); } }, (e: Error) => { if (!stopped) setError(e.message); });
    void load();
    const timer = setInterval(load, REFRESH_MS);
    return () => { stopped = true; clearInterval(timer); };
  }, []);

  if (index === null) return error ? <p class="error">{error}</p> : <p class="muted">Loading the runs…</p>;
  const shown = index.runs.filter((r) => r.path.includes(filter));
  const toggle = (path: string) => setPicked((p) => (p.includes(path) ? p.filter((q) => q !== path) : [...p, path]));
  const compare = () => { location.hash = routeHash("run", picked[0]!, picked.length > 1 ? { compare: picked.slice(1).join(",") } : undefined); };
  return (
    <section class="runs-page">
      {error && <p class="error">{error} (showing the last list read)</p>}
      <h2>Runs <span class="muted">in {index.root}</span></h2>
      {index.runs.length === 0 ? (
        <p class="muted">No run here yet: a folder with a metrics.jsonl appears as soon as <code>minima train --out {index.root}/&lt;name&gt;</code> starts writing it.</p>
      ) : (
        <>
          <div class="controls">
            <label>filter <input type="search" name="filter" placeholder="part of a folder's path" value={filter}
              onInput={(e) => { const f = (e.currentTarget as HTMLInputElement).value; setFilter(f); setQuery(route, { filter: f === "" ? null : f }); }} /></label>
            {filter !== "" && <span class="muted">{shown.length} of {index.runs.length} runs</span>}
            <button type="button" disabled={picked.length < 2} onClick={compare}>Compare {picked.length > 1 ? picked.length : ""} runs on one chart</button>
            <span class="muted">{picked.length < 2 ? "tick two runs or more" : ""}</span>
          </div>
          <table class="runs">
            <thead><tr><th /><th>run</th><th>folder</th><th>status</th><th>metrics</th><th>updated</th><th>study</th></tr></thead>
            <tbody>
              {shown.map((run) => {
                const status = runStatus(run, now);
                return (
                  <tr key={run.path} data-run={run.path}>
                    <td><input type="checkbox" aria-label={`pick ${run.path}`} checked={picked.includes(run.path)} onChange={() => toggle(run.path)} /></td>
                    <td><a href={routeHash("run", run.path)}>{run.name}</a></td>
                    <td class="muted">{run.path}</td>
                    <td><span class={`status ${status}`}>{status}</span></td>
                    <td>{bytes(run.bytes)}</td>
                    <td>{ago(run.mtimeMs, now)}</td>
                    <td>{run.study !== null ? <a href={routeHash("study", run.study)}>{run.study}</a> : ""}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </>
      )}
      <h2>Studies</h2>
      {index.studies.length === 0 ? <p class="muted">No study here (a folder with minima tune's journal.log).</p> : (
        <table class="studies">
          <thead><tr><th>study</th><th>folder</th><th>trials</th><th>journal</th><th>updated</th></tr></thead>
          <tbody>
            {index.studies.map((study) => (
              <tr key={study.path} data-study={study.path}>
                <td><a href={routeHash("study", study.path)}>{study.name}</a></td>
                <td class="muted">{study.path}</td>
                <td>{index.runs.filter((r) => r.study === study.path).length} run folders</td>
                <td>{bytes(study.bytes)}</td>
                <td>{ago(study.mtimeMs, now)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {index.analyses.length > 0 && (
        <>
          <h2>Analyses</h2>
          <table class="analyses">
            <thead><tr><th>folder</th><th>holds</th><th>updated</th></tr></thead>
            <tbody>
              {index.analyses.map((analysis) => (
                <tr key={analysis.path} data-analysis={analysis.path}>
                  <td><a href={routeHash("analysis", analysis.path)}>{analysis.path}</a></td>
                  <td class="muted">{analysis.files.join(", ")}</td>
                  <td>{ago(analysis.mtimeMs, now)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
