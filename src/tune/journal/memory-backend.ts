import type { HeartbeatBook, JournalBackend } from "./backend.js";
import type { JournalOp } from "./ops.js";

/** A journal in memory: the storage of a study that lives as long as the process (and the browser's). */
export class MemoryJournalBackend implements JournalBackend {
  readonly url = "memory";
  private readonly logs: JournalOp[] = [];
  readonly heartbeats: HeartbeatBook = new ClockHeartbeats();

  readLogs(from: number): JournalOp[] {
    return this.logs.slice(from).map((op) => structuredClone(op));
  }

  appendLogs(ops: readonly JournalOp[]): void {
    for (const op of ops) this.logs.push(structuredClone(op));
  }
}

/** Heartbeats by this process's clock. */
export class ClockHeartbeats implements HeartbeatBook {
  private readonly last = new Map<number, number>();
  constructor(private readonly now: () => number = Date.now) {}
  beat(trialId: number): void {
    this.last.set(trialId, this.now());
  }
  age(trialId: number): number | null {
    const t = this.last.get(trialId);
    return t === undefined ? null : (this.now() - t) / 1000;
  }
  forget(trialId: number): void {
    this.last.delete(trialId);
  }
}
