/**
 * A worker's id in Optuna's form, "<uuid4>-<n>": unique per process and per study object, written
 * into every journal op so the replay knows whose claim won.
 */
let counter = 0;

export function newWorkerId(): string {
  const c = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  const uuid = c?.randomUUID ? c.randomUUID() : fallbackUuid();
  return `${uuid}-${++counter}`;
}

/** Pages served over plain http lack crypto.randomUUID: a v4-shaped id from Math.random is unique enough there. */
function fallbackUuid(): string {
  const hex = (n: number) => Array.from({ length: n }, () => Math.floor(Math.random() * 16).toString(16)).join("");
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${"89ab"[Math.floor(Math.random() * 4)]}${hex(3)}-${hex(12)}`;
}
