import { DataFormatError } from "../errors.js";
import { version as minimaVersion } from "../version.js";
import { nonFiniteReplacer, nonFiniteReviver } from "./non-finite-json.js";

/**
 * The run log (a run's metrics.jsonl): one JSON record a line, NaN and ±Infinity as strings. A header
 * opens the file; then, in the order fit() makes them, "schedule" when fit has a learning-rate scheduler, "step" per optimizer step, "layer" per sampled
 * parameter, "event", "sharpness", "epoch" after each epoch's steps, "end" when training ends, and "confusion" when the CLI
 * evaluated a classifier after training. This module
 * declares the records, encodes one, and parses a file's text; schemas/metrics-record.schema.json is
 * generated from these types.
 */

/**
 * What one epoch reported. Train figures are means over the epoch's batches (weighted by batch
 * size, measured while the weights moved, in training mode); val/test ones are measured after the
 * epoch in eval mode, null when that set was not given.
 */
export interface EpochLog {
  /** 1-based. */
  epoch: number;
  loss: number;
  accuracy: number | null;
  valLoss: number | null;
  valAccuracy: number | null;
  testLoss: number | null;
  testAccuracy: number | null;
  /** The first param group's learning rate during the epoch's first step. */
  lr: number;
  /** Optimizer steps taken so far, over the whole run. */
  steps: number;
  seconds: number;
  /** fit's `metrics` other than "accuracy", by name (minor version 1.2; absent when fit had none). */
  metrics?: Record<string, MetricValues>;
}

/** One of fit's `metrics` over an epoch: the mean over the training batches, and its value on the val and test sets (null without that set). */
export interface MetricValues {
  train: number | null;
  val: number | null;
  test: number | null;
}

/** One optimizer step. */
export interface StepLog {
  /** 1-based, over the whole run. */
  step: number;
  epoch: number;
  loss: number;
  /** The lr the step used (first param group). */
  lr: number;
  /** Global L2 norm of the gradients the step used (after clipping, if any). */
  gradNorm: number;
}

/**
 * One parameter tensor at a sampled step: the norms behind the update-to-weight ratio (rule of
 * thumb ~1e-3: far below, the layer barely learns; far above, it thrashes) and the gradient norm
 * (zero: a dead layer; huge: exploding).
 */
export interface LayerLog {
  step: number;
  epoch: number;
  /** Dotted parameter name, as in the model's stateDict. */
  name: string;
  weightNorm: number;
  gradNorm: number;
  updateNorm: number;
  /** updateNorm / weightNorm (Infinity when the weights are all zero and moved). */
  ratio: number;
}

/** Something a callback did to the run (a rollback, a learning-rate cut), for the report. */
export interface RunEvent {
  step: number;
  epoch: number;
  message: string;
}

/**
 * The Hessian's largest eigenvalue λmax at a step (SharpnessMonitor), beside the lr the step used: gradient descent
 * is stable on a quadratic while lr·λmax < 2, so λmax rising to 2/lr is the "edge of stability" (Cohen et al. 2021).
 */
export interface SharpnessLog {
  /** The optimizer steps taken when it was measured (after that step's update). */
  step: number;
  epoch: number;
  lambdaMax: number;
  /** The lr the step used (first param group). */
  lr: number;
  /** Hessian-vector products the estimate took. */
  matvecs: number;
}

/** The learning-rate scheduler fit() stepped, when it stepped it, and the shape of its schedule (what the diagnosis compares the lrs with). */
export interface ScheduleLog {
  /** Its class, e.g. "OneCycleLR". */
  name: string;
  interval: "step" | "epoch";
  /** The steps it is defined for (OneCycleLR's totalSteps), null when it goes on forever. */
  totalSteps: number | null;
  /**
   * With totalSteps: the first param group's highest lr over the schedule and the first step at it (its peak), and its
   * lr at the last step (its end); null otherwise.
   */
  peakLr: number | null;
  peakStep: number | null;
  endLr: number | null;
}

/** A run's curves as plain JSON: what mn.train.History holds, and what checkpoints save of it. */
export interface HistoryJSON {
  epochs: EpochLog[];
  steps: StepLog[];
  layers: LayerLog[];
  events: RunEvent[];
  /** Why training ended early, when it did. */
  stopReason: string | null;
  /** The learning-rate scheduler, when fit() had one (absent in histories from before it was recorded). */
  schedule?: ScheduleLog | null;
  /** SharpnessMonitor's measurements (absent in histories from before they were recorded, and in runs without one). */
  sharpness?: SharpnessLog[];
}

/** "problem": the run is broken or wasted; "warning": it works but leaves a lot on the table; "info": worth knowing. */
export type Severity = "info" | "warning" | "problem";

/**
 * One finding of a diagnosis as the "end" record holds it. mn.train.diagnose's Finding narrows
 * `kind`; read back it stays open, since a newer minima may have written other kinds.
 */
export interface LoggedFinding {
  kind: string;
  severity: Severity;
  /** What the curves show, with the numbers. */
  message: string;
  /** What to try. */
  advice: string;
  /** Where it happened, when it happened at one point. */
  epoch?: number;
  step?: number;
  /** The parameter, for per-layer findings (dotted stateDict name). */
  layer?: string;
}

/** A diagnosis as the "end" record holds it (mn.train.diagnose's Diagnosis is one). */
export interface LoggedDiagnosis {
  /** Most severe first. */
  findings: LoggedFinding[];
  /** One line naming the most severe findings. */
  summary: string;
}

/** The `format` of a run log's header record: what marks a metrics.jsonl as minima's. */
export const RUN_LOG_FORMAT = "minima.metrics";
/**
 * "major.minor". A minor version adds (new kinds or fields, which readers skip); a major one changes
 * what is there, and readers refuse a major version newer than theirs.
 */
export const RUN_LOG_VERSION = "1.3"; // 1.1: the "schedule" record; 1.2: the epochs' "metrics" and the "confusion" record; 1.3: "sharpness"

/** The first line of a run log. Files from before the header have none; readers accept them. */
export interface HeaderRecord {
  kind: "header";
  format: "minima.metrics";
  /** RUN_LOG_VERSION of the minima that wrote the file. */
  version: string;
  minimaVersion: string;
}

export interface StepRecord extends StepLog {
  kind: "step";
}

export interface LayerRecord extends LayerLog {
  kind: "layer";
}

/** The learning-rate scheduler and when fit() stepped it (minor version 1.1); once, before the steps. */
export interface ScheduleRecord extends ScheduleLog {
  kind: "schedule";
}

export interface EventRecord extends RunEvent {
  kind: "event";
}

/** λmax measured during training (minor version 1.3), written after its epoch's steps. */
export interface SharpnessRecord extends SharpnessLog {
  kind: "sharpness";
}

export interface EpochRecord extends EpochLog {
  kind: "epoch";
  /** The optimizer whose run this epoch belongs to, in a file `minima compare` wrote (one run per optimizer). */
  optimizer?: string;
  /** The seed of that run, in a file `minima compare --seeds` wrote (one run per optimizer and seed). */
  seed?: number;
}

/** The last record of a run that ended (a killed run has none). */
export interface EndRecord {
  kind: "end";
  stopReason: string | null;
  diagnosis: LoggedDiagnosis | null;
}

/** A classifier's confusion matrix on one split, measured after training (minor version 1.2). */
export interface ConfusionLog {
  split: "val" | "test";
  /** The class names, in label order. */
  classes: string[];
  /** matrix[i][j]: samples of true class i predicted as class j (mn.metrics.confusionMatrix's layout). */
  matrix: number[][];
}

/** The confusion matrix `minima train` measures on the test split with the final model, after the "end" line. */
export interface ConfusionRecord extends ConfusionLog {
  kind: "confusion";
}

/** Every record a run log holds. */
export type RunRecord = HeaderRecord | ScheduleRecord | StepRecord | LayerRecord | EventRecord | SharpnessRecord | EpochRecord | EndRecord | ConfusionRecord;

/** The header this minima writes. */
export function runLogHeader(): HeaderRecord {
  return { kind: "header", format: RUN_LOG_FORMAT, version: RUN_LOG_VERSION, minimaVersion };
}

/** One record as its line of the log, without the newline. */
export function encodeRecord(record: RunRecord): string {
  return JSON.stringify(record, nonFiniteReplacer);
}

/** A run log read back. */
export interface RunLog {
  /** null for a file written before run logs had a header. */
  header: HeaderRecord | null;
  history: HistoryJSON;
  /** The diagnosis written on the run's "end" line, or null (a killed run has none). */
  diagnosis: LoggedDiagnosis | null;
  /** Why the run stopped early, from its "end" line; null when it ran to the end or was killed. */
  stopReason: string | null;
  /** Whether an "end" line closes the file: false for a run still going or one that was killed. */
  finished: boolean;
  /** Things the reader tolerated, to tell the user (a torn last line). */
  notes: string[];
  /** The last "confusion" record, or null. */
  confusion: ConfusionLog | null;
}

/**
 * Parses the text of a run log; `file` names it in errors ("runs/a/metrics.jsonl:12: ..."). Tolerant
 * where a real run leaves something odd: a torn last line (killed mid-write) is skipped with a note; a
 * record that goes back in time (a resumed run that appended instead of rewriting) replaces everything
 * recorded from that point on, so the curves never zig-zag; records of kinds a newer minima added are
 * skipped with a note; epoch lines of runs from before the "kind" field are read. A header of another
 * format, or of a newer major version, is refused.
 * @example const { history, diagnosis } = parseRunLog(text, "runs/a/metrics.jsonl");
 */
export function parseRunLog(text: string, file: string): RunLog {
  const reader = new RunLogReader(file);
  const lines = text.split("\n");
  lines.forEach((line, i) => reader.push(line, i === lines.length - 1));
  return reader.log();
}

/**
 * Reads a run log a line at a time, as it grows (a live run's metrics.jsonl followed by `minima serve`); parseRunLog
 * is this reader fed every line of a file. `history` grows in place, except that a record going back in time
 * (a resume) replaces the arrays it rewinds.
 * @example const reader = new RunLogReader("runs/a/metrics.jsonl"); for (const line of lines) reader.push(line);
 */
export class RunLogReader {
  readonly history: HistoryJSON = { epochs: [], steps: [], layers: [], events: [], stopReason: null };
  readonly notes: string[] = [];
  header: HeaderRecord | null = null;
  diagnosis: LoggedDiagnosis | null = null;
  finished = false;
  confusion: ConfusionLog | null = null;
  /** Lines read so far, blank ones included (what errors number lines by). */
  lines = 0;
  private optimizer: string | undefined;
  private seed: number | undefined;
  private readonly unknownKinds = new Map<string, number[]>();

  constructor(private readonly file: string) {}

  /**
   * Reads the next line (without its newline). `last`: it is the file's last line, which a run killed mid-write may
   * have left torn (skipped with a note, where any other line that is not JSON is an error).
   */
  push(line: string, last = false): void {
    const i = this.lines++;
    if (line.trim() === "") return;
    const { history, file } = this;
    const at = `${file}:${i + 1}`;
    const record = parseLine(line, at, last);
    if (record === null) {
      this.notes.push(`${at}: ignored a torn last line (the run was stopped while writing it)`);
      return;
    }
    const fields = new Fields(record, at);
    if (RUN_KINDS.includes(record["kind"])) {
      // Records after an "end" line: the run was resumed, and the old ending no longer holds.
      this.finished = false;
      history.stopReason = null;
      this.diagnosis = null;
    }
    switch (record["kind"]) {
      case "header": {
        const h = readHeader(fields, at);
        this.header ??= h;
        break;
      }
      case "step": {
        const s: StepLog = { step: fields.num("step"), epoch: fields.num("epoch"), loss: fields.num("loss"), lr: fields.num("lr"), gradNorm: fields.num("gradNorm") };
        rewindTo(history, s.step, s.epoch);
        history.steps.push(s);
        break;
      }
      case "layer":
        history.layers.push({
          step: fields.num("step"), epoch: fields.num("epoch"), name: fields.str("name"), weightNorm: fields.num("weightNorm"),
          gradNorm: fields.num("gradNorm"), updateNorm: fields.num("updateNorm"), ratio: fields.num("ratio"),
        });
        break;
      case "schedule": {
        const interval = fields.str("interval");
        if (interval !== "step" && interval !== "epoch") throw new DataFormatError({ where: at, what: "invalid \"interval\"", expected: '"step" or "epoch"', got: JSON.stringify(interval) });
        history.schedule = {
          name: fields.str("name"), interval, totalSteps: fields.numOrNull("totalSteps"),
          peakLr: fields.numOrNull("peakLr"), peakStep: fields.numOrNull("peakStep"), endLr: fields.numOrNull("endLr"),
        };
        break;
      }
      case "event":
        history.events.push({ step: fields.num("step"), epoch: fields.num("epoch"), message: fields.str("message") });
        break;
      case "sharpness":
        (history.sharpness ??= []).push({ step: fields.num("step"), epoch: fields.num("epoch"), lambdaMax: fields.num("lambdaMax"), lr: fields.num("lr"), matvecs: fields.num("matvecs") });
        break;
      case "epoch":
        this.optimizer = oneOptimizer(this.optimizer, fields.strOrNull("optimizer") ?? undefined, at);
        this.seed = oneSeed(this.seed, fields.numOrNull("seed") ?? undefined, at);
        pushEpoch(history, {
          epoch: fields.num("epoch"), loss: fields.num("loss"), accuracy: fields.numOrNull("accuracy"),
          valLoss: fields.numOrNull("valLoss"), valAccuracy: fields.numOrNull("valAccuracy"),
          testLoss: fields.numOrNull("testLoss"), testAccuracy: fields.numOrNull("testAccuracy"),
          lr: fields.num("lr"), steps: fields.num("steps"), seconds: fields.num("seconds"),
          ...(record["metrics"] !== undefined ? { metrics: fields.metrics("metrics") } : {}),
        });
        break;
      case "confusion":
        this.confusion = fields.confusion();
        break;
      case "end":
        history.stopReason = fields.strOrNull("stopReason");
        this.diagnosis = fields.diagnosis("diagnosis");
        this.finished = true;
        break;
      case undefined: {
        // Runs from before the "kind" field logged only epochs, as the CLI's EpochRecord.
        if (!("epoch" in record && "trainLoss" in record)) {
          throw new DataFormatError({ where: at, what: "a record with neither a \"kind\" nor the old epoch fields", expected: "kind \"step\", \"layer\", \"event\", \"epoch\" or \"end\"", got: line.slice(0, 80) });
        }
        this.optimizer = oneOptimizer(this.optimizer, typeof record["optimizer"] === "string" ? record["optimizer"] : undefined, at);
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
        this.unknownKinds.set(kind, [...(this.unknownKinds.get(kind) ?? []), i + 1]);
      }
    }
  }

  /** What has been read, as parseRunLog returns it (a copy of the history, layers deduplicated). */
  log(): RunLog {
    const notes = [...this.notes];
    for (const [kind, at] of this.unknownKinds) {
      notes.push(`${this.file}:${at[0]}: ignored ${at.length} record${at.length > 1 ? "s" : ""} of unknown kind ${kind} (written by a newer minima?)`);
    }
    const h = this.history;
    const history: HistoryJSON = {
      ...h, epochs: [...h.epochs], steps: [...h.steps], layers: latestPerStepAndName(h.layers), events: [...h.events],
      ...(h.sharpness ? { sharpness: [...h.sharpness] } : {}),
    };
    return { header: this.header, history, diagnosis: this.diagnosis, stopReason: h.stopReason, finished: this.finished, notes, confusion: this.confusion };
  }
}

/**
 * The header on the first line of a run log's text, or null when the file predates headers. Refuses
 * another format and a newer major version, as parseRunLog does.
 */
export function parseRunLogHeader(text: string, file: string): HeaderRecord | null {
  const end = text.indexOf("\n");
  const record = parseLine(end === -1 ? text : text.slice(0, end), `${file}:1`, end === -1);
  return record?.["kind"] === "header" ? readHeader(new Fields(record, `${file}:1`), `${file}:1`) : null;
}

/** One line's JSON object; null for a torn last line (a run killed mid-write leaves it without its newline). */
function parseLine(line: string, at: string, last: boolean): Record<string, unknown> | null {
  let record: unknown;
  try {
    record = JSON.parse(line, nonFiniteReviver);
  } catch (e) {
    if (last) return null;
    throw new DataFormatError({ where: at, what: "not valid JSON", got: `${line.slice(0, 80)}${line.length > 80 ? "…" : ""} (${(e as Error).message})` });
  }
  if (record === null || typeof record !== "object" || Array.isArray(record)) {
    throw new DataFormatError({ where: at, what: "not a JSON object", got: line.slice(0, 80) });
  }
  return record as Record<string, unknown>;
}

function readHeader(fields: Fields, at: string): HeaderRecord {
  const format = fields.str("format"), version = fields.str("version"), writer = fields.str("minimaVersion");
  if (format !== RUN_LOG_FORMAT) throw new DataFormatError({ where: at, what: "not a minima run log", expected: `format "${RUN_LOG_FORMAT}"`, got: JSON.stringify(format) });
  const major = /^(\d+)\.\d+$/.exec(version)?.[1];
  if (major === undefined) throw new DataFormatError({ where: at, what: "field \"version\" is not a format version", expected: "\"major.minor\"", got: JSON.stringify(version) });
  const ours = RUN_LOG_VERSION.split(".")[0]!;
  if (Number(major) > Number(ours)) {
    throw new DataFormatError({ where: at, what: `written in run-log format ${version} by minima ${writer}; this minima (${minimaVersion}) reads format ${ours}.x: upgrade minima to read it` });
  }
  return { kind: "header", format: RUN_LOG_FORMAT, version, minimaVersion: writer };
}

/** The records a running fit() writes (undefined: an epoch line from before "kind"); one after an "end" line means the run went on. */
export const RUN_KINDS: readonly unknown[] = ["step", "layer", "event", "sharpness", "epoch", undefined];

/** The optimizer a file's epochs belong to: minima compare writes one run per optimizer into one file, and a history holds one run. */
function oneOptimizer(seen: string | undefined, optimizer: string | undefined, at: string): string | undefined {
  if (seen !== undefined && optimizer !== seen) {
    throw new DataFormatError({ where: at, what: `the file holds runs of several optimizers (${seen}, ${optimizer}), as minima compare writes; a report shows one training run` });
  }
  return optimizer;
}

/** The seed a file's epochs belong to: minima compare --seeds writes one run per optimizer and seed into one file. */
function oneSeed(seen: number | undefined, seed: number | undefined, at: string): number | undefined {
  if (seen !== undefined && seed !== seen) {
    throw new DataFormatError({ where: at, what: `the file holds runs of several seeds (${seen}, ${seed}), as minima compare --seeds writes; a report shows one training run` });
  }
  return seed;
}

function pushEpoch(history: HistoryJSON, e: EpochLog): void {
  while (history.epochs.length > 0 && history.epochs[history.epochs.length - 1]!.epoch >= e.epoch) history.epochs.pop();
  history.epochs.push(e);
}

/** Forgets what was recorded at or after `step` (and epochs from `epoch` on): a resume replays them. */
function rewindTo(history: HistoryJSON, step: number, epoch: number): void {
  const last = history.steps[history.steps.length - 1];
  if (last === undefined || last.step < step) return;
  history.steps = history.steps.filter((s) => s.step < step);
  // Layer lines of `step` itself may already have been written just before this step line.
  history.layers = history.layers.filter((l) => l.step <= step);
  // Events are written after their epoch's steps, so none of `step` can have come yet.
  history.events = history.events.filter((e) => e.step < step);
  if (history.sharpness) history.sharpness = history.sharpness.filter((e) => e.step < step);
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

  metrics(key: string): Record<string, MetricValues> {
    const v = this.record[key];
    const isValue = (x: unknown) => x === null || typeof x === "number";
    const ok = v !== null && typeof v === "object" && !Array.isArray(v) && Object.values(v).every((m) =>
      m !== null && typeof m === "object" && isValue((m as MetricValues).train) && isValue((m as MetricValues).val) && isValue((m as MetricValues).test));
    if (!ok) this.fail(key, "{ <name>: { train, val, test } } with numbers or null", v);
    return v as Record<string, MetricValues>;
  }

  confusion(): ConfusionLog {
    const split = this.str("split"), classes = this.record["classes"], matrix = this.record["matrix"];
    if (split !== "val" && split !== "test") this.fail("split", '"val" or "test"', split);
    if (!Array.isArray(classes) || classes.length === 0 || !classes.every((c) => typeof c === "string")) this.fail("classes", "an array of class names", classes);
    const k = (classes as string[]).length;
    if (!Array.isArray(matrix) || matrix.length !== k || !matrix.every((row) => Array.isArray(row) && row.length === k && row.every((c) => Number.isInteger(c) && c >= 0))) {
      this.fail("matrix", `${k} rows of ${k} counts, one per class`, matrix);
    }
    return { split: split as "val" | "test", classes: classes as string[], matrix: matrix as number[][] };
  }

  diagnosis(key: string): LoggedDiagnosis | null {
    const v = this.record[key];
    if (v === undefined || v === null) return null;
    const d = v as Partial<LoggedDiagnosis>;
    const isFinding = (f: unknown) => {
      const g = f as Partial<LoggedFinding> | null;
      return g !== null && typeof g === "object" && typeof g.kind === "string" && typeof g.message === "string" &&
        typeof g.advice === "string" && (g.severity === "info" || g.severity === "warning" || g.severity === "problem") &&
        (g.epoch === undefined || typeof g.epoch === "number") && (g.step === undefined || typeof g.step === "number") &&
        (g.layer === undefined || typeof g.layer === "string");
    };
    if (typeof d !== "object" || typeof d.summary !== "string" || !Array.isArray(d.findings) || !d.findings.every(isFinding)) {
      this.fail(key, "{ summary: string, findings: [{ kind, severity: info|warning|problem, message, advice }] }", v);
    }
    return d as LoggedDiagnosis;
  }

  private fail(key: string, expected: string, got: unknown): never {
    throw new DataFormatError({ where: this.at, what: `field "${key}" is ${got === undefined ? "missing" : "of the wrong type"}`, expected, got: JSON.stringify(got)?.slice(0, 80) ?? "undefined" });
  }
}
