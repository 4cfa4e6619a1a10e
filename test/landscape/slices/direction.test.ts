import assert from "node:assert/strict";
import { test } from "node:test";
import * as mn from "../../../src/index.node.js";

function net() {
  mn.manualSeed(3);
  return new mn.nn.Sequential(new mn.nn.Conv2d(2, 3, 3, { dtype: "float64" }), new mn.nn.BatchNorm2d(3, { dtype: "float64" }), new mn.nn.Flatten(), new mn.nn.Linear(12, 4, { dtype: "float64" }));
}

const norm = (a: ArrayLike<number>) => Math.hypot(...Array.from(a));

/** The direction cut into one array per parameter, by name. */
function byName(model: mn.nn.Module, d: Float64Array) {
  let off = 0;
  return new Map(model.namedParameters().map(([name, p]) => {
    const part = d.subarray(off, off + p.numel());
    off += p.numel();
    return [name, { part, p }] as const;
  }));
}

test("randomDirection: filter normalization gives each output channel / output row the norm of the weights' (‖w_f‖ against ‖d_f‖, by hand), and biasbn zeroes every 1-D tensor", () => {
  const model = net();
  const d = mn.landscape.randomDirection(model, { generator: new mn.Generator(5) });
  assert.equal(d.length, model.numParameters());
  for (const [name, { part, p }] of byName(model, d)) {
    if (p.shape.length === 1) {
      assert.ok(part.every((v) => v === 0), `${name} is not zero`);
      continue;
    }
    const rows = p.shape[0]!, size = p.numel() / rows;
    for (let f = 0; f < rows; f++) {
      const want = norm(p.data.subarray(f * size, (f + 1) * size)), got = norm(part.subarray(f * size, (f + 1) * size));
      assert.ok(Math.abs(got - want) < 1e-9 * want, `${name} filter ${f}: ${got} against ${want}`);
    }
  }
});

test("randomDirection: normalization none is the generator's standard normal draws in parameter order; ignore none moves 1-D tensors along the weights (loss-landscape's copy)", () => {
  const model = net();
  const raw = mn.landscape.randomDirection(model, { normalization: "none", ignore: "none", generator: new mn.Generator(9) });
  const g = new mn.Generator(9);
  assert.deepEqual([...raw], Array.from({ length: raw.length }, () => g.normal()));
  const layer = mn.landscape.randomDirection(model, { normalization: "layer", ignore: "none", generator: new mn.Generator(9) });
  for (const [name, { part, p }] of byName(model, layer)) {
    if (p.shape.length === 1) assert.deepEqual([...part], [...p.data], name);
    else assert.ok(Math.abs(norm(part) - norm(p.data)) < 1e-9 * norm(p.data), `${name}: layer norm ${norm(part)} against ${norm(p.data)}`);
  }
});

test("randomDirection: the same generator seed gives the same direction; a bad option is refused naming it", () => {
  const model = net();
  assert.deepEqual(mn.landscape.randomDirection(model, { generator: new mn.Generator(1) }), mn.landscape.randomDirection(model, { generator: new mn.Generator(1) }));
  assert.throws(() => mn.landscape.randomDirection(model, { normalization: "filters" as never }),
    { message: 'randomDirection: invalid normalization; expected one of "filter", "layer", "none", got "filters"' });
});
