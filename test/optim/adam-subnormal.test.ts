import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../src/index.node.js";
import { assertClose, loadFixture } from "../helpers/fixtures.js";

// Adam's first moments decaying into the subnormal range (tools/gen_denormal_fixtures.py): half the parameters
// get a zero gradient from step 6 on, and after 900 steps PyTorch holds their moments at about 1e-42. The native
// backend's float32 loops flush subnormals to zero (native/src/optim.cc: they cost 2.9× a step); the js and
// wasm backends keep IEEE arithmetic. Either way the parameters must agree with PyTorch's within float32 rounding.
const SMALLEST_NORMAL = 2 ** -126;

describe("Adam when its first moments go subnormal", () => {
  const fx = loadFixture("adam-subnormal.json");

  test(`parameters within float32 rounding of PyTorch's after ${fx.steps} steps; moments flushed on native, kept elsewhere`, () => {
    const torchM: number[] = fx.expAvg.data;
    const subnormal = torchM.flatMap((m, i) => (m !== 0 && Math.abs(m) < SMALLEST_NORMAL ? [i] : []));
    assert.equal(subnormal.length, fx.n / 2, "the fixture's zero-gradient half holds subnormal moments in PyTorch");

    const p = mn.tensor(Float32Array.from(fx.init.data), { requiresGrad: true });
    const opt = new mn.optim.Adam([p], { lr: fx.lr });
    for (let step = 1; step <= fx.steps; step++) {
      const g = Float32Array.from(p.data as Float32Array);
      if (step >= fx.zeroFrom) for (let i = 1; i < g.length; i += 2) g[i] = 0;
      p.grad = mn.tensor(g);
      opt.step();
    }
    // float32 rounding of values up to 0.3, over 900 steps of about lr each
    assertClose(p.data, fx.param.data, { rtol: 1e-5, atol: 1e-6 }, "parameters");
    const state = opt.stateDict().state[0] as unknown as { expAvg: number[]; expAvgSq: number[] };
    assertClose(state.expAvgSq, fx.expAvgSq.data, { rtol: 1e-4, atol: 0 }, "second moments");
    const normal = torchM.flatMap((_, i) => (subnormal.includes(i) ? [] : [i]));
    assertClose(normal.map((i) => state.expAvg[i]!), normal.map((i) => torchM[i]!), { rtol: 1e-4, atol: 1e-9 }, "normal first moments");
    const mine = subnormal.map((i) => state.expAvg[i]!);
    if (mn.getBackend() === "native") {
      assert.ok(mine.every((m) => m === 0), `native flushes subnormal moments to zero; kept: ${mine.filter((m) => m !== 0).length}`);
    } else {
      assert.ok(mine.every((m) => m !== 0 && Math.abs(m) < SMALLEST_NORMAL), `${mn.getBackend()} keeps subnormal moments`);
    }
  });
});
