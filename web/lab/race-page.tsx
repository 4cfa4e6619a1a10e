import { useEffect, useMemo, useState } from "preact/hooks";
import { landscape } from "../../src/index.js";
import { routeHash, type Route } from "../route.js";
import { RACE_OPTIMIZERS, optimizerColor, optimizerSpec } from "./race/optimizers.js";
import { LossChart } from "./race/loss-chart.js";
import { RacePlot } from "./race/race-plot.js";
import { RaceTable } from "./race/race-table.js";
import { checkValue, defaultLr, defaultRacer, MAX_STEPS, readSettings, settingsQuery, type RaceSettings, type RacerSettings } from "./race/settings.js";
import { Slider } from "./race/slider.js";
import { Theory } from "./race/theory.js";
import { useRaceWorker } from "./race/race-client.js";
import "./race/race.css";

type Point = [number, number];
const SURFACES = Object.values(landscape.surfaces) as landscape.Surface[];

/** The point the contours' window must take in: the start when it lies outside the surface's window, else nothing new. */
function coverFor(surface: landscape.Surface, start: Point): Point {
  const inside = (v: number, [lo, hi]: readonly [number, number]) => v >= lo && v <= hi;
  return inside(start[0], surface.window.x) && inside(start[1], surface.window.y) ? [surface.start[0], surface.start[1]] : start;
}

/**
 * The lab's race: minima's optimizers on a test surface from the same start, computed in a Web Worker with the
 * library's own optimizer code, drawn over the surface's contours; every setting lives in the URL.
 */
export function RacePage({ route }: { route: Route }) {
  const [{ settings: initial, problems }] = useState(() => readSettings(route.query));
  const [settings, setSettings] = useState<RaceSettings>(initial);
  const surface = landscape.pickSurface(settings.surface, landscape.surfaces, "race");
  const cover = coverFor(surface, settings.start);
  const { contours, result, error } = useRaceWorker(settings, cover);

  useEffect(() => history.replaceState(null, "", routeHash("lab", "race", settingsQuery(settings))), [settings]);

  const update = (change: Partial<RaceSettings>) => setSettings((s) => ({ ...s, ...change }));
  const setRacer = (name: string, values: Partial<RacerSettings["values"]>) =>
    setSettings((s) => ({ ...s, racers: s.racers.map((r) => (r.name === name ? { ...r, values: { ...r.values, ...values } as Record<string, number> } : r)) }));
  const toggle = (name: string, on: boolean) => setSettings((s) => ({
    ...s,
    // Kept in the catalogue's order, so colours and rows do not move as racers join.
    racers: RACE_OPTIMIZERS.filter((o) => (o.name === name ? on : s.racers.some((r) => r.name === o.name)))
      .map((o) => s.racers.find((r) => r.name === o.name) ?? defaultRacer(o, s.surface)),
  }));
  const pickSurface = (name: string) => setSettings((s) => {
    const next = landscape.pickSurface(name, landscape.surfaces, "race");
    // A new surface has its own scale: each racer's lr goes back to what suits it there; β and ε stay.
    return { ...s, surface: name, start: [next.start[0], next.start[1]], racers: s.racers.map((r) => ({ ...r, values: { ...r.values, lr: defaultLr(optimizerSpec(r.name)!, name) } })) };
  });
  const ensure = (name: string, values: Record<string, number>) => setSettings((s) => {
    const racers = s.racers.some((r) => r.name === name) ? s.racers : RACE_OPTIMIZERS.filter((o) => o.name === name || s.racers.some((r) => r.name === o.name))
      .map((o) => s.racers.find((r) => r.name === o.name) ?? defaultRacer(o, s.surface));
    return { ...s, racers: racers.map((r) => (r.name === name ? { ...r, values: { ...r.values, ...values } } : r)) };
  });

  // The page shows these settings once the worker's answer for them (a structured clone) has come back.
  const ready = useMemo(() => contours !== null && result !== null && JSON.stringify(result.settings) === JSON.stringify(settings), [contours, result, settings]);
  return (
    <div class="race" data-ready={String(ready)}>
      {problems.map((p) => <p class="error race-url-problem">{p}</p>)}
      <div class="race-layout">
        <aside class="race-controls">
          <label class="race-row">surface
            <select value={settings.surface} onChange={(e) => pickSurface((e.currentTarget as HTMLSelectElement).value)} aria-label="surface">
              {SURFACES.map((s) => <option value={s.name}>{s.name}: {s.formula}</option>)}
            </select>
          </label>
          <div class="race-row">
            <span>start ({settings.start[0]}, {settings.start[1]})</span>
            <button type="button" onClick={() => update({ start: [surface.start[0], surface.start[1]] })}>reset</button>
            <span class="muted">click the plot to move it</span>
          </div>
          <label class="race-row">steps
            <input type="range" min={1} max={1000} value={Math.min(settings.steps, 1000)} aria-label="steps"
              onInput={(e) => update({ steps: Number((e.currentTarget as HTMLInputElement).value) })} />
            <input type="number" class="race-value" min={1} max={MAX_STEPS} value={settings.steps} aria-label="steps value"
              onChange={(e) => {
                const n = Number((e.currentTarget as HTMLInputElement).value);
                if (Number.isInteger(n) && n >= 1 && n <= MAX_STEPS) update({ steps: n });
              }} />
          </label>
          <div class="race-racers">
            {RACE_OPTIMIZERS.map((spec) => {
              const racer = settings.racers.find((r) => r.name === spec.name);
              return (
                <div class={`race-racer${racer ? " on" : ""}`} data-optimizer={spec.name}>
                  <label>
                    <input type="checkbox" checked={racer !== undefined} onChange={(e) => toggle(spec.name, (e.currentTarget as HTMLInputElement).checked)} />
                    <span class="race-swatch" style={{ background: optimizerColor(spec.name) }} />
                    {spec.title}
                  </label>
                  {racer && spec.params.map((p) => (
                    <Slider spec={p} name={spec.name} value={racer.values[p.key]!} check={(text) => checkValue(spec.name, p.key, text)}
                      onChange={(v) => setRacer(spec.name, { [p.key]: v })} />
                  ))}
                </div>
              );
            })}
          </div>
        </aside>
        <section class="race-main">
          {contours ? <RacePlot contours={contours} result={result} start={settings.start} onStart={(start) => update({ start })} /> : <p class="muted">Drawing the contours…</p>}
          {error !== null && <p class="error race-error">{error}</p>}
          {result && <RaceTable result={result} />}
          {result && <p class="muted">{result.racers.length} optimizers × {result.settings.steps} steps in {Math.round(result.ms)} ms (minima's optimizers, {result.backend} backend, in a Web Worker).</p>}
          {result?.theory && (
            <Theory surface={result.settings.surface} theory={result.theory}
              onBestGd={() => result.theory?.theory && ensure("sgd", { lr: result.theory.theory.gdBestLr })}
              onBestHeavyBall={() => result.theory?.theory && ensure("momentum", { lr: result.theory.theory.heavyBallLr, momentum: result.theory.theory.heavyBallMomentum })} />
          )}
          {result && <LossChart result={result} />}
        </section>
      </div>
    </div>
  );
}
