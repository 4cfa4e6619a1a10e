// im2col and col2im for 2-D convolution (the layouts of src/backend/kernels.ts), float32, in the js kernels' loop
// order (src/backend/js/conv.ts), so col2im's sums give the same bits.
#include <string.h>

#include "export.h"

namespace {
struct Geometry {
  int c, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow;
};
}  // namespace

WASM_EXPORT(im2col_f32) void im2colF32(const float* x, int n, int c, int h, int w, int kh, int kw, int sh, int sw, int ph,
                                       int pw, int dh, int dw, int oh, int ow, float* cols) {
  const long L = long(oh) * ow, width = n * L;
  for (int b = 0; b < n; b++) {
    for (int ci = 0; ci < c; ci++) {
      const float* plane = x + (long(b) * c + ci) * h * w;
      for (int i = 0; i < kh; i++) {
        for (int j = 0; j < kw; j++) {
          float* row = cols + ((long(ci) * kh + i) * kw + j) * width + b * L;
          for (int y = 0; y < oh; y++) {
            const int iy = y * sh - ph + i * dh;
            float* dst = row + long(y) * ow;
            if (iy < 0 || iy >= h) {
              memset(dst, 0, sizeof(float) * ow);
              continue;
            }
            const float* src = plane + long(iy) * w;
            for (int xo = 0, ix = j * dw - pw; xo < ow; xo++, ix += sw) dst[xo] = ix >= 0 && ix < w ? src[ix] : 0.0f;
          }
        }
      }
    }
  }
}

WASM_EXPORT(col2im_f32) void col2imF32(const float* cols, int n, int c, int h, int w, int kh, int kw, int sh, int sw, int ph,
                                       int pw, int dh, int dw, int oh, int ow, float* out) {
  const long L = long(oh) * ow, width = n * L;
  memset(out, 0, sizeof(float) * n * c * h * w);
  for (int b = 0; b < n; b++) {
    for (int ci = 0; ci < c; ci++) {
      float* plane = out + (long(b) * c + ci) * h * w;
      for (int i = 0; i < kh; i++) {
        for (int j = 0; j < kw; j++) {
          const float* row = cols + ((long(ci) * kh + i) * kw + j) * width + b * L;
          for (int y = 0; y < oh; y++) {
            const int iy = y * sh - ph + i * dh;
            if (iy < 0 || iy >= h) continue;
            const float* src = row + long(y) * ow;
            float* dst = plane + long(iy) * w;
            for (int xo = 0, ix = j * dw - pw; xo < ow; xo++, ix += sw) {
              if (ix >= 0 && ix < w) dst[ix] += src[xo];
            }
          }
        }
      }
    }
  }
}
