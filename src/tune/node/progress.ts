/**
 * The trial's side of hang detection: a trial run as a child process ticks once per training step,
 * and its supervising worker heartbeats only while the ticks advance, so a hung training loop stops
 * the heartbeat (Optuna's heartbeat thread beats on while the objective hangs). Ticks go over the
 * IPC channel the worker opened, at most one message per 100 ms; without one, tick does nothing.
 */
let steps = 0;
let lastSent = 0;
const worker = process.ppid;

export function tick(): void {
  steps++;
  const now = Date.now();
  if (process.send === undefined || now - lastSent < 100) return;
  lastSent = now;
  // A worker killed with -9 leaves its trial process behind (reparented): nobody heartbeats the
  // trial any more, so it will be reaped and retried; training on would only race the retry.
  if (process.ppid !== worker) {
    console.error(`minima: the worker (pid ${worker}) that ran this trial is gone; the trial process ends (the trial is retried from its checkpoint)`);
    process.exit(1);
  }
  process.send({ type: "minima:progress", steps });
}

export interface ProgressMessage {
  type: "minima:progress";
  steps: number;
}

export function isProgressMessage(m: unknown): m is ProgressMessage {
  return typeof m === "object" && m !== null && (m as { type?: unknown }).type === "minima:progress";
}
