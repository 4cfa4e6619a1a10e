import { useEffect, useMemo, useState } from "preact/hooks";
import { optim, report } from "../../src/index.js";
import { routeHash, type Route } from "../route.js";
import { temperatures } from "./ewma/temperatures.js";
import { SvgFigure } from "./explorers/svg-figure.js";
import "./explorers/explorers.css";

interface EwmaSettings {
  beta: number;
  seed: number;
  /** Draw the bias-corrected average v̂ₜ = vₜ / (1 − βᵗ). */
  corrected: boolean;
  /** Draw the uncorrected vₜ. */
  uncorrected: boolean;
  /** Add the lecture's three β (0.5, 0.9, 0.98), bias-corrected. */
  compare: boolean;
}

const DEFAULTS: EwmaSettings = { beta: 0.9, seed: 0, corrected: true, uncorrected: true, compare: false };
const COMPARED = [0.5, 0.9, 0.98];

function parseSettings(q: URLSearchParams): EwmaSettings {
  const flag = (k: keyof EwmaSettings) => (q.has(k) ? q.get(k) === "1" : DEFAULTS[k] as boolean);
  return {
    beta: q.has("beta") ? Number(q.get("beta")) : DEFAULTS.beta, seed: q.has("seed") ? Number(q.get("seed")) : DEFAULTS.seed,
    corrected: flag("corrected"), uncorrected: flag("uncorrected"), compare: flag("compare"),
  };
}

const settingsQuery = (s: EwmaSettings) => ({ beta: s.beta, seed: s.seed, corrected: +s.corrected, uncorrected: +s.uncorrected, compare: +s.compare });

/** The page's own check of its settings (β itself is checked by the library's EWMA). */
function checkSeed(seed: number): string | null {
  return Number.isInteger(seed) && seed >= 0 ? null : `EWMA: invalid seed; expected a non-negative integer, got ${seed}`;
}

/**
 * Note 001's picture of the exponentially weighted average: a year of noisy temperatures, vₜ = β·vₜ₋₁ + (1−β)·θₜ
 * with and without the bias correction 1/(1 − βᵗ), computed by mn.optim.ewmaSeries — the library's own EWMA.
 */
export function EwmaPage({ route }: { route: Route }) {
  const [s, setS] = useState(() => parseSettings(route.query));
  useEffect(() => setS(parseSettings(route.query)), [route]);
  useEffect(() => history.replaceState(null, "", routeHash(route.page, route.rest, settingsQuery(s))), [JSON.stringify(s), route]);
  const update = (changes: Partial<EwmaSettings>) => setS({ ...s, ...changes });

  const seedProblem = checkSeed(s.seed);
  const data = useMemo(() => (seedProblem ? [] : temperatures(s.seed)), [s.seed, seedProblem]);
  let error: string | null = seedProblem, corrected: number[] = [], uncorrected: number[] = [];
  try {
    if (!error) {
      corrected = optim.ewmaSeries(data, s.beta);
      uncorrected = optim.ewmaSeries(data, s.beta, { biasCorrection: false });
    }
  } catch (e) {
    error = (e as Error).message;
  }
  const days = data.map((_, i) => i + 1);
  const span = 1 / (1 - s.beta);

  return (
    <section class="explorer ewma">
      <div>
        <h2>Exponentially weighted averages</h2>
        <p class="lede">vₜ = β·vₜ₋₁ + (1−β)·θₜ from v₀ = 0 averages about the last 1/(1−β) values; dividing by 1 − βᵗ corrects its start, which v₀ = 0 pulls toward zero. Computed by <code>mn.optim.ewmaSeries</code>.</p>
        <fieldset>
          <legend>Average</legend>
          <label class="field">
            <span>β</span>
            <input type="range" aria-label="β slider" min={0} max={0.999} step={0.001} value={s.beta} onInput={(e) => update({ beta: Number(e.currentTarget.value) })} />
            <input type="number" name="beta" value={s.beta} step="any" onChange={(e) => update({ beta: Number(e.currentTarget.value) })} />
          </label>
          <label class="field wide"><span>bias-corrected</span><input type="checkbox" name="corrected" checked={s.corrected} onChange={(e) => update({ corrected: e.currentTarget.checked })} /></label>
          <label class="field wide"><span>uncorrected</span><input type="checkbox" name="uncorrected" checked={s.uncorrected} onChange={(e) => update({ uncorrected: e.currentTarget.checked })} /></label>
          <label class="field wide"><span>β = 0.5, 0.9, 0.98</span><input type="checkbox" name="compare" checked={s.compare} onChange={(e) => update({ compare: e.currentTarget.checked })} /></label>
          <label class="field wide"><span>seed</span><input type="number" name="seed" value={s.seed} step={1} min={0} onChange={(e) => update({ seed: Number(e.currentTarget.value) })} /></label>
        </fieldset>
        {!error && (
          <table class="stats">
            <tbody>
              <tr><td>averages about</td><td>1/(1−β) = {fmt(span)} days</td></tr>
              <tr><td>day 1: θ₁</td><td>{fmt(data[0]!)} °F</td></tr>
              <tr><td>v₁ = (1−β)·θ₁</td><td>{fmt(uncorrected[0]!)} °F</td></tr>
              <tr><td>v̂₁ = v₁ / (1−β)</td><td>{fmt(corrected[0]!)} °F</td></tr>
            </tbody>
          </table>
        )}
      </div>
      <div class="figures">
        {error ? <p class="error" role="alert">{error}</p> : (
          <figure class="ewma-curves" data-beta={String(s.beta)} data-raw={JSON.stringify(data)} data-corrected={JSON.stringify(corrected)} data-uncorrected={JSON.stringify(uncorrected)}>
            <Charts s={s} days={days} data={data} corrected={corrected} uncorrected={uncorrected} />
          </figure>
        )}
      </div>
    </section>
  );
}

const fmt = (x: number) => (Number.isFinite(x) ? (Math.abs(x) >= 100 ? x.toFixed(0) : x.toPrecision(3)) : String(x));

function Charts({ s, days, data, corrected, uncorrected }: { s: EwmaSettings; days: number[]; data: number[]; corrected: number[]; uncorrected: number[] }) {
  const series: report.Series[] = [{ name: "θ (daily)", x: days, y: data, color: "#7a8591", opacity: 0.45, strokeWidth: 1 }];
  if (s.corrected) series.push({ name: `v̂ β=${s.beta}`, x: days, y: corrected, color: "#0072B2" });
  if (s.uncorrected) series.push({ name: `v β=${s.beta} uncorr.`, x: days, y: uncorrected, color: "#D55E00" });
  if (s.compare) {
    const colors = ["#009E73", "#CC79A7", "#E69F00"];
    COMPARED.forEach((b, i) => series.push({ name: `v̂ β=${b}`, x: days, y: optim.ewmaSeries(data, b), color: colors[i]!, strokeWidth: 1.5 }));
  }
  // The start, where the uncorrected average climbs from 0: a few spans of the average, at least three weeks.
  const early = Math.min(days.length, Math.max(21, Math.ceil(4 / (1 - s.beta))));
  const head = series.map((x) => ({ ...x, x: x.x.slice(0, early), y: x.y.slice(0, early) }));
  const back = Math.min(days.length, Math.max(10, Math.ceil(5 / (1 - s.beta))));
  const k = Array.from({ length: back }, (_, i) => i);
  return (
    <>
      <SvgFigure svg={report.lineChart({ title: "a year of daily temperatures and their EWMA", xLabel: "day", yLabel: "°F", series, integerX: true, width: 900, height: 420 })} />
      <div class="figures row">
        <SvgFigure svg={report.lineChart({ title: `the first ${early} days`, xLabel: "day", yLabel: "°F", series: head, integerX: true, legend: [], width: 520, height: 340 })} />
        <SvgFigure svg={report.lineChart({
          title: "the weight of the value k days back in vₜ", xLabel: "k (days back)", yLabel: "(1−β)·βᵏ", integerX: true, legend: [], width: 520, height: 340,
          series: [{ name: "weight", x: k, y: k.map((j) => (1 - s.beta) * s.beta ** j), color: "#0072B2" }],
          references: [{ y: (1 - s.beta) / Math.E, label: `1/e of the first, near k = 1/(1−β) = ${fmt(1 / (1 - s.beta))}` }],
        })} />
      </div>
    </>
  );
}
