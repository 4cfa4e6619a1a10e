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
