import { optimizerColor, optimizerSpec } from "./optimizers.js";
import type { RaceResult, RacerResult } from "./protocol.js";

/** A number for a table cell: 4 significant digits (the exact value is in the row's data attributes). */
export const show = (v: number) => (Number.isFinite(v) ? String(Number(v.toPrecision(4))) : String(v));

function reached(r: RacerResult, result: RaceResult): string {
  if (r.stepsToTolerance !== null) return String(r.stepsToTolerance);
  if (r.divergedAt !== null) return `diverged at step ${r.divergedAt}`;
  return result.best === null ? "no minimum" : `not in ${result.settings.steps}`;
}

/**
 * Each racer's end: its point and value after the last step, the steps it took to come within the tolerance of the
 * lowest minimum, and its rate (measured; and on a positive-definite quadratic, theory's). Each row carries the
 * end point's numbers exactly, as JavaScript prints them, in data attributes.
 */
export function RaceTable({ result }: { result: RaceResult }) {
  const quadratic = result.theory?.theory != null;
  return (
    <table class="race-table">
      <thead>
        <tr>
          <th>optimizer</th><th>settings</th><th>steps to f − f* ≤ {result.settings.tolerance}</th><th>end (x, y)</th><th>f at the end</th>
          <th>rate (measured)</th>{quadratic && <th>rate (theory)</th>}
        </tr>
      </thead>
      <tbody>
        {result.racers.map((r) => {
          const spec = optimizerSpec(r.name)!, racer = result.settings.racers.find((s) => s.name === r.name)!;
          const settings = spec.params.map((p) => `${p.label} ${racer.values[p.key]}`).join(", ");
          if (r.error !== null) return <tr data-racer={r.name}><td>{spec.title}</td><td>{settings}</td><td colSpan={quadratic ? 5 : 4} class="error">{r.error}</td></tr>;
          const x = r.x.at(-1)!, y = r.y.at(-1)!, f = r.f.at(-1)!;
          return (
            <tr data-racer={r.name} data-x={String(x)} data-y={String(y)} data-f={String(f)} data-steps={String(r.x.length - 1)}>
              <td><span class="race-swatch" style={{ background: optimizerColor(r.name) }} />{spec.title}</td>
              <td>{settings}</td>
              <td>{reached(r, result)}</td>
              <td>({show(x)}, {show(y)})</td>
              <td>{show(f)}</td>
              <td>{r.measuredRate === null ? "–" : show(r.measuredRate)}</td>
              {quadratic && <td>{r.theoryRate === null ? "–" : show(r.theoryRate)}</td>}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
