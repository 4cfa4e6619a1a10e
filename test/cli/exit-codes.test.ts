import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { CHECKOUT, checkoutFiles, filesUnder, useCli } from "./run-minima.js";

const cli = useCli();
const minima = cli.run;
const version = (JSON.parse(readFileSync(join(CHECKOUT, "package.json"), "utf8")) as { version: string }).version;

/** The exit-status block of the README's command-line section: the spec `minima --help` repeats. */
function readmeExitStatus(): string {
  const m = /```text\n(Exit status:\n[^`]*?)```/.exec(readFileSync(join(CHECKOUT, "README.md"), "utf8"));
  assert.ok(m, "README.md has an Exit status block");
  return m[1]!;
}

describe("minima's exit status: 0 success, --help and --version", () => {
  test("--help ends with the README's exit-status block; --version prints package.json's version; both exit 0", () => {
    const help = minima("--help");
    assert.equal(help.code, 0);
    assert.equal(help.err, "");
    assert.ok(help.out.endsWith(`\n${readmeExitStatus()}`), help.out);
    const v = minima("--version");
    assert.deepEqual([v.code, v.out, v.err], [0, `${version}\n`, ""]);
    const trainHelp = minima("train", "--help");
    assert.equal(trainHelp.code, 0);
    assert.match(trainHelp.out, /^Usage: minima train \[options\]/);
  });
});

describe("minima's exit status: 2 for usage errors, with commander's or minima's message on stderr and nothing on stdout", () => {
  const usage = (args: string[], err: string) => {
    const r = minima(...args);
    assert.deepEqual([r.code, r.err, r.out], [2, err, ""], `minima ${args.join(" ")}`);
  };

  test("an unknown command or flag (with commander's suggestion)", () => {
    usage(["trian"], "error: unknown command 'trian'\n(Did you mean train?)\n");
    usage(["train", "--epoch", "3"], "error: unknown option '--epoch'\n(Did you mean --epochs?)\n");
  });

  test("a bad flag value, a flag without its value, a missing argument", () => {
    usage(["train", "--lr", "x"], "error: option '--lr <rate>' argument 'x' is invalid. expected a number ≥ 0, in decimal or scientific notation (like 0.01 or 1e-2).\n");
    usage(["train", "--lr"], "error: option '--lr <rate>' argument missing\n");
    usage(["report"], "error: missing required argument 'run'\n");
    usage(["train", "--dataset", "no-such-data-set"], "minima: --dataset: unknown data set \"no-such-data-set\"; expected mnist, fashion-mnist, a .csv file, or an existing folder (IDX files, or class folders of PNG images)\n");
  });

  test("no command: the help, on stderr", () => {
    const r = minima();
    assert.equal(r.code, 2);
    assert.equal(r.out, "");
    assert.match(r.err, /^Usage: minima \[options\] \[command\]\n/);
  });

  test("a combination the CLI refuses", () => {
    usage(["train", "--model", "cnn", "--activation", "tanh"],
      "minima: --activation: does nothing with --model cnn (the cnn uses ReLU throughout); it acts with --model mlp or resmlp\n");
  });
});

describe("minima's exit status: 1 for failures, with the reason on stderr", () => {
  test("a corrupt data file (DataFormatError)", () => {
    const dir = cli.tmp();
    for (const f of ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"]) writeFileSync(join(dir, f), "garbage");
    const r = minima("train", "--dataset", dir, "--out", join(cli.tmp(), "run"));
    assert.equal(r.code, 1);
    assert.equal(r.err, `minima: readIdx: ${join(dir, "train-images-idx3-ubyte")} is not an IDX file: bad magic number 67 61 72 62; expected 00 00 <type 08|09|0b|0c|0d|0e> <ndim>\n`);
  });

  test("a corrupt weights file and a missing one (--init-from)", () => {
    const file = join(cli.tmp(), "bad.safetensors");
    writeFileSync(file, "xx");
    const bad = minima("train", "--init-from", file, "--train-size", "10", "--out", join(cli.tmp(), "run"));
    assert.equal(bad.code, 1);
    assert.equal(bad.err, `minima: ${file}: not a valid safetensors file: shorter than its 8-byte header length, got 2 bytes\n`);
    const missing = join(cli.tmp(), "none.safetensors");
    const none = minima("train", "--init-from", missing, "--train-size", "10", "--out", join(cli.tmp(), "run"));
    assert.equal(none.code, 1);
    assert.equal(none.err, `minima: --init-from: no such file: ${missing}\n`);
  });

  test("an OS error (ENOENT from open), without a stack, through the same runCli every command runs in", () => {
    // --out inside a file, the example this test used, is now refused up front (flag-values.test.ts).
    const dir = cli.tmp();
    const script = join(dir, "os-error.mjs"), missing = join(dir, "missing.txt");
    const runCli = pathToFileURL(join(CHECKOUT, "dist", "src", "cli", "run-cli.js")).href;
    writeFileSync(script, `import { readFileSync } from "node:fs";
import { Command } from ${JSON.stringify(import.meta.resolve("commander"))};
import { runCli } from ${JSON.stringify(runCli)};
await runCli(new Command("minima").addCommand(new Command("read").action(() => readFileSync(${JSON.stringify(missing)}))), process.argv);
`);
    const r = spawnSync(process.execPath, [script, "read"], { ...cli.spawnOptions, encoding: "utf8" });
    assert.deepEqual([r.status, r.stderr, r.stdout], [1, `minima: ENOENT: no such file or directory, open '${missing}'\n`, ""]);
  });

  test("a bug (an exception minima did not mean to throw) exits 1 with its stack, through the same runCli every command runs in", () => {
    const dir = cli.tmp();
    const script = join(dir, "crash.mjs");
    const runCli = pathToFileURL(join(CHECKOUT, "dist", "src", "cli", "run-cli.js")).href;
    writeFileSync(script, `import { Command } from ${JSON.stringify(import.meta.resolve("commander"))};
import { runCli } from ${JSON.stringify(runCli)};
await runCli(new Command("minima").addCommand(new Command("crash").action(() => JSON.parse("{"))), process.argv);
`);
    const r = spawnSync(process.execPath, [script, "crash"], { ...cli.spawnOptions, encoding: "utf8" });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^minima: unexpected error \(a bug in minima; please report it with this stack\)\nSyntaxError: .*JSON.*\n {4}at JSON\.parse /);
    assert.match(r.stderr, new RegExp(`at .*${script.replace(/[.]/g, "\\.")}:3:`), "the stack reaches the throwing line");
  });
});

describe("the test run leaves nothing in the checkout", () => {
  test("minima's default outputs (runs/<name>, schedule-<name>.svg) land in the scratch folder the CLI tests run in, not in the checkout", () => {
    const before = checkoutFiles();
    const runs = join(cli.spawnOptions.cwd, "runs");
    const runsBefore = existsSync(runs) ? filesUnder(runs) : [];
    const r = minima("schedule", "cosine", "--steps", "10");
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out.split("\n").at(-2), "drawn: schedule-cosine.svg");
    assert.ok(existsSync(join(cli.spawnOptions.cwd, "schedule-cosine.svg")));
    assert.ok(!existsSync(join(CHECKOUT, "schedule-cosine.svg")));
    const failed = minima("train", "--dataset", cli.tmp());
    assert.equal(failed.code, 1);
    assert.match(failed.err, /^minima: loadIdxDataset: .* has no train-images-idx3-ubyte/);
    // A run that fails before it starts leaves no folder; one that runs writes runs/<name> in the scratch folder.
    assert.deepEqual(existsSync(runs) ? filesUnder(runs).filter((f) => !runsBefore.includes(f)) : [], []);
    const ran = minima("train", "--epochs", "1", "--train-size", "50", "--hidden", "4", "--batch-size", "50");
    assert.equal(ran.code, 0, ran.err);
    const made = filesUnder(runs).filter((f) => !runsBefore.includes(f));
    assert.match(made[0] ?? "", /^mnist-\d{8}-\d{6}(-\d+)?$/);
    assert.ok(made.includes(join(made[0]!, "config.json")) && made.includes(join(made[0]!, "model.safetensors")), made.join(", "));
    assert.deepEqual(checkoutFiles(), before);
  });

  test("filesUnder, the checkout check's listing, sees a file added anywhere in a tree (the check can fail)", () => {
    const root = cli.tmp();
    mkdirSync(join(root, "runs", "a"), { recursive: true });
    const before = filesUnder(root);
    writeFileSync(join(root, "runs", "a", "config.json"), "{}");
    assert.deepEqual(filesUnder(root).filter((f) => !before.includes(f)), [join("runs", "a", "config.json")]);
    assert.deepEqual(filesUnder(root, new Set(["runs"])), []);
  });
});
