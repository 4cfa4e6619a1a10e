import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import type { TestContext } from "node:test";

/** Debian's Python, which has python3-optuna (the `python3` on PATH may be another without it). */
export const PYTHON = "/usr/bin/python3";

let found: string | null | undefined;

/** Why Optuna cannot run here, or null when `import optuna` works in PYTHON. */
function missing(): string | null {
  if (found === undefined) {
    const r = spawnSync(PYTHON, ["-c", "import optuna; print(optuna.__version__)"], { encoding: "utf8" });
    found = r.status === 0 ? null : `${PYTHON} cannot import optuna (${(r.stderr || r.error?.message || `exit ${r.status}`).trim().split("\n").pop()}); install Debian's python3-optuna`;
  }
  return found;
}

/**
 * True when Debian's Optuna can run for test `t`. Otherwise the test is skipped with a message on
 * stderr and in the report — unless MINIMA_REQUIRE_OPTUNA=1 (as .ci/run sets), where it fails.
 */
export function needOptuna(t: TestContext): boolean {
  const why = missing();
  if (why === null) return true;
  assert.notEqual(process.env["MINIMA_REQUIRE_OPTUNA"], "1", `${why}, and MINIMA_REQUIRE_OPTUNA=1 requires it`);
  process.stderr.write(`\nSKIPPED ${t.name}: ${why}\n`);
  t.skip(why);
  return false;
}
