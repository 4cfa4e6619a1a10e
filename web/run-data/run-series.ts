import { RunLogReader, type EpochLog, type LayerLog, type LoggedDiagnosis, type RunEvent, type SharpnessLog } from "../../src/io/run-log.js";

/** The per-step columns of a run, ready for charts (x = the optimizer step). */
export interface StepColumns {
  step: number[];
  loss: number[];
  lr: number[];
  gradNorm: number[];
}

/**
 * A run's metrics.jsonl read line by line as it grows (io's RunLogReader, so a live run reads exactly as
 * parseRunLog reads the finished file), kept as columns the charts take without copying. A resume that rewinds
 * the log replaces the columns with new arrays, which tells smoothers to start over.
 */
export class RunSeries {
  private readonly reader: RunLogReader;
  private stepsSeen: readonly unknown[] = [];
  steps: StepColumns = { step: [], loss: [], lr: [], gradNorm: [] };
  /** Grows by one with every line read: what a page watches to redraw. */
  version = 0;
  /** Lines that could not be read (their error, naming the line): a live page shows them and reads on. */
  readonly problems: string[] = [];

  constructor(readonly file: string) {
    this.reader = new RunLogReader(file);
  }

  /** Reads one complete line of the log (without its newline). */
  push(line: string): void {
    this.version++;
    try {
      this.reader.push(line);
    } catch (e) {
      this.problems.push((e as Error).message);
      return;
    }
    const steps = this.reader.history.steps;
    if (steps !== this.stepsSeen) {
      // A rewind (resume) replaced the array: rebuild the columns from it.
      this.stepsSeen = steps;
      this.steps = { step: [], loss: [], lr: [], gradNorm: [] };
    }
    const c = this.steps;
    for (let i = c.step.length; i < steps.length; i++) {
      const s = steps[i]!;
      c.step.push(s.step); c.loss.push(s.loss); c.lr.push(s.lr); c.gradNorm.push(s.gradNorm);
    }
  }

  get epochs(): readonly EpochLog[] { return this.reader.history.epochs; }
  /** What callbacks did to the run (a rollback, a learning-rate cut). */
  get events(): readonly RunEvent[] { return this.reader.history.events; }
  get sharpness(): readonly SharpnessLog[] { return this.reader.history.sharpness ?? []; }
  get diagnosis(): LoggedDiagnosis | null { return this.reader.diagnosis; }
  get stopReason(): string | null { return this.reader.history.stopReason; }
  get finished(): boolean { return this.reader.finished; }
  get notes(): readonly string[] { return this.reader.notes; }
  get scheduleName(): string | null { return this.reader.history.schedule?.name ?? null; }

  /** Each parameter's update/weight ratio over the sampled steps (the last record of a step wins, as parseRunLog has it). */
  layerRatios(): Map<string, { step: number[]; ratio: number[] }> {
    const last = new Map<string, LayerLog>();
    for (const l of this.reader.history.layers) last.set(`${l.step}\u0000${l.name}`, l);
    const out = new Map<string, { step: number[]; ratio: number[] }>();
    for (const l of last.values()) {
      let series = out.get(l.name);
      if (series === undefined) out.set(l.name, series = { step: [], ratio: [] });
      series.step.push(l.step); series.ratio.push(l.ratio);
    }
    return out;
  }
}
