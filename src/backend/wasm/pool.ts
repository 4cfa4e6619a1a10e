import type { WasmKernelSet } from "./kernel.js";

interface PoolExports {
  max_pool2d_f32(x: number, planes: number, inH: number, inW: number, rStart: number, rEnd: number, rStep: number, outH: number,
    cStart: number, cEnd: number, cStep: number, outW: number, out: number, indices: number): void;
  max_pool2d_backward_f32(gy: number, indices: number, planes: number, inPlane: number, outPlane: number, gx: number): void;
  avg_pool2d_f32(x: number, planes: number, inH: number, inW: number, rStart: number, rEnd: number, rCount: number, outH: number,
    cStart: number, cEnd: number, cCount: number, outW: number, divisorOverride: number, out: number): void;
  avg_pool2d_backward_f32(gy: number, planes: number, inH: number, inW: number, rStart: number, rEnd: number, rCount: number, outH: number,
    cStart: number, cEnd: number, cCount: number, outW: number, divisorOverride: number, gx: number): void;
}
const pool = (exports: object): PoolExports => exports as unknown as PoolExports;

/** Max and average pooling and their backwards on the module (native/wasm/pool.cc), float32, giving the js kernels' bits. */
export const poolKernels: WasmKernelSet = {
  maxPool2d: {
    takes: (x, _p, _h, _w, _r, _c, out) => x instanceof Float32Array && out instanceof Float32Array,
    run(mod, io, x, planes, inH, inW, rows, cols, out, indices) {
      pool(mod.exports).max_pool2d_f32(io.read(x), planes, inH, inW, io.read(rows.start), io.read(rows.end), rows.step, rows.start.length,
        io.read(cols.start), io.read(cols.end), cols.step, cols.start.length, io.write(out), io.write(indices));
    },
  },
  maxPool2dBackward: {
    takes: (gy, _i, _p, _ip, _op, gx) => gy instanceof Float32Array && gx instanceof Float32Array,
    run(mod, io, gy, indices, planes, inPlane, outPlane, gx) {
      pool(mod.exports).max_pool2d_backward_f32(io.read(gy), io.read(indices), planes, inPlane, outPlane, io.write(gx));
    },
  },
  avgPool2d: {
    takes: (x, _p, _h, _w, _r, _c, _d, out) => x instanceof Float32Array && out instanceof Float32Array,
    run(mod, io, x, planes, inH, inW, rows, cols, divisorOverride, out) {
      pool(mod.exports).avg_pool2d_f32(io.read(x), planes, inH, inW, io.read(rows.start), io.read(rows.end), io.read(rows.count), rows.start.length,
        io.read(cols.start), io.read(cols.end), io.read(cols.count), cols.start.length, divisorOverride, io.write(out));
    },
  },
  avgPool2dBackward: {
    takes: (gy, _p, _h, _w, _r, _c, _d, gx) => gy instanceof Float32Array && gx instanceof Float32Array,
    run(mod, io, gy, planes, inH, inW, rows, cols, divisorOverride, gx) {
      pool(mod.exports).avg_pool2d_backward_f32(io.read(gy), planes, inH, inW, io.read(rows.start), io.read(rows.end), io.read(rows.count),
        rows.start.length, io.read(cols.start), io.read(cols.end), io.read(cols.count), cols.start.length, divisorOverride, io.write(gx));
    },
  },
};
