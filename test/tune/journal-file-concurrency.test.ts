import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { TestContext } from "node:test";
import * as mn from "../../src/index.node.js";

const ENTRY = fileURLToPath(new URL("../../src/index.node.js", import.meta.url));
const quiet = { onWarning: () => {} };

function tempJournal(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), "minima-race-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, "journal.log");
}

/** Runs `code` (an ES module body; argv[1] is minima's Node entry) in `k` processes at once, with argv[2] = path, argv[3] = the process's index. */
async function inProcesses(k: number, code: string, path: string): Promise<(number | null)[]> {
  return Promise.all(Array.from({ length: k }, (_, i) => new Promise<number | null>((resolve) => {
    spawn(process.execPath, ["--input-type=module", "-e", code, ENTRY, path, String(i)], { stdio: "inherit" }).on("exit", resolve);
  })));
}

describe("journal file: processes writing one journal at once (reference: counting what each wrote)", () => {
  test("4 processes appending 100 ops each lose no line and tear none", async (t) => {
    const path = tempJournal(t);
    mn.tune.createStudy({ storage: path, studyName: "race", ...quiet });
    const linesBefore = readFileSync(path, "utf8").split("\n").length - 1;
    const code = `const mn = await import(process.argv[1]); const s = mn.tune.openStorage(process.argv[2]); const id = s.getStudyIdFromName("race");
      for (let i = 0; i < 100; i++) s.setStudyUserAttr(id, "p" + process.argv[3] + "-" + i, i);`;
    assert.deepEqual(await inProcesses(4, code, path), [0, 0, 0, 0]);
    const lines = readFileSync(path, "utf8").split("\n");
    assert.equal(lines.pop(), "", "the journal ends with a newline");
    assert.equal(lines.length, linesBefore + 400);
    for (const line of lines) JSON.parse(line);
    const attrs = mn.tune.loadStudy({ storage: path, studyName: "race" }).userAttrs;
    for (let p = 0; p < 4; p++) for (let i = 0; i < 100; i++) assert.equal(attrs[`p${p}-${i}`], i);
  });

  test("4 processes running 8 trials each get 32 distinct trial numbers 0–31, every trial COMPLETE with its own value", async (t) => {
    const path = tempJournal(t);
    mn.tune.createStudy({ storage: path, studyName: "race", ...quiet });
    const code = `const mn = await import(process.argv[1]); const p = Number(process.argv[3]);
      const study = mn.tune.loadStudy({ storage: process.argv[2], studyName: "race", sampler: new mn.tune.RandomSampler({ seed: p }) });
      let k = 0; study.optimize((trial) => { trial.suggestFloat("x", 0, 1); trial.setUserAttr("by", p); return p * 100 + k++; }, { nTrials: 8 });`;
    assert.deepEqual(await inProcesses(4, code, path), [0, 0, 0, 0]);
    const trials = mn.tune.loadStudy({ storage: path, studyName: "race" }).trials;
    assert.deepEqual(trials.map((x) => x.number), [...Array(32).keys()]);
    assert.ok(trials.every((x) => x.state === "COMPLETE"));
    assert.deepEqual(trials.map((x) => x.value).sort((a, b) => a! - b!), [0, 1, 2, 3].flatMap((p) => [...Array(8).keys()].map((k) => p * 100 + k)));
    for (const x of trials) assert.equal(Math.floor(x.value! / 100), x.userAttrs["by"]);
  });
});
