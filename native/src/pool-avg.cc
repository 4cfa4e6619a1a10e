// avgPool2d and avgPool2dBackward over window tables (src/backend/kernels.ts); src/backend/js/pool.ts has
// the reference loops, and these reproduce them bit for bit: a window's sum accumulates in double (a js
// number) in row-major window order and is divided once by the divisor (divisorOverride when non-zero,
// else rows.count[i]·cols.count[j]) before the store rounds it to the output's type; the backward spreads
// gy[o]/divisor (a double) over each window in output order, each addition done in double and rounded to
// gx's type, as `gx[at] += g` on a Float32Array does. Average windows have step 1, so no step is passed.
// Planes are independent (a window never leaves its plane), so they split across the pool unchanged.
#include <algorithm>
#include <cstring>

#include "kernels.h"
#include "napi-args.h"
#include "plan-kernels.h"
#include "thread-pool.h"

namespace minima {

namespace {

struct MeanWindows {
  const int32_t* rowStart;
  const int32_t* rowEnd;
  const int32_t* rowCount;
  const int32_t* colStart;
  const int32_t* colEnd;
  const int32_t* colCount;
  int64_t outH, outW;
  double divisorOverride;

  double divisor(int64_t i, int64_t j) const {
    return divisorOverride != 0 ? divisorOverride : static_cast<double>(rowCount[i]) * static_cast<double>(colCount[j]);
  }
};

int64_t planeGrain(int64_t inPlane) { return std::max<int64_t>(1, (1 << 14) / std::max<int64_t>(1, inPlane)); }

template <typename T>
void avgPool(const T* x, int64_t planes, int64_t inH, int64_t inW, const MeanWindows& w, T* out) {
  const int64_t inPlane = inH * inW, outPlane = w.outH * w.outW;
  parallelFor(planes, planeGrain(inPlane), [&](int64_t p0, int64_t p1) {
    for (int64_t p = p0; p < p1; p++) {
      const T* plane = x + p * inPlane;
      T* o = out + p * outPlane;
      for (int64_t i = 0; i < w.outH; i++) {
        const int64_t r0 = static_cast<int64_t>(w.rowStart[i]) * inW, r1 = static_cast<int64_t>(w.rowEnd[i]) * inW;
        for (int64_t j = 0; j < w.outW; j++) {
          const int64_t c0 = w.colStart[j], c1 = w.colEnd[j];
          double sum = 0;
          for (int64_t r = r0; r < r1; r += inW)
            for (int64_t at = r + c0, end = r + c1; at < end; at++) sum += static_cast<double>(plane[at]);
          o[i * w.outW + j] = static_cast<T>(sum / w.divisor(i, j));
        }
      }
    }
  });
}

template <typename T>
void avgPoolBackward(const T* gy, int64_t planes, int64_t inH, int64_t inW, const MeanWindows& w, T* gx) {
  const int64_t inPlane = inH * inW, outPlane = w.outH * w.outW;
  parallelFor(planes, planeGrain(inPlane), [&](int64_t p0, int64_t p1) {
    std::memset(gx + p0 * inPlane, 0, sizeof(T) * (p1 - p0) * inPlane);
    for (int64_t p = p0; p < p1; p++) {
      T* plane = gx + p * inPlane;
      const T* g = gy + p * outPlane;
      for (int64_t i = 0; i < w.outH; i++) {
        const int64_t r0 = static_cast<int64_t>(w.rowStart[i]) * inW, r1 = static_cast<int64_t>(w.rowEnd[i]) * inW;
        for (int64_t j = 0; j < w.outW; j++) {
          const int64_t c0 = w.colStart[j], c1 = w.colEnd[j];
          const double share = static_cast<double>(g[i * w.outW + j]) / w.divisor(i, j);
          for (int64_t r = r0; r < r1; r += inW)
            for (int64_t at = r + c0, end = r + c1; at < end; at++) plane[at] = static_cast<T>(static_cast<double>(plane[at]) + share);
        }
      }
    }
  });
}

// The shared arguments of both kernels: (a, planes, inH, inW, rowStart, rowEnd, rowCount, colStart, colEnd,
// colCount, divisorOverride, b); the typed arrays a and b are read by the caller.
MeanWindows readWindows(Args& args, int64_t* planes, int64_t* inH, int64_t* inW) {
  *planes = args.integer(1);
  *inH = args.integer(2);
  *inW = args.integer(3);
  auto table = [&](size_t i, size_t* length) -> const int32_t* {
    napi_typedarray_type t = napi_int8_array;
    size_t n = 0;
    void* data = args.array(i, &t, &n);
    if (args.failed) return nullptr;
    if (t != napi_int32_array) { args.fail(i, "an Int32Array"); return nullptr; }
    if (length) *length = n;
    return static_cast<const int32_t*>(data);
  };
  size_t outH = 0, outW = 0;
  const int32_t* rs = table(4, &outH);
  const int32_t* re = table(5, nullptr);
  const int32_t* rc = table(6, nullptr);
  const int32_t* cs = table(7, &outW);
  const int32_t* ce = table(8, nullptr);
  const int32_t* cc = table(9, nullptr);
  const double divisorOverride = args.number(10);
  return MeanWindows{rs, re, rc, cs, ce, cc, static_cast<int64_t>(outH), static_cast<int64_t>(outW), divisorOverride};
}

MeanWindows meanWindows(const AvgPoolWindows& w) {
  return MeanWindows{w.rowStart, w.rowEnd, w.rowCount, w.colStart, w.colEnd, w.colCount, w.outH, w.outW, w.divisorOverride};
}

}  // namespace

template <typename T>
void avgPool2dKernel(const T* x, int64_t planes, int64_t inH, int64_t inW, const AvgPoolWindows& windows, T* out) {
  avgPool(x, planes, inH, inW, meanWindows(windows), out);
}
template void avgPool2dKernel<float>(const float*, int64_t, int64_t, int64_t, const AvgPoolWindows&, float*);
template void avgPool2dKernel<double>(const double*, int64_t, int64_t, int64_t, const AvgPoolWindows&, double*);

template <typename T>
void avgPool2dBackwardKernel(const T* gy, int64_t planes, int64_t inH, int64_t inW, const AvgPoolWindows& windows, T* gx) {
  avgPoolBackward(gy, planes, inH, inW, meanWindows(windows), gx);
}
template void avgPool2dBackwardKernel<float>(const float*, int64_t, int64_t, int64_t, const AvgPoolWindows&, float*);
template void avgPool2dBackwardKernel<double>(const double*, int64_t, int64_t, int64_t, const AvgPoolWindows&, double*);

// avgPool2d(x, planes, inH, inW, rowStart, rowEnd, rowCount, colStart, colEnd, colCount, divisorOverride, out)
napi_value AvgPool2dOp(napi_env env, napi_callback_info info) {
  Args args(env, info, "avgPool2d");
  const auto type = args.typeOf(0);
  int64_t planes = 0, inH = 0, inW = 0;
  const MeanWindows windows = readWindows(args, &planes, &inH, &inW);
  forFloatType(args, type, [&](auto zero, const char* like) {
    using T = decltype(zero);
    auto x = args.typed<T>(0, type, like), out = args.typed<T>(11, type, like);
    if (!args.failed) avgPool(x, planes, inH, inW, windows, out);
  });
  return nullptr;
}

// avgPool2dBackward(gy, planes, inH, inW, rowStart, rowEnd, rowCount, colStart, colEnd, colCount, divisorOverride, gx)
napi_value AvgPool2dBackwardOp(napi_env env, napi_callback_info info) {
  Args args(env, info, "avgPool2dBackward");
  const auto type = args.typeOf(0);
  int64_t planes = 0, inH = 0, inW = 0;
  const MeanWindows windows = readWindows(args, &planes, &inH, &inW);
  forFloatType(args, type, [&](auto zero, const char* like) {
    using T = decltype(zero);
    auto gy = args.typed<T>(0, type, like), gx = args.typed<T>(11, type, like);
    if (!args.failed) avgPoolBackward(gy, planes, inH, inW, windows, gx);
  });
  return nullptr;
}

}  // namespace minima
