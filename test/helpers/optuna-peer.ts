import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";

/** Debian's Optuna 3.1, the peer of the storage format tests: /usr/bin/python3 (the python3 on PATH may lack it). */
export const OPTUNA_PYTHON = "/usr/bin/python3";

let cached: string | undefined | null = null;

/**
 * Why Optuna cannot be used here (undefined when it imports). Tests that need it skip with a message
 * on stderr — unless MINIMA_REQUIRE_OPTUNA=1 (as .ci/run sets), where they fail instead.
 */
export function optunaSkipReason(): string | undefined {
  if (cached === null) {
    const r = spawnSync(OPTUNA_PYTHON, ["-c", "import optuna; print(optuna.__version__)"], { encoding: "utf8" });
    cached = r.status === 0 ? undefined : `Optuna does not import in ${OPTUNA_PYTHON} (${(r.stderr || r.error?.message || "").trim().split("\n").at(-1)}); apt-get install python3-optuna`;
  }
  if (cached !== undefined) {
    assert.notEqual(process.env["MINIMA_REQUIRE_OPTUNA"], "1", `${cached}, and MINIMA_REQUIRE_OPTUNA=1 requires it`);
    process.stderr.write(`\nSKIPPED Optuna peer tests: ${cached}\n`);
  }
  return cached;
}

/** Runs a Python script with arguments and returns its stdout; a failure fails the test with its stderr. */
export function runPython(script: string, args: readonly string[]): string {
  const r = spawnSync(OPTUNA_PYTHON, [script, ...args], { encoding: "utf8" });
  assert.equal(r.status, 0, `${script} ${args.join(" ")} failed:\n${r.stderr}`);
  return r.stdout;
}
