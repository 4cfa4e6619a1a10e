import { existsSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { DataFormatError, MinimaError } from "../errors.js";
import { History, nonFiniteReviver, type EpochLog, type LayerLog, type RunEvent, type StepLog } from "../train/history.js";

/** One thing the diagnosis noticed about a run, with what to do about it. */
export interface Finding {
  /** mn.train.diagnose's kinds ("overfitting", "dead-layer"...), kept open: a newer minima may have written others. */
  kind: string;
  severity: "info" | "warning" | "problem";
  message: string;
  advice: string;
  epoch?: number;
  step?: number;
  /** The parameter, for per-layer findings. */
  layer?: string;
}

/**
 * What mn.train.diagnose makes of a History. Declared here by its shape, so that reading a run's
 * "end" line checks only what the report shows; train/diagnose.ts's Diagnosis fits it.
 */
export interface Diagnosis {
  findings: Finding[];
  summary: string;
}

/** A run directory read back: its flags, what it recorded and how it ended. */
export interface RunData {
  /** config.json (the CLI flags), or null when the folder has none. */
  config: Record<string, unknown> | null;
  history: History;
  /** The diagnosis written on the run's "end" line, or null (a killed run has none). */
  diagnosis: Diagnosis | null;
  /** Why the run stopped early, from its "end" line; null when it ran to the end or was killed. */
  stopReason: string | null;
  /** Whether an "end" line closes the file: false for a run still going or one that was killed. */
  finished: boolean;
  /** Things the reader tolerated, to tell the user (a torn last line). */
  notes: string[];
}

/**
 * Reads a run directory written by `minima train`: config.json and metrics.jsonl (one JSON object a
 * line: "step", "layer", "event", "epoch" and a closing "end" record; NaN and ±Infinity as strings).
 * @example const { history, diagnosis } = mn.report.readRun("runs/train-mnist-20250101-120000");
 */
export function readRun(path: string): RunData {
  const dir = resolve(path);
  if (!existsSync(dir)) throw new MinimaError({ where: "readRun", what: `no run directory at ${dir}` });
  if (!statSync(dir).isDirectory()) throw new MinimaError({ where: "readRun", what: `${dir} is a file, not a run directory` });
  const metricsPath = join(dir, "metrics.jsonl");
  if (!existsSync(metricsPath)) {
    throw new MinimaError({ where: "readRun", what: `${dir} is not a run directory: it has no metrics.jsonl`, expected: "a folder written by minima train (config.json, metrics.jsonl)" });
  }
  const configPath = join(dir, "config.json");
  let config: Record<string, unknown> | null = null;
  if (existsSync(configPath)) {
    try {
      config = JSON.parse(readFileSync(configPath, "utf8")) as Record<string, unknown>;
    } catch (e) {
      throw new DataFormatError({ where: configPath, what: "not valid JSON", got: (e as Error).message });
    }
    if (config === null || typeof config !== "object" || Array.isArray(config)) {
      throw new DataFormatError({ where: configPath, what: "not a JSON object", got: JSON.stringify(config) });
    }
  }
  return { config, ...parseMetrics(readFileSync(metricsPath, "utf8"), metricsPath) };
}

/**
 * Parses the text of a metrics.jsonl; `file` names it in errors ("runs/a/metrics.jsonl:12: ...").
 * A record that goes back in time (a resumed run that appended instead of rewriting) replaces
 * everything recorded from that point on, so the curves never zig-zag.
 */
export function parseMetrics(text: string, file: string): Omit<RunData, "config"> {
  const history = new History();
  const notes: string[] = [];
  let diagnosis: Diagnosis | null = null, finished = false;
  let oldFormatRun: string | undefined;
  const unknownKinds = new Map<string, number[]>();
  const lines = text.split("\n");
  lines.forEach((line, i) => {
    if (line.trim() === "") return;
    const at = `${file}:${i + 1}`;
    let record: Record<string, unknown>;
    try {
      record = JSON.parse(line, nonFiniteReviver) as Record<string, unknown>;
    } catch (e) {
      // A run killed mid-write leaves its last line without the newline that ends every whole line.
      if (i === lines.length - 1) {
        notes.push(`${at}: ignored a torn last line (the run was stopped while writing it)`);
        return;
      }
      throw new DataFormatError({ where: at, what: "not valid JSON", got: `${line.slice(0, 80)}${line.length > 80 ? "…" : ""} (${(e as Error).message})` });
    }
    if (record === null || typeof record !== "object" || Array.isArray(record)) {
      throw new DataFormatError({ where: at, what: "not a JSON object", got: line.slice(0, 80) });
    }
    const fields = new Fields(record, at);
    if (RUN_KINDS.includes(record["kind"])) {
      // Records after an "end" line: the run was resumed, and the old ending no longer holds.
      finished = false;
      history.stopReason = null;
      diagnosis = null;
    }
    switch (record["kind"]) {
      case "step": {
        const s: StepLog = { step: fields.num("step"), epoch: fields.num("epoch"), loss: fields.num("loss"), lr: fields.num("lr"), gradNorm: fields.num("gradNorm") };
        rewindTo(history, s.step, s.epoch);
        history.steps.push(s);
        break;
      }
      case "layer": {
        const l: LayerLog = {
          step: fields.num("step"), epoch: fields.num("epoch"), name: fields.str("name"), weightNorm: fields.num("weightNorm"),
          gradNorm: fields.num("gradNorm"), updateNorm: fields.num("updateNorm"), ratio: fields.num("ratio"),
        };
        history.layers.push(l);
        break;
      }
      case "event": {
        const ev: RunEvent = { step: fields.num("step"), epoch: fields.num("epoch"), message: fields.str("message") };
        history.events.push(ev);
        break;
      }
      case "epoch":
        pushEpoch(history, {
          epoch: fields.num("epoch"), loss: fields.num("loss"), accuracy: fields.numOrNull("accuracy"),
          valLoss: fields.numOrNull("valLoss"), valAccuracy: fields.numOrNull("valAccuracy"),
          testLoss: fields.numOrNull("testLoss"), testAccuracy: fields.numOrNull("testAccuracy"),
          lr: fields.num("lr"), steps: fields.num("steps"), seconds: fields.num("seconds"),
        });
        break;
      case "end":
        history.stopReason = fields.strOrNull("stopReason");
        diagnosis = fields.diagnosis("diagnosis");
        finished = true;
        break;
      case undefined: {
        // Runs from before the "kind" field logged only epochs, as the CLI's EpochRecord.
        if (!("epoch" in record && "trainLoss" in record)) {
          throw new DataFormatError({ where: at, what: "a record with neither a \"kind\" nor the old epoch fields", expected: "kind \"step\", \"layer\", \"event\", \"epoch\" or \"end\"", got: line.slice(0, 80) });
        }
        // minima compare wrote one such run per optimizer into the same file; one report shows one run.
        const optimizer = typeof record["optimizer"] === "string" ? record["optimizer"] : undefined;
        if (oldFormatRun !== undefined && optimizer !== oldFormatRun) {
          throw new DataFormatError({ where: at, what: `the file holds runs of several optimizers (${oldFormatRun}, ${optimizer}), as minima compare writes; a report shows one training run` });
        }
        oldFormatRun = optimizer;
        pushEpoch(history, {
          epoch: fields.num("epoch"), loss: fields.num("trainLoss"), accuracy: fields.numOrNull("trainAccuracy"),
          valLoss: fields.numOrNull("valLoss"), valAccuracy: fields.numOrNull("valAccuracy"),
          testLoss: fields.numOrNull("testLoss"), testAccuracy: fields.numOrNull("testAccuracy"),
          // The old records did not count steps.
          lr: fields.num("lr"), steps: NaN, seconds: fields.num("seconds"),
        });
        break;
      }
      default: {
        // A newer minima may log more kinds; the report shows what it knows rather than nothing.
        const kind = JSON.stringify(record["kind"]);
        unknownKinds.set(kind, [...(unknownKinds.get(kind) ?? []), i + 1]);
      }
    }
  });
  for (const [kind, at] of unknownKinds) {
    notes.push(`${file}:${at[0]}: ignored ${at.length} record${at.length > 1 ? "s" : ""} of unknown kind ${kind} (written by a newer minima?)`);
  }
  history.layers = latestPerStepAndName(history.layers);
  const stopReason = history.stopReason;
  return { history, diagnosis, stopReason, finished, notes };
}

// The records a running fit() writes; one after an "end" line means the run went on.
const RUN_KINDS: unknown[] = ["step", "layer", "event", "epoch", undefined];

function pushEpoch(history: History, e: EpochLog): void {
  while (history.epochs.length > 0 && history.epochs[history.epochs.length - 1]!.epoch >= e.epoch) history.epochs.pop();
  history.epochs.push(e);
}

/** Forgets what was recorded at or after `step` (and epochs from `epoch` on): a resume replays them. */
function rewindTo(history: History, step: number, epoch: number): void {
  const last = history.steps[history.steps.length - 1];
  if (last === undefined || last.step < step) return;
  history.steps = history.steps.filter((s) => s.step < step);
  // Layer lines of `step` itself may already have been written just before this step line.
  history.layers = history.layers.filter((l) => l.step <= step);
  // Events are written after their epoch's steps, so none of `step` can have come yet.
  history.events = history.events.filter((e) => e.step < step);
  history.epochs = history.epochs.filter((e) => e.epoch < epoch);
}

/** One LayerLog per (step, parameter), the last written, in the order first seen. */
function latestPerStepAndName(layers: readonly LayerLog[]): LayerLog[] {
  const byKey = new Map<string, LayerLog>();
  for (const l of layers) byKey.set(`${l.step}\u0000${l.name}`, l);
  return byKey.size === layers.length ? [...layers] : [...byKey.values()];
}

/** Typed access to one record's fields; a missing or mistyped field is an error naming the line and the field. */
class Fields {
  constructor(private readonly record: Record<string, unknown>, private readonly at: string) {}

  num(key: string): number {
    const v = this.record[key];
    if (typeof v !== "number") this.fail(key, "a number", v);
    return v as number;
  }

  numOrNull(key: string): number | null {
    const v = this.record[key];
    return v === undefined || v === null ? null : this.num(key);
  }

  str(key: string): string {
    const v = this.record[key];
    if (typeof v !== "string") this.fail(key, "a string", v);
    return v as string;
  }

  strOrNull(key: string): string | null {
    const v = this.record[key];
    return v === undefined || v === null ? null : this.str(key);
  }

  diagnosis(key: string): Diagnosis | null {
    const v = this.record[key];
    if (v === undefined || v === null) return null;
    const d = v as Partial<Diagnosis>;
    const isFinding = (f: unknown) => {
      const g = f as Partial<Finding> | null;
      return g !== null && typeof g === "object" && typeof g.kind === "string" && typeof g.message === "string" &&
        typeof g.advice === "string" && (g.severity === "info" || g.severity === "warning" || g.severity === "problem") &&
        (g.epoch === undefined || typeof g.epoch === "number") && (g.step === undefined || typeof g.step === "number") &&
        (g.layer === undefined || typeof g.layer === "string");
    };
    if (typeof d !== "object" || typeof d.summary !== "string" || !Array.isArray(d.findings) || !d.findings.every(isFinding)) {
      this.fail(key, "{ summary: string, findings: [{ kind, severity: info|warning|problem, message, advice }] }", v);
    }
    return d as Diagnosis;
  }

  private fail(key: string, expected: string, got: unknown): never {
    throw new DataFormatError({ where: this.at, what: `field "${key}" is ${got === undefined ? "missing" : "of the wrong type"}`, expected, got: JSON.stringify(got)?.slice(0, 80) ?? "undefined" });
  }
}
