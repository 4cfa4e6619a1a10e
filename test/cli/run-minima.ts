import { after, mock } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import type { Command } from "commander";
import { addChoiceHints } from "../../src/cli/choice-hints.js";

/** The CLI's entry point, built (dist/test/cli → dist/src/cli). */
export const MAIN = fileURLToPath(new URL("../../src/cli/main.js", import.meta.url));
/** The checkout: dist/test/cli → the repository's root. */
export const CHECKOUT = fileURLToPath(new URL("../../../", import.meta.url));
/** What the build and the install make; a test run may not add anything else to the checkout. */
const BUILT = new Set(["node_modules", ".git", "dist", join("native", "build")]);

/** Every file and folder under `root` (relative paths, sorted), leaving out the paths in `skip`. */
export function filesUnder(root: string, skip: ReadonlySet<string> = new Set()): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name), rel = relative(root, path);
      if (skip.has(rel)) continue;
      found.push(rel);
      if (entry.isDirectory()) walk(path);
    }
  };
  walk(root);
  return found.sort();
}

/** Everything in the checkout but what the build and the install make. */
export const checkoutFiles = (): string[] => filesUnder(CHECKOUT, BUILT);

export interface CliResult {
  code: number | null;
  out: string;
  err: string;
}

export interface Cli {
  /** Runs `minima ...args` to its end, in the scratch folder: default outputs (runs/, schedule-*.svg) land there. */
  run(...args: string[]): CliResult;
  /** The working directory and environment that `run` uses, for a test that spawns minima itself. */
  spawnOptions: { cwd: string; env: NodeJS.ProcessEnv };
  /** A new empty folder inside the scratch folder. */
  tmp(): string;
}

/**
 * Sets up a test file that runs the CLI: one scratch folder under the OS's temporary folder, the
 * working directory of every minima it runs, removed when the file's tests end. Then it checks that
 * the checkout holds exactly the files it held before (the build's folders aside) and fails the file
 * if not: `npm test` must leave nothing behind, whichever test or child process wrote it.
 */
export function useCli(env: NodeJS.ProcessEnv = {}): Cli {
  const scratch = mkdtempSync(join(tmpdir(), "minima-cli-"));
  const before = checkoutFiles();
  after(() => {
    rmSync(scratch, { recursive: true, force: true });
    assert.deepEqual(checkoutFiles().filter((f) => !before.includes(f)), [], "files this test run left in the checkout");
  });
  const spawnOptions = { cwd: scratch, env: { ...process.env, ...env } };
  return {
    run: (...args) => {
      const r = spawnSync(process.execPath, [MAIN, ...args], { ...spawnOptions, encoding: "utf8" });
      return { code: r.status, out: r.stdout, err: r.stderr };
    },
    spawnOptions,
    tmp: () => mkdtempSync(join(scratch, "t-")),
  };
}

/** What a user reads on stderr after a command line is parsed. */
export interface Verdict {
  /** Commander's error or minima's usage error, or null when the command would run. */
  error: string | null;
  /** minima's warning lines. */
  warnings: string[];
}

/**
 * Parses a command line in this process with a real command (train, compare, schedule) whose action
 * is replaced by a no-op: what runs is commander's parsing, the choice hints runCli adds, and the
 * command's preAction hook (the flag rules). Exact texts, without training anything.
 */
export function parseCli(make: () => Command, ...argv: string[]): Verdict {
  const written: string[] = [];
  const cmd = make().action(() => {}).exitOverride().configureOutput({ writeErr: (s) => { written.push(s); } });
  addChoiceHints(cmd);
  const stderr = mock.method(console, "error", (line: string) => { written.push(line); });
  try {
    cmd.parse(argv, { from: "user" });
    return { error: null, warnings: written };
  } catch (e) {
    const error = written.find((w) => w.startsWith("error: "))?.trimEnd() ?? `minima: ${(e as Error).message}`;
    return { error, warnings: written.filter((w) => !w.startsWith("error: ")) };
  } finally {
    stderr.mock.restore();
  }
}
