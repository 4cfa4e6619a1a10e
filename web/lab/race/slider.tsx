import { useEffect, useState } from "preact/hooks";
import type { HyperparameterSpec } from "./optimizers.js";

const STEPS = 1000;

/** The value at a slider position (0…STEPS), rounded to 3 significant digits (of 1 − β for β) so the URL stays readable. */
export function sliderValue(spec: HyperparameterSpec, position: number): number {
  const t = position / STEPS;
  if (spec.scale === "log") return Number((10 ** lerp(Math.log10(spec.min), Math.log10(spec.max), t)).toPrecision(3));
  const gap = Number((10 ** lerp(Math.log10(1 - spec.min), Math.log10(1 - spec.max), t)).toPrecision(3));
  // 1 − 0.126 is 0.874 plus float noise: 12 digits drop the noise and keep the value.
  return Number((1 - gap).toPrecision(12));
}

/** The slider position showing a value (values beyond the range sit at its ends). */
export function sliderPosition(spec: HyperparameterSpec, value: number): number {
  const [lo, hi, v] = spec.scale === "log"
    ? [Math.log10(spec.min), Math.log10(spec.max), Math.log10(value)]
    : [Math.log10(1 - spec.min), Math.log10(1 - spec.max), Math.log10(1 - value)];
  const t = (v - lo) / (hi - lo);
  return Math.round(STEPS * Math.min(1, Math.max(0, Number.isNaN(t) ? 0 : t)));
}

const lerp = (a: number, b: number, t: number) => a + (b - a) * t;

/**
 * A hyperparameter's slider and its value as text: moving the slider sets rounded values, typing sets any value
 * (checked by `check`, whose message shows under the field until the text is fixed).
 */
export function Slider(props: { spec: HyperparameterSpec; value: number; name: string; check: (text: string) => number | string; onChange: (v: number) => void }) {
  const { spec, value, name, check, onChange } = props;
  const [text, setText] = useState(String(value));
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => { setText(String(value)); setProblem(null); }, [value]);
  const commit = (t: string) => {
    const v = check(t);
    if (typeof v === "number") onChange(v);
    else setProblem(v);
  };
  return (
    <div class="race-slider">
      <label>
        <span class="race-param">{spec.label}</span>
        <input type="range" min={0} max={STEPS} value={sliderPosition(spec, value)} aria-label={`${name} ${spec.key}`}
          onInput={(e) => onChange(sliderValue(spec, Number((e.currentTarget as HTMLInputElement).value)))} />
      </label>
      <input type="text" class="race-value" value={text} data-param={`${name}.${spec.key}`} aria-label={`${name} ${spec.key} value`}
        onInput={(e) => setText((e.currentTarget as HTMLInputElement).value)}
        onChange={(e) => commit((e.currentTarget as HTMLInputElement).value)} />
      {problem !== null && <p class="error race-problem">{problem}</p>}
    </div>
  );
}
