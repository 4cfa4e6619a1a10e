import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../src/index.node.js";
import { loadFixture } from "../helpers/fixtures.js";

// relu keeps a NaN, as torch.relu does, so a NaN input reaches the loss and the divergence guard: the
// reference is test/fixtures/activations.json's relu_nonfinite (tools/gen_fixtures.py, torch 1.13), whose
// non-finite values are the strings Number() reads back. Runs on the backend the suite runs on (native in
// `npm test`, js in `npm run test:js`).

const F = mn.nn.functional;
const fx = loadFixture("activations.json").relu_nonfinite as Record<"x" | "gy" | "out" | "gx", (number | string)[]>;
const num = (values: (number | string)[]) => values.map(Number);

/** Same values, NaN equal to NaN and -0 told from 0 (Object.is). */
function assertSameValues(actual: ArrayLike<number>, expected: number[], what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) assert.ok(Object.is(actual[i], expected[i]), `${what}[${i}]: ${actual[i]} vs torch's ${expected[i]}`);
}

describe(`relu at NaN, ±0 and ±inf against torch ${String(loadFixture("activations.json").torch).slice(0, 4)}`, () => {
  for (const dtype of ["float32", "float64"] as const) {
    test(`F.relu and its backward equal torch.relu's values and threshold_backward's gradient (${dtype})`, () => {
      const x = mn.tensor(num(fx.x), { dtype, requiresGrad: true });
      const out = F.relu(x);
      assertSameValues(out.data, num(fx.out), "relu(x)");
      out.backward({ gradient: mn.tensor(num(fx.gy), { dtype }) });
      assertSameValues(x.grad!.data, num(fx.gx), "x.grad");
    });
  }

  test("a fused Linear → ReLU passes a NaN input on to every output of its row, and its gradient is NaN as torch's", () => {
    const gen = new mn.Generator(1);
    const model = new mn.nn.Sequential(new mn.nn.Linear(3, 4, { generator: gen }), new mn.nn.ReLU());
    const x = mn.tensor([[1, 2, 3], [NaN, 0, 1], [-1, -2, -3]]);
    const y = model.forward(x);
    const rows = [0, 1, 2].map((r) => Array.from(y.data.slice(r * 4, r * 4 + 4)));
    assert.ok(rows[1]!.every(Number.isNaN), `the NaN sample's row: ${rows[1]}`);
    assert.ok(!rows[0]!.some(Number.isNaN) && !rows[2]!.some(Number.isNaN), "the other rows stay finite");
    y.sum().backward();
    const gw = Array.from(model.parameters()[0]!.grad!.data);
    assert.ok(gw.some(Number.isNaN), "the weight gradient carries the NaN (torch: the same)");
  });

  test("a fused Conv2d → ReLU with an infinite weight equals Conv2d then F.relu, NaN for NaN (Object.is)", () => {
    const gen = new mn.Generator(5);
    const conv = new mn.nn.Conv2d(2, 3, 3, { generator: gen });
    conv.weight.data[4] = Infinity;  // with the next, inf − inf (NaN) where x has one sign at both taps, else ±inf
    conv.weight.data[5] = -Infinity;
    const x = mn.randn([2, 2, 6, 6], { generator: gen });
    const fused = new mn.nn.Sequential(conv, new mn.nn.ReLU()).forward(x);
    const plain = F.relu(conv.forward(x));
    assert.ok(Array.from(plain.data).some(Number.isNaN), "the case makes NaNs");
    assertSameValues(fused.data, Array.from(plain.data), "fused");
  });

  test("a fused Conv2d → ReLU gives NaN exactly where the convolution does (a 3x3 kernel around one NaN pixel)", () => {
    const gen = new mn.Generator(2);
    const conv = new mn.nn.Conv2d(1, 2, 3, { padding: 1, generator: gen });
    const model = new mn.nn.Sequential(conv, new mn.nn.ReLU());
    const data = new Float32Array(1 * 1 * 5 * 5).map((_, i) => Math.sin(i));
    data[2 * 5 + 2] = NaN;  // the centre pixel: its 3x3 neighbourhood of outputs, in both channels
    const y = model.forward(mn.tensor(data).reshape([1, 1, 5, 5]));
    for (let c = 0; c < 2; c++) {
      for (let i = 0; i < 5; i++) {
        for (let j = 0; j < 5; j++) {
          const inReach = Math.abs(i - 2) <= 1 && Math.abs(j - 2) <= 1;
          assert.equal(Number.isNaN(y.data[(c * 5 + i) * 5 + j]!), inReach, `channel ${c} (${i}, ${j})`);
        }
      }
    }
  });
});
