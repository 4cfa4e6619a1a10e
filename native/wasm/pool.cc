// 2-D max and average pooling and their backwards over planes [planes, inH, inW], float32, one window per output
// from the op layer's PoolWindows tables (src/backend/kernels.ts), in the js kernels' order and precision
// (src/backend/js/pool.ts: averages summed in double), so they give the js kernels' bits.
#include <string.h>

#include "export.h"

WASM_EXPORT(max_pool2d_f32) void maxPool2dF32(const float* x, int planes, int inH, int inW, const int* rStart, const int* rEnd,
                                              int rStep, int outH, const int* cStart, const int* cEnd, int cStep, int outW,
                                              float* out, int* indices) {
  const int rowStep = rStep * inW;
  long o = 0;
  for (int p = 0; p < planes; p++) {
    const float* plane = x + long(p) * inH * inW;
    for (int i = 0; i < outH; i++) {
      const int r0 = rStart[i] * inW, r1 = rEnd[i] * inW;
      for (int j = 0; j < outW; j++, o++) {
        const int c0 = cStart[j], c1 = cEnd[j];
        int at = r0 + c0;
        float max = plane[at];
        for (int r = r0; r < r1; r += rowStep) {
          for (int q = r + c0, end = r + c1; q < end; q += cStep) {
            const float v = plane[q];
            if (v > max || v != v) {
              max = v;
              at = q;
            }
          }
        }
        out[o] = max;
        indices[o] = at;
      }
    }
  }
}

WASM_EXPORT(max_pool2d_backward_f32) void maxPool2dBackwardF32(const float* gy, const int* indices, int planes, int inPlane,
                                                               int outPlane, float* gx) {
  memset(gx, 0, sizeof(float) * planes * inPlane);
  long o = 0;
  for (int p = 0; p < planes; p++) {
    float* base = gx + long(p) * inPlane;
    for (long end = o + outPlane; o < end; o++) base[indices[o]] += gy[o];
  }
}

WASM_EXPORT(avg_pool2d_f32) void avgPool2dF32(const float* x, int planes, int inH, int inW, const int* rStart, const int* rEnd,
                                              const int* rCount, int outH, const int* cStart, const int* cEnd,
                                              const int* cCount, int outW, double divisorOverride, float* out) {
  long o = 0;
  for (int p = 0; p < planes; p++) {
    const float* plane = x + long(p) * inH * inW;
    for (int i = 0; i < outH; i++) {
      const int r0 = rStart[i] * inW, r1 = rEnd[i] * inW;
      for (int j = 0; j < outW; j++, o++) {
        const double divisor = divisorOverride != 0 ? divisorOverride : double(rCount[i]) * cCount[j];
        double sum = 0;
        for (int r = r0; r < r1; r += inW) {
          for (int at = r + cStart[j], end = r + cEnd[j]; at < end; at++) sum += plane[at];
        }
        out[o] = float(sum / divisor);
      }
    }
  }
}

WASM_EXPORT(avg_pool2d_backward_f32) void avgPool2dBackwardF32(const float* gy, int planes, int inH, int inW, const int* rStart,
                                                               const int* rEnd, const int* rCount, int outH,
                                                               const int* cStart, const int* cEnd, const int* cCount,
                                                               int outW, double divisorOverride, float* gx) {
  memset(gx, 0, sizeof(float) * planes * inH * inW);
  long o = 0;
  for (int p = 0; p < planes; p++) {
    float* plane = gx + long(p) * inH * inW;
    for (int i = 0; i < outH; i++) {
      const int r0 = rStart[i] * inW, r1 = rEnd[i] * inW;
      for (int j = 0; j < outW; j++, o++) {
        const double divisor = divisorOverride != 0 ? divisorOverride : double(rCount[i]) * cCount[j];
        const double g = gy[o] / divisor;
        for (int r = r0; r < r1; r += inW) {
          for (int at = r + cStart[j], end = r + cEnd[j]; at < end; at++) plane[at] = float(double(plane[at]) + g);
        }
      }
    }
  }
}
