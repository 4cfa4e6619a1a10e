import { writeFileSync } from "node:fs";
import { Generator } from "../../src/tensor/random.js";
import { ATTR, DIAGNOSIS_USER_ATTR } from "../../src/tune/attrs.js";
import { categorical, float, toInternal, type Distribution, type ParamValue } from "../../src/tune/distributions.js";
import { JournalStorage } from "../../src/tune/journal/journal-storage.js";
import { MemoryJournalBackend } from "../../src/tune/journal/memory-backend.js";
import { encodeOpLine } from "../../src/tune/journal/op-line.js";
import type { TrialState } from "../../src/tune/trial-state.js";

export const SYNTHETIC_SPACE: Record<string, Distribution> = {
  lr: float(1e-4, 1, { log: true }), weightDecay: float(0, 0.01), activation: categorical(["relu", "tanh", "gelu"]),
};
/** Each trial's objective: a bowl in log10(lr) around 1e-2, plus the weight decay and the activation's offset. */
export const syntheticValue = (p: Record<string, ParamValue>) =>
  (Math.log10(p["lr"] as number) + 2) ** 2 + 50 * (p["weightDecay"] as number) + ["relu", "tanh", "gelu"].indexOf(p["activation"] as string) * 0.1;

/**
 * Writes `<dir>/journal.log`: a study of `trials` trials written by mn.tune's JournalStorage (over a memory
 * journal, whose ops are then written as Optuna's lines in one go — 10,000 trials in a second instead of
 * 10,000 locked, fsynced appends). Seeded. Every 10th trial is PRUNED after 2 of its 5 reported steps,
 * every 97th FAILed, the last one RUNNING; the others COMPLETE with syntheticValue; two coarse-to-fine
 * stage boxes; each finished trial has a diagnosis. Returns the trials' params and states, in order.
 */
export function writeSyntheticStudy(dir: string, trials: number, seed = 0): { params: Record<string, ParamValue>[]; states: TrialState[] } {
  const rng = new Generator(seed);
  const journal = new MemoryJournalBackend();
  const storage = new JournalStorage(journal);
  const id = storage.createNewStudy(["minimize"], "synthetic");
  storage.setStudySystemAttr(id, ATTR.metric, "valLoss");
  storage.setStudySystemAttr(id, ATTR.sampler, { name: "coarse-to-fine", stages: 2 });
  storage.setStudySystemAttr(id, ATTR.pruner, { name: "median" });
  storage.setStudySystemAttr(id, ATTR.c2fBox(1), { lr: { low: 1e-4, high: 1, log: true }, weightDecay: { low: 0, high: 0.01 }, activation: { choices: ["relu", "tanh", "gelu"] } });
  storage.setStudySystemAttr(id, ATTR.c2fBox(2), { lr: { low: 1e-3, high: 0.1, log: true }, weightDecay: { low: 0, high: 0.005 }, activation: { choices: ["relu", "tanh"] } });
  const out = { params: [] as Record<string, ParamValue>[], states: [] as TrialState[] };
  for (let n = 0; n < trials; n++) {
    const stage = n < trials / 2 ? 1 : 2;
    const lr = stage === 1 ? 10 ** (-4 + 4 * rng.random()) : 10 ** (-3 + 2 * rng.random());
    const weightDecay = (stage === 1 ? 0.01 : 0.005) * rng.random();
    const activation = ["relu", "tanh", "gelu"][Math.floor(rng.random() * (stage === 1 ? 3 : 2))]!;
    const params: Record<string, ParamValue> = { lr, weightDecay, activation };
    const value = syntheticValue(params);
    const state: TrialState = n === trials - 1 ? "RUNNING" : n % 97 === 96 ? "FAIL" : n % 10 === 9 ? "PRUNED" : "COMPLETE";
    const steps = state === "PRUNED" ? 2 : state === "FAIL" ? 0 : 5;
    const intermediateValues = new Map(Array.from({ length: steps }, (_, s) => [s + 1, value + 1 / (s + 1)] as [number, number]));
    const finished = state !== "RUNNING";
    storage.createTrial(id, {
      state, value: state === "COMPLETE" ? value : state === "PRUNED" ? intermediateValues.get(steps)! : null,
      params: Object.fromEntries(Object.entries(params).map(([k, v]) => [k, toInternal(SYNTHETIC_SPACE[k]!, v)])), distributions: SYNTHETIC_SPACE, intermediateValues,
      userAttrs: finished ? { [DIAGNOSIS_USER_ATTR]: { summary: lr > 0.3 ? `trial ${n}: the loss diverged` : `trial ${n}: trained normally`, findings: lr > 0.3 ? [{ kind: "divergence", severity: "problem", message: `the loss rose above its start (lr ${lr.toPrecision(3)})` }] : [] } } : {},
      systemAttrs: { [ATTR.c2fStage]: stage, [ATTR.budget]: stage === 1 ? 3 : 5 },
      datetimeStart: new Date(Date.UTC(2026, 11, 5, 12, 0, n)), datetimeComplete: finished ? new Date(Date.UTC(2026, 11, 5, 12, 0, n + 1)) : null,
    });
    out.params.push(params);
    out.states.push(state);
  }
  writeFileSync(`${dir}/journal.log`, journal.readLogs(0).map((op) => encodeOpLine(op) + "\n").join(""));
  return out;
}
