import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { assertClose } from "../helpers/fixtures.js";
import { build, extraCases, makeOptimizer, run, runResumed, torchCases, type Case } from "./cases.js";

const STEPS = 250;
const name = (c: Case) => `${c.scheduler} (${c.desc})`;
const hasPlateau = (c: Case) => JSON.stringify(c).includes("ReduceLROnPlateau");

describe("every scheduler against PyTorch", () => {
  for (const c of torchCases()) {
    test(`${name(c)}: matches torch 1.13 over ${STEPS} steps (1e-12 relative)`, () => {
      const lrs = run(c, STEPS);
      c.lrs!.forEach((expected, g) => assertClose(lrs[g]!, expected, { rtol: 1e-12, atol: 0 }, `${name(c)}, group ${g}`));
    });
  }
});

describe("lrAt(k) is the lr after k steps (bit for bit)", () => {
  for (const c of [...torchCases(), ...extraCases].filter((c) => !hasPlateau(c))) {
    test(name(c), () => {
      const expected = run(c, STEPS);
      const sched = build(makeOptimizer(c.groups), c);
      for (let k = 0; k < STEPS; k++) assert.deepEqual(sched.lrAt(k), expected.map((g) => g[k]), `step ${k}`);
    });
  }
});

describe("stateDict round trip through JSON: a resumed run equals the uninterrupted one bit for bit", () => {
  // 5 is mid-warmup and 20 a milestone of the SequentialLR cases, 57 and 137 mid-segment.
  const stops = [0, 1, 5, 20, 57, 137, 248];
  for (const c of [...torchCases(), ...extraCases]) {
    test(`${name(c)}, stopped at steps ${stops.join(", ")}`, () => {
      const expected = run(c, STEPS);
      for (const k of stops) assert.deepEqual(runResumed(c, STEPS, k), expected, `stopped at step ${k}`);
    });
  }
});
