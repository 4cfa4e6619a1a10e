import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { jsKernels } from "../../src/backend/js/index.js";
import type { BinaryOp, ConvGeometry, Kernels, UnaryOp } from "../../src/backend/kernels.js";
import { nativeKernels, nativeStatus } from "../../src/backend/native/index.js";
import { adagrad } from "../../src/optim/adagrad.js";
import { adam } from "../../src/optim/adam.js";
import { adamw } from "../../src/optim/adamw.js";
import type { Rule } from "../../src/optim/optimizer.js";
import { rmsprop } from "../../src/optim/rmsprop.js";
import { sgd } from "../../src/optim/sgd.js";
import { Generator } from "../../src/tensor/random.js";
import * as mn from "../../src/index.js";
import { getBackend, setBackend } from "../../src/backend/select.js";
import { randn } from "../../src/tensor/create.js";
import type { FloatArray } from "../../src/tensor/dtype.js";
import { avgPoolParams, slidingGeometry } from "../../src/autograd/ops/pool-window.js";

// Every native kernel against the js reference kernel on random inputs: odd sizes, every transpose,
// batches with shared and strided operands, both float dtypes. CI's .ci/run fails when the addon does not
// load, so there these tests always run; elsewhere the absent addon must say why.
const SIZES = [1, 3, 7, 33, 257];

function random(n: number, dtype: "float32" | "float64", gen: Generator) {
  const a = dtype === "float32" ? new Float32Array(n) : new Float64Array(n);
  for (let i = 0; i < n; i++) a[i] = gen.random() * 2 - 1;
  return a;
}

/** |native − js| ≤ 2·k·ε·Σ|aᵢbᵢ| ≤ 2k²ε (entries in [−1, 1]): each side's worst-case error for a sum of k products. */
function assertMatmulClose(got: ArrayLike<number>, want: ArrayLike<number>, k: number, dtype: "float32" | "float64", label: string) {
  const eps = dtype === "float32" ? 2 ** -24 : 2 ** -53;
  for (let i = 0; i < want.length; i++) {
    const bound = 2 * k * k * eps;
    if (!(Math.abs(got[i]! - want[i]!) <= bound)) assert.fail(`${label}: element ${i}: native ${got[i]}, js ${want[i]} (bound ${bound})`);
  }
}

describe("native backend", () => {
  if (!nativeStatus.loaded) {
    test("when the addon is absent it says why, in one line", () => {
      assert.ok(!nativeStatus.loaded && /\S/.test(nativeStatus.reason) && !nativeStatus.reason.includes("\n"));
    });
    return;
  }
  const native = nativeStatus.addon;
  const kernels = nativeKernels() as Kernels;

  test("matmul equals the js kernel: sizes 1, 3, 7, 33, 257 (non-square), every transpose, float32 and float64", () => {
    const gen = new Generator(7);
    for (const dtype of ["float32", "float64"] as const) {
      for (const m of SIZES) for (const n of [1, 7, 33]) for (const k of [1, 3, 257]) {
        for (const transA of [false, true]) for (const transB of [false, true]) {
          const a = random(m * k, dtype, gen), b = random(k * n, dtype, gen);
          const want = dtype === "float32" ? new Float32Array(m * n) : new Float64Array(m * n);
          const got = want.slice();
          jsKernels.matmul(a, b, want, 1, m, n, k, transA, transB, 0, 0);
          native.matmul(a, b, got, 1, m, n, k, transA, transB, 0, 0);
          assertMatmulClose(got, want, k, dtype, `${dtype} ${m}x${k}·${k}x${n} transA ${transA} transB ${transB}`);
        }
      }
    }
  });

  test("batched matmul: strided and shared (stride 0) operands; k = 0 writes zeros", () => {
    const gen = new Generator(8);
    const [batch, m, n, k] = [3, 5, 4, 6];
    for (const [aStride, bStride] of [[m * k, k * n], [0, k * n], [m * k, 0]] as const) {
      const a = random(aStride ? batch * m * k : m * k, "float64", gen), b = random(bStride ? batch * k * n : k * n, "float64", gen);
      const want = new Float64Array(batch * m * n), got = new Float64Array(batch * m * n);
      jsKernels.matmul(a, b, want, batch, m, n, k, false, true, aStride, bStride);
      native.matmul(a, b, got, batch, m, n, k, false, true, aStride, bStride);
      assertMatmulClose(got, want, k, "float64", `strides ${aStride}, ${bStride}`);
    }
    const out = new Float32Array(6).fill(5);
    native.matmul(new Float32Array(0), new Float32Array(0), out, 1, 2, 3, 0, false, false, 0, 0);
    assert.deepEqual(Array.from(out), [0, 0, 0, 0, 0, 0]);
  });

  test("a wrong argument is a TypeError naming the kernel and the argument", () => {
    assert.throws(() => native.matmul(new Float32Array(4), new Float64Array(4), new Float32Array(4), 1, 2, 2, 2, false, false, 0, 0),
      { name: "TypeError", message: "minima native matmul: argument 1 must be a Float32Array like argument 0" });
    assert.throws(() => native.matmul(new Int32Array(4) as never, new Int32Array(4) as never, new Int32Array(4) as never, 1, 2, 2, 2, false, false, 0, 0),
      { name: "TypeError", message: "minima native matmul: argument 0 must be a Float32Array or Float64Array" });
  });

  // Each fused update against the rule's own loop, 5 steps on 1,031 random values (an odd length, so the
  // vector loops' tails run). float64: to 1e-13 relative (the same arithmetic, up to fused multiply-adds);
  // float32: the native kernel rounds every operation to float32 as torch does, the js loop only the results.
  const cases: [Rule<any>, Record<string, unknown>][] = [
    [sgd, {}], [sgd, { momentum: 0.9, dampening: 0.3, weightDecay: 0.01 }], [sgd, { momentum: 0.9, nesterov: true, maximize: true }],
    [adam, {}], [adam, { amsgrad: true, weightDecay: 0.01, maximize: true }], [adam, { biasCorrection: false, epsInsideSqrt: true }],
    [adamw, { weightDecay: 0.1 }], [rmsprop, {}], [rmsprop, { centered: true, momentum: 0.9, weightDecay: 0.01 }],
    [rmsprop, { epsInsideSqrt: true, maximize: true }], [adagrad, { lrDecay: 0.1, initialAccumulatorValue: 0.1 }], [adagrad, { epsInsideSqrt: true }],
  ];
  for (const [rule, options] of cases) {
    for (const dtype of ["float64", "float32"] as const) {
      test(`fused ${rule.name} ${JSON.stringify(options)} equals the rule's loop (${dtype})`, () => {
        const o = { ...rule.defaults, lr: 0.01, ...options } as never;
        const gen = new Generator(11);
        const n = 1031;
        const p = random(n, dtype, gen);
        const init = (): { p: FloatArray; s: (FloatArray | null)[] } => ({
          p: p.slice(), s: Object.values(rule.buffers(o)).map((on) => (on ? (dtype === "float32" ? new Float32Array(n) : new Float64Array(n)) : null)),
        });
        const [a, b] = [init(), init()];
        for (let t = 1; t <= 5; t++) {
          const g = random(n, dtype, gen);
          const k = rule.coefficients(o, t, {});
          rule.step(a.p, g, a.s, k);
          assert.equal(kernels.optimizerStep!(rule.name, b.p, g, b.s, k), true);
        }
        const rel = dtype === "float64" ? 1e-13 : 2e-6;
        const scale = Math.max(...Array.from(a.p, Math.abs));
        for (let i = 0; i < n; i++) {
          if (!(Math.abs(a.p[i]! - b.p[i]!) <= rel * scale)) assert.fail(`${rule.name} ${dtype} element ${i}: js ${a.p[i]}, native ${b.p[i]}`);
        }
        const names = Object.keys(rule.buffers(o));
        a.s.forEach((buf, j) => {
          if (!buf) return;
          const sc = Math.max(...Array.from(buf, Math.abs));
          buf.forEach((v, i) => { if (!(Math.abs(v - b.s[j]![i]!) <= rel * sc)) assert.fail(`${rule.name} ${dtype} ${names[j]}[${i}]: js ${v}, native ${b.s[j]![i]}`); });
        });
      });
    }
  }

  test("optimizerStep fuses SGD, Adam, AdamW, RMSprop and Adagrad only: another rule gets false and its arrays are left alone", () => {
    const [p, g, m, v] = [Float64Array.of(1, 2), Float64Array.of(0.5, -0.5), new Float64Array(2), new Float64Array(2)];
    assert.equal(kernels.optimizerStep!("NAdam", p, g, [m, v], [0.9, 0.1, 0.999, 0.001, 0.001, 0.1, 0.1, 1e-8, 0, 1]), false);
    assert.deepEqual([...p, ...m, ...v], [1, 2, 0, 0, 0, 0]);
  });

  test("optimizerStep: a wrong argument is a TypeError naming the kernel and the argument", () => {
    const [p, g, buf] = [new Float32Array(3), new Float32Array(3), new Float32Array(3)];
    const sgdK = [0.1, 0.9, 1, 0, 1, 0, 1];
    assert.throws(() => kernels.optimizerStep!("SGD", p, g, [buf], [0.1, 0.9]),
      { name: "TypeError", message: "minima native optimizerStep: argument 4 must be 7 coefficients for SGD" });
    assert.throws(() => kernels.optimizerStep!("SGD", p, g, [new Float64Array(3)], sgdK),
      { name: "TypeError", message: "minima native optimizerStep: argument 5 must be a Float32Array like argument 1" });
    assert.throws(() => kernels.optimizerStep!("SGD", p, new Float64Array(3), [buf], sgdK),
      { name: "TypeError", message: "minima native optimizerStep: argument 2 must be a Float32Array like argument 1" });
  });

  // Elementwise kernels: exactly the js results for the arithmetic, within 4 ulps (of float64, or 1 of float32)
  // for the transcendental functions, whose libm (glibc's, V8's) rounds the last bits differently; erf within
  // 1e-14, the js series' accuracy (about 1e-15, src/backend/js/special.ts) against glibc's.
  const special = [0, -0, 1, -1, 0.5, -2.5, 3, 1e-30, -1e30, Infinity, -Infinity, NaN];
  const transcendental = new Set(["exp", "log", "tanh", "sigmoid", "erf", "pow"]);
  const UNARY: UnaryOp[] = ["neg", "exp", "log", "sqrt", "abs", "sign", "tanh", "sigmoid", "relu", "leakyRelu", "erf", "reciprocal", "square", "step"];
  const BINARY: BinaryOp[] = ["add", "sub", "mul", "div", "pow", "maximum", "minimum", "eq", "ne", "lt", "le", "gt", "ge", "reluGrad"];
  function assertSame(got: ArrayLike<number>, want: ArrayLike<number>, op: string, dtype: string) {
    const ulp = dtype === "float32" ? 2 ** -23 : 2 ** -50;
    for (let i = 0; i < want.length; i++) {
      const [g, w] = [got[i]!, want[i]!];
      const bound = op === "erf" ? Math.max(ulp, 1e-14) : ulp;
      const ok = Object.is(g, w) || (Number.isNaN(g) && Number.isNaN(w)) || (transcendental.has(op) && Math.abs(g - w) <= bound * Math.abs(w));
      if (!ok) assert.fail(`${op} ${dtype} element ${i}: native ${g}, js ${w}`);
    }
  }
  for (const dtype of ["float32", "float64"] as const) {
    const make = (n: number, gen: Generator) => {
      const a = random(n, dtype, gen);
      for (let i = 0; i < a.length; i++) a[i] = i < special.length ? special[i]! : a[i]! * 4;
      return a;
    };
    test(`unary: every op equals the js kernel on 1,031 values and ±0, ±∞, NaN (${dtype})`, () => {
      const x = make(1031, new Generator(3));
      for (const op of UNARY) {
        const want = x.slice().fill(7), got = x.slice().fill(7);
        jsKernels.unary(op, x, want, 0.1);
        kernels.unary(op, x, got, 0.1);
        assertSame(got, want, op, dtype);
      }
    });
    test(`binary: every op equals the js kernel, same shapes and broadcasts (${dtype})`, () => {
      const gen = new Generator(4);
      const shapes: [number[], number[], number[]][] = [
        [[257], [257], [257]], [[3, 1, 5], [4, 1], [3, 4, 5]], [[7], [1], [7]], [[1], [2, 7], [2, 7]], [[33, 7], [7], [33, 7]],
        [[2, 3, 4], [2, 1, 4], [2, 3, 4]], [[1, 1], [1, 1], [1, 1]], [[0, 3], [3], [0, 3]],
      ];
      for (const op of BINARY) {
        for (const [as, bs, os] of shapes) {
          const a = make(as.reduce((x, y) => x * y, 1), gen), b = random(bs.reduce((x, y) => x * y, 1), dtype, gen);
          const n = os.reduce((x, y) => x * y, 1);
          const want = dtype === "float32" ? new Float32Array(n) : new Float64Array(n), got = want.slice();
          jsKernels.binary(op, a, as, b, bs, want, os);
          kernels.binary(op, a, as, b, bs, got, os);
          assertSame(got, want, `${op} ${JSON.stringify([as, bs])}`.startsWith("pow") ? "pow" : op, dtype);
        }
      }
    });
  }

  for (const dtype of ["float32", "float64"] as const) {
    test(`reduce (sum, max, min) and softmax equal the js kernels over [outer, size, inner] views (${dtype})`, () => {
      const gen = new Generator(6);
      for (const [outer, size, inner] of [[1, 1, 1], [3, 7, 1], [1, 257, 33], [5, 3, 7], [1, 128, 10], [2, 0, 3], [64, 10, 1], [1, 40000, 3]]) {
        const x = random(outer * size * inner, dtype, gen);
        if (x.length > 3) { x[1] = NaN; x[2] = Infinity; }
        for (const op of ["sum", "max", "min"] as const) {
          const want = dtype === "float32" ? new Float32Array(outer * inner) : new Float64Array(outer * inner), got = want.slice();
          jsKernels.reduce(op, x, outer, size, inner, want);
          kernels.reduce(op, x, outer, size, inner, got);
          assertSame(got, want, op, dtype);
        }
        const finite = x.map((v) => (Number.isFinite(v) ? v : 0.5));
        for (const log of [false, true]) {
          const want = finite.slice().fill(0), got = want.slice();
          jsKernels.softmax(finite, outer, size, inner, want, log);
          kernels.softmax(finite, outer, size, inner, got, log);
          assertSame(got, want, "exp", dtype);
        }
      }
    });
  }

  test("im2col and col2im equal the js kernels exactly: strides, padding, dilation, odd sizes, both dtypes", () => {
    const gen = new Generator(9);
    const geometries: ConvGeometry[] = [
      [3, 7, 7, 3, 3, 1, 1, 0, 0, 1, 1, 5, 5], [2, 5, 6, 3, 3, 2, 2, 1, 1, 1, 1, 3, 3], [1, 9, 9, 3, 3, 1, 1, 2, 2, 2, 2, 9, 9],
      [33, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1], [4, 8, 3, 2, 3, 1, 2, 1, 0, 1, 1, 9, 1], [32, 13, 13, 3, 3, 1, 1, 0, 0, 1, 1, 11, 11],
    ];
    for (const dtype of ["float32", "float64"] as const) {
      for (const g of geometries) {
        const [c, h, w, kh, kw, , , , , , , oh, ow] = g;
        const n = 3;
        const x = random(n * c * h * w, dtype, gen);
        const colsJs = random(n * c * kh * kw * oh * ow, dtype, gen), colsNative = colsJs.slice();
        jsKernels.im2col(x, n, g, colsJs);
        kernels.im2col(x, n, g, colsNative);
        assertSame(colsNative, colsJs, "im2col", dtype);
        const outJs = random(x.length, dtype, gen), outNative = outJs.slice();
        jsKernels.col2im(colsJs, n, g, outJs);
        kernels.col2im(colsJs, n, g, outNative);
        assertSame(outNative, outJs, "col2im", dtype);
      }
    }
  });

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

  /** Runs `body` with the pool at 1 and at 2 threads, putting the count back after. */
  const onOneAndTwoThreads = (body: (threads: number) => void) => {
    const threads = native.cpuInfo().threads;
    try {
      for (const t of [1, 2]) {
        native.setNumThreads(t);
        body(t);
      }
    } finally {
      native.setNumThreads(threads);
    }
  };

  test("large inputs split across the thread pool give the js results, with 1 and 2 threads", () => {
    const gen = new Generator(5);
    onOneAndTwoThreads((t) => {
      const x = random(200_003, "float32", gen), y = random(201, "float32", gen);
      const u1 = new Float32Array(x.length), u2 = new Float32Array(x.length);
      jsKernels.unary("relu", x, u1, 0);
      kernels.unary("relu", x, u2, 0);
      assertSame(u2, u1, "relu", "float32");
      const shape = [995, 201], b1 = new Float32Array(995 * 201), b2 = new Float32Array(995 * 201);
      const a = x.subarray(0, 995 * 201);
      jsKernels.binary("mul", a, shape, y, [201], b1, shape);
      kernels.binary("mul", a, shape, y, [201], b2, shape);
      assertSame(b2, b1, "mul", "float32");
      const col = random(995, "float32", gen);
      jsKernels.binary("sub", a, shape, col, [995, 1], b1, shape);
      kernels.binary("sub", a, shape, col, [995, 1], b2, shape);
      assertSame(b2, b1, "sub", "float32");
      assert.equal(native.cpuInfo().threads, t);
    });
  });

  test("sumOfSquares equals the js kernel bit for bit (chunks of 2^14 added in order) with 1 and 2 threads, and a closed form", () => {
    const gen = new Generator(11);
    onOneAndTwoThreads((t) => {
      for (const dtype of ["float32", "float64"] as const) {
        for (const n of [0, 1, 3, 16383, 16384, 16385, 200_003]) {
          const x = random(n, dtype, gen);
          assert.ok(Object.is(kernels.sumOfSquares(x), jsKernels.sumOfSquares(x)), `${dtype} n=${n}, ${t} threads: ${kernels.sumOfSquares(x)} vs ${jsKernels.sumOfSquares(x)}`);
        }
      }
    });
    // Σ k² for k = 1..n is n(n+1)(2n+1)/6: exact in double for these integers.
    const ks = Float64Array.from({ length: 70_000 }, (_, i) => i + 1);
    assert.equal(kernels.sumOfSquares(ks), (70_000 * 70_001 * 140_001) / 6);
    assert.ok(Number.isNaN(kernels.sumOfSquares(Float32Array.of(1, NaN, 2))));
  });

  test("biasActivation equals the js kernel: both layouts, bias or none, relu or none, odd sizes, both dtypes", () => {
    const gen = new Generator(12);
    for (const dtype of ["float32", "float64"] as const) {
      for (const [n, c, l] of [[1, 1, 1], [3, 7, 1], [7, 3, 33], [33, 5, 7], [2, 257, 1]] as const) {
        const x = random(n * c * l, dtype, gen), bias = random(c, dtype, gen);
        for (const channelsFirst of [false, true]) {
          for (const b of [bias, null]) {
            for (const relu of [false, true]) {
              const want = dtype === "float32" ? new Float32Array(x.length) : new Float64Array(x.length);
              const got = dtype === "float32" ? new Float32Array(x.length) : new Float64Array(x.length);
              jsKernels.biasActivation(x, n, c, l, channelsFirst, b, relu, want);
              kernels.biasActivation(x, n, c, l, channelsFirst, b, relu, got);
              assertSame(got, want, `biasActivation ${n}x${c}x${l} channelsFirst=${channelsFirst} bias=${b !== null} relu=${relu}`, dtype);
            }
          }
        }
      }
    }
  });

  test("crossEntropy and its backward equal the js kernels (to the last bits of exp and log): odd sizes, smoothing, both dtypes", () => {
    const gen = new Generator(14);
    for (const dtype of ["float32", "float64"] as const) {
      const ulp = dtype === "float32" ? 2 ** -23 : 2 ** -50;
      const close = (got: ArrayLike<number>, want: ArrayLike<number>, label: string) => {
        for (let i = 0; i < want.length; i++) {
          if (!(Math.abs(got[i]! - want[i]!) <= 4 * ulp * Math.max(1, Math.abs(want[i]!)))) assert.fail(`${label} element ${i}: native ${got[i]}, js ${want[i]}`);
        }
      };
      for (const [n, c] of [[1, 1], [3, 7], [33, 10], [257, 3], [1000, 33]] as const) {
        const x = random(n * c, dtype, gen).map((v) => v * 8);
        const target = Int32Array.from({ length: n }, () => Math.floor(gen.random() * c));
        const gLoss = random(n, dtype, gen);
        for (const smoothing of [0, 0.1]) {
          const make = (len: number) => (dtype === "float32" ? new Float32Array(len) : new Float64Array(len));
          const [lossJs, probsJs, lossNative, probsNative] = [make(n), make(n * c), make(n), make(n * c)];
          jsKernels.crossEntropy(x, n, c, target, smoothing, lossJs, probsJs);
          kernels.crossEntropy(x, n, c, target, smoothing, lossNative, probsNative);
          close(lossNative, lossJs, `loss ${n}x${c} s=${smoothing} ${dtype}`);
          close(probsNative, probsJs, `probs ${n}x${c} s=${smoothing} ${dtype}`);
          const [gJs, gNative] = [make(n * c), make(n * c)];
          jsKernels.crossEntropyBackward(probsJs, target, n, c, smoothing, gLoss, gJs);
          kernels.crossEntropyBackward(probsJs, target, n, c, smoothing, gLoss, gNative);
          assertSame(gNative, gJs, `crossEntropyBackward ${n}x${c} s=${smoothing}`, dtype);
        }
      }
    }
  });

  test("a product split into bands across the pool: the same bits for the same thread count, the js result within rounding", () => {
    const gen = new Generator(13);
    const threads = native.cpuInfo().threads;
    try {
      for (const [m, n, k, tA, tB] of [[300, 257, 129, false, false], [64, 1000, 288, true, false], [513, 40, 200, false, true]] as const) {
        const a = random(m * k, "float32", gen), b = random(k * n, "float32", gen);
        const want = new Float32Array(m * n);
        jsKernels.matmul(a, b, want, 1, m, n, k, tA, tB, 0, 0);
        for (const t of [1, 2]) {
          native.setNumThreads(t);
          const [first, again] = [new Float32Array(m * n), new Float32Array(m * n)];
          kernels.matmul(a, b, first, 1, m, n, k, tA, tB, 0, 0);
          kernels.matmul(a, b, again, 1, m, n, k, tA, tB, 0, 0);
          assert.ok(first.every((v, i) => Object.is(v, again[i])), `${m}x${n}x${k} on ${t} threads: two calls differ`);
          assertMatmulClose(first, want, k, "float32", `${m}x${n}x${k} on ${t} threads`);
        }
      }
    } finally {
      native.setNumThreads(threads);
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

  test("cpuInfo names the SIMD level, threads and BLAS", () => {
    const info = native.cpuInfo();
    assert.match(info.simd, /^(avx2\+fma|baseline)$/);
    assert.ok(info.threads >= 1 && info.cores >= 1);
    assert.match(info.blas, /^OpenBLAS /);
  });
});

// Batch norm: native against js on random inputs over [n, c, s] views. Both sum in float64 in the same
// order without fused multiply-adds, so the results must be identical, bit for bit.
describe("native batch-norm kernels", () => {
  if (!nativeStatus.loaded) return;
  const native = nativeStatus.addon;
  const floats = (dtype: "float32" | "float64", n: number) => (dtype === "float32" ? new Float32Array(n) : new Float64Array(n));
  const exactly = (got: ArrayLike<number> | null, want: ArrayLike<number> | null, label: string) => {
    assert.equal(got === null, want === null, `${label}: presence`);
    if (!got || !want) return;
    for (let i = 0; i < want.length; i++) if (!Object.is(got[i], want[i])) assert.fail(`${label} element ${i}: native ${got[i]}, js ${want[i]}`);
  };

  /** Runs stats, forward and backward (training and not) on both backends and compares every output. */
  function compare(dtype: "float32" | "float64", n: number, c: number, s: number, affine: boolean, gen: Generator) {
    const label = `${dtype} n=${n} c=${c} s=${s} affine=${affine}`;
    const x = random(n * c * s, dtype, gen).map((v, i) => v * (1 + (i % 5)) + 3);
    const gy = random(n * c * s, dtype, gen);
    const weight = affine ? random(c, dtype, gen) : null, bias = affine ? random(c, dtype, gen) : null;
    const stats = () => [new Float64Array(c), new Float64Array(c)] as const;
    const [meanJs, varJs] = stats(), [meanNative, varNative] = stats();
    jsKernels.batchNormStats(x, n, c, s, meanJs, varJs);
    native.batchNormStats(x, n, c, s, meanNative, varNative);
    exactly(meanNative, meanJs, `${label} mean`);
    exactly(varNative, varJs, `${label} variance`);
    const invstd = varJs.map((v) => 1 / Math.sqrt(v + 1e-5));
    const [outJs, outNative] = [floats(dtype, x.length), floats(dtype, x.length)];
    jsKernels.batchNormForward(x, n, c, s, meanJs, invstd, weight, bias, outJs);
    native.batchNormForward(x, n, c, s, meanJs, invstd, weight, bias, outNative);
    exactly(outNative, outJs, `${label} forward`);
    for (const training of [true, false]) {
      const grads = () => [floats(dtype, x.length), affine ? floats(dtype, c) : null, affine ? floats(dtype, c) : null] as const;
      const [gxJs, gwJs, gbJs] = grads(), [gxNative, gwNative, gbNative] = grads();
      jsKernels.batchNormBackward(gy, x, n, c, s, meanJs, invstd, weight, training, gxJs, gwJs, gbJs);
      native.batchNormBackward(gy, x, n, c, s, meanJs, invstd, weight, training, gxNative, gwNative, gbNative);
      exactly(gxNative, gxJs, `${label} training=${training} gx`);
      exactly(gwNative, gwJs, `${label} training=${training} gWeight`);
      exactly(gbNative, gbJs, `${label} training=${training} gBias`);
    }
  }

  for (const dtype of ["float32", "float64"] as const) {
    test(`stats, forward and backward equal the js kernels exactly: n, c, s ∈ {1, 3, 7, 33}, with and without affine (${dtype})`, () => {
      const gen = new Generator(12);
      for (const n of [1, 3, 7, 33]) for (const c of [1, 3, 7, 33]) for (const s of [1, 3, 7, 33]) compare(dtype, n, c, s, (n + c + s) % 2 === 0, gen);
    });
  }

  test("large inputs split over channels across the thread pool give the js results, with 1 and 2 threads", () => {
    const gen = new Generator(13);
    const threads = native.cpuInfo().threads;
    try {
      for (const t of [1, 2]) {
        native.setNumThreads(t);
        compare("float32", 16, 9, 4099, true, gen);
        compare("float64", 4096, 5, 7, false, gen);
      }
    } finally {
      native.setNumThreads(threads);
    }
  });

  test("a null output is left alone and a wrong argument is a TypeError naming the kernel and the argument", () => {
    const x = new Float64Array([1, 2, 3, 4]), gy = new Float64Array([1, -1, 2, 0]), mean = new Float64Array([2.5]), invstd = new Float64Array([1]);
    const gWeight = new Float64Array(1);
    native.batchNormBackward(gy, x, 4, 1, 1, mean, invstd, null, true, null, gWeight, null);
    const want = new Float64Array(1);
    jsKernels.batchNormBackward(gy, x, 4, 1, 1, mean, invstd, null, true, null, want, null);
    exactly(gWeight, want, "gWeight alone");
    assert.throws(() => native.batchNormStats(x, 4, 1, 1, new Float32Array(1) as never, new Float64Array(1)),
      { name: "TypeError", message: "minima native batchNormStats: argument 4 must be a Float64Array" });
    assert.throws(() => native.batchNormForward(x, 4, 1, 1, mean, invstd, new Float32Array(1), null, new Float64Array(4)),
      { name: "TypeError", message: "minima native batchNormForward: argument 6 must be null or a typed array like argument 0" });
    assert.throws(() => native.batchNormForward(new Int32Array(4) as never, 4, 1, 1, mean, invstd, null, null, new Float64Array(4)),
      { name: "TypeError", message: "minima native batchNormForward: argument 0 must be a Float32Array or Float64Array" });
  });
});
