import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../src/index.node.js";

// Box–Muller makes normals in pairs and caches the second: a state saved after an odd number of
// normals must carry it, or a resumed run draws a different stream. The reference is a generator of
// the same seed that was never interrupted.
const draws = (g: mn.Generator, n: number) => Array.from({ length: n }, () => g.normal());

describe("a generator's saved state carries the cached second normal", () => {
  for (const odd of [1, 3, 7]) {
    test(`saved after ${odd} normals (JSON round trip), the next draws continue an uninterrupted generator's stream`, () => {
      const g = new mn.Generator(11);
      draws(g, odd);
      const state = JSON.parse(JSON.stringify(g.getState())) as mn.GeneratorState;
      assert.notEqual(state.spareNormal, null, "an odd count leaves a cached normal");

      const uninterrupted = new mn.Generator(11);
      draws(uninterrupted, odd);
      const want = [...draws(uninterrupted, 5), uninterrupted.random()];
      const resumed = new mn.Generator(0).setState(state);
      assert.deepEqual([...draws(resumed, 5), resumed.random()], want);

      // Without the cache the stream shifts: the test can tell.
      const dropped = new mn.Generator(0).setState({ ...state, spareNormal: null });
      assert.notDeepEqual(draws(dropped, 5), want.slice(0, 5));
    });
  }
});
