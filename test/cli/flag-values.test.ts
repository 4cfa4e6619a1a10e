import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { totalmem } from "node:os";
import { join } from "node:path";
import { evaluateCommand } from "../../src/cli/commands/evaluate.js";
import { predictCommand } from "../../src/cli/commands/predict.js";
import { reportCommand } from "../../src/cli/commands/report.js";
import { trainCommand } from "../../src/cli/commands/train.js";
import { formatBytes } from "../../src/cli/memory.js";
import { integer, number } from "../../src/cli/parse.js";
import { parseCli, useCli, type Verdict } from "./run-minima.js";

const cli = useCli();
const train = (...argv: string[]) => parseCli(trainCommand, ...argv);
const refused = (error: string): Verdict => ({ error, warnings: [] });
const accepted: Verdict = { error: null, warnings: [] };
const NOTATION = "in decimal or scientific notation (like 0.01 or 1e-2)";

describe("numbers on the command line are plain decimal or scientific notation (what Number() also reads, a typo or stray space, is refused)", () => {
  test("--lr: 0x10 (read as 16 before), 1e, ' 5', Infinity, 1_000, '' are refused with the flag and the value; 1e999 names the double's range", () => {
    for (const bad of ["0x10", "1e", " 5", "5 ", "Infinity", "1_000", "", "0b11", "1e2.5", "--1"]) {
      assert.deepEqual(train("--lr", bad), refused(`error: option '--lr <rate>' argument '${bad}' is invalid. expected a number ≥ 0, ${NOTATION}.`), JSON.stringify(bad));
    }
    assert.deepEqual(train("--lr", "1e999"), refused("error: option '--lr <rate>' argument '1e999' is invalid. expected a number ≥ 0 (1e999 is beyond a double's range)."));
  });

  test("the plain forms parse to the value JSON.parse gives their canonical spelling (0.1, 1e-3, 5., .5, +2, 1E3, 007)", () => {
    const parse = number(0);
    for (const [text, json] of [["0.1", "0.1"], ["1e-3", "1e-3"], ["5.", "5"], [".5", "0.5"], ["+2", "2"], ["1E3", "1E3"], ["007", "7"], ["2.5e+2", "2.5e+2"]]) {
      assert.equal(parse(text!), JSON.parse(json!), text);
    }
  });

  test("every number flag of train uses the same grammar: --momentum, --betas, --dropout, --lr-for, --augment sizes", () => {
    assert.deepEqual(train("--optimizer", "sgd", "--momentum", "0x0"), refused("error: option '--momentum <mu>' argument '0x0' is invalid. expected a number in [0, 1)."));
    assert.deepEqual(train("--optimizer", "adam", "--betas", "0x0,0.9"), refused("error: option '--betas <b1,b2>' argument '0x0,0.9' is invalid. expected two numbers in [0, 1) separated by a comma, like 0.9,0.999."));
    assert.deepEqual(train("--lr-for", "1.=0x10"), refused("error: option '--lr-for <prefix=lr,...>' argument '1.=0x10' is invalid. expected prefix=lr pairs separated by commas, like 1.=1e-4,3.=0.01; got \"1.=0x10\"."));
    assert.deepEqual(train("--augment", "crop:0x2"), refused("error: option '--augment <list>' argument 'crop:0x2' is invalid. expected a non-negative integer size after \"crop:\", got \"0x2\"."));
  });

  test("integers beyond Number.MAX_SAFE_INTEGER (2^53 − 1, past which 99999999999999999999 reads as 1e20) are refused with the bound", () => {
    assert.equal(Number.MAX_SAFE_INTEGER, 2 ** 53 - 1);
    assert.deepEqual(train("--epochs", "99999999999999999999"), refused("error: option '--epochs <n>' argument '99999999999999999999' is invalid. expected an integer ≤ 9007199254740991 (the largest a double holds exactly)."));
    assert.deepEqual(train("--epochs", "9007199254740992"), refused("error: option '--epochs <n>' argument '9007199254740992' is invalid. expected an integer ≤ 9007199254740991 (the largest a double holds exactly)."));
    assert.deepEqual(train("--hidden", "99999999999999999999"), refused("error: option '--hidden <widths>' argument '99999999999999999999' is invalid. expected integers ≤ 9007199254740991 (the largest a double holds exactly), got 99999999999999999999."));
    assert.equal(integer(1)("9007199254740991"), 2 ** 53 - 1);
    // --blocks 100000 overflowed the call stack building the residual MLP.
    assert.deepEqual(train("--model", "resmlp", "--blocks", "100000"), refused("error: option '--blocks <n>' argument '100000' is invalid. expected an integer from 0 to 10000."));
    assert.deepEqual(train("--epochs", "0x10"), refused("error: option '--epochs <n>' argument '0x10' is invalid. expected an integer ≥ 1."));
  });

  test("--seed is a 32-bit seed, 0 to 2^32 − 1: 1e23 and 10^23 are refused (10^23 crashed in Generator.manualSeed before)", () => {
    const bad = (v: string) => refused(`error: option '--seed <n>' argument '${v}' is invalid. expected an integer from 0 to 4294967295.`);
    for (const v of ["1e23", "100000000000000000000000", "4294967296", "-1"]) assert.deepEqual(train("--seed", v), bad(v), v);
    assert.deepEqual(train("--seed", "4294967295"), accepted);
    const r = cli.run("train", "--seed", "100000000000000000000000");
    assert.deepEqual([r.code, r.err], [2, `${bad("100000000000000000000000").error}\n`]);
  });
});

describe("paths: an empty one is refused (an unset shell variable), and what --out names must be writable, up front", () => {
  test("--resume \"\" is refused (it started a fresh 10-epoch run before); so are empty --out, --init-from, --dataset and the run/model/input arguments", () => {
    assert.deepEqual(train("--resume", ""), refused("error: option '--resume <run>' argument '' is invalid. expected a run folder, got an empty path."));
    assert.deepEqual(train("--out", ""), refused("error: option '--out <dir>' argument '' is invalid. expected a run folder, got an empty path."));
    assert.deepEqual(train("--init-from", ""), refused("error: option '--init-from <file>' argument '' is invalid. expected a .safetensors file, got an empty path."));
    assert.deepEqual(train("--dataset", ""), refused("error: option '--dataset <name>' argument '' is invalid. expected a data set name, file or folder, got an empty path."));
    assert.deepEqual(parseCli(reportCommand, ""), refused("error: command-argument value '' is invalid for argument 'run'. expected a run folder or a study, got an empty path."));
    assert.deepEqual(parseCli(evaluateCommand, ""), refused("error: command-argument value '' is invalid for argument 'model'. expected a run folder or model file, got an empty path."));
    assert.deepEqual(parseCli(predictCommand, "m", "a.png", ""), refused("error: command-argument value '' is invalid for argument 'inputs'. expected PNG or IDX files, got an empty path."));
    const r = cli.run("train", "--resume", "");
    assert.deepEqual([r.code, r.out, r.err], [2, "", "error: option '--resume <run>' argument '' is invalid. expected a run folder, got an empty path.\n"]);
  });

  test("--out an existing file, or under one, is refused naming it (ENOTDIR from scandir before); schedule --out a folder (EBUSY from rename before)", () => {
    const dir = cli.tmp(), file = join(dir, "afile");
    writeFileSync(file, "x");
    assert.deepEqual(train("--out", file), refused(`error: option '--out <dir>' argument '${file}' is invalid. expected a folder for the run, but ${file} is a file.`));
    assert.deepEqual(train("--out", join(file, "run")), refused(`error: option '--out <dir>' argument '${join(file, "run")}' is invalid. cannot create ${join(file, "run")}: ${file} is a file.`));
    const r = cli.run("schedule", "cosine", "--out", ".");
    assert.deepEqual([r.code, r.err], [2, "error: option '--out <file>' argument '.' is invalid. expected an .svg file, but . is a folder.\n"]);
    const nested = join(dir, "new", "deeper", "cosine.svg");
    const made = cli.run("schedule", "cosine", "--steps", "10", "--out", nested);
    assert.equal(made.code, 0, made.err);
    assert.match(made.out, new RegExp(`drawn: ${nested.replace(/[.]/g, "\\.")}\n$`));
  });

  test("--out in a folder we may not write (chmod 555 as a user; a read-only tmpfs as root) is refused up front, naming the folder and the errno", (t) => {
    const dir = join(cli.tmp(), "ro");
    mkdirSync(dir);
    let reason: string;
    if (process.getuid?.() === 0) {
      const m = spawnSync("mount", ["-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", dir], { encoding: "utf8" });
      if (m.status !== 0) return t.skip(`root cannot mount a read-only tmpfs here (${m.stderr.trim()})`);
      t.after(() => spawnSync("umount", [dir]));
      reason = "on a read-only file system (EROFS)";
    } else {
      chmodSync(dir, 0o555);
      t.after(() => chmodSync(dir, 0o755));
      reason = "not writable (EACCES)";
    }
    const out = join(dir, "run");
    assert.deepEqual(train("--out", out), refused(`error: option '--out <dir>' argument '${out}' is invalid. cannot create ${out}: ${dir} is ${reason}.`));
    const svg = join(dir, "lr.svg");
    const r = cli.run("schedule", "cosine", "--out", svg);
    assert.deepEqual([r.code, r.err], [2, `error: option '--out <file>' argument '${svg}' is invalid. cannot create ${svg}: ${dir} is ${reason}.\n`]);
  });

  test("--resume of a config.json holding null, an array or a number fails naming the file (exit 1); {bad names the JSON error", () => {
    for (const [text, got] of [["null", "null"], ["[1]", "[1]"], ["3", "3"]]) {
      const run = cli.tmp();
      writeFileSync(join(run, "config.json"), text!);
      const r = cli.run("train", "--resume", run);
      assert.deepEqual([r.code, r.err], [1, `minima: --resume: ${join(run, "config.json")} is not a run's config; expected a JSON object, got ${got}\n`], text);
    }
    const run = cli.tmp();
    writeFileSync(join(run, "config.json"), "{}");
    const r = cli.run("train", "--resume", run);
    assert.deepEqual([r.code, r.err], [2, `minima: --resume: ${join(run, "config.json")} is not from minima train, got no command field\n`]);
    writeFileSync(join(run, "config.json"), "{bad");
    const bad = cli.run("train", "--resume", run);
    assert.equal(bad.code, 1);
    assert.match(bad.err, new RegExp(`^minima: --resume: ${join(run, "config.json").replace(/[.]/g, "\\.")} is not valid JSON \\(.+\\)\n$`));
  });

  test("predict refuses a folder and a device as inputs (a folder read as 'no such file'; /dev/zero would read forever)", () => {
    const dir = cli.tmp();
    const model = join(cli.tmp(), "run");
    const made = cli.run("train", "--epochs", "1", "--train-size", "64", "--hidden", "8", "--out", model);
    assert.equal(made.code, 0, made.err);
    const f = cli.run("predict", model, dir);
    assert.deepEqual([f.code, f.err], [1, `minima: predict: ${dir} is a folder; expected a regular file\n`]);
    const z = cli.run("predict", model, "/dev/zero");
    assert.deepEqual([z.code, z.err], [1, "minima: predict: /dev/zero is a character device; expected a regular file\n"]);
  });
});

describe("sizes that cannot fit are refused up front with the memory they would need", () => {
  test("--hidden 99999999 (an Invalid typed array length stack trace before): the estimate, and this machine's os.totalmem()", () => {
    const r = cli.run("train", "--hidden", "99999999", "--train-size", "1000", "--epochs", "1", "--out", join(cli.tmp(), "run"));
    // 784·10⁸ + 10⁸ + 10⁹ + 10 parameters; 10⁸ + 10⁸ + 10 layer outputs per sample; bytes = 4·(4·P + 2·64·A).
    const P = 784 * 99999999 + 99999999 + 99999999 * 10 + 10, A = 2 * 99999999 + 10;
    assert.deepEqual([r.code, r.err], [2, `minima: model size: MLP 784-99999999-10 would need about ${formatBytes(4 * (4 * P + 2 * 64 * A))} of memory to train with batches of 64 (${P.toExponential(2)} parameters × 16 B for weights, gradients and optimizer state, plus ${A.toExponential(2)} layer outputs per sample × 8 B); this machine has ${formatBytes(totalmem())}\n`]);
  });

  test("schedule --steps 100000000 is refused with the heap it would need (a minutes-long run ending in 'heap out of memory' before)", () => {
    const limit = Number(spawnSync(process.execPath, ["-p", "require('v8').getHeapStatistics().heap_size_limit"], { ...cli.spawnOptions, encoding: "utf8" }).stdout);
    const r = cli.run("schedule", "cosine", "--steps", "100000000");
    assert.deepEqual([r.code, r.err], [2, `minima: --steps: drawing 100000000 steps needs about 27.9 GiB of memory (300 B per step), more than Node's heap limit of ${formatBytes(limit)}; expected at most ${Math.floor(limit / 300)} steps\n`]);
  });

  test("schedule --steps 300000 draws (Math.min(...lrs) overflowed the call stack past ~10⁵ steps before)", () => {
    const r = cli.run("schedule", "linear", "--steps", "300000", "--out", join(cli.tmp(), "l.svg"));
    assert.equal(r.code, 0, r.err);
    // linear: 1 → 0.01 over the run, so the lr goes from 0.1 down to 0.1·(1 − 0.99·299999/300000).
    assert.match(r.out, new RegExp(`min ${(0.1 * (1 - (0.99 * 299999) / 300000)).toPrecision(4)}, max 0\\.1000`));
  });
});
