import { test } from "node:test";
import { spawnSync } from "node:child_process";

/** Debian's python3 with python3-optuna (3.1); MINIMA_PYTHON names another. */
export const PYTHON = process.env["MINIMA_PYTHON"] ?? "/usr/bin/python3";

let available: boolean | null = null;

/** Whether Optuna imports in PYTHON. */
export function optunaAvailable(): boolean {
  available ??= spawnSync(PYTHON, ["-c", "import optuna"], { stdio: "ignore" }).status === 0;
  return available;
}

/**
 * A test that needs Optuna as a peer: it runs when Optuna imports; otherwise it is skipped with a
 * loud message, or fails where MINIMA_REQUIRE_OPTUNA=1 (CI).
 */
export function testWithOptuna(name: string, fn: () => void): void {
  if (optunaAvailable()) return void test(name, fn);
  if (process.env["MINIMA_REQUIRE_OPTUNA"] === "1") {
    return void test(name, () => {
      throw new Error(`${PYTHON} cannot import optuna, and MINIMA_REQUIRE_OPTUNA=1 requires it (Debian: apt-get install python3-optuna)`);
    });
  }
  console.warn(`SKIPPED (no Optuna in ${PYTHON}; Debian: apt-get install python3-optuna): ${name}`);
  test.skip(name, fn);
}

/** Runs a Python script with `input` as JSON on stdin and returns its stdout parsed as JSON. */
export function runPython(script: string, input: unknown): any {
  const r = spawnSync(PYTHON, ["-c", script], { input: JSON.stringify(input), encoding: "utf8", maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`python exited with ${r.status}:\n${r.stderr}`);
  return JSON.parse(r.stdout);
}
