import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { encodePath, fetchIndex, fetchJson, type IndexResponse, type RunEntry } from "../api.js";
import { UPlotChart } from "../charts/uplot-chart.js";
import { PALETTE } from "../charts/chart-line.js";
import { routeHash, setQuery, type Route } from "../route.js";
import { runCharts, type RunView } from "../run-data/run-charts.js";
import { ago, runStatus } from "../run-data/run-status.js";
import { MAX_WEIGHT, readRunViewSettings, runViewQuery, type RunViewSettings } from "../run-data/run-view-settings.js";
import { SmoothedSeries } from "../run-data/smoothed.js";
import { useRunSeries } from "../run-data/use-run-series.js";
import type { RunSeries } from "../run-data/run-series.js";
import { RunCurvature } from "./run-curvature.js";
import "./runs.css";

// The index tells whether the run finished and which files it has; it changes slowly.
const INDEX_REFRESH_MS = 5000;

/**
 * One run (and any others picked to compare), live: the report's charts growing as metrics.jsonl grows, a smoothing
 * slider and log axes (settings in the URL), the diagnosis of its "end" record, its curvature and its config.
 */
export function RunPage({ route }: { route: Route }) {
  const path = route.rest;
  const [{ settings: initial, problems }] = useState(() => readRunViewSettings(route.query));
  const [settings, setSettings] = useState<RunViewSettings>({ ...initial, compare: initial.compare.filter((p) => p !== path) });
  const change = (c: Partial<RunViewSettings>) => {
    const next = { ...settings, ...c };
    setSettings(next);
    setQuery(route, runViewQuery(next));
  };
  const index = useIndex();
  // Follow only runs the index knows, so a mistyped path is named instead of tailed.
  const known = index === null ? [] : [path, ...settings.compare].filter((p) => index.runs.some((r) => r.path === p));
  const series = useRunSeries(known);
  const smoothers = useRef(new Map<string, SmoothedSeries>());
  const primary = series[0]?.file === `${path}/metrics.jsonl` ? series[0] : undefined;
  // RunCurvature gets a new array when a record arrives (the reader's grows in place).
  const sharpness = useMemo(() => [...(primary?.sharpness ?? [])], [primary, primary?.sharpness.length]);

  if (index === null) return <p class="muted">Loading the run…</p>;
  const entry = index.runs.find((r) => r.path === path);
  if (entry === undefined) {
    return <p class="error">No run "{path}" under the served folder (a run folder holds a metrics.jsonl). <a href="#/">All runs</a></p>;
  }
  if (primary === undefined) return <p class="muted">Loading the run…</p>;
  const missing = settings.compare.filter((p) => !known.includes(p));
  const views: RunView[] = series.map((s) => {
    const key = s.file.slice(0, -"/metrics.jsonl".length);
    let smoother = smoothers.current.get(key);
    if (smoother === undefined || smoother.weight !== settings.smooth) smoothers.current.set(key, smoother = new SmoothedSeries(settings.smooth));
    return { name: index.runs.find((r) => r.path === key)?.name ?? key, series: s, smoothedLoss: smoother.of(s.steps.loss) };
  });
  const charts = runCharts(views, settings);
  const now = Date.now();
  return (
    <section class="run-page" data-run={path}>
      <div class="head">
        <h2>{entry.name}</h2>
        <span class={`status ${primary.finished ? "finished" : runStatus(entry, now)}`}>{primary.finished ? "finished" : runStatus(entry, now)}</span>
        <span class="muted">{path} · updated {ago(entry.mtimeMs, now)}</span>
        {entry.files.includes("report.html") && <a href={`/files/${encodePath(`${path}/report.html`)}`}>report.html</a>}
        <a href="#/">all runs</a>
      </div>
      {problems.map((p) => <p class="error">{p}</p>)}
      {missing.map((p) => <p class="error">No run "{p}" to compare with under the served folder.</p>)}
      <div class="controls">
        <label>smoothing <input type="range" name="smooth" min={0} max={MAX_WEIGHT} step={0.001} value={settings.smooth}
          onInput={(e) => change({ smooth: Number((e.currentTarget as HTMLInputElement).value) })} /> <output>{settings.smooth.toFixed(3)}</output></label>
        <label><input type="checkbox" name="logy" checked={settings.logY} onChange={(e) => change({ logY: (e.currentTarget as HTMLInputElement).checked })} /> log y</label>
        <label><input type="checkbox" name="logx" checked={settings.logX} onChange={(e) => change({ logX: (e.currentTarget as HTMLInputElement).checked })} /> log x</label>
      </div>
      <ComparePicker runs={index.runs} path={path} picked={settings.compare} onChange={(compare) => change({ compare })} />
      {series.flatMap((s) => s.problems.map((p) => <p class="error">{p}</p>))}
      <div class="chart-grid">
        {charts.map((c) => <UPlotChart key={c.name} {...c} />)}
      </div>
      <RunCurvature run={entry} sharpness={sharpness} />
      <Diagnosis series={primary} />
      {primary.events.length > 0 && (
        <section class="events">
          <h2>Events</h2>
          <ul>{primary.events.map((e) => <li>epoch {e.epoch}, step {e.step}: {e.message}</li>)}</ul>
        </section>
      )}
      {entry.files.includes("config.json") && <Config path={`${path}/config.json`} />}
    </section>
  );
}

/** The served folder's index, read now and every INDEX_REFRESH_MS. */
function useIndex(): IndexResponse | null {
  const [index, setIndex] = useState<IndexResponse | null>(null);
  useEffect(() => {
    let stopped = false;
    const load = () => fetchIndex().then((i) => { if (!stopped) setIndex(i); }, () => {});
    void load();
    const timer = setInterval(load, INDEX_REFRESH_MS);
    return () => { stopped = true; clearInterval(timer); };
  }, []);
  return index;
}

/** Tick the other runs to draw on the same charts (their paths go into the URL's compare=). */
function ComparePicker({ runs, path, picked, onChange }: { runs: RunEntry[]; path: string; picked: string[]; onChange: (compare: string[]) => void }) {
  const others = runs.filter((r) => r.path !== path);
  if (others.length === 0) return null;
  return (
    <details class="compare" open={picked.length > 0}>
      <summary>Compare with other runs{picked.length > 0 ? ` (${picked.length})` : ""}</summary>
      <div class="picker">
        {others.map((r) => {
          const at = picked.indexOf(r.path);
          return (
            <label key={r.path}>
              <input type="checkbox" checked={at >= 0} onChange={() => onChange(at >= 0 ? picked.filter((p) => p !== r.path) : [...picked, r.path])} />
              {at >= 0 && <span class="swatch" style={{ background: PALETTE[(at + 1) % PALETTE.length] }} />}
              <a href={routeHash("run", r.path)}>{r.path}</a>
            </label>
          );
        })}
      </div>
    </details>
  );
}

/** The findings of the run's "end" record (mn.train.diagnose), most severe first. */
function Diagnosis({ series }: { series: RunSeries }) {
  const d = series.diagnosis;
  return (
    <section class="diagnosis">
      <h2>Diagnosis</h2>
      {d === null ? (
        <p class="muted">{series.finished ? "The run ended without a diagnosis." : "None yet: the diagnosis comes with the run's end record (a run still going, or killed, has none)."}</p>
      ) : (
        <>
          <p>{d.summary}</p>
          {series.stopReason && <p class="muted">Stopped early: {series.stopReason}</p>}
          <ul class="findings">
            {d.findings.map((f) => (
              <li class={f.severity}>
                <strong>{f.severity}</strong>{f.epoch !== undefined ? ` · epoch ${f.epoch}` : ""}{f.step !== undefined ? ` · step ${f.step}` : ""}{f.layer ? ` · ${f.layer}` : ""}: {f.message}
                <div class="advice">{f.advice}</div>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

/** config.json: the flags the run was started with (everything needed to run it again). */
function Config({ path }: { path: string }) {
  const [config, setConfig] = useState<Record<string, unknown> | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => { fetchJson<Record<string, unknown>>(path).then(setConfig, (e: Error) => setError(e.message)); }, [path]);
  return (
    <details class="config-section" open>
      <summary>Config</summary>
      {error && <p class="error">{error}</p>}
      {config && (
        <table class="config">
          <tbody>{Object.entries(config).map(([k, v]) => <tr><td>{k}</td><td>{typeof v === "string" ? v : JSON.stringify(v)}</td></tr>)}</tbody>
        </table>
      )}
    </details>
  );
}
