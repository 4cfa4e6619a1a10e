import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { jsKernels } from "../../../src/backend/js/index.js";
import type { Kernels, BinaryOp, UnaryOp } from "../../../src/backend/kernels.js";
import { nativeKernels, nativeStatus } from "../../../src/backend/native/index.js";
import { Generator } from "../../../src/tensor/random.js";
import { assertSame, onOneAndTwoThreads, random } from "./helpers.js";

// The native elementwise kernels (unary, binary with broadcasting, bias + activation) against the js ones.
describe("native elementwise kernels", () => {
  if (!nativeStatus.loaded) return;
  const native = nativeStatus.addon;
  const kernels = nativeKernels() as Kernels;

  // Elementwise kernels: exactly the js results for the arithmetic, within 4 ulps (of float64, or 1 of float32)
  // for the transcendental functions, whose libm (glibc's, V8's) rounds the last bits differently; erf within
  // 1e-14, the js series' accuracy (about 1e-15, src/backend/js/special.ts) against glibc's.
  const special = [0, -0, 1, -1, 0.5, -2.5, 3, 1e-30, -1e30, Infinity, -Infinity, NaN];
  const UNARY: UnaryOp[] = ["neg", "exp", "log", "sqrt", "abs", "sign", "tanh", "sigmoid", "relu", "leakyRelu", "erf", "reciprocal", "square", "step"];
  const BINARY: BinaryOp[] = ["add", "sub", "mul", "div", "pow", "maximum", "minimum", "eq", "ne", "lt", "le", "gt", "ge", "reluGrad"];

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
});
