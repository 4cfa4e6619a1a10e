// The wasm kernels' test cases, shared by Node (kernels.test.ts) and Chromium (a page runs runKernelCases on the
// same module): each case makes a kernel's arguments from a seeded generator (odd sizes, ±0, ±∞, NaN, broadcasts,
// every op and dtype), runs the wasm kernel on one copy and the reference (the js kernel, or the rule's own loop for
// a fused optimizer update) on another, and compares what each wrote. No Node imports: a browser bundle takes it.
import type { BinaryOp, Kernels, ReduceOp, SmoothActivation, UnaryOp } from "../../../src/backend/kernels.js";
import { jsKernels } from "../../../src/backend/js/index.js";
import { wasmKernelSet, wasmKernels } from "../../../src/backend/wasm/index.js";
import type { WasmModule } from "../../../src/backend/wasm/module.js";
import { adagrad } from "../../../src/optim/adagrad.js";
import { adam } from "../../../src/optim/adam.js";
import { adamw } from "../../../src/optim/adamw.js";
import type { Rule } from "../../../src/optim/optimizer.js";
import { rmsprop } from "../../../src/optim/rmsprop.js";
import { sgd } from "../../../src/optim/sgd.js";
import { checkOptions } from "../../../src/options.js";
import type { FloatArray, TypedArray } from "../../../src/tensor/dtype.js";
import { Generator } from "../../../src/tensor/random.js";

/**
 * How close the wasm result must be to the reference's. exact: the same bits (any NaN for NaN) — the same arithmetic
 * in the same order. ulps: within that many float32 ulps of the reference, plus `abs` — the transcendental functions,
 * whose libm (wasi-libc's musl in the module, V8's fdlibm in js) may round the last bit of a double differently, which
 * rounding to float32 almost always hides. relOfMax: within that fraction of the largest |reference| of the array —
 * the fused optimizer updates, which round every operation to float32 as torch does where the js loop rounds once.
 */
export type Tolerance = { exact: true } | { ulps: number; abs: number } | { relOfMax: number };
const EXACT: Tolerance = { exact: true };
const ONE_ULP: Tolerance = { ulps: 1, abs: 0 };

export interface KernelCase {
  readonly name: string;
  readonly kernel: keyof Kernels;
  /** Fresh arguments, the same on every call (a seeded generator). */
  args(): unknown[];
  /** The arguments the kernel writes, compared after both ran: a position, or [position, j] for element j of an array argument (optimizer buffers). */
  readonly outputs: readonly (number | readonly [number, number])[];
  readonly tolerance: Tolerance;
  /** Runs the reference on its copy of the arguments (default: the js kernel of the same name). */
  reference?(args: unknown[]): unknown;
}

type DType = "float32" | "float64" | "int32";
const SPECIAL = [0, -0, 1, -1, 0.5, -2.5, 3, 1e-30, -1e30, Infinity, -Infinity, NaN];
/** Partners for SPECIAL in binary ops: ±0 against ∓0, NaN and ±∞ against numbers and each other. */
const PARTNERS = [-0, 0, NaN, 1, -1e30, 0.5, Infinity, 3, -Infinity, 1e-30, NaN, -1];
const SIZES = [1, 7, 33, 1031];

function make(dtype: DType, n: number, seed: number, fill: (g: Generator, i: number) => number): TypedArray {
  const g = new Generator(seed);
  const a = dtype === "float32" ? new Float32Array(n) : dtype === "float64" ? new Float64Array(n) : new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = fill(g, i);
  return a;
}
/** Uniform in [−scale, scale). */
const uniform = (dtype: DType, n: number, seed: number, scale = 1) => make(dtype, n, seed, (g) => (g.random() * 2 - 1) * scale);
/** Uniform in [−4, 4) with ±0, ±∞, NaN and extremes first (floats only); `partners` puts PARTNERS first instead. */
const withSpecials = (dtype: DType, n: number, seed: number, partners = false) =>
  make(dtype, n, seed, (g, i) => (i < SPECIAL.length ? (partners ? PARTNERS : SPECIAL)[i]! : (g.random() * 2 - 1) * 4));
const integers = (n: number, seed: number, low: number, high: number) => make("int32", n, seed, (g) => g.integer(low, high)) as Int32Array;
const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
const zeros = (dtype: DType, n: number) => make(dtype, n, 0, () => 0);

const FLOATS: DType[] = ["float32", "float64"];
const UNARY: UnaryOp[] = ["neg", "exp", "log", "sqrt", "abs", "sign", "tanh", "sigmoid", "relu", "leakyRelu", "erf", "reciprocal", "square", "step"];
const TRANSCENDENTAL = new Set(["exp", "log", "tanh", "sigmoid", "erf", "pow"]);
const BINARY: BinaryOp[] = ["add", "sub", "mul", "div", "pow", "maximum", "minimum", "eq", "ne", "lt", "le", "gt", "ge", "reluGrad"];
const BROADCASTS: [number[], number[], number[]][] = [
  [[257], [257], [257]], [[3, 1, 5], [4, 1], [3, 4, 5]], [[7], [1], [7]], [[1], [2, 7], [2, 7]], [[33, 7], [7], [33, 7]],
  [[2, 3, 4], [2, 1, 4], [2, 3, 4]], [[5, 1, 3, 1], [1, 4, 1, 6], [5, 4, 3, 6]], [[1, 1], [1, 1], [1, 1]], [[0, 3], [3], [0, 3]],
];

function elementwiseCases(): KernelCase[] {
  const cases: KernelCase[] = [];
  for (const dtype of FLOATS) {
    for (const op of UNARY) {
      for (const n of SIZES) {
        cases.push({ name: `unary ${op} n=${n} ${dtype}`, kernel: "unary", args: () => [op, withSpecials(dtype, n, n), zeros(dtype, n), 0.1], outputs: [2],
          tolerance: TRANSCENDENTAL.has(op) ? ONE_ULP : EXACT });
      }
    }
    for (const op of BINARY) {
      for (const [as, bs, os] of BROADCASTS) {
        cases.push({ name: `binary ${op} ${JSON.stringify(as)} ${JSON.stringify(bs)} ${dtype}`, kernel: "binary",
          args: () => [op, withSpecials(dtype, size(as), 1), as, withSpecials(dtype, size(bs), 2, true), bs, zeros(dtype, size(os)), os], outputs: [5],
          tolerance: op === "pow" ? ONE_ULP : EXACT });
      }
    }
    for (const [n, c, l] of [[1, 1, 1], [3, 7, 1], [7, 3, 33], [2, 257, 1]] as const) {
      for (const channelsFirst of [false, true]) for (const bias of [true, false]) for (const relu of [true, false]) {
        cases.push({ name: `biasActivation [${n},${c},${l}] channelsFirst ${channelsFirst} bias ${bias} relu ${relu} ${dtype}`, kernel: "biasActivation",
          args: () => [withSpecials(dtype, n * c * l, 3), n, c, l, channelsFirst, bias ? uniform(dtype, c, 4) : null, relu, zeros(dtype, n * c * l)],
          outputs: [7], tolerance: EXACT });
      }
    }
    for (const [lo, hi] of [[-0.5, 0.25], [-Infinity, 0.1], [0.3, Infinity], [0, Infinity], [-1, 0], [-0, 0]] as const) {
      cases.push({ name: `clamp [${lo}, ${hi}] ${dtype}`, kernel: "clamp", args: () => [withSpecials(dtype, 1031, 5), zeros(dtype, 1031), lo, hi], outputs: [1], tolerance: EXACT });
    }
    cases.push({ name: `where ${dtype}`, kernel: "where", args: () => [make(dtype, 1031, 6, (g, i) => (i === 0 ? NaN : g.random() < 0.5 ? 0 : 1)),
      withSpecials(dtype, 1031, 7), uniform(dtype, 1031, 8), zeros(dtype, 1031)], outputs: [3], tolerance: EXACT });
    for (const op of ["silu", "softplus", "elu", "mish"] as SmoothActivation[]) {
      for (const deriv of [true, false]) {
        cases.push({ name: `smoothActivation ${op} deriv ${deriv} ${dtype}`, kernel: "smoothActivation",
          args: () => [op, make(dtype, 1031, 9, (g, i) => (i < SPECIAL.length ? SPECIAL[i]! : (g.random() * 2 - 1) * 30)), zeros(dtype, 1031),
            deriv ? zeros(dtype, 1031) : null, op === "elu" ? 1.5 : 2, 15],
          outputs: deriv ? [2, 3] : [2], tolerance: ONE_ULP });
      }
    }
  }
  cases.push({ name: "unary exp in place (out is x) float32", kernel: "unary", args: () => { const x = withSpecials("float32", 33, 10); return ["exp", x, x, 0]; },
    outputs: [1], tolerance: ONE_ULP });
  cases.push({ name: "binary mul in place (out is a) float32", kernel: "binary", args: () => { const a = uniform("float32", 35, 11); return ["mul", a, [5, 7], uniform("float32", 7, 12), [7], a, [5, 7]]; },
    outputs: [1], tolerance: EXACT });
  cases.push({ name: "binary add int32 (js)", kernel: "binary", args: () => ["add", integers(21, 13, -9, 9), [3, 7], integers(7, 14, -9, 9), [7], zeros("int32", 21), [3, 7]],
    outputs: [5], tolerance: EXACT });
  return cases;
}

function reduceCases(): KernelCase[] {
  const cases: KernelCase[] = [];
  const shapes = [[1, 1, 1], [1, 1031, 1], [7, 33, 1], [3, 5, 7], [2, 9, 300], [0, 3, 2]] as const;
  for (const dtype of FLOATS) {
    for (const op of ["sum", "max", "min", "argmax", "argmin"] as ReduceOp[]) {
      for (const [o, s, i] of shapes) {
        const index = op === "argmax" || op === "argmin";
        cases.push({ name: `reduce ${op} [${o},${s},${i}] ${dtype}`, kernel: "reduce",
          args: () => [op, make(dtype, o * s * i, 20, (g, k) => (k === 40 ? NaN : (g.random() * 2 - 1) * 5)), o, s, i, zeros(index ? "int32" : dtype, o * i)],
          outputs: [5], tolerance: EXACT });
      }
    }
    for (const [o, s, i] of shapes.slice(0, 5)) {
      for (const log of [false, true]) {
        cases.push({ name: `softmax log ${log} [${o},${s},${i}] ${dtype}`, kernel: "softmax",
          args: () => [make(dtype, o * s * i, 21, (g, k) => (k === 3 ? -Infinity : (g.random() * 2 - 1) * 20)), o, s, i, zeros(dtype, o * s * i), log],
          outputs: [4], tolerance: { ulps: 1, abs: 1e-14 } });
      }
    }
    for (const n of [0, 1, 7, 1031, 40_003]) {
      cases.push({ name: `sumOfSquares n=${n} ${dtype}`, kernel: "sumOfSquares", args: () => [uniform(dtype, n, 22, 3)], outputs: [], tolerance: EXACT });
    }
    for (const [n, c] of [[1, 1], [7, 10], [33, 3], [5, 257]] as const) {
      for (const smoothing of [0, 0.1]) {
        const x = () => make(dtype, n * c, 23, (g) => (g.random() * 2 - 1) * 10);
        cases.push({ name: `crossEntropy [${n},${c}] smoothing ${smoothing} ${dtype}`, kernel: "crossEntropy",
          args: () => [x(), n, c, integers(n, 24, 0, c), smoothing, zeros(dtype, n), zeros(dtype, n * c)], outputs: [5, 6], tolerance: { ulps: 1, abs: 1e-14 } });
        const probs = () => make(dtype, n * c, 25, (g) => g.random());
        cases.push({ name: `crossEntropyBackward [${n},${c}] smoothing ${smoothing} ${dtype}`, kernel: "crossEntropyBackward",
          args: () => [probs(), integers(n, 24, 0, c), n, c, smoothing, uniform(dtype, n, 26), zeros(dtype, n * c)], outputs: [6], tolerance: EXACT });
      }
    }
  }
  return cases;
}

function layoutCases(): KernelCase[] {
  const cases: KernelCase[] = [];
  for (const dtype of ["float32", "float64", "int32"] as DType[]) {
    const data = (n: number, seed: number) => (dtype === "int32" ? integers(n, seed, -1000, 1000) : uniform(dtype, n, seed));
    for (const [shape, perm] of [[[7, 33], [1, 0]], [[3, 5, 7], [2, 0, 1]], [[3, 5, 7], [1, 0, 2]], [[2, 3, 4, 5], [3, 1, 0, 2]], [[9], [0]], [[], []]] as [number[], number[]][]) {
      cases.push({ name: `permute ${JSON.stringify(shape)} ${JSON.stringify(perm)} ${dtype}`, kernel: "permute",
        args: () => [data(size(shape), 30), shape, perm, zeros(dtype, size(shape))], outputs: [3], tolerance: EXACT });
    }
    for (const [shape, starts, steps, outShape] of [
      [[7, 33], [1, 2], [2, 3], [3, 11]], [[3, 5, 7], [0, 1, 6], [1, 2, -1], [3, 2, 7]], [[1031], [5], [7], [147]], [[4, 4], [0, 0], [1, 1], [0, 4]],
    ] as [number[], number[], number[], number[]][]) {
      cases.push({ name: `slice ${JSON.stringify([shape, starts, steps])} ${dtype}`, kernel: "slice",
        args: () => [data(size(shape), 31), shape, starts, steps, zeros(dtype, size(outShape)), outShape], outputs: [4], tolerance: EXACT });
      if (dtype !== "int32") {
        cases.push({ name: `sliceAdd ${JSON.stringify([shape, starts, steps])} ${dtype}`, kernel: "sliceAdd",
          args: () => [data(size(outShape), 32), outShape, data(size(shape), 33), shape, starts, steps], outputs: [2], tolerance: EXACT });
      }
    }
    for (const [shape, outShape] of [[[1, 7], [5, 7]], [[3, 1], [3, 33]], [[2, 1, 4], [2, 3, 4]], [[1, 1, 1], [2, 3, 5]], [[1], [1031]]] as [number[], number[]][]) {
      cases.push({ name: `expand ${JSON.stringify(shape)} to ${JSON.stringify(outShape)} ${dtype}`, kernel: "expand",
        args: () => [data(size(shape), 34), shape, zeros(dtype, size(outShape)), outShape], outputs: [2], tolerance: EXACT });
    }
    for (const [shape, dim, indexShape] of [[[7, 10], 1, [7, 3]], [[7, 10], 0, [4, 10]], [[3, 5, 7], 2, [3, 5, 2]], [[3, 5, 7], 1, [2, 4, 7]], [[33], 0, [101]]] as [number[], number, number[]][]) {
      const index = () => integers(size(indexShape), 35, 0, shape[dim]!);
      cases.push({ name: `gather ${JSON.stringify(shape)} dim ${dim} ${JSON.stringify(indexShape)} ${dtype}`, kernel: "gather",
        args: () => [data(size(shape), 36), shape, dim, index(), indexShape, zeros(dtype, size(indexShape))], outputs: [5], tolerance: EXACT });
      if (dtype !== "int32") {
        cases.push({ name: `scatterAdd ${JSON.stringify(shape)} dim ${dim} ${JSON.stringify(indexShape)} ${dtype}`, kernel: "scatterAdd",
          args: () => [data(size(shape), 37), shape, dim, index(), indexShape, data(size(indexShape), 38)], outputs: [0], tolerance: EXACT });
      }
    }
  }
  return cases;
}

function normalizeCases(): KernelCase[] {
  const cases: KernelCase[] = [];
  for (const dtype of FLOATS) {
    for (const [n, c, s] of [[1, 1, 1], [7, 3, 1], [5, 4, 33], [2, 17, 9]] as const) {
      const x = () => uniform(dtype, n * c * s, 40, 3);
      const stats = (seed: number, positive: boolean) => make("float64", c, seed, (g) => (positive ? 0.5 + g.random() : g.random() - 0.5)) as Float64Array;
      cases.push({ name: `batchNormStats [${n},${c},${s}] ${dtype}`, kernel: "batchNormStats", args: () => [x(), n, c, s, new Float64Array(c), new Float64Array(c)],
        outputs: [4, 5], tolerance: EXACT });
      for (const affine of [true, false]) {
        cases.push({ name: `batchNormForward [${n},${c},${s}] affine ${affine} ${dtype}`, kernel: "batchNormForward",
          args: () => [x(), n, c, s, stats(41, false), stats(42, true), affine ? uniform(dtype, c, 43) : null, affine ? uniform(dtype, c, 44) : null, zeros(dtype, n * c * s)],
          outputs: [8], tolerance: EXACT });
        for (const training of [true, false]) {
          cases.push({ name: `batchNormBackward [${n},${c},${s}] affine ${affine} training ${training} ${dtype}`, kernel: "batchNormBackward",
            args: () => [uniform(dtype, n * c * s, 45), x(), n, c, s, stats(41, false), stats(42, true), affine ? uniform(dtype, c, 43) : null, training,
              zeros(dtype, n * c * s), affine ? zeros(dtype, c) : null, affine ? zeros(dtype, c) : null],
            outputs: affine ? [9, 10, 11] : [9], tolerance: EXACT });
        }
      }
    }
    for (const [n, groups, cpg, spatial] of [[1, 1, 1, 1], [3, 2, 3, 5], [2, 1, 7, 33], [5, 4, 1, 9]] as const) {
      const rows = n * groups, total = rows * cpg * spatial, channels = groups * cpg;
      for (const affine of [true, false]) {
        cases.push({ name: `normalizeGroupsForward [${n},${groups},${cpg},${spatial}] affine ${affine} ${dtype}`, kernel: "normalizeGroupsForward",
          args: () => [uniform(dtype, total, 46, 3), n, groups, cpg, spatial, affine ? uniform(dtype, channels, 47) : null, affine ? uniform(dtype, channels, 48) : null,
            1e-5, new Float64Array(rows), new Float64Array(rows), zeros(dtype, total)], outputs: [8, 9, 10], tolerance: EXACT });
        for (const withGx of [true, false]) {
          cases.push({ name: `normalizeGroupsBackward [${n},${groups},${cpg},${spatial}] affine ${affine} gx ${withGx} ${dtype}`, kernel: "normalizeGroupsBackward",
            args: () => [uniform(dtype, total, 49), uniform(dtype, total, 46, 3), n, groups, cpg, spatial, affine ? uniform(dtype, channels, 47) : null,
              make("float64", rows, 50, (g) => g.random() - 0.5), make("float64", rows, 51, (g) => 0.5 + g.random()), withGx ? zeros(dtype, total) : null,
              new Float64Array(channels), new Float64Array(channels)], outputs: withGx ? [9, 10, 11] : [10, 11], tolerance: EXACT });
        }
      }
    }
  }
  return cases;
}

function optimizerCases(): KernelCase[] {
  const rules: [Rule<any>, Record<string, unknown>][] = [
    [sgd, {}], [sgd, { momentum: 0.9, dampening: 0.3, weightDecay: 0.01 }], [sgd, { momentum: 0.9, nesterov: true, maximize: true }],
    [adam, {}], [adam, { amsgrad: true, weightDecay: 0.01, maximize: true }], [adam, { biasCorrection: false, epsInsideSqrt: true }],
    [adamw, { weightDecay: 0.1 }], [rmsprop, {}], [rmsprop, { centered: true, momentum: 0.9, weightDecay: 0.01 }],
    [rmsprop, { epsInsideSqrt: true, maximize: true }], [adagrad, { lrDecay: 0.1, initialAccumulatorValue: 0.1 }], [adagrad, { epsInsideSqrt: true }],
  ];
  const cases: KernelCase[] = [];
  for (const [rule, options] of rules) {
    for (const dtype of FLOATS) {
      for (const t of [1, 3]) {
        const o = checkOptions(rule.name, { lr: 0.01, ...options }, rule.options) as never;
        const on = Object.entries(rule.buffers(o));
        const n = 1031;
        // State as after earlier steps: every buffer in [0.5, 1.5) (second moments must be positive; centered RMSprop's
        // v − avg² too, so avg is scaled down).
        cases.push({ name: `optimizerStep ${rule.name} ${JSON.stringify(options)} t=${t} ${dtype}`, kernel: "optimizerStep",
          args: () => [rule.name, uniform(dtype, n, 60), uniform(dtype, n, 61),
            on.map(([name, isOn], j) => (isOn ? make(dtype, n, 62 + j, (g) => (name === "gradAvg" ? 0.1 : 1) * (0.5 + g.random())) : null)),
            Float64Array.from(rule.coefficients(o, t, {}))],
          outputs: [1, ...on.flatMap(([, isOn], j) => (isOn ? [[3, j] as const] : []))],
          tolerance: dtype === "float64" ? EXACT : { relOfMax: 2e-6 },
          // float32: the rule's own loop; float64: wasm declines (false: the optimizer then runs the rule's loop itself), nothing written.
          reference(args) {
            if (dtype === "float64") return false;
            const [, p, g, buffers, k] = args as [string, FloatArray, FloatArray, (FloatArray | null)[], Float64Array];
            rule.step(p, g, Object.fromEntries(on.flatMap(([name], j) => (buffers[j] ? [[name, buffers[j]!]] : []))), k as never);
            return true;
          },
        });
      }
    }
  }
  return cases;
}

/** Every case: each wasm kernel of native/wasm on every op and dtype, odd sizes, special values, broadcasts. */
export const KERNEL_CASES: readonly KernelCase[] = [...elementwiseCases(), ...reduceCases(), ...layoutCases(), ...normalizeCases(), ...optimizerCases()];

/** ulp of float32 at |v| (the subnormal spacing below the normal range). */
function ulp32(v: number): number {
  const a = Math.abs(v);
  return a < 2 ** -126 ? 2 ** -149 : 2 ** (Math.floor(Math.log2(a)) - 23);
}

function output(args: unknown[], at: number | readonly [number, number]): TypedArray {
  return (typeof at === "number" ? args[at] : (args[at[0]] as TypedArray[])[at[1]]) as TypedArray;
}

function compare(got: ArrayLike<number>, want: ArrayLike<number>, tolerance: Tolerance, label: string): string | null {
  if (got.length !== want.length) return `${label}: length ${got.length}, reference ${want.length}`;
  const scale = "relOfMax" in tolerance ? Math.max(0, ...Array.from(want, (v) => (Number.isFinite(v) ? Math.abs(v) : 0))) : 0;
  for (let i = 0; i < want.length; i++) {
    const g = got[i]!, w = want[i]!;
    if (Object.is(g, w) || (Number.isNaN(g) && Number.isNaN(w))) continue;
    const ok = "exact" in tolerance ? false
      : "ulps" in tolerance ? Number.isFinite(w) && Math.abs(g - w) <= tolerance.ulps * ulp32(w) + tolerance.abs
      : Math.abs(g - w) <= tolerance.relOfMax * scale;
    if (!ok) return `${label}: element ${i}: wasm ${g}, reference ${w}`;
  }
  return null;
}

/** Runs one case on the wasm table and on its reference; null when they agree, else what differs (case, output, element, values). */
export function runKernelCase(c: KernelCase, wasm: Kernels): string | null {
  const mine = c.args(), theirs = c.args();
  const call = (k: Kernels, args: unknown[]) => (k[c.kernel] as unknown as (...a: unknown[]) => unknown)(...args);
  const got = call(wasm, mine);
  const want = c.reference ? c.reference(theirs) : call(jsKernels, theirs);
  if (typeof want === "number" || typeof want === "boolean") {
    const same = Object.is(got, want) || (typeof got === "number" && Number.isNaN(got) && Number.isNaN(want));
    if (!same) return `${c.name}: returned ${String(got)}, reference ${String(want)}`;
  }
  for (const at of c.outputs) {
    const why = compare(output(mine, at), output(theirs, at), c.tolerance, `${c.name}, output ${at}`);
    if (why) return why;
  }
  return null;
}

/** Runs every case; the list of mismatches (empty when the wasm kernels pass). */
export function runKernelCases(wasm: Kernels): string[] {
  return KERNEL_CASES.map((c) => runKernelCase(c, wasm)).filter((why): why is string => why !== null);
}

/**
 * A digest (FNV-1a, 32 bits, hex) of the outputs of every case that the module's own kernels run (float32, int32
 * moves; not those handed to js, whose Math differs between V8 versions), each NaN counted as one bit pattern
 * (engines may differ in a NaN's payload): one build must give the same digest in Node and in a browser.
 */
export function digestKernelCases(mod: WasmModule): string {
  const table = wasmKernelSet as Record<string, { takes(...a: unknown[]): boolean } | undefined>;
  const wasm = wasmKernels(mod, { jsBelow: 0 }) as unknown as Record<string, (...a: unknown[]) => unknown>;
  let h = 0x811c9dc5;
  const mix = (byte: number) => { h = Math.imul(h ^ byte, 0x01000193) >>> 0; };
  const f64 = new Float64Array(1), bytes = new Uint8Array(f64.buffer);
  const add = (v: number) => { f64[0] = Number.isNaN(v) ? NaN : v; bytes.forEach(mix); };
  for (const c of KERNEL_CASES) {
    const args = c.args();
    if (!table[c.kernel]?.takes(...args)) continue;
    const result = wasm[c.kernel]!(...args);
    if (typeof result === "number" || typeof result === "boolean") add(Number(result));
    for (const at of c.outputs) output(args, at).forEach(add);
  }
  return h.toString(16).padStart(8, "0");
}
