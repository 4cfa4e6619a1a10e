import { broadcastStrides } from "../js/elementwise.js";
import type { BinaryOp, UnaryOp } from "../kernels.js";
import type { WasmModule } from "./module.js";
import { allFloat32, type WasmKernelTable } from "./placement.js";

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

/** unary, binary (broadcast), biasActivation, clamp and where on float32; other dtypes run on js. */
export function wasmElementwise(mod: WasmModule): WasmKernelTable {
  const w = mod.exports as unknown as ElementwiseExports;
  return {
    unary: {
      takes: (_op, x, out) => allFloat32(x, out),
      sameAsJs: (op) => !TRANSCENDENTAL.has(op),
      run: (place, op, x, out, param) => w.unary_f32(UNARY_CODE.get(op)!, place.input(x), place.output(out), x.length, param),
    },
    binary: {
      takes: (_op, a, _as, b, _bs, out) => allFloat32(a, b, out),
      sameAsJs: (op) => !TRANSCENDENTAL.has(op),
      run(place, op, a, aShape, b, bShape, out, outShape) {
        const n = out.length, flat = (a.length === n || a.length === 1) && (b.length === n || b.length === 1);
        const pa = place.input(a), pb = place.input(b), po = place.output(out);
        const [shape, as, bs] = flat ? [0, 0, 0] : [place.ints(outShape), place.ints(broadcastStrides(aShape, outShape)), place.ints(broadcastStrides(bShape, outShape))];
        w.binary_f32(BINARY_CODE.get(op)!, pa, a.length, pb, b.length, po, n, outShape.length, shape, as, bs);
      },
    },
    biasActivation: {
      takes: (x, _n, _c, _l, _cf, bias, _relu, out) => allFloat32(x, bias, out),
      sameAsJs: exact,
      run: (place, x, n, c, l, channelsFirst, bias, relu, out) =>
        w.bias_activation_f32(place.input(x), n, c, l, channelsFirst ? 1 : 0, bias ? place.input(bias) : 0, relu ? 1 : 0, place.output(out)),
    },
    clamp: {
      takes: (x, out) => allFloat32(x, out),
      sameAsJs: exact,
      run: (place, x, out, lo, hi) => w.clamp_f32(place.input(x), place.output(out), x.length, lo, hi),
    },
    where: {
      takes: (cond, a, b, out) => allFloat32(cond, a, b, out),
      sameAsJs: exact,
      run: (place, cond, a, b, out) => w.where_f32(place.input(cond), place.input(a), place.input(b), place.output(out), out.length),
    },
  };
}
