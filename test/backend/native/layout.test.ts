import { describe, test } from "node:test";
import { jsKernels } from "../../../src/backend/js/index.js";
import type { Kernels, ConvGeometry } from "../../../src/backend/kernels.js";
import { nativeKernels, nativeStatus } from "../../../src/backend/native/index.js";
import { Generator } from "../../../src/tensor/random.js";
import { assertSame, random } from "./helpers.js";

// The native im2col and col2im against the js kernels.
describe("native layout kernels", () => {
  if (!nativeStatus.loaded) return;
  const kernels = nativeKernels() as Kernels;

  test("im2col and col2im equal the js kernels exactly: strides, padding, dilation, odd sizes, both dtypes", () => {
    const gen = new Generator(9);
    const geometries: ConvGeometry[] = [
      [3, 7, 7, 3, 3, 1, 1, 0, 0, 1, 1, 5, 5], [2, 5, 6, 3, 3, 2, 2, 1, 1, 1, 1, 3, 3], [1, 9, 9, 3, 3, 1, 1, 2, 2, 2, 2, 9, 9],
      [33, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1], [4, 8, 3, 2, 3, 1, 2, 1, 0, 1, 1, 9, 1], [32, 13, 13, 3, 3, 1, 1, 0, 0, 1, 1, 11, 11],
    ];
    for (const dtype of ["float32", "float64"] as const) {
      for (const g of geometries) {
        const [c, h, w, kh, kw, , , , , , , oh, ow] = g;
        const n = 3;
        const x = random(n * c * h * w, dtype, gen);
        const colsJs = random(n * c * kh * kw * oh * ow, dtype, gen), colsNative = colsJs.slice();
        jsKernels.im2col(x, n, g, colsJs);
        kernels.im2col(x, n, g, colsNative);
        assertSame(colsNative, colsJs, "im2col", dtype);
        const outJs = random(x.length, dtype, gen), outNative = outJs.slice();
        jsKernels.col2im(colsJs, n, g, outJs);
        kernels.col2im(colsJs, n, g, outNative);
        assertSame(outNative, outJs, "col2im", dtype);
      }
    }
  });
});
