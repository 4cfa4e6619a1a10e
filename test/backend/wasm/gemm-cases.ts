// The wasm backend's products, convolution layouts and pooling checked against the js kernels, as a table of cases
// with no Node imports: test/backend/wasm/{matmul,conv,pool}.test.ts run them in Node, and a page can run the same
// cases in a browser (through test/web/harness.ts). Each case throws an Error naming what differs.
import { adaptiveGeometry, avgPoolParams, maxPoolParams, slidingGeometry } from "../../../src/autograd/ops/pool-window.js";
import type { ConvGeometry, Kernels } from "../../../src/backend/kernels.js";
import { Generator, randn } from "../../../src/index.js";

export interface KernelCase {
  readonly name: string;
  /** Runs the case on `wasm` against `js` (the reference table); throws on a mismatch. */
  run(wasm: Kernels, js: Kernels): void;
}

function check(ok: boolean, what: () => string): void {
  if (!ok) throw new Error(what());
}

/** Bit-for-bit equality of two typed arrays (a NaN equals a NaN; 0 and −0 differ). */
function sameBits(got: ArrayLike<number>, want: ArrayLike<number>, where: string): void {
  check(got.length === want.length, () => `${where}: length ${got.length} vs ${want.length}`);
  for (let i = 0; i < want.length; i++) {
    check(Object.is(got[i], want[i]), () => `${where}: at ${i}, ${got[i]} vs ${want[i]}`);
  }
}

const f32 = (n: number, g: Generator): Float32Array => randn([n], { generator: g }).data as Float32Array;

/** op(A)[b] · op(B)[b] in float64 with Σ|a||b| beside it, from the contract's definition (src/backend/kernels.ts). */
function exactProduct(a: Float32Array, b: Float32Array, batch: number, m: number, n: number, k: number, tA: boolean, tB: boolean, sA: number, sB: number) {
  const exact = new Float64Array(batch * m * n), abs = new Float64Array(batch * m * n);
  for (let t = 0; t < batch; t++) for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let s = 0, s1 = 0;
    for (let p = 0; p < k; p++) {
      const x = a[t * sA + (tA ? p * m + i : i * k + p)]! * b[t * sB + (tB ? j * k + p : p * n + j)]!;
      s += x; s1 += Math.abs(x);
    }
    exact[(t * m + i) * n + j] = s; abs[(t * m + i) * n + j] = s1;
  }
  return { exact, abs };
}

// Sizes straddle the packing blocks (k 256, m 64, n 8 and 2048) and the 4×8 tile's edges.
const PRODUCTS = [[1, 1, 1, 1], [1, 7, 5, 3], [3, 17, 13, 29], [2, 33, 1, 65], [1, 129, 67, 31], [1, 65, 9, 257], [2, 5, 2051, 3], [1, 4, 8, 600], [1, 3, 3, 0]] as const;

const matmulBound: KernelCase = {
  name: "matmul is within Higham's float32 bound γₖ·Σ|a||b| of the exact product on odd sizes, every transpose and batch stride",
  run(wasm) {
    const g = new Generator(11), u = 2 ** -24;
    for (const [batch, m, n, k] of PRODUCTS) {
      const gamma = (k * u) / (1 - k * u);
      for (const tA of [false, true]) for (const tB of [false, true]) for (const [shareA, shareB] of [[false, false], [false, true], [true, false]]) {
        const sA = shareA ? 0 : m * k, sB = shareB ? 0 : k * n;
        const a = f32((shareA ? 1 : batch) * m * k, g), b = f32((shareB ? 1 : batch) * k * n, g);
        const got = new Float32Array(batch * m * n).fill(NaN);
        wasm.matmul(a, b, got, batch, m, n, k, tA, tB, sA, sB);
        const { exact, abs } = exactProduct(a, b, batch, m, n, k, tA, tB, sA, sB);
        for (let i = 0; i < got.length; i++) {
          // The output is rounded to float32 once more at the end: u·|exact| on top of the summation's bound.
          const bound = gamma * abs[i]! + u * Math.abs(exact[i]!) + 1e-30;
          check(Math.abs(got[i]! - exact[i]!) <= bound, () => `matmul [${batch},${m},${n},${k}] tA ${tA} tB ${tB} sA ${sA} sB ${sB} at ${i}: ${got[i]} vs ${exact[i]} (bound ${bound})`);
        }
      }
    }
  },
};

const matmulRowIdentity: KernelCase = {
  name: "matmul gives a row the same bits alone as inside a batch or a taller product (its arithmetic does not depend on the tile)",
  run(wasm) {
    const g = new Generator(3), [m, n, k] = [70, 21, 300];
    const a = f32(m * k, g), b = f32(k * n, g);
    const whole = new Float32Array(m * n), batched = new Float32Array(m * n);
    wasm.matmul(a, b, whole, 1, m, n, k, false, false, 0, 0);
    wasm.matmul(a, b, batched, 2, m / 2, n, k, false, false, (m / 2) * k, 0);
    sameBits(batched, whole, "two batches of 35 rows vs one product of 70");
    for (const i of [0, 5, 69]) {
      const row = new Float32Array(n);
      wasm.matmul(a.subarray(i * k, (i + 1) * k), b, row, 1, 1, n, k, false, false, 0, 0);
      sameBits(row, whole.subarray(i * n, (i + 1) * n), `row ${i} alone`);
    }
  },
};

const matmulFloat64: KernelCase = {
  name: "matmul runs float64 on the js kernel (the same bits)",
  run(wasm, js) {
    const g = new Generator(4);
    const a = randn([5 * 7], { generator: g, dtype: "float64" }).data as Float64Array, b = randn([7 * 3], { generator: g, dtype: "float64" }).data as Float64Array;
    const want = new Float64Array(15), got = new Float64Array(15);
    js.matmul(a, b, want, 1, 5, 3, 7, false, false, 0, 0);
    wasm.matmul(a, b, got, 1, 5, 3, 7, false, false, 0, 0);
    sameBits(got, want, "float64 matmul");
  },
};

// Past matmul.cc's threshold (2²² multiply-adds), so they are split: by columns (n ≥ m), by rows (n < m), across
// the NC = 2048 column block, with fewer units than threads, and batches of each kind (shared B merges the rows).
const THREADED_PRODUCTS = [[1, 67, 131, 601], [3, 129, 45, 250], [2, 5, 2051, 257], [1, 1500, 9, 333], [1, 17, 23, 11000], [2, 3, 9, 80000], [4, 100, 100, 110]] as const;

const matmulThreads: KernelCase = {
  name: "matmul split across threads equals one thread bit for bit (odd sizes, every transpose and batch stride)",
  run(threaded, oneThread) {
    const g = new Generator(12);
    for (const [batch, m, n, k] of THREADED_PRODUCTS) {
      for (const tA of [false, true]) for (const tB of [false, true]) for (const [shareA, shareB] of [[false, false], [false, true], [true, false]]) {
        const sA = shareA ? 0 : m * k, sB = shareB ? 0 : k * n;
        const a = f32((shareA ? 1 : batch) * m * k, g), b = f32((shareB ? 1 : batch) * k * n, g);
        const [got, want] = [new Float32Array(batch * m * n).fill(NaN), new Float32Array(batch * m * n).fill(NaN)];
        threaded.matmul(a, b, got, batch, m, n, k, tA, tB, sA, sB);
        oneThread.matmul(a, b, want, batch, m, n, k, tA, tB, sA, sB);
        sameBits(got, want, `matmul [${batch},${m},${n},${k}] tA ${tA} tB ${tB} sA ${sA} sB ${sB}`);
      }
    }
  },
};

/** The geometry of the contract for channels c, input h×w, kernel, stride, padding and dilation (torch's output size). */
function convGeometry(c: number, h: number, w: number, kh: number, kw: number, sh: number, sw: number, ph: number, pw: number, dh: number, dw: number): ConvGeometry {
  const oh = Math.floor((h + 2 * ph - dh * (kh - 1) - 1) / sh) + 1, ow = Math.floor((w + 2 * pw - dw * (kw - 1) - 1) / sw) + 1;
  return [c, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow];
}

const im2colCol2im: KernelCase = {
  name: "im2col and col2im equal the js kernels bit for bit (odd sizes, stride, padding, dilation)",
  run(wasm, js) {
    const g = new Generator(31);
    const geometries: [number, ConvGeometry][] = [[2, convGeometry(3, 7, 9, 3, 3, 1, 1, 1, 1, 1, 1)], [1, convGeometry(1, 5, 4, 1, 1, 1, 1, 0, 0, 1, 1)],
      [3, convGeometry(2, 11, 6, 3, 2, 2, 1, 2, 0, 1, 1)], [2, convGeometry(4, 9, 10, 2, 3, 3, 2, 1, 2, 2, 2)]];
    for (const [n, geo] of geometries) {
      const [c, h, w, kh, kw, , , , , , , oh, ow] = geo;
      const x = f32(n * c * h * w, g), colsLen = c * kh * kw * n * oh * ow;
      const [colsJs, colsWasm] = [new Float32Array(colsLen), new Float32Array(colsLen).fill(NaN)];
      js.im2col(x, n, geo, colsJs);
      wasm.im2col(x, n, geo, colsWasm);
      sameBits(colsWasm, colsJs, `im2col ${JSON.stringify(geo)}`);
      const cols = f32(colsLen, g);
      const [outJs, outWasm] = [new Float32Array(n * c * h * w), new Float32Array(n * c * h * w).fill(NaN)];
      js.col2im(cols, n, geo, outJs);
      wasm.col2im(cols, n, geo, outWasm);
      sameBits(outWasm, outJs, `col2im ${JSON.stringify(geo)}`);
    }
  },
};

const POOLS: { shape: number[]; k: number | [number, number]; o: Record<string, unknown> }[] = [
  { shape: [2, 3, 7, 9], k: 2, o: {} },
  { shape: [1, 2, 11, 6], k: [3, 2], o: { stride: [2, 1], padding: [1, 1] } },
  { shape: [3, 1, 9, 10], k: 3, o: { stride: 2, padding: 1, ceilMode: true } },
  { shape: [1, 3, 13, 8], k: 2, o: { dilation: 2 } },
];

const maxPool: KernelCase = {
  name: "max pooling and its backward equal the js kernels bit for bit (odd sizes, padding, stride, dilation, ceilMode, ties, NaN)",
  run(wasm, js) {
    const g = new Generator(21);
    for (const { shape, k, o } of POOLS) {
      const x = randn(shape, { generator: g }), d = x.data as Float32Array;
      for (let i = 0; i < d.length; i += 13) d[i] = d[i + 1] ?? 0; // ties
      for (let i = 7; i < d.length; i += 41) d[i] = NaN;
      const geo = slidingGeometry("maxPool2d", x, maxPoolParams("maxPool2d", k, o));
      const outLen = geo.planes * geo.rows.start.length * geo.cols.start.length, where = `maxPool2d ${JSON.stringify({ shape, k, o })}`;
      const [outJs, outWasm, idxJs, idxWasm] = [new Float32Array(outLen), new Float32Array(outLen), new Int32Array(outLen), new Int32Array(outLen)];
      js.maxPool2d(d, geo.planes, geo.inH, geo.inW, geo.rows, geo.cols, outJs, idxJs);
      wasm.maxPool2d(d, geo.planes, geo.inH, geo.inW, geo.rows, geo.cols, outWasm, idxWasm);
      sameBits(outWasm, outJs, where);
      sameBits(idxWasm, idxJs, `${where} indices`);
      const gy = f32(outLen, g), inPlane = geo.inH * geo.inW, outPlane = outLen / geo.planes;
      const [gxJs, gxWasm] = [new Float32Array(geo.planes * inPlane), new Float32Array(geo.planes * inPlane).fill(7)];
      js.maxPool2dBackward(gy, idxJs, geo.planes, inPlane, outPlane, gxJs);
      wasm.maxPool2dBackward(gy, idxJs, geo.planes, inPlane, outPlane, gxWasm);
      sameBits(gxWasm, gxJs, `${where} backward`);
    }
  },
};

const avgPool: KernelCase = {
  name: "average pooling and its backward equal the js kernels bit for bit (padding counted or not, divisorOverride, adaptive windows)",
  run(wasm, js) {
    const g = new Generator(22);
    const cases = POOLS.filter((c) => !("dilation" in c.o)).flatMap(({ shape, k, o }) => {
      const x = randn(shape, { generator: g });
      return [{}, { countIncludePad: false }, { divisorOverride: 3 }].map((extra) => {
        const params = avgPoolParams("avgPool2d", k, { ...o, ...extra });
        return { x, geo: slidingGeometry("avgPool2d", x, params), divisor: params.divisorOverride, where: `avgPool2d ${JSON.stringify({ shape, k, o, extra })}` };
      });
    });
    const xa = randn([2, 3, 10, 7], { generator: g });
    cases.push({ x: xa, geo: adaptiveGeometry("adaptiveAvgPool2d", xa, [4, 3]), divisor: 0, where: "adaptiveAvgPool2d [2,3,10,7] → [4,3]" });
    for (const { x, geo, divisor, where } of cases) {
      const outLen = geo.planes * geo.rows.start.length * geo.cols.start.length, inLen = geo.planes * geo.inH * geo.inW;
      const [outJs, outWasm] = [new Float32Array(outLen), new Float32Array(outLen)];
      js.avgPool2d(x.data as Float32Array, geo.planes, geo.inH, geo.inW, geo.rows, geo.cols, divisor, outJs);
      wasm.avgPool2d(x.data as Float32Array, geo.planes, geo.inH, geo.inW, geo.rows, geo.cols, divisor, outWasm);
      sameBits(outWasm, outJs, where);
      const gy = f32(outLen, g);
      const [gxJs, gxWasm] = [new Float32Array(inLen), new Float32Array(inLen).fill(7)];
      js.avgPool2dBackward(gy, geo.planes, geo.inH, geo.inW, geo.rows, geo.cols, divisor, gxJs);
      wasm.avgPool2dBackward(gy, geo.planes, geo.inH, geo.inW, geo.rows, geo.cols, divisor, gxWasm);
      sameBits(gxWasm, gxJs, `${where} backward`);
    }
  },
};

/** Every case, by the test file that runs it in Node; `threads` cases take the threaded table and a one-thread one. */
export const gemmCases = {
  matmul: [matmulBound, matmulRowIdentity, matmulFloat64],
  conv: [im2colCol2im],
  pool: [maxPool, avgPool],
  threads: [matmulThreads],
} as const satisfies Record<string, readonly KernelCase[]>;
