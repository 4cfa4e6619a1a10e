import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../src/index.node.js";

const arr = (t: mn.Tensor) => Array.from(t.data);

describe("creation", () => {
  test("tensor() infers shape from nested arrays and keeps typed arrays without a copy", () => {
    const t = mn.tensor([[1, 2, 3], [4, 5, 6]]);
    assert.deepEqual(t.shape, [2, 3]);
    assert.equal(t.dtype, "float32");
    const data = new Float64Array([1, 2]);
    assert.equal(mn.tensor(data).data, data);
    assert.equal(mn.tensor(7).ndim, 0);
    assert.equal(mn.tensor(7).item(), 7);
  });

  test("ragged arrays and unknown dtypes fail with the place named", () => {
    assert.throws(() => mn.tensor([[1, 2], [3]]), /ragged nested array at \[1\]; expected a list of 2, got a list of 1/);
    assert.throws(() => mn.tensor([1], { dtype: "float16" as mn.DType }), /unknown dtype "float16"/);
  });

  test("arange, linspace, eye, full follow torch (closed forms)", () => {
    assert.deepEqual(arr(mn.arange(5)), [0, 1, 2, 3, 4]);
    assert.equal(mn.arange(5).dtype, "int32");
    assert.deepEqual(arr(mn.arange(1, 2, 0.25)), [1, 1.25, 1.5, 1.75]);
    assert.deepEqual(arr(mn.linspace(0, 1, 5, { dtype: "float64" })), [0, 0.25, 0.5, 0.75, 1]);
    assert.deepEqual(arr(mn.eye(2, 3)), [1, 0, 0, 0, 1, 0]);
    assert.deepEqual(arr(mn.full([2], 3.5)), [3.5, 3.5]);
  });

  test("the same seed gives the same numbers; rand stays in [0,1); randint in [low, high)", () => {
    mn.manualSeed(42);
    const a = mn.randn([100]);
    mn.manualSeed(42);
    const b = mn.randn([100]);
    assert.deepEqual(arr(a), arr(b));
    const u = mn.rand([1000], { generator: new mn.Generator(1) });
    assert.ok(arr(u).every((v) => v >= 0 && v < 1));
    const k = mn.randint(3, 7, [1000], { generator: new mn.Generator(2) });
    assert.deepEqual([...new Set(arr(k))].sort(), [3, 4, 5, 6]);
  });

  test("randn has mean ≈ 0 and variance ≈ 1 (100k draws, 5 standard errors)", () => {
    const x = mn.randn([100000], { dtype: "float64", generator: new mn.Generator(3) });
    assert.ok(Math.abs(x.mean().item()) < 5 / Math.sqrt(1e5));
    assert.ok(Math.abs(x.var().item() - 1) < 5 * Math.sqrt(2 / 1e5));
  });

  test("generator state round-trips: restoring continues the same stream", () => {
    const g = new mn.Generator(9);
    g.normal();
    const saved = g.getState();
    const next = [g.normal(), g.random(), g.nextUint32()];
    const h = new mn.Generator(0).setState(JSON.parse(JSON.stringify(saved)));
    assert.deepEqual([h.normal(), h.random(), h.nextUint32()], next);
  });
});

describe("elementwise ops and broadcasting (closed forms)", () => {
  test("NumPy broadcasting [2,1,3] + [4,1] → [2,4,3]", () => {
    const a = mn.arange(6, undefined, 1, { dtype: "float32" }).reshape([2, 1, 3]);
    const b = mn.tensor([[10], [20], [30], [40]]);
    const c = a.add(b);
    assert.deepEqual(c.shape, [2, 4, 3]);
    assert.equal(c.index(1, 2, 0).item(), 3 + 30);
  });

  test("shapes that do not broadcast fail naming both shapes and the dim", () => {
    assert.throws(() => mn.ones([2, 3]).add(mn.ones([4])), /add: shapes \[2,3\] and \[4\] do not broadcast: 3 != 4 at dim -1/);
  });

  test("dtype promotion: int32 + float32 → float32, float32 + float64 → float64, int32 / int32 → float32", () => {
    const i = mn.tensor([1, 2], { dtype: "int32" });
    assert.equal(i.add(mn.tensor([0.5, 0.5])).dtype, "float32");
    assert.equal(mn.ones([2]).add(mn.ones([2], { dtype: "float64" })).dtype, "float64");
    assert.deepEqual(arr(i.div(mn.tensor([2, 2], { dtype: "int32" }))), [0.5, 1]);
    assert.equal(i.add(2).dtype, "int32");
    assert.equal(i.add(0.5).dtype, "float32");
  });

  test("unary math matches Math.*", () => {
    const x = mn.tensor([-2, -0.5, 0, 0.5, 2], { dtype: "float64" });
    const cases: [string, mn.Tensor, (v: number) => number][] = [
      ["exp", x.exp(), Math.exp], ["abs", x.abs(), Math.abs], ["tanh", x.tanh(), Math.tanh],
      ["sigmoid", x.sigmoid(), (v) => 1 / (1 + Math.exp(-v))], ["relu", x.relu(), (v) => Math.max(v, 0)],
      ["sign", x.sign(), Math.sign], ["clamp", x.clamp(-1, 1), (v) => Math.min(Math.max(v, -1), 1)],
      ["pow 2", x.pow(2), (v) => v * v], ["neg", x.neg(), (v) => -v],
    ];
    for (const [name, t, f] of cases) {
      arr(t).forEach((v, i) => assert.ok(Math.abs(v - f(x.data[i]!)) < 1e-15, `${name} at ${i}`));
    }
    assert.deepEqual(arr(mn.tensor([4, 9], { dtype: "float64" }).sqrt()), [2, 3]);
    assert.ok(Math.abs(mn.tensor([Math.E], { dtype: "float64" }).log().item() - 1) < 1e-15);
  });

  test("comparisons give 0/1 masks; where picks; maximum/minimum", () => {
    const a = mn.tensor([1, 5, 3]);
    const b = mn.tensor([2, 5, 1]);
    assert.deepEqual(arr(a.lt(b)), [1, 0, 0]);
    assert.deepEqual(arr(a.le(b)), [1, 1, 0]);
    assert.deepEqual(arr(a.eq(b)), [0, 1, 0]);
    assert.deepEqual(arr(a.ne(b)), [1, 0, 1]);
    assert.deepEqual(arr(a.gt(b)), [0, 0, 1]);
    assert.deepEqual(arr(a.ge(b)), [0, 1, 1]);
    assert.deepEqual(arr(mn.where(a.gt(b), a, b)), [2, 5, 3]);
    assert.deepEqual(arr(a.maximum(b)), [2, 5, 3]);
    assert.deepEqual(arr(a.minimum(b)), [1, 5, 1]);
  });
});

describe("reductions (closed forms)", () => {
  const x = mn.arange(24, undefined, 1, { dtype: "float64" }).reshape([2, 3, 4]);
  test("sum and mean over dims, with and without keepdim", () => {
    assert.equal(x.sum().item(), 276);
    assert.deepEqual(x.sum(2).shape, [2, 3]);
    assert.deepEqual(arr(x.sum([0, 2])), [0 + 1 + 2 + 3 + 12 + 13 + 14 + 15, 4 + 5 + 6 + 7 + 16 + 17 + 18 + 19, 8 + 9 + 10 + 11 + 20 + 21 + 22 + 23]);
    assert.deepEqual(x.mean(1, true).shape, [2, 1, 4]);
    assert.deepEqual(arr(x.mean(1)).slice(0, 2), [4, 5]);
    assert.equal(mn.tensor([1, 2], { dtype: "int32" }).mean().dtype, "float32");
  });
  test("max/min/argmax/argmin; argmax returns the first maximum as int32", () => {
    assert.deepEqual(arr(x.max(2).values), [3, 7, 11, 15, 19, 23]);
    assert.deepEqual(arr(x.amax(2)), [3, 7, 11, 15, 19, 23]);
    assert.equal(x.min().item(), 0);
    const t = mn.tensor([[1, 9, 9], [4, 2, 0]]);
    assert.deepEqual(arr(t.argmax(1)), [1, 0]);
    assert.equal(t.argmax(1).dtype, "int32");
    assert.deepEqual(arr(t.argmin(1)), [0, 2]);
    assert.equal(t.argmax().item(), 1);
  });
  test("var/std: unbiased by default, correction 0 for the population", () => {
    const v = mn.tensor([2, 4, 4, 4, 5, 5, 7, 9], { dtype: "float64" });
    assert.throws(() => v.var({ correction: 0 } as never), /var: dims must be a number or a list of numbers, got \{"correction":0\}/);
    assert.equal(v.var(0, { correction: 0 }).item(), 4);
    assert.equal(v.std(0, { correction: 0 }).item(), 2);
    assert.ok(Math.abs(v.var().item() - 32 / 7) < 1e-15);
  });
  test("logsumexp does not overflow", () => {
    const big = mn.tensor([1000, 1000], { dtype: "float64" });
    assert.ok(Math.abs(big.logsumexp(0).item() - (1000 + Math.log(2))) < 1e-12);
  });
  test("a bad dim names the range", () => {
    assert.throws(() => x.sum(3), /sum: dimension out of range; expected an integer in \[-3, 2\], got 3/);
  });
});

describe("shapes and indexing", () => {
  const x = mn.arange(12, undefined, 1, { dtype: "float32" }).reshape([3, 4]);
  test("reshape shares storage, infers -1, and rejects a wrong size", () => {
    const y = x.reshape([2, -1]);
    assert.deepEqual(y.shape, [2, 6]);
    assert.equal(y.data, x.data);
    assert.throws(() => x.reshape([5, 2]), /shape \[5,2\] is invalid for a tensor of 12 elements/);
  });
  test("transpose, permute, flatten, squeeze, unsqueeze", () => {
    assert.deepEqual(arr(x.t()).slice(0, 4), [0, 4, 8, 1]);
    const p = mn.arange(24).reshape([2, 3, 4]).permute([2, 0, 1]);
    assert.deepEqual(p.shape, [4, 2, 3]);
    assert.equal(p.index(1, 1, 2).item(), 1 * 12 + 2 * 4 + 1);
    assert.deepEqual(mn.zeros([2, 3, 4]).flatten(1).shape, [2, 12]);
    assert.deepEqual(mn.zeros([1, 3, 1]).squeeze().shape, [3]);
    assert.deepEqual(mn.zeros([3]).unsqueeze(0).shape, [1, 3]);
  });
  test("index with numbers, slices, negative indices and steps (Python semantics)", () => {
    assert.deepEqual(arr(x.index(1)), [4, 5, 6, 7]);
    assert.deepEqual(arr(x.index(null, [1, 3])), [1, 2, 5, 6, 9, 10]);
    assert.deepEqual(arr(x.index(-1, [undefined, undefined, 2])), [8, 10]);
    assert.deepEqual(arr(x.index([-2])).length, 8);
    assert.throws(() => x.index(3), /index 3 is out of bounds for dim 0 of size 3/);
    assert.throws(() => x.index(0, 0, 0), /too many indices \(3\)/);
  });
  test("gather, indexSelect, cat, stack", () => {
    const idx = mn.tensor([[3], [0], [1]], { dtype: "int32" });
    assert.deepEqual(arr(x.gather(1, idx)), [3, 4, 9]);
    assert.deepEqual(arr(x.indexSelect(0, mn.tensor([2, 0], { dtype: "int32" }))).slice(0, 5), [8, 9, 10, 11, 0]);
    assert.throws(() => x.gather(1, mn.tensor([[4], [0], [0]], { dtype: "int32" })), /index 4 is out of bounds for dim 1 of size 4/);
    assert.throws(() => x.gather(1, mn.tensor([[1], [0], [0]])), /index must be an int32 tensor, got float32/);
    assert.deepEqual(mn.cat([x, x], 1).shape, [3, 8]);
    assert.deepEqual(arr(mn.cat([mn.tensor([1]), mn.tensor([2, 3])])), [1, 2, 3]);
    assert.deepEqual(mn.stack([x, x]).shape, [2, 3, 4]);
    assert.throws(() => mn.cat([x, mn.zeros([2, 3])], 0), /tensor 1 has shape \[2,3\], which does not match \[3,4\] outside dim 0/);
  });
  test("matmul: shapes that do not align and mixed dtypes fail clearly", () => {
    assert.throws(() => mn.zeros([128, 784]).matmul(mn.zeros([512, 256])), /matmul: shapes \[128,784\] and \[512,256\] do not align: 784 != 512/);
    assert.throws(() => mn.zeros([2, 2]).matmul(mn.zeros([2, 2], { dtype: "float64" })), /matmul: arguments differ in dtype: float32 and float64/);
    assert.throws(() => mn.zeros([2, 2], { dtype: "int32" }).matmul(mn.zeros([2, 2], { dtype: "int32" })), /must be a floating-point tensor/);
  });
  test("toArray, item and printing", () => {
    assert.deepEqual(mn.tensor([[1, 2], [3, 4]]).toArray(), [[1, 2], [3, 4]]);
    assert.throws(() => x.item(), /only a one-element tensor has an item, got shape \[3,4\]/);
    assert.equal(String(mn.tensor([[1, 2], [3, 4]], { dtype: "float64" })), "tensor([[1.0000, 2.0000],\n        [3.0000, 4.0000]], dtype=float64)");
    assert.equal(String(mn.tensor([1, 2], { dtype: "int32" })), "tensor([1, 2], dtype=int32)");
    assert.match(String(mn.zeros([2000])), /\.\.\./);
  });
});
