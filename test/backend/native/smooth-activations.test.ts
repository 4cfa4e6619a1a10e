import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { jsKernels } from "../../../src/backend/js/index.js";
import type { Kernels, SmoothActivation } from "../../../src/backend/kernels.js";
import { nativeKernels, nativeStatus } from "../../../src/backend/native/index.js";
import { Generator } from "../../../src/tensor/random.js";

// SiLU, Softplus, ELU and Mish (smoothActivation): the native kernel against the js one on large random inputs
// that reach every branch (Softplus's threshold, saturation at large |x|, NaN, ±∞, ±0); both compute in double
// and round once, so they differ only where glibc's exp, expm1 or log1p and V8's round a double's last bit
// differently. The thread count never changes a native result. Special values against torch 1.13's outputs.
type Dtype = "float32" | "float64";
const CASES: [string, SmoothActivation, number, number][] = [
  ["silu", "silu", 0, 0], ["softplus", "softplus", 1, 20], ["softplus β 2, threshold 1", "softplus", 2, 1],
  ["softplus β −0.5, threshold 5", "softplus", -0.5, 5], ["elu", "elu", 1, 0], ["elu α 0.5", "elu", 0.5, 0], ["mish", "mish", 0, 0],
];
const SPECIAL = [NaN, Infinity, -Infinity, 0, -0, 20, -20, 19.999998, 20.000002, 0.5, 0.50000006, 2.5, 10, -10, 1e-30, -1e-30, 88, -88, 710, -710, 1e30, -1e30];
const floats = (dtype: Dtype, n: number) => (dtype === "float32" ? new Float32Array(n) : new Float64Array(n));

/** n values: the special ones, then normals at scales 1, 4, 30 and 300, so every branch and both tails are hit. */
function inputs(dtype: Dtype, n: number, gen: Generator) {
  const x = floats(dtype, n);
  const scales = [1, 4, 30, 300];
  for (let i = 0; i < n; i++) x[i] = i < SPECIAL.length ? SPECIAL[i]! : gen.normal() * scales[i % scales.length]!;
  return x;
}

/**
 * Equal, or both NaN, or within a rounding of each other: 1 ulp of float32 relative (4 of float64), or, where
 * f' cancels (σ·(1 + x·(1 − σ)) near its zero, Mish's x·σ·(1 − t²) as t → 1), 4 double ulps of (1 + |x|): an
 * exp's last bit carried through a term of size |x|.
 */
function assertClose(got: ArrayLike<number>, want: ArrayLike<number>, x: ArrayLike<number>, dtype: Dtype, label: string) {
  const ulp = dtype === "float32" ? 2 ** -23 : 2 ** -50;
  for (let i = 0; i < want.length; i++) {
    const [g, w] = [got[i]!, want[i]!];
    if (Object.is(g, w) || (Number.isNaN(g) && Number.isNaN(w))) continue;
    const bound = Math.max(ulp * Math.abs(w), 2 ** -50 * (1 + Math.abs(x[i]!)));
    if (!(Math.abs(g - w) <= bound)) assert.fail(`${label} element ${i} (x = ${x[i]}): native ${g}, js ${w}`);
  }
}

describe("native smoothActivation (SiLU, Softplus, ELU, Mish)", () => {
  if (!nativeStatus.loaded) return;
  const native = nativeStatus.addon;
  const kernels = nativeKernels() as Kernels;

  for (const dtype of ["float32", "float64"] as const) {
    test(`equals the js kernel within a rounding on 200,003 values and NaN, ±∞, ±0, thresholds, saturation, value and f' (${dtype})`, () => {
      const x = inputs(dtype, 200_003, new Generator(21));
      for (const [label, op, p0, p1] of CASES) {
        for (const withDeriv of [true, false]) {
          const [outJs, outNative] = [floats(dtype, x.length).fill(7), floats(dtype, x.length).fill(7)];
          const [dJs, dNative] = withDeriv ? [floats(dtype, x.length).fill(7), floats(dtype, x.length).fill(7)] : [null, null];
          jsKernels.smoothActivation(op, x, outJs, dJs, p0, p1);
          kernels.smoothActivation(op, x, outNative, dNative, p0, p1);
          assertClose(outNative, outJs, x, dtype, `${label} ${dtype} value`);
          if (dJs && dNative) assertClose(dNative, dJs, x, dtype, `${label} ${dtype} f'`);
        }
      }
    });
  }

  test("gives the same bits on 1, 2 and 3 threads (float32, 100,003 values)", () => {
    const x = inputs("float32", 100_003, new Generator(22));
    const threads = native.cpuInfo().threads;
    try {
      for (const [label, op, p0, p1] of CASES) {
        const runs = [1, 2, 3].map((t) => {
          native.setNumThreads(t);
          const out = new Float32Array(x.length), deriv = new Float32Array(x.length);
          kernels.smoothActivation(op, x, out, deriv, p0, p1);
          return [out, deriv];
        });
        for (const [out, deriv] of runs.slice(1)) {
          assert.deepEqual(out, runs[0]![0], `${label}: value`);
          assert.deepEqual(deriv, runs[0]![1], `${label}: f'`);
        }
      }
    } finally {
      native.setNumThreads(threads);
    }
  });

  test("an int32 input runs on the js kernel; a wrong argument is a TypeError naming the kernel and the argument", () => {
    const x = new Int32Array([-3, 0, 4]), out = new Float32Array(3), want = new Float32Array(3);
    kernels.smoothActivation("silu", x, out, null, 0, 0);
    jsKernels.smoothActivation("silu", x, want, null, 0, 0);
    assert.deepEqual(out, want);
    assert.throws(() => native.smoothActivation(9, new Float32Array(3), new Float32Array(3), null, 0, 0),
      { name: "TypeError", message: "minima native smoothActivation: argument 0 must be a smooth activation op code" });
    assert.throws(() => native.smoothActivation(0, new Float32Array(3), new Float32Array(3), new Float64Array(3), 0, 0),
      { name: "TypeError", message: "minima native smoothActivation: argument 3 must be a Float32Array like argument 1" });
  });
});

// torch 1.13's outputs at NaN, ±∞, ±800 and past the thresholds (F.silu, F.softplus, F.elu, F.mish on float32):
// NaN stays NaN; x·σ(x) and x·tanh(softplus(x)) are NaN at −∞ (−∞·0) and ±0 signs follow x.
describe("smoothActivation at NaN and ±∞ gives torch's values, on every backend", () => {
  const x = new Float32Array([NaN, Infinity, -Infinity, -800, 800, 25]);
  const TORCH: [SmoothActivation, number, number[]][] = [
    ["silu", 0, [NaN, Infinity, NaN, -0, 800, 25]],
    ["softplus", 1, [NaN, Infinity, 0, 0, 800, 25]],
    ["elu", 1, [NaN, Infinity, -1, -1, 800, 25]],
    ["mish", 0, [NaN, Infinity, NaN, -0, 800, 25]],
  ];
  const backends: [string, Pick<Kernels, "smoothActivation">][] = [["js", jsKernels], ...(nativeStatus.loaded ? [["native", nativeKernels() as Kernels] as [string, Kernels]] : [])];
  for (const [name, k] of backends) {
    test(`${name}: silu, softplus, elu and mish as torch`, () => {
      for (const [op, p0, want] of TORCH) {
        const out = new Float32Array(x.length);
        k.smoothActivation(op, x, out, new Float32Array(x.length), p0, 20);
        assert.deepEqual(Array.from(out), want, op);
      }
    });
  }
});
