import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
import { report } from "../../src/index.js";
import { routeHash, type Route } from "../route.js";
import { SCHEDULERS, SCHEDULER_NAMES, type Control, type OptionValue } from "./schedules/catalog.js";
import { COMPOSE, PRESETS, part, parseSpec, specQuery, type Compose, type PartSpec, type ScheduleSpec } from "./schedules/spec.js";
import { codeOf } from "./schedules/code.js";
import { useLatestWorker } from "./explorers/use-latest-reply.js";
import { SvgFigure } from "./explorers/svg-figure.js";
import type { CurveReply } from "./schedules-worker.js";
import "./explorers/explorers.css";

const COMPOSE_LABEL: Record<Compose, string> = { single: "one scheduler", sequential: "one after another (SequentialLR)", chained: "multiplied (ChainedScheduler)" };

/**
 * The schedule explorer: every scheduler of mn.optim.lrScheduler with its options as controls, alone or composed
 * (SequentialLR, ChainedScheduler); a worker builds it and reads its lr curve from lrAt, the library's own code.
 */
export function SchedulesPage({ route }: { route: Route }) {
  const [spec, setSpec] = useState(() => parseSpec(route.query));
  useEffect(() => setSpec(parseSpec(route.query)), [route]);
  const query = new URLSearchParams(specQuery(spec)).toString();
  // The URL holds the whole spec and nothing else, so a link shows the same schedule (also after a link to the spec shown).
  useEffect(() => history.replaceState(null, "", routeHash(route.page, route.rest, specQuery(spec))), [query, route]);
  const { reply, busy } = useLatestWorker<{ spec: ScheduleSpec }, CurveReply>("schedules", { spec }, query);

  const update = (changes: Partial<ScheduleSpec>) => setSpec({ ...spec, ...changes });
  const setPart = (i: number, p: PartSpec) => update({ parts: spec.parts.map((q, j) => (j === i ? p : q)) });
  const setCompose = (compose: Compose) => {
    const parts = compose === "single" ? spec.parts.slice(0, 1) : spec.parts.length > 1 ? spec.parts : [...spec.parts, part("CosineAnnealingLR")];
    update({ compose, parts, milestones: compose === "sequential" ? milestonesFor(parts.length, spec) : [] });
  };
  const addPart = () => {
    const parts = [...spec.parts, part("ExponentialLR")];
    update({ parts, milestones: spec.compose === "sequential" ? milestonesFor(parts.length, spec) : [] });
  };
  const removePart = (i: number) => {
    const parts = spec.parts.filter((_, j) => j !== i);
    const compose = parts.length === 1 ? "single" : spec.compose;
    update({ parts, compose, milestones: compose === "sequential" ? spec.milestones.filter((_, j) => j !== Math.max(0, i - 1)) : [] });
  };

  return (
    <section class="explorer schedules">
      <div>
        <h2>Learning-rate schedules</h2>
        <p class="lede">The lr of each step, from the scheduler's <code>lrAt</code>: minima's own schedule code, run in a worker.</p>
        <fieldset>
          <legend>Run</legend>
          <NumberField label="lr" value={spec.lr} step={0.001} min={0} onChange={(lr) => update({ lr })} />
          <NumberField label="steps" value={spec.steps} step={1} min={1} onChange={(steps) => update({ steps })} />
          <label class="field wide"><span>log y</span><input type="checkbox" name="log" checked={spec.log} onChange={(e) => update({ log: e.currentTarget.checked })} /></label>
          <label class="field wide"><span>compose</span>
            <select name="compose" value={spec.compose} onChange={(e) => setCompose(e.currentTarget.value as Compose)}>
              {COMPOSE.map((c) => <option value={c}>{COMPOSE_LABEL[c]}</option>)}
            </select>
          </label>
          <div class="presets">{PRESETS.map(([title, preset]) => <button type="button" onClick={() => setSpec(preset)}>{title}</button>)}</div>
        </fieldset>
        {spec.parts.map((p, i) => (
          <PartControls index={i} part={p} onChange={(q) => setPart(i, q)} onRemove={spec.parts.length > 1 ? () => removePart(i) : null}>
            {spec.compose === "sequential" && i > 0 && (
              <NumberField label="takes over at step" name={`m${i - 1}`} value={spec.milestones[i - 1] ?? NaN} step={1} min={1}
                onChange={(m) => update({ milestones: spec.milestones.map((x, j) => (j === i - 1 ? m : x)) })} />
            )}
          </PartControls>
        ))}
        {spec.compose !== "single" && <button type="button" class="add-part" onClick={addPart}>add a scheduler</button>}
      </div>
      <div class="figures">
        <Figures spec={spec} query={query} reply={reply} busy={busy} />
        <pre class="code">{codeOf(spec)}</pre>
      </div>
    </section>
  );
}

/** Milestones for n parts: the spec's, extended by splitting what is left of the run evenly. */
function milestonesFor(n: number, spec: ScheduleSpec): number[] {
  const m = spec.milestones.slice(0, n - 1);
  while (m.length < n - 1) {
    const last = m.length ? m[m.length - 1]! : 0;
    m.push(Math.max(last + 1, Math.round(last + (spec.steps - last) / 2)));
  }
  return m;
}

function Figures({ spec, query, reply, busy }: { spec: ScheduleSpec; query: string; reply: CurveReply | null; busy: boolean }) {
  if (reply === null) return <p class="muted">Computing…</p>;
  if ("error" in reply) return <p class="error" role="alert" data-query={query}>{reply.error}</p>;
  const lrs = Array.from(reply.lrs), steps = lrs.map((_, t) => t);
  const chart = report.lineChart({
    title: spec.parts.map((p) => p.name).join(spec.compose === "chained" ? " × " : " → "), xLabel: "step", yLabel: "learning rate",
    integerX: true, yScale: spec.log ? "log" : "linear", series: [{ name: "lr", x: steps, y: lrs }], legend: [], width: 820, height: 420,
  });
  const finite = lrs.filter(Number.isFinite);
  // Not Math.max(...finite): 100,000 arguments overflow the stack.
  const highest = finite.reduce((a, b) => Math.max(a, b), -Infinity), lowest = finite.reduce((a, b) => Math.min(a, b), Infinity);
  return (
    <>
      <figure class="lr-curve" data-query={query} data-busy={String(busy)} data-lrs={JSON.stringify(lrs)}>
        <SvgFigure svg={chart} />
      </figure>
      <table class="stats">
        <tbody>
          <tr><td>lr at step 0</td><td>{fmt(lrs[0]!)}</td><td>at the last step ({lrs.length - 1})</td><td>{fmt(lrs[lrs.length - 1]!)}</td></tr>
          <tr><td>highest</td><td>{fmt(highest)}</td><td>lowest</td><td>{fmt(lowest)}</td></tr>
        </tbody>
      </table>
      {reply.loss && (
        <SvgFigure svg={report.lineChart({
          title: "the simulated validation loss ReduceLROnPlateau watches", xLabel: "step", yLabel: "loss", integerX: true,
          series: [{ name: "loss", x: steps, y: Array.from(reply.loss), color: "#D55E00" }], legend: [], width: 820, height: 300,
        })} />
      )}
    </>
  );
}

const fmt = (x: number) => (Number.isFinite(x) ? x.toPrecision(4) : String(x));

function PartControls({ index, part: p, onChange, onRemove, children }: { index: number; part: PartSpec; onChange: (p: PartSpec) => void; onRemove: (() => void) | null; children?: ComponentChildren }) {
  const entry = SCHEDULERS[p.name];
  const set = (name: string, v: OptionValue) => onChange({ ...p, values: { ...p.values, [name]: v } });
  return (
    <fieldset class="part">
      <legend>Scheduler {index + 1}</legend>
      {children}
      <label class="field wide"><span>class</span>
        <select name={`p${index}`} value={p.name} onChange={(e) => onChange(part(e.currentTarget.value))}>
          {SCHEDULER_NAMES.map((n) => <option value={n}>{n}</option>)}
        </select>
      </label>
      {entry && <p class="about">{entry.about}</p>}
      {entry?.controls.map((c) => <ControlField control={c} name={`p${index}.${c.name}`} value={p.values[c.name] ?? c.value} onChange={(v) => set(c.name, v)} />)}
      {onRemove && <button type="button" onClick={onRemove}>remove</button>}
    </fieldset>
  );
}

function ControlField({ control: c, name, value, onChange }: { control: Control; name: string; value: OptionValue; onChange: (v: OptionValue) => void }) {
  switch (c.type) {
    case "bool":
      return <label class="field wide"><span>{c.name}</span><input type="checkbox" name={name} checked={value === true} onChange={(e) => onChange(e.currentTarget.checked)} /></label>;
    case "choice":
      return (
        <label class="field wide"><span>{c.name}</span>
          <select name={name} value={String(value)} onChange={(e) => onChange(e.currentTarget.value)}>{c.choices.map((x) => <option value={x}>{x}</option>)}</select>
        </label>
      );
    case "list":
      return (
        <label class="field wide"><span>{c.name}</span>
          <input type="text" name={name} value={Array.isArray(value) ? value.join(", ") : ""}
            onChange={(e) => onChange(e.currentTarget.value.split(",").filter((s) => s.trim() !== "").map((s) => Number(s.trim())))} />
        </label>
      );
    case "optional-number":
      return (
        <label class="field wide"><span>{c.name}</span>
          <input type="number" name={name} placeholder="default" value={value === null ? "" : String(value)} step={c.step ?? "any"}
            onChange={(e) => onChange(e.currentTarget.value === "" ? null : Number(e.currentTarget.value))} />
        </label>
      );
    case "number":
      return <NumberField label={c.name} name={name} value={value as number} {...(c.min === undefined ? {} : { min: c.min })} {...(c.max === undefined ? {} : { max: c.max })} {...(c.step === undefined ? {} : { step: c.step })} onChange={onChange} />;
  }
}

/** A number: a slider where the range is bounded, and a box for the exact value (the slider follows it). */
function NumberField({ label, name = label, value, min, max, step, onChange }: { label: string; name?: string; value: number; min?: number; max?: number; step?: number; onChange: (v: number) => void }) {
  const slider = min !== undefined && max !== undefined;
  return (
    <label class={slider ? "field" : "field wide"}>
      <span>{label}</span>
      {slider && <input type="range" aria-label={`${label} slider`} min={min} max={max} step={step ?? "any"} value={value} onInput={(e) => onChange(Number(e.currentTarget.value))} />}
      <input type="number" name={name} value={Number.isNaN(value) ? "" : value} step="any" onChange={(e) => onChange(Number(e.currentTarget.value))} />
    </label>
  );
}
