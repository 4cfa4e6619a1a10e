// The trials table: a page of 50 of the trials of one state, sorted by number or value; its settings live in the URL.
import { routeHash, setQuery, type Route } from "../route.js";
import { TRIAL_STATES, type TrialState } from "../../src/tune/trial-state.js";
import { formatNumber, PAGE_SIZE, tableRows, type SortKey, type StudyModel } from "./study-model.js";
import { useMemo, useState } from "preact/hooks";

interface Finding { severity?: string; message?: string }
interface Diagnosis { summary?: string; findings?: Finding[] }

export function TrialsTable({ model, route }: { model: StudyModel; route: Route }) {
  const q = route.query;
  const [state, setState] = useState<TrialState | "all">(() => (TRIAL_STATES as readonly string[]).includes(q.get("state") ?? "") ? (q.get("state") as TrialState) : "all");
  const [sort, setSort] = useState<SortKey>(() => (q.get("sort") === "value" ? "value" : "number"));
  const [descending, setDescending] = useState(() => q.get("desc") === "1");
  const [page, setPage] = useState(() => Math.max(0, Number(q.get("page") ?? 1) - 1 || 0));
  const rows = useMemo(() => tableRows(model, state, sort, descending), [model, state, sort, descending]);
  const pages = Math.max(1, Math.ceil(rows.length / PAGE_SIZE));
  const shown = Math.min(page, pages - 1);
  const change = (next: { state?: TrialState | "all"; sort?: SortKey; descending?: boolean; page?: number }) => {
    const s = next.state ?? state, k = next.sort ?? sort, d = next.descending ?? descending, p = next.page ?? 0;
    setState(s); setSort(k); setDescending(d); setPage(p);
    setQuery(route, { state: s === "all" ? null : s, sort: k === "number" ? null : k, desc: d ? 1 : null, page: p === 0 ? null : p + 1 });
  };
  const sortBy = (k: SortKey) => change({ sort: k, descending: sort === k ? !descending : k === "value" && model.data.direction === "maximize" });
  const arrow = (k: SortKey) => (sort === k ? (descending ? " ▼" : " ▲") : "");
  const names = model.data.params.map((p) => p.name);
  const wire = model.wire;
  return (
    <section class="trials">
      <div class="controls">
        <label>state <select data-control="state" value={state} onChange={(e) => change({ state: (e.target as HTMLSelectElement).value as TrialState | "all" })}>
          <option value="all">all ({model.trials.length})</option>
          {TRIAL_STATES.filter((s) => model.data.counts[s] > 0 || s === state).map((s) => <option value={s}>{s.toLowerCase()} ({model.data.counts[s]})</option>)}
        </select></label>
        <span class="pager">
          <button data-control="prev" disabled={shown === 0} onClick={() => change({ page: shown - 1 })}>‹ prev</button>
          <span data-page={shown + 1}> page {shown + 1} of {pages} ({rows.length} trials) </span>
          <button data-control="next" disabled={shown >= pages - 1} onClick={() => change({ page: shown + 1 })}>next ›</button>
        </span>
      </div>
      <table class="trials-table">
        <thead><tr>
          <th><button class="sort" data-sort="number" onClick={() => sortBy("number")}>#{arrow("number")}</button></th>
          <th>state</th>
          <th><button class="sort" data-sort="value" onClick={() => sortBy("value")}>{model.data.metric}{arrow("value")}</button></th>
          {names.map((n) => <th>{n}</th>)}
          <th>diagnosis</th><th>run</th>
        </tr></thead>
        <tbody>
          {rows.slice(shown * PAGE_SIZE, (shown + 1) * PAGE_SIZE).map((t) => {
            const w = wire[t.number]!;
            const d = (w.diagnosis ?? null) as Diagnosis | null;
            const severity = d?.findings?.[0]?.severity ?? "";
            return (
              <tr data-number={t.number} class={`state-${t.state.toLowerCase()}`}>
                <td>{t.number}</td>
                <td>{t.state.toLowerCase()}</td>
                <td data-value={String(t.value)}>{formatNumber(t.value)}</td>
                {names.map((n) => <td>{n in t.params ? (typeof t.params[n] === "number" ? formatNumber(t.params[n] as number) : String(t.params[n])) : ""}</td>)}
                <td class={`diagnosis ${severity}`}>{d === null ? "" : (d.findings?.length ?? 0) === 0 ? d.summary : (
                  <details><summary>{d.summary}</summary><ul>{d.findings!.map((f) => <li class={f.severity}>{f.message}</li>)}</ul></details>)}
                  {typeof w.systemAttrs["fail_reason"] === "string" ? <span class="fail-reason">{w.systemAttrs["fail_reason"]}</span> : null}</td>
                <td>{w.run === null ? "" : <a href={routeHash("run", w.run)}>run</a>}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
