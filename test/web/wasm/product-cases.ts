// The products, convolution's im2col/col2im and pooling as cases that run anywhere (no Node imports): each runs one
// kernel of a table on fresh seeded inputs (odd sizes, every transpose and batch stride, padding, stride, dilation,
// ceilMode, ties and NaN) and returns what it wrote. wasm-kernels.test.ts runs them on the wasm table in Chromium and
// in Node, and on the js table in Node: the same module must give the same bits in both engines, and the js kernel's
// bits (im2col, col2im, pooling) or a product within Higham's float32 bound.
import { avgPoolParams, maxPoolParams, slidingGeometry } from "../../../src/autograd/ops/pool-window.js";
import type { ConvGeometry, Kernels } from "../../../src/backend/kernels.js";
import { randn } from "../../../src/tensor/create.js";
import { Generator } from "../../../src/tensor/random.js";

export interface ProductCase {
  readonly name: string;
  /** "exact": the js kernel's bits; "higham": a product, within γₖ·Σ|a||b| of the exact one (`k` the inner size). */
  readonly check: "exact" | { higham: number };
  /** Runs the kernel of `table` on fresh inputs (the same on every call); what it wrote. */
  run(table: Kernels): (Float32Array | Int32Array)[];
}

const values = (n: number, seed: number) => randn([n], { generator: new Generator(seed) }).data as Float32Array;

function matmulCases(): ProductCase[] {
  const shapes: [number, number, number, number][] = [[1, 1, 1, 1], [1, 7, 9, 13], [3, 5, 17, 33], [2, 33, 31, 129], [1, 128, 10, 256]];
  return shapes.flatMap(([batch, m, n, k], s) => [[false, false], [true, false], [false, true], [true, true]].flatMap(([ta, tb]) =>
    // Batch strides: each batch's own operand, or b shared (stride 0) across the batch.
    [m * k, 0].filter((_, i) => batch > 1 || i === 0).map((bShared) => ({
      name: `matmul batch=${batch} m=${m} n=${n} k=${k} transA=${ta} transB=${tb}${bShared === 0 ? " (b shared)" : ""}`,
      check: { higham: k },
      run: (t: Kernels) => {
        const bStride = bShared === 0 && batch > 1 ? 0 : k * n;
        const a = values(batch * m * k, 100 + s), b = values(bStride === 0 ? k * n : batch * k * n, 200 + s), out = new Float32Array(batch * m * n);
        t.matmul(a, b, out, batch, m, n, k, ta!, tb!, m * k, bStride);
        return [out];
      },
    }))));
}

/** The contract's geometry for channels c, input h×w, kernel, stride, padding and dilation (torch's output size). */
function geometry(c: number, h: number, w: number, kh: number, kw: number, sh: number, sw: number, ph: number, pw: number, dh: number, dw: number): ConvGeometry {
  const oh = Math.floor((h + 2 * ph - dh * (kh - 1) - 1) / sh) + 1, ow = Math.floor((w + 2 * pw - dw * (kw - 1) - 1) / sw) + 1;
  return [c, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow];
}

function convCases(): ProductCase[] {
  const geometries: [number, ConvGeometry][] = [
    [2, geometry(3, 7, 9, 3, 3, 1, 1, 1, 1, 1, 1)], [1, geometry(1, 5, 4, 1, 1, 1, 1, 0, 0, 1, 1)],
    [3, geometry(2, 11, 6, 3, 2, 2, 1, 2, 0, 1, 1)], [2, geometry(4, 9, 10, 2, 3, 3, 2, 1, 2, 2, 2)],
  ];
  return geometries.flatMap(([n, g], s) => {
    const [c, h, w, kh, kw, , , , , , , oh, ow] = g, colsLength = c * kh * kw * n * oh * ow;
    return [
      { name: `im2col n=${n} ${JSON.stringify(g)}`, check: "exact" as const, run: (t: Kernels) => { const cols = new Float32Array(colsLength); t.im2col(values(n * c * h * w, 300 + s), n, g, cols); return [cols]; } },
      { name: `col2im n=${n} ${JSON.stringify(g)}`, check: "exact" as const, run: (t: Kernels) => { const out = new Float32Array(n * c * h * w); t.col2im(values(colsLength, 400 + s), n, g, out); return [out]; } },
    ];
  });
}

/** Odd inputs with ties and NaNs sprinkled in, so max pooling's first-max and NaN rules are exercised. */
function poolInput(shape: number[], seed: number) {
  const x = randn(shape, { generator: new Generator(seed) }), d = x.data as Float32Array;
  for (let i = 0; i < d.length; i += 13) d[i] = d[i + 1] ?? 0;
  for (let i = 7; i < d.length; i += 41) d[i] = NaN;
  return x;
}

function poolCases(): ProductCase[] {
  const settings: { shape: number[]; k: number | [number, number]; o: Record<string, unknown> }[] = [
    { shape: [2, 3, 7, 9], k: 2, o: {} }, { shape: [1, 2, 11, 6], k: [3, 2], o: { stride: [2, 1], padding: [1, 1] } },
    { shape: [3, 1, 9, 10], k: 3, o: { stride: 2, padding: 1, ceilMode: true } },
  ];
  return settings.flatMap(({ shape, k, o }, s) => {
    const label = JSON.stringify({ shape, k, o });
    const max = () => { const x = poolInput(shape, 500 + s); return { x, g: slidingGeometry("maxPool2d", x, maxPoolParams("maxPool2d", k, o)) }; };
    const avg = () => { const x = poolInput(shape, 600 + s); const p = avgPoolParams("avgPool2d", k, { ...o, countIncludePad: s % 2 === 0 }); return { x, g: slidingGeometry("avgPool2d", x, p), divisor: p.divisorOverride }; };
    const outLength = (g: ReturnType<typeof slidingGeometry>) => g.planes * g.rows.start.length * g.cols.start.length;
    return [
      { name: `maxPool2d and its backward ${label}`, check: "exact" as const, run: (t: Kernels) => {
        const { x, g } = max(), n = outLength(g), out = new Float32Array(n), indices = new Int32Array(n), gx = new Float32Array(g.planes * g.inH * g.inW);
        t.maxPool2d(x.data as Float32Array, g.planes, g.inH, g.inW, g.rows, g.cols, out, indices);
        t.maxPool2dBackward(values(n, 700 + s), indices, g.planes, g.inH * g.inW, n / g.planes, gx);
        return [out, indices, gx];
      } },
      { name: `avgPool2d and its backward ${label}`, check: "exact" as const, run: (t: Kernels) => {
        const { x, g, divisor } = avg(), n = outLength(g), out = new Float32Array(n), gx = new Float32Array(g.planes * g.inH * g.inW);
        t.avgPool2d(x.data as Float32Array, g.planes, g.inH, g.inW, g.rows, g.cols, divisor, out);
        t.avgPool2dBackward(values(n, 800 + s), g.planes, g.inH, g.inW, g.rows, g.cols, divisor, gx);
        return [out, gx];
      } },
    ];
  });
}

export const PRODUCT_CASES: readonly ProductCase[] = [...matmulCases(), ...convCases(), ...poolCases()];
