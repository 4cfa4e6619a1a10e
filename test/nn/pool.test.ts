import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../src/index.node.js";
import { assertTensorClose, loadFixture, toTensor, type TensorEntry, type Tolerance } from "../helpers/fixtures.js";
import { testErrorCases, type ErrorCase } from "../helpers/error-cases.js";

// Parity cases come from test/fixtures/pool.json (tools/gen_pool_fixtures.py, PyTorch);
// ties, NaN and the errors are checked against hand-worked values and exact messages.
const F = mn.nn.functional;
type FloatDType = "float32" | "float64";
type Expected = { out: TensorEntry; grad: TensorEntry; indices?: TensorEntry };
interface PoolCase {
  op: "max" | "avg" | "adaptive";
  name: string;
  kernelSize?: mn.nn.functional.Size2d;
  outputSize?: number | [number | null, number | null];
  options: object;
  x: TensorEntry;
  w: TensorEntry;
  float32: Expected;
  float64: Expected;
}

const fx = loadFixture("pool.json");
const REF = `torch ${String(fx.torch).split(".").slice(0, 2).join(".")}`;
const EXACT: Tolerance = { rtol: 0, atol: 0 };
/** float64 to rtol 1e-10; float32 to 1e-5 of the expected tensor's largest |element|. */
function tol(dtype: FloatDType, e: TensorEntry): Tolerance {
  if (dtype === "float64") return { rtol: 1e-10, atol: 1e-12 };
  return { rtol: 0, atol: 1e-5 * Math.max(...e.data.map(Math.abs)) };
}

function pool(c: PoolCase, x: mn.Tensor): [mn.Tensor, mn.Tensor | null] {
  if (c.op === "max") return F.maxPool2dWithIndices(x, c.kernelSize!, c.options);
  if (c.op === "avg") return [F.avgPool2d(x, c.kernelSize!, c.options), null];
  return [F.adaptiveAvgPool2d(x, c.outputSize!), null];
}

describe(`2-D pooling against ${REF}: outputs, max indices and the gradient of sum(out·w)`, () => {
  const cases = fx.cases as PoolCase[];
  test("the fixture covers each op on [N,C,H,W] and [C,H,W] inputs", () => {
    for (const op of ["max", "avg", "adaptive"]) {
      const ranks = new Set(cases.filter((c) => c.op === op).map((c) => c.x.shape.length));
      assert.deepEqual([...ranks].sort(), [3, 4], op);
    }
  });
  for (const c of cases) {
    for (const dtype of ["float32", "float64"] as const) {
      const exactly = c.op === "max" ? "output and indices exactly, " : "";
      test(`${c.op} ${c.name} ${JSON.stringify(c.options)}: ${exactly}values match ${REF} (${dtype})`, () => {
        const e = c[dtype];
        const x = toTensor(c.x, dtype).requiresGrad_();
        const [y, indices] = pool(c, x);
        const [gx] = mn.autograd.grad(y.mul(toTensor(c.w, dtype)).sum(), [x]);
        assertTensorClose(y, e.out, c.op === "max" ? EXACT : tol(dtype, e.out), "out");
        if (c.op === "max") assertTensorClose(indices, e.indices!, EXACT, "indices");
        assertTensorClose(gx, e.grad, tol(dtype, e.grad), "grad");
      });
    }
  }
});

describe("max pooling on ties and NaN (as torch 1.13 CPU, worked by hand)", () => {
  const plane = (rows: number[][]) => mn.tensor(rows, { dtype: "float64" }).reshape([1, 1, rows.length, rows[0]!.length]);

  test("among equal maxima the first in row-major window order wins and takes the whole gradient", () => {
    const x = plane([[1, 3, 3], [3, 2, 0]]).requiresGrad_();
    const [y, indices] = F.maxPool2dWithIndices(x, 2, { stride: 1 });
    assert.deepEqual(Array.from(y.data), [3, 3]);
    assert.deepEqual(Array.from(indices.data), [1, 1]);
    y.sum().backward();
    assert.deepEqual(Array.from(x.grad!.data), [0, 2, 0, 0, 0, 0]);
  });

  test("a window of equal values (all −∞ included) picks its first position", () => {
    const [, ones] = F.maxPool2dWithIndices(mn.ones([1, 1, 2, 2]), 2);
    const [y, infs] = F.maxPool2dWithIndices(mn.full([1, 1, 2, 2], -Infinity), 2);
    assert.deepEqual([ones.item(), infs.item(), y.item()], [0, 0, -Infinity]);
  });

  test("NaN wins over every number, the last NaN in window order giving the index", () => {
    const [y, indices] = F.maxPool2dWithIndices(plane([[1, NaN], [NaN, 0]]), 2);
    assert.ok(Number.isNaN(y.item()));
    assert.equal(indices.item(), 2);
  });
});

describe("[C,H,W] input is pooled as one [1,C,H,W] batch", () => {
  const x = mn.randn([3, 6, 5], { dtype: "float64", generator: new mn.Generator(3) });
  const batched = x.reshape([1, 3, 6, 5]);
  const same = (a: mn.Tensor, b: mn.Tensor) => assert.deepEqual(Array.from(a.data), Array.from(b.data));
  test("maxPool2d, avgPool2d and adaptiveAvgPool2d give the batch's values, shaped [C,H',W']", () => {
    const [y, i] = F.maxPool2dWithIndices(x, 2, { padding: 1 });
    const [yb, ib] = F.maxPool2dWithIndices(batched, 2, { padding: 1 });
    assert.deepEqual(y.shape, [3, 4, 3]);
    same(y, yb);
    same(i, ib);
    same(F.avgPool2d(x, 3, { stride: 2, ceilMode: true }), F.avgPool2d(batched, 3, { stride: 2, ceilMode: true }));
    same(F.adaptiveAvgPool2d(x, [4, 3]), F.adaptiveAvgPool2d(batched, [4, 3]));
  });

  test("an empty batch [0,C,H,W] pools to [0,C,H',W'], as in torch", () => {
    assert.deepEqual(F.maxPool2d(mn.zeros([0, 2, 4, 4]), 2).shape, [0, 2, 2, 2]);
  });
});

describe("modules MaxPool2d, AvgPool2d, AdaptiveAvgPool2d", () => {
  const x = mn.randn([2, 3, 7, 6], { dtype: "float64", generator: new mn.Generator(5) });
  const same = (a: mn.Tensor, b: mn.Tensor) => assert.deepEqual(Array.from(a.data), Array.from(b.data));

  test("forward is the functional form with the module's settings", () => {
    same(new mn.nn.MaxPool2d([3, 2], { stride: 2, padding: 1, dilation: [1, 2] }).forward(x), F.maxPool2d(x, [3, 2], { stride: 2, padding: 1, dilation: [1, 2] }));
    same(new mn.nn.AvgPool2d(3, { countIncludePad: false, padding: 1 }).forward(x), F.avgPool2d(x, 3, { countIncludePad: false, padding: 1 }));
    same(new mn.nn.AdaptiveAvgPool2d([null, 4]).forward(x), F.adaptiveAvgPool2d(x, [null, 4]));
  });

  test("toString shows the normalized settings, stride defaulting to kernelSize", () => {
    assert.equal(String(new mn.nn.MaxPool2d(2)), "MaxPool2d(kernelSize=[2,2], stride=[2,2], padding=[0,0], ceilMode=false, dilation=[1,1])");
    assert.equal(String(new mn.nn.AvgPool2d([3, 1], { stride: 1, divisorOverride: 4 })),
      "AvgPool2d(kernelSize=[3,1], stride=[1,1], padding=[0,0], ceilMode=false, countIncludePad=true, divisorOverride=4)");
    assert.equal(String(new mn.nn.AdaptiveAvgPool2d([null, 4])), "AdaptiveAvgPool2d(outputSize=[null,4])");
  });

  test("a pooling stack trains end to end: gradients reach the first layer's weights", () => {
    const model = new mn.nn.Sequential(new mn.nn.MaxPool2d(2), new mn.nn.AvgPool2d(2, { ceilMode: true }),
      new mn.nn.AdaptiveAvgPool2d(1), new mn.nn.Flatten(), new mn.nn.Linear(3, 2, { dtype: "float64" }));
    const input = x.detach().requiresGrad_();
    model.forward(input).sum().backward();
    assert.deepEqual(model.forward(x).shape, [2, 2]);
    assert.ok(Array.from(input.grad!.data).some((v) => v !== 0));
    assert.ok(model.parameters().every((p) => p.grad !== null));
  });
});

describe("errors name the argument, what was expected and what was given", () => {
  const x = mn.zeros([1, 1, 4, 4]);
  const cases: ErrorCase[] = [
    ["kernelSize 0", () => F.maxPool2d(x, 0), "maxPool2d: invalid kernelSize; expected a positive integer or a pair of them, got 0"],
    ["kernelSize [2,0]", () => F.avgPool2d(x, [2, 0]), "avgPool2d: invalid kernelSize; expected a positive integer or a pair of them, got [2,0]"],
    ["kernelSize 1.5", () => F.maxPool2d(x, 1.5), "maxPool2d: invalid kernelSize; expected a positive integer or a pair of them, got 1.5"],
    ["stride 0", () => F.maxPool2d(x, 2, { stride: 0 }), "maxPool2d: invalid stride; expected a positive integer or a pair of them, got 0"],
    ["padding -1", () => F.maxPool2d(x, 2, { padding: -1 }), "maxPool2d: invalid padding; expected a non-negative integer or a pair of them, got -1"],
    ["dilation [1,0]", () => F.maxPool2d(x, 2, { dilation: [1, 0] }), "maxPool2d: invalid dilation; expected a positive integer or a pair of them, got [1,0]"],
    ["padding over half the kernel", () => F.avgPool2d(x, 3, { padding: 2 }), "avgPool2d: padding must be at most half of kernelSize [3,3]; expected at most [1,1], got [2,2]"],
    ["padding over half a non-square kernel", () => F.maxPool2d(x, [3, 4], { padding: [1, 3] }), "maxPool2d: padding must be at most half of kernelSize [3,4]; expected at most [1,2], got [1,3]"],
    ["padding over half the kernel along H only", () => F.maxPool2d(x, [3, 4], { padding: [2, 0] }), "maxPool2d: padding must be at most half of kernelSize [3,4]; expected at most [1,2], got [2,0]"],
    ["divisorOverride 0", () => F.avgPool2d(x, 2, { divisorOverride: 0 }), "avgPool2d: invalid divisorOverride; expected a non-zero integer, got 0"],
    ["ceilMode as a number", () => F.avgPool2d(x, 2, { ceilMode: 1 as unknown as boolean }), "avgPool2d: invalid ceilMode; expected true or false, got 1"],
    ["torch's option spelling", () => F.maxPool2d(x, 2, { ceil_mode: true } as object), 'maxPool2d: unknown option "ceil_mode" — did you mean "ceilMode"?; expected one of stride, padding, dilation, ceilMode'],
    ["dilation on average pooling", () => F.avgPool2d(x, 2, { dilation: 2 } as object), 'avgPool2d: unknown option "dilation"; expected one of stride, padding, ceilMode, countIncludePad, divisorOverride'],
    ["2-D input", () => F.maxPool2d(mn.zeros([4, 4]), 2), "maxPool2d: invalid input shape; expected a 3-D [C,H,W] or 4-D [N,C,H,W] tensor with C, H and W ≥ 1, got [4,4]"],
    ["5-D input", () => F.avgPool2d(mn.zeros([1, 1, 1, 4, 4]), 2), "avgPool2d: invalid input shape; expected a 3-D [C,H,W] or 4-D [N,C,H,W] tensor with C, H and W ≥ 1, got [1,1,1,4,4]"],
    ["no channels", () => F.adaptiveAvgPool2d(mn.zeros([1, 0, 4, 4]), 2), "adaptiveAvgPool2d: invalid input shape; expected a 3-D [C,H,W] or 4-D [N,C,H,W] tensor with C, H and W ≥ 1, got [1,0,4,4]"],
    ["integer input", () => F.maxPool2d(mn.zeros([1, 1, 4, 4], { dtype: "int32" }), 2), "maxPool2d: input must be a floating-point tensor; expected float32 or float64, got int32"],
    ["output size 0", () => F.maxPool2d(mn.zeros([1, 1, 2, 5]), 3), "maxPool2d: input [1,1,2,5] is too small for kernelSize [3,3], stride [3,3], padding [0,0], dilation [1,1]; expected an output size ≥ 1, got [0,1]"],
    ["dilated output size 0", () => F.maxPool2d(x, 2, { dilation: [1, 4] }), "maxPool2d: input [1,1,4,4] is too small for kernelSize [2,2], stride [2,2], padding [0,0], dilation [1,4]; expected an output size ≥ 1, got [2,0]"],
    ["a window wholly in the padding", () => F.maxPool2d(mn.zeros([1, 1, 2, 2]), 2, { stride: 1, padding: 1, dilation: 3 }),
      "maxPool2d: window 0 along H of input [1,1,2,2] reads only padding with kernelSize [2,2], stride [1,1], padding [1,1], dilation [3,3]"],
    ["adaptive outputSize 0", () => F.adaptiveAvgPool2d(x, 0), "adaptiveAvgPool2d: invalid outputSize; expected a positive integer or a pair of them (null keeps that input size), got 0"],
    ["adaptive outputSize [2,-1]", () => F.adaptiveAvgPool2d(x, [2, -1]), "adaptiveAvgPool2d: invalid outputSize; expected a positive integer or a pair of them (null keeps that input size), got [2,-1]"],
    ["MaxPool2d checks at construction", () => new mn.nn.MaxPool2d(3, { padding: 2 }), "MaxPool2d: padding must be at most half of kernelSize [3,3]; expected at most [1,1], got [2,2]"],
    ["AvgPool2d checks at construction", () => new mn.nn.AvgPool2d(2, { divisorOverride: 1.5 }), "AvgPool2d: invalid divisorOverride; expected a non-zero integer, got 1.5"],
    ["AdaptiveAvgPool2d checks at construction", () => new mn.nn.AdaptiveAvgPool2d([0, 1]), "AdaptiveAvgPool2d: invalid outputSize; expected a positive integer or a pair of them (null keeps that input size), got [0,1]"],
  ];
  testErrorCases(cases);

  test("bad options are OptionErrors and bad shapes ShapeErrors", () => {
    assert.throws(() => F.maxPool2d(x, 0), mn.OptionError);
    assert.throws(() => F.avgPool2d(x, 3, { padding: 2 }), mn.OptionError);
    assert.throws(() => F.maxPool2d(mn.zeros([4, 4]), 2), mn.ShapeError);
    assert.throws(() => F.maxPool2d(mn.zeros([1, 1, 2, 2]), 3), mn.ShapeError);
  });
});
