import { broadcastStrides } from "../js/elementwise.js";
import type { BinaryOp, UnaryOp } from "../kernels.js";
import type { WasmModule } from "./module.js";
import { allFloat32, withInts, type WasmKernelSet } from "./kernel.js";

// Op codes: the order of the enums in native/src/elementwise-table.h, whose loops native/wasm/elementwise.cc runs.
const UNARY_OPS: readonly UnaryOp[] = ["neg", "exp", "log", "sqrt", "abs", "sign", "tanh", "sigmoid", "relu", "leakyRelu", "erf", "reciprocal", "square", "step"];
const BINARY_OPS: readonly BinaryOp[] = ["add", "sub", "mul", "div", "pow", "maximum", "minimum", "eq", "ne", "lt", "le", "gt", "ge", "reluGrad"];
const UNARY_CODE = new Map(UNARY_OPS.map((op, i) => [op, i]));
const BINARY_CODE = new Map(BINARY_OPS.map((op, i) => [op, i]));
/** The ops whose double result wasi-libc's libm and V8's Math may round differently in the last bit. */
const TRANSCENDENTAL = new Set<string>(["exp", "log", "tanh", "sigmoid", "erf", "pow"]);
/** The same arithmetic as js (exact in float32 or rounded once from double), in the same order: js's bits. */
const exact = () => true;

/** The module's elementwise exports (native/wasm/elementwise.cc); pointers are byte offsets, booleans 0 or 1. */
interface ElementwiseExports {
  unary_f32(op: number, x: number, out: number, n: number, param: number): void;
  binary_f32(op: number, a: number, aLen: number, b: number, bLen: number, out: number, n: number, rank: number, shape: number,
    aStrides: number, bStrides: number): void;
  bias_activation_f32(x: number, n: number, c: number, l: number, channelsFirst: number, bias: number, relu: number, out: number): void;
  clamp_f32(x: number, out: number, n: number, lo: number, hi: number): void;
  where_f32(cond: number, a: number, b: number, out: number, n: number): void;
}
const w = (mod: WasmModule) => mod.exports as unknown as ElementwiseExports;

/** unary, binary (broadcast), biasActivation, clamp and where on float32; other dtypes run on js. */
export const elementwiseKernels: WasmKernelSet = {
  unary: {
    takes: (_op, x, out) => allFloat32(x, out),
    sameAsJs: (op) => !TRANSCENDENTAL.has(op),
    run: (mod, io, op, x, out, param) => w(mod).unary_f32(UNARY_CODE.get(op)!, io.read(x), io.write(out), x.length, param),
  },
  binary: {
    takes: (_op, a, _as, b, _bs, out) => allFloat32(a, b, out),
    sameAsJs: (op) => !TRANSCENDENTAL.has(op),
    run(mod, io, op, a, aShape, b, bShape, out, outShape) {
      const n = out.length, flat = (a.length === n || a.length === 1) && (b.length === n || b.length === 1);
      const pa = io.read(a), pb = io.read(b), po = io.write(out);
      withInts(mod, (ints) => {
        const [shape, as, bs] = flat ? [0, 0, 0] : [ints(outShape), ints(broadcastStrides(aShape, outShape)), ints(broadcastStrides(bShape, outShape))];
        w(mod).binary_f32(BINARY_CODE.get(op)!, pa, a.length, pb, b.length, po, n, outShape.length, shape, as, bs);
      });
    },
  },
  biasActivation: {
    takes: (x, _n, _c, _l, _cf, bias, _relu, out) => allFloat32(x, bias, out),
    sameAsJs: exact,
    run: (mod, io, x, n, c, l, channelsFirst, bias, relu, out) =>
      w(mod).bias_activation_f32(io.read(x), n, c, l, channelsFirst ? 1 : 0, bias ? io.read(bias) : 0, relu ? 1 : 0, io.write(out)),
  },
  clamp: {
    takes: (x, out) => allFloat32(x, out),
    sameAsJs: exact,
    run: (mod, io, x, out, lo, hi) => w(mod).clamp_f32(io.read(x), io.write(out), x.length, lo, hi),
  },
  where: {
    takes: (cond, a, b, out) => allFloat32(cond, a, b, out),
    sameAsJs: exact,
    run: (mod, io, cond, a, b, out) => w(mod).where_f32(io.read(cond), io.read(a), io.read(b), io.write(out), out.length),
  },
};
