import { useEffect, useMemo, useState } from "preact/hooks";
import { encodePath } from "../api.js";
import type { Route } from "../route.js";
import { ROUTES } from "../../src/serve/api-types.js";
import type { StudyResponse } from "../../src/serve/study-response.js";
import { HistoryChart, IntermediateChart } from "../study/study-charts.js";
import { StudyFigures } from "../study/study-figures.js";
import { studyModel } from "../study/study-model.js";
import { TrialsTable } from "../study/trials-table.js";
import "../study/study.css";

/** New journal lines arrive in bursts (a trial's params, reports, state): the study is read again once they pause this long. */
const RELOAD_MS = 250;

/** A study: its trials table, optimization history, intermediate values and the report's views; refreshed as journal.log grows. */
export function StudyPage({ route }: { route: Route }) {
  const path = route.rest;
  const name = route.query.get("study");
  const [response, setResponse] = useState<StudyResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let stopped = false, timer = 0, source: EventSource | null = null;
    const api = `${ROUTES.study}${encodePath(path)}${name === null ? "" : `?name=${encodeURIComponent(name)}`}`;
    const load = async () => {
      const r = await fetch(api);
      if (!r.ok) throw new Error(`${r.status} ${(await r.text()).trim()}`);
      const body = (await r.json()) as StudyResponse;
      if (!stopped) setResponse(body);
      return body;
    };
    // Live: the server's tail of journal.log from the bytes already read; each burst of new ops reads the study again.
    const reload = () => { clearTimeout(timer); timer = window.setTimeout(() => void load().catch((e: Error) => setError(e.message)), RELOAD_MS); };
    load().then((body) => {
      if (stopped) return;
      source = new EventSource(`${ROUTES.tail}${encodePath(path)}/journal.log?from=${body.journalBytes}`);
      source.addEventListener("line", reload);
      source.addEventListener("reset", reload);
    }, (e: Error) => setError(e.message));
    return () => { stopped = true; clearTimeout(timer); source?.close(); };
  }, [path, name]);
  const model = useMemo(() => (response === null ? null : studyModel(response)), [response]);
  if (error !== null) return <p class="error">Cannot read the study {path}: {error}</p>;
  if (model === null) return <p class="muted">Reading the study {path}…</p>;
  const d = model.data;
  const counts = Object.entries(d.counts).filter(([, n]) => n > 0).map(([s, n]) => `${n} ${s.toLowerCase()}`).join(", ");
  return (
    <div class="study" data-trials={model.trials.length} data-journal-bytes={model.response.journalBytes}>
      <header class="study-head">
        <h2>Study {d.name}</h2>
        <p class="muted">{path} · {d.direction} {d.metric} · sampler {d.sampler ?? "unknown"} · pruner {d.pruner ?? "unknown"} · {model.trials.length} trials ({counts})
          {d.ranked[0] ? ` · best: trial ${d.ranked[0].number}, ${d.metric} ${Number(d.ranked[0].value!.toPrecision(5))}` : ""}</p>
        {model.response.studies.length > 1 ? <p>Studies in this journal: {model.response.studies.map((s) => <a href={`#/study/${encodePath(path)}?study=${encodeURIComponent(s)}`}>{s} </a>)}</p> : null}
      </header>
      <div class="study-grid">
        <HistoryChart model={model} />
        <div><IntermediateChart model={model} /></div>
      </div>
      <TrialsTable model={model} route={route} />
      <h3>Parameters</h3>
      <StudyFigures model={model} />
    </div>
  );
}
