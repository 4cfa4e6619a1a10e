import assert from "node:assert/strict";
import { test } from "node:test";
import type { ConvGeometry } from "../../../src/backend/kernels.js";
import { jsKernels } from "../../../src/backend/js/index.js";
import { wasmKernels } from "../../../src/backend/wasm/index.js";
import { wasmUnavailable } from "../../../src/backend/wasm/module.js";
import * as mn from "../../../src/index.node.js";

const why = wasmUnavailable();
if (why && process.env["MINIMA_REQUIRE_WASM"] === "1") throw new Error(`MINIMA_REQUIRE_WASM=1 but the wasm backend is unavailable: ${why}`);
const wasm = why ? null : wasmKernels();

/** The geometry of the contract for channels c, input h×w, kernel, stride, padding and dilation (torch's output size). */
function geometry(c: number, h: number, w: number, kh: number, kw: number, sh: number, sw: number, ph: number, pw: number, dh: number, dw: number): ConvGeometry {
  const oh = Math.floor((h + 2 * ph - dh * (kh - 1) - 1) / sh) + 1, ow = Math.floor((w + 2 * pw - dw * (kw - 1) - 1) / sw) + 1;
  return [c, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow];
}

const GEOMETRIES: [number, ConvGeometry][] = [
  [2, geometry(3, 7, 9, 3, 3, 1, 1, 1, 1, 1, 1)],
  [1, geometry(1, 5, 4, 1, 1, 1, 1, 0, 0, 1, 1)],
  [3, geometry(2, 11, 6, 3, 2, 2, 1, 2, 0, 1, 1)],
  [2, geometry(4, 9, 10, 2, 3, 3, 2, 1, 2, 2, 2)],
];

test("the wasm im2col and col2im equal the js kernels bit for bit (odd sizes, stride, padding, dilation)", { skip: why ?? false }, () => {
  const g = new mn.Generator(31);
  for (const [n, geo] of GEOMETRIES) {
    const [c, h, w, kh, kw, , , , , , , oh, ow] = geo;
    const x = mn.randn([n * c * h * w], { generator: g }).data as Float32Array;
    const colsLen = c * kh * kw * n * oh * ow;
    const [colsJs, colsWasm] = [new Float32Array(colsLen), new Float32Array(colsLen).fill(NaN)];
    jsKernels.im2col(x, n, geo, colsJs);
    wasm!.im2col!(x, n, geo, colsWasm);
    assert.deepEqual(colsWasm, colsJs, JSON.stringify(geo));
    const cols = mn.randn([colsLen], { generator: g }).data as Float32Array;
    const [outJs, outWasm] = [new Float32Array(n * c * h * w), new Float32Array(n * c * h * w).fill(NaN)];
    jsKernels.col2im(cols, n, geo, outJs);
    wasm!.col2im!(cols, n, geo, outWasm);
    assert.deepEqual(outWasm, outJs, JSON.stringify(geo));
  }
});

test("mn.nn.functional.conv2d on wasm matches js within float32 rounding, forward and gradients (bias, stride, padding, groups)", { skip: why ?? false }, () => {
  const run = (backend: string) => {
    mn.setBackend(backend);
    try {
      const g = new mn.Generator(32);
      const x = mn.randn([2, 4, 9, 7], { generator: g }).requiresGrad_();
      const w = mn.randn([6, 2, 3, 2], { generator: g }).requiresGrad_(), b = mn.randn([6], { generator: g }).requiresGrad_();
      const y = mn.nn.functional.conv2d(x, w, b, { stride: [2, 1], padding: [1, 0], groups: 2 });
      y.mul(y).sum().backward();
      return [y, x.grad!, w.grad!, b.grad!].map((t) => Array.from(t.data));
    } finally {
      mn.setBackend("js");
    }
  };
  const [a, b] = [run("wasm"), run("js")];
  a.forEach((arr, t) => arr.forEach((v, i) => assert.ok(Math.abs(v - b[t]![i]!) <= 1e-4 * (1 + Math.abs(b[t]![i]!)), `tensor ${t} at ${i}: ${v} vs ${b[t]![i]}`)));
});
