import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { jsKernels } from "../../../src/backend/js/index.js";
import type { Kernels } from "../../../src/backend/kernels.js";
import { nativeKernels, nativeStatus } from "../../../src/backend/native/index.js";
import * as mn from "../../../src/index.node.js";
import { getBackend, setBackend } from "../../../src/backend/select.js";
import { randn } from "../../../src/tensor/create.js";
import type { FloatArray } from "../../../src/tensor/dtype.js";
import { avgPoolParams, slidingGeometry } from "../../../src/autograd/ops/pool-window.js";
import { Generator } from "../../../src/tensor/random.js";
import { assertSame } from "./helpers.js";

// The native pooling kernels (and permute) against the js ones, through the ops on each backend and straight.
describe("native pooling kernels", () => {
  if (!nativeStatus.loaded) return;
  const native = nativeStatus.addon;
  const kernels = nativeKernels() as Kernels;

  test("permute and max pooling equal the js kernels exactly (through the ops, on each backend)", () => {
    const onBoth = <T>(fn: () => T): [T, T] => {
      const suite = getBackend();
      try { setBackend("js"); const a = fn(); setBackend("native"); return [a, fn()]; } finally { setBackend(suite); }
    };
    const gen = new Generator(10);
    for (const dtype of ["float32", "float64"] as const) {
      const x = randn([3, 4, 7, 5], { dtype, generator: gen });
      for (const perm of [[1, 0, 2, 3], [0, 2, 1, 3], [3, 2, 1, 0], [0, 1, 3, 2]]) {
        const [a, b] = onBoth(() => x.permute(perm));
        assert.deepEqual(b.shape, a.shape);
        assertSame(b.data, a.data, "permute", dtype);
      }
      for (const [k, o] of [[2, {}], [3, { stride: 2, padding: 1 }], [[2, 3], { dilation: [2, 1], ceilMode: true }]] as const) {
        const [[ya, ia], [yb, ib]] = onBoth(() => mn.nn.functional.maxPool2dWithIndices(x, k as never, o as never));
        assertSame(yb.data, ya.data, "maxPool2d", dtype);
        assert.deepEqual(Array.from(ib.data), Array.from(ia.data));
      }
    }
  });

  test("max pooling picks the js winner among ties and NaNs (float32 pools eight windows at once with AVX2)", () => {
    const onBoth = <T>(fn: () => T): [T, T] => {
      const suite = getBackend();
      try { setBackend("js"); const a = fn(); setBackend("native"); return [a, fn()]; } finally { setBackend(suite); }
    };
    const gen = new Generator(11);
    for (const dtype of ["float32", "float64"] as const) {
      // Three values and a NaN in thirty: equal maxima in most windows, NaNs in some, several in a few.
      const x = mn.randint(0, 30, [2, 3, 13, 37], { generator: gen, dtype });
      const d = x.data as FloatArray;
      for (let i = 0; i < d.length; i++) d[i] = d[i]! === 0 ? NaN : d[i]! % 3;
      const configs = [[2, {}], [3, { stride: 2, padding: 1 }], [3, { stride: 1, dilation: 2 }], [[2, 3], { stride: [1, 2], ceilMode: true }],
        [[3, 1], { stride: 1, padding: [1, 0] }]] as const;
      for (const [k, o] of configs) {
        const [[ya, ia], [yb, ib]] = onBoth(() => mn.nn.functional.maxPool2dWithIndices(x, k as never, o as never));
        assert.deepEqual(Array.from(ib.data), Array.from(ia.data), `indices, kernel ${JSON.stringify(k)} ${JSON.stringify(o)} (${dtype})`);
        assert.ok(Array.from(yb.data).every((v, i) => Object.is(v, ya.data[i])), `values, kernel ${JSON.stringify(k)} (${dtype})`);
      }
    }
  });

  test("average pooling and its backward equal the js kernels exactly", () => {
    const onBoth = <T>(fn: () => T): [T, T] => {
      const suite = getBackend();
      try { setBackend("js"); const a = fn(); setBackend("native"); return [a, fn()]; } finally { setBackend(suite); }
    };
    // Object.is per element, no tolerance; element by element so a large mismatch never builds a diff.
    const assertExact = (got: ArrayLike<number>, want: ArrayLike<number>, label: string) => {
      assert.equal(got.length, want.length, `${label}: length`);
      for (let i = 0; i < want.length; i++) {
        if (!Object.is(got[i], want[i])) assert.fail(`${label}: element ${i}: native ${got[i]}, js ${want[i]}`);
      }
    };
    // The pooled output and the input's gradient for a random upstream gradient (the same on both backends).
    const pooledAndGrad = (x: mn.Tensor, pool: (t: mn.Tensor) => mn.Tensor, seed: number) => onBoth(() => {
      const y = pool(x);
      const gy = randn(y.shape, { dtype: x.dtype as "float32" | "float64", generator: new Generator(seed) });
      const [gx] = mn.autograd.grad(y, [x], { gradOutputs: [gy] });
      return [y, gx!] as const;
    });
    const check = (x: mn.Tensor, pool: (t: mn.Tensor) => mn.Tensor, label: string, seed: number) => {
      const [[ya, ga], [yb, gb]] = pooledAndGrad(x, pool, seed);
      assert.deepEqual(yb.shape, ya.shape, `${label}: shape`);
      assertExact(yb.data, ya.data, `${label}: avgPool2d`);
      assertExact(gb.data, ga.data, `${label}: avgPool2dBackward`);
    };
    const F = mn.nn.functional;
    const configs = [
      [2, {}], [3, { stride: 2, padding: 1 }], [3, { stride: 2, padding: 1, countIncludePad: false }],
      [3, { stride: 2, padding: 1, ceilMode: true }], [3, { stride: 2, padding: 1, ceilMode: true, countIncludePad: false }],
      [[2, 3], { stride: [1, 2], padding: [1, 1], ceilMode: true, countIncludePad: false }],
      [3, { stride: 1, divisorOverride: 5 }], [[3, 2], { stride: 2, padding: 1, ceilMode: true, divisorOverride: 7 }],
      [3, { stride: 2, padding: 1, divisorOverride: -3 }],
    ] as const;
    const gen = new Generator(14);
    let seed = 100;
    for (const dtype of ["float32", "float64"] as const) {
      for (const shape of [[2, 3, 7, 11], [1, 5, 13, 9], [3, 5, 4]]) {
        const x = randn(shape, { dtype, generator: gen }).requiresGrad_();
        for (const [k, o] of configs) {
          check(x, (t) => F.avgPool2d(t, k as never, o as never), `${dtype} ${JSON.stringify(shape)} kernel ${JSON.stringify(k)} ${JSON.stringify(o)}`, seed++);
        }
        for (const size of [[3, 5], 1, [4, null], [2, 2]] as const) {
          check(x, (t) => F.adaptiveAvgPool2d(t, size as never), `${dtype} ${JSON.stringify(shape)} adaptive ${JSON.stringify(size)}`, seed++);
        }
      }
    }

    // Straight to the kernels with window tables from the op layer: every output element is overwritten.
    for (const dtype of ["float32", "float64"] as const) {
      const x = randn([2, 3, 7, 11], { dtype, generator: gen });
      const g = slidingGeometry("avgPool2d", x, avgPoolParams("avgPool2d", 3, { stride: 2, padding: 1, countIncludePad: false }));
      const outLength = g.planes * g.rows.start.length * g.cols.start.length;
      const make = (n: number) => { const a = dtype === "float32" ? new Float32Array(n) : new Float64Array(n); a.fill(NaN); return a; };
      const [outJs, outNative] = [make(outLength), make(outLength)];
      jsKernels.avgPool2d(x.data as FloatArray, g.planes, g.inH, g.inW, g.rows, g.cols, 0, outJs);
      kernels.avgPool2d(x.data as FloatArray, g.planes, g.inH, g.inW, g.rows, g.cols, 0, outNative);
      assert.ok(!outJs.some(Number.isNaN));
      assertExact(outNative, outJs, `${dtype} avgPool2d kernel`);
      const [gxJs, gxNative] = [make(x.numel()), make(x.numel())];
      jsKernels.avgPool2dBackward(outJs, g.planes, g.inH, g.inW, g.rows, g.cols, 0, gxJs);
      kernels.avgPool2dBackward(outJs, g.planes, g.inH, g.inW, g.rows, g.cols, 0, gxNative);
      assert.ok(!gxJs.some(Number.isNaN));
      assertExact(gxNative, gxJs, `${dtype} avgPool2dBackward kernel`);
    }

    // 64 planes of 33×31: split across the pool (its grain is about 16 such planes), with 1 and 2 threads.
    const threads = native.cpuInfo().threads;
    try {
      for (const t of [1, 2]) {
        native.setNumThreads(t);
        for (const dtype of ["float32", "float64"] as const) {
          const x = randn([4, 16, 33, 31], { dtype, generator: gen }).requiresGrad_();
          check(x, (u) => F.avgPool2d(u, 3, { stride: 2, padding: 1, countIncludePad: false }), `${dtype} large on ${t} threads`, seed++);
          check(x, (u) => F.avgPool2d(u, [2, 3], { stride: 1, ceilMode: true, divisorOverride: 4 }), `${dtype} large override on ${t} threads`, seed++);
          check(x, (u) => F.adaptiveAvgPool2d(u, [5, 7]), `${dtype} large adaptive on ${t} threads`, seed++);
        }
        assert.equal(native.cpuInfo().threads, t);
      }
    } finally {
      native.setNumThreads(threads);
    }
  });
});
