import { join } from "node:path";
import * as mn from "../../src/index.node.js";
import type { FrozenTrial } from "../../src/tune/frozen-trial.js";
import { pythonJsonLoads } from "../../src/tune/python-json.js";
import { parseSqlDate } from "../../src/tune/sql/sql-values.js";
import { runPython } from "./optuna-peer.js";
import { repoRoot } from "./repo-root.js";

/** Optuna 3.1 as the peer of the RDB storage tests (any SQLAlchemy URL: sqlite:///…, postgresql://…). */
export const OPTUNA_RDB_PEER = join(repoRoot(), "test/tune/fixtures/optuna_sqlite_peer.py");

/** A trial in the form the peer's `dump` prints Optuna's FrozenTrial (datetimes as epoch ms). */
export function asOptunaDump(t: FrozenTrial) {
  return {
    number: t.number,
    state: t.state,
    value: t.value,
    params: t.params,
    distributions: Object.fromEntries(Object.entries(t.distributions).map(([k, d]) => [k, mn.tune.distributionToJson(d)])),
    intermediate: [...t.intermediateValues].sort((a, b) => a[0] - b[0]),
    user_attrs: t.userAttrs,
    system_attrs: t.systemAttrs,
    datetime_start: t.datetimeStart?.getTime() ?? null,
    datetime_complete: t.datetimeComplete?.getTime() ?? null,
  };
}

export interface OptunaDump {
  direction: string;
  user_attrs: Record<string, unknown>;
  system_attrs: Record<string, unknown>;
  trials: ReturnType<typeof asOptunaDump>[];
  best: { number: number; value: number; params: Record<string, unknown> } | null;
}

/** The study as Optuna 3.1 reads it; newer: with its schema check skipped (it refuses v3.2.0.a). */
export function optunaDump(url: string, study: string, newer: boolean): OptunaDump {
  const dump = pythonJsonLoads(runPython(OPTUNA_RDB_PEER, [newer ? "dump-new" : "dump", url, study])) as OptunaDump;
  for (const t of dump.trials) {
    t.datetime_start = parseSqlDate(t.datetime_start)?.getTime() ?? null;
    t.datetime_complete = parseSqlDate(t.datetime_complete)?.getTime() ?? null;
  }
  return dump;
}

/**
 * A study of every kind of trial for Optuna to read back (maximized; a user attr with NaN and "é"; an
 * enqueued trial; log, stepped and categorical params with null; NaN and -inf intermediate values; one
 * PRUNED, one FAIL): writes it to `url` and returns its trials as minima sees them.
 */
export function writeMixedStudy(url: string, studyName: string): FrozenTrial[] {
  const study = mn.tune.createStudy({ storage: url, studyName, direction: "maximize", sampler: new mn.tune.RandomSampler({ seed: 5 }), onWarning: () => {} });
  study.setUserAttr("note", { nested: [1, NaN, "é"] });
  study.enqueueTrial({ act: "tanh" });
  study.optimize((trial) => {
    const lr = trial.suggestFloat("lr", 1e-4, 1, { log: true });
    const layers = trial.suggestInt("layers", 1, 8, { step: 1 });
    const act = trial.suggestCategorical("act", ["relu", "tanh", null]);
    const drop = trial.suggestFloat("dropout", 0, 0.5, { step: 0.1 });
    trial.report(lr, 0);
    trial.report(NaN, 1);
    trial.report(-Infinity, 2);
    trial.setUserAttr("diagnosis", { verdict: "fine", gap: Infinity });
    if (trial.number === 2) throw new mn.tune.TrialPruned();
    if (trial.number === 3) throw new RangeError("diverged");
    return lr * layers + (act === null ? 0 : 1) + drop;
  }, { nTrials: 6, catch: [RangeError] });
  const trials = study.trials;
  study.storage.close();
  return trials;
}
