import { SCHEDULERS, defaultsOf, type Control, type OptionValue } from "./catalog.js";

/** One scheduler of the explored schedule: its class name and its controls' values. */
export interface PartSpec {
  name: string;
  values: Record<string, OptionValue>;
}

/** How the parts make one schedule: one alone, one after another (SequentialLR), or multiplied (ChainedScheduler). */
export type Compose = "single" | "sequential" | "chained";
export const COMPOSE: readonly Compose[] = ["single", "sequential", "chained"];

/** Everything the schedule explorer shows, as its URL holds it. */
export interface ScheduleSpec {
  /** The optimizer's lr (the schedules' base lr). */
  lr: number;
  /** Steps drawn: lrAt(0) … lrAt(steps − 1). */
  steps: number;
  compose: Compose;
  parts: PartSpec[];
  /** SequentialLR's milestones: the step at which each next part takes over (one fewer than parts). */
  milestones: number[];
  /** A log y axis. */
  log: boolean;
}

export const MAX_STEPS = 100_000;

export const part = (name: string, values: Record<string, OptionValue> = {}): PartSpec => ({ name, values: { ...defaultsOf(name), ...values } });

/** Linear warmup from 1% of the lr over 100 steps, then a cosine to 0 over the other 900: the usual recipe. */
export const DEFAULT_SPEC: ScheduleSpec = {
  lr: 0.1, steps: 1000, compose: "sequential", log: false, milestones: [100],
  parts: [part("LinearLR", { startFactor: 0.01, totalIters: 100 }), part("CosineAnnealingLR", { tMax: 900 })],
};

/** Schedules worth a look, one click each. */
export const PRESETS: [title: string, spec: ScheduleSpec][] = [
  ["warmup + cosine", DEFAULT_SPEC],
  ["warmup + step", { ...DEFAULT_SPEC, parts: [part("LinearLR", { startFactor: 0.01, totalIters: 100 }), part("StepLR", { stepSize: 300, gamma: 0.3 })] }],
  ["1cycle", { ...DEFAULT_SPEC, compose: "single", milestones: [], parts: [part("OneCycleLR")] }],
  ["SGDR", { ...DEFAULT_SPEC, compose: "single", milestones: [], parts: [part("CosineAnnealingWarmRestarts")] }],
  ["cyclic (triangular2)", { ...DEFAULT_SPEC, compose: "single", milestones: [], parts: [part("CyclicLR", { mode: "triangular2" })] }],
  ["inverse √t", { ...DEFAULT_SPEC, compose: "single", milestones: [], log: true, parts: [part("InverseSqrtLR")] }],
  ["constant × exponential", { ...DEFAULT_SPEC, compose: "chained", milestones: [], parts: [part("ConstantLR", { factor: 0.1, totalIters: 50 }), part("ExponentialLR")] }],
  ["plateau", { ...DEFAULT_SPEC, compose: "single", milestones: [], parts: [part("ReduceLROnPlateau")] }],
];

function encodeValue(v: OptionValue): string {
  return Array.isArray(v) ? v.join(",") : v === null ? "" : String(v);
}

function decodeValue(control: Control, s: string): OptionValue {
  switch (control.type) {
    case "bool": return s === "true";
    case "choice": return s;
    case "list": return s.trim() === "" ? [] : s.split(",").map((x) => Number(x.trim()));
    case "optional-number": return s.trim() === "" ? null : Number(s);
    case "number": return Number(s);
  }
}

/** The URL query of a spec ("lr=0.1&steps=1000&compose=sequential&m=100&p0=LinearLR&p0.startFactor=0.01…"): every value, so a link means the same later. */
export function specQuery(spec: ScheduleSpec): Record<string, string> {
  const q: Record<string, string> = { lr: String(spec.lr), steps: String(spec.steps), compose: spec.compose };
  if (spec.compose === "sequential") q["m"] = spec.milestones.join(",");
  if (spec.log) q["log"] = "1";
  spec.parts.forEach((p, i) => {
    q[`p${i}`] = p.name;
    for (const [k, v] of Object.entries(p.values)) q[`p${i}.${k}`] = encodeValue(v);
  });
  return q;
}

/** The spec a URL query describes; what it leaves out comes from the default (an unknown scheduler name is kept, to be reported). */
export function parseSpec(query: URLSearchParams): ScheduleSpec {
  const parts: PartSpec[] = [];
  for (let i = 0; query.has(`p${i}`); i++) {
    const name = query.get(`p${i}`)!;
    const entry = SCHEDULERS[name];
    const values = entry ? defaultsOf(name) : {};
    for (const c of entry?.controls ?? []) {
      const s = query.get(`p${i}.${c.name}`);
      if (s !== null) values[c.name] = decodeValue(c, s);
    }
    parts.push({ name, values });
  }
  const given = query.get("compose") ?? "";
  const compose: Compose = parts.length === 0 ? DEFAULT_SPEC.compose
    : (COMPOSE as readonly string[]).includes(given) ? given as Compose : parts.length > 1 ? "sequential" : "single";
  const m = query.get("m");
  return {
    lr: query.has("lr") ? Number(query.get("lr")) : DEFAULT_SPEC.lr,
    steps: query.has("steps") ? Number(query.get("steps")) : DEFAULT_SPEC.steps,
    compose,
    parts: parts.length === 0 ? DEFAULT_SPEC.parts : compose === "single" ? parts.slice(0, 1) : parts,
    milestones: parts.length === 0 ? DEFAULT_SPEC.milestones : m === null || m.trim() === "" ? [] : m.split(",").map((x) => Number(x.trim())),
    log: query.get("log") === "1",
  };
}

/** What is wrong with the page's own settings (the schedulers check their options themselves), or null. */
export function checkSpec(spec: ScheduleSpec): string | null {
  if (!(Number.isInteger(spec.steps) && spec.steps >= 1 && spec.steps <= MAX_STEPS)) return `Schedules: invalid steps; expected an integer in [1, ${MAX_STEPS}], got ${spec.steps}`;
  if (!(spec.lr > 0 && Number.isFinite(spec.lr))) return `Schedules: invalid lr; expected a number > 0, got ${spec.lr}`;
  const unknown = spec.parts.find((p) => !SCHEDULERS[p.name]);
  if (unknown) return `Schedules: unknown scheduler "${unknown.name}"; expected one of ${Object.keys(SCHEDULERS).join(", ")}`;
  return null;
}
