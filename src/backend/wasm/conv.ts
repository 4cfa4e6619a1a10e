import type { WasmKernelSet } from "./kernel.js";

type Geometry13 = [number, number, number, number, number, number, number, number, number, number, number, number, number];
interface ConvExports {
  im2col_f32(x: number, n: number, ...rest: [...Geometry13, number]): void;
  col2im_f32(cols: number, n: number, ...rest: [...Geometry13, number]): void;
}

/** im2col and col2im on the module (native/wasm/conv.cc), float32, giving the js kernels' bits; a convolution is then one wasm matmul. */
export const convKernels: WasmKernelSet = {
  im2col: {
    takes: (x, _n, _g, cols) => x instanceof Float32Array && cols instanceof Float32Array,
    run(mod, io, x, n, g, cols) {
      (mod.exports as unknown as ConvExports).im2col_f32(io.read(x), n, ...(g as Geometry13), io.write(cols));
    },
  },
  col2im: {
    takes: (cols, _n, _g, out) => cols instanceof Float32Array && out instanceof Float32Array,
    run(mod, io, cols, n, g, out) {
      (mod.exports as unknown as ConvExports).col2im_f32(io.read(cols), n, ...(g as Geometry13), io.write(out));
    },
  },
};
