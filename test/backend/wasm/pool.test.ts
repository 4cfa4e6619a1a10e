import assert from "node:assert/strict";
import { test } from "node:test";
import { avgPoolParams, maxPoolParams, slidingGeometry, adaptiveGeometry } from "../../../src/autograd/ops/pool-window.js";
import { jsKernels } from "../../../src/backend/js/index.js";
import { wasmKernels } from "../../../src/backend/wasm/index.js";
import { wasmUnavailable } from "../../../src/backend/wasm/module.js";
import * as mn from "../../../src/index.node.js";

const why = wasmUnavailable();
if (why && process.env["MINIMA_REQUIRE_WASM"] === "1") throw new Error(`MINIMA_REQUIRE_WASM=1 but the wasm backend is unavailable: ${why}`);
const wasm = why ? null : wasmKernels();

/** Odd inputs [n, c, h, w] with NaNs and ties sprinkled in, so max's first-max and NaN rules are exercised. */
function input(shape: number[], g: mn.Generator): mn.Tensor {
  const x = mn.randn(shape, { generator: g });
  const d = x.data as Float32Array;
  for (let i = 0; i < d.length; i += 13) d[i] = d[i + 1] ?? 0; // ties
  for (let i = 7; i < d.length; i += 41) d[i] = NaN;
  return x;
}

const CASES: { shape: number[]; k: number | [number, number]; o: Record<string, unknown> }[] = [
  { shape: [2, 3, 7, 9], k: 2, o: {} },
  { shape: [1, 2, 11, 6], k: [3, 2], o: { stride: [2, 1], padding: [1, 1] } },
  { shape: [3, 1, 9, 10], k: 3, o: { stride: 2, padding: 1, ceilMode: true } },
  { shape: [1, 3, 13, 8], k: 2, o: { dilation: 2 } },
];

test("the wasm max pooling and its backward equal the js kernels bit for bit (odd sizes, padding, stride, dilation, ceilMode, ties, NaN)", { skip: why ?? false }, () => {
  const g = new mn.Generator(21);
  for (const { shape, k, o } of CASES) {
    const x = input(shape, g);
    const geo = slidingGeometry("maxPool2d", x, maxPoolParams("maxPool2d", k, o));
    const outLen = geo.planes * geo.rows.start.length * geo.cols.start.length;
    const [outJs, outWasm] = [new Float32Array(outLen), new Float32Array(outLen)];
    const [idxJs, idxWasm] = [new Int32Array(outLen), new Int32Array(outLen)];
    jsKernels.maxPool2d(x.data as Float32Array, geo.planes, geo.inH, geo.inW, geo.rows, geo.cols, outJs, idxJs);
    wasm!.maxPool2d!(x.data as Float32Array, geo.planes, geo.inH, geo.inW, geo.rows, geo.cols, outWasm, idxWasm);
    assert.deepEqual(outWasm, outJs, `${JSON.stringify({ shape, k, o })}`);
    assert.deepEqual(idxWasm, idxJs);
    const gy = mn.randn([outLen], { generator: g }).data as Float32Array, inPlane = geo.inH * geo.inW, outPlane = outLen / geo.planes;
    const [gxJs, gxWasm] = [new Float32Array(geo.planes * inPlane), new Float32Array(geo.planes * inPlane).fill(7)];
    jsKernels.maxPool2dBackward(gy, idxJs, geo.planes, inPlane, outPlane, gxJs);
    wasm!.maxPool2dBackward!(gy, idxJs, geo.planes, inPlane, outPlane, gxWasm);
    assert.deepEqual(gxWasm, gxJs);
  }
});

test("the wasm average pooling and its backward equal the js kernels bit for bit (padding counted or not, divisorOverride, adaptive windows)", { skip: why ?? false }, () => {
  const g = new mn.Generator(22);
  const geometries = CASES.filter((c) => !("dilation" in c.o)).flatMap(({ shape, k, o }) => {
    const x = mn.randn(shape, { generator: g });
    return [{}, { countIncludePad: false }, { divisorOverride: 3 }].map((extra) => {
      const params = avgPoolParams("avgPool2d", k, { ...o, ...extra });
      return { x, geo: slidingGeometry("avgPool2d", x, params), divisor: params.divisorOverride };
    });
  });
  const xa = mn.randn([2, 3, 10, 7], { generator: g });
  geometries.push({ x: xa, geo: adaptiveGeometry("adaptiveAvgPool2d", xa, [4, 3]), divisor: 0 });
  for (const { x, geo, divisor } of geometries) {
    const outLen = geo.planes * geo.rows.start.length * geo.cols.start.length, inLen = geo.planes * geo.inH * geo.inW;
    const [outJs, outWasm] = [new Float32Array(outLen), new Float32Array(outLen)];
    jsKernels.avgPool2d(x.data as Float32Array, geo.planes, geo.inH, geo.inW, geo.rows, geo.cols, divisor, outJs);
    wasm!.avgPool2d!(x.data as Float32Array, geo.planes, geo.inH, geo.inW, geo.rows, geo.cols, divisor, outWasm);
    assert.deepEqual(outWasm, outJs);
    const gy = mn.randn([outLen], { generator: g }).data as Float32Array;
    const [gxJs, gxWasm] = [new Float32Array(inLen), new Float32Array(inLen).fill(7)];
    jsKernels.avgPool2dBackward(gy, geo.planes, geo.inH, geo.inW, geo.rows, geo.cols, divisor, gxJs);
    wasm!.avgPool2dBackward!(gy, geo.planes, geo.inH, geo.inW, geo.rows, geo.cols, divisor, gxWasm);
    assert.deepEqual(gxWasm, gxJs);
  }
});
