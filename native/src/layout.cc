// permute(x, shape, perm, out) for float arrays (src/backend/kernels.ts): the output walked in rows of its
// last dim; when the input's last dim stays last each row is one memcpy (conv2d's [O, N, L] → [N, O, L]).
// And maxPool2d over window tables and its backward (src/backend/js/pool.ts has the reference loops).
#include <algorithm>
#include <cstring>
#include <type_traits>
#include <vector>

#include "kernels.h"
#include "napi-args.h"
#include "plan-kernels.h"
#include "pool-max.h"
#include "thread-pool.h"

namespace minima {

namespace {

template <typename T>
void permute(const T* x, const std::vector<int64_t>& shape, const std::vector<int64_t>& perm, T* out) {
  const size_t rank = shape.size();
  std::vector<int64_t> inStride(rank, 1), src(rank), outShape(rank);
  for (size_t d = rank - 1; d-- > 0;) inStride[d] = inStride[d + 1] * shape[d + 1];
  for (size_t d = 0; d < rank; d++) { outShape[d] = shape[perm[d]]; src[d] = inStride[perm[d]]; }
  const int64_t last = outShape[rank - 1], lastStride = src[rank - 1];
  int64_t rows = 1;
  for (size_t d = 0; d + 1 < rank; d++) rows *= outShape[d];
  if (last == 0 || rows == 0) return;
  parallelFor(rows, std::max<int64_t>(1, (1 << 14) / last), [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; r++) {
      int64_t off = 0;
      for (int64_t rest = r, d = static_cast<int64_t>(rank) - 2; d >= 0; d--) { off += (rest % outShape[d]) * src[d]; rest /= outShape[d]; }
      T* dst = out + r * last;
      if (lastStride == 1) std::memcpy(dst, x + off, sizeof(T) * last);
      else for (int64_t j = 0; j < last; j++) dst[j] = x[off + j * lastStride];
    }
  });
}

// Planes split across the pool; float32 planes through the AVX2 loop where the CPU has it.
template <typename T>
void maxPool(const T* x, int64_t planes, int64_t inH, int64_t inW, const PoolWindowTables& w, T* out, int32_t* indices) {
  MaxPoolPlaneF32 fast = nullptr;
  if constexpr (std::is_same_v<T, float>) fast = maxPoolPlaneF32Avx2();
  const int64_t outPlane = w.outH * w.outW;
  parallelFor(planes, std::max<int64_t>(1, (1 << 14) / std::max<int64_t>(1, inH * inW)), [&](int64_t p0, int64_t p1) {
    for (int64_t p = p0; p < p1; p++) {
      const T* plane = x + p * inH * inW;
      T* o = out + p * outPlane;
      int32_t* at = indices + p * outPlane;
      if constexpr (std::is_same_v<T, float>) {
        if (fast) { fast(plane, inW, w, o, at); continue; }
      }
      for (int64_t i = 0; i < w.outH; i++) maxPoolRow(plane, inW, w, i, 0, w.outW, o + i * w.outW, at + i * w.outW);
    }
  });
}

template <typename T>
void maxPoolBackward(const T* gy, const int32_t* indices, int64_t planes, int64_t inPlane, int64_t outPlane, T* gx) {
  parallelFor(planes, std::max<int64_t>(1, (1 << 14) / std::max<int64_t>(1, inPlane)), [&](int64_t p0, int64_t p1) {
    std::memset(gx + p0 * inPlane, 0, sizeof(T) * (p1 - p0) * inPlane);
    for (int64_t p = p0; p < p1; p++) {
      T* plane = gx + p * inPlane;
      for (int64_t o = p * outPlane, end = o + outPlane; o < end; o++) plane[indices[o]] += gy[o];
    }
  });
}

}  // namespace

template <typename T>
void permuteKernel(const T* x, const Shape64& shape, const Shape64& perm, T* out) { permute(x, shape, perm, out); }
template void permuteKernel<float>(const float*, const Shape64&, const Shape64&, float*);
template void permuteKernel<double>(const double*, const Shape64&, const Shape64&, double*);

template <typename T>
void maxPool2dKernel(const T* x, int64_t planes, int64_t inH, int64_t inW, const PoolWindowTables& windows, T* out, int32_t* indices) {
  maxPool(x, planes, inH, inW, windows, out, indices);
}
template void maxPool2dKernel<float>(const float*, int64_t, int64_t, int64_t, const PoolWindowTables&, float*, int32_t*);
template void maxPool2dKernel<double>(const double*, int64_t, int64_t, int64_t, const PoolWindowTables&, double*, int32_t*);

template <typename T>
void maxPool2dBackwardKernel(const T* gy, const int32_t* indices, int64_t planes, int64_t inPlane, int64_t outPlane, T* gx) {
  maxPoolBackward(gy, indices, planes, inPlane, outPlane, gx);
}
template void maxPool2dBackwardKernel<float>(const float*, const int32_t*, int64_t, int64_t, int64_t, float*);
template void maxPool2dBackwardKernel<double>(const double*, const int32_t*, int64_t, int64_t, int64_t, double*);

// permute(x, shape, perm, out)
napi_value PermuteOp(napi_env env, napi_callback_info info) {
  Args args(env, info, "permute");
  const auto type = args.typeOf(0);
  const auto shape = args.integers(1), perm = args.integers(2);
  if (args.failed) return nullptr;
  if (shape.size() != perm.size() || shape.empty()) { args.fail(2, "a permutation of the dims"); return nullptr; }
  forFloatType(args, type, [&](auto zero, const char* like) {
    using T = decltype(zero);
    auto x = args.typed<T>(0, type, like), out = args.typed<T>(3, type, like);
    if (!args.failed) permute(x, shape, perm, out);
  });
  return nullptr;
}

// maxPool2d(x, planes, inH, inW, rowStart, rowEnd, rowStep, colStart, colEnd, colStep, out, indices)
napi_value MaxPool2dOp(napi_env env, napi_callback_info info) {
  Args args(env, info, "maxPool2d");
  const auto type = args.typeOf(0);
  const int64_t planes = args.integer(1), inH = args.integer(2), inW = args.integer(3), rowStep = args.integer(6), colStep = args.integer(9);
  napi_typedarray_type t;
  size_t outH = 0, outW = 0, n = 0;
  auto rs = static_cast<const int32_t*>(args.array(4, &t, &outH));
  auto re = static_cast<const int32_t*>(args.array(5, &t, &n));
  auto cs = static_cast<const int32_t*>(args.array(7, &t, &outW));
  auto ce = static_cast<const int32_t*>(args.array(8, &t, &n));
  auto idx = args.typed<int32_t>(11, napi_int32_array, "an Int32Array");
  const PoolWindowTables windows{rs, re, cs, ce, static_cast<int64_t>(outH), static_cast<int64_t>(outW), rowStep, colStep};
  forFloatType(args, type, [&](auto zero, const char* like) {
    using T = decltype(zero);
    auto x = args.typed<T>(0, type, like), out = args.typed<T>(10, type, like);
    if (!args.failed) maxPool(x, planes, inH, inW, windows, out, idx);
  });
  return nullptr;
}

// maxPool2dBackward(gy, indices, planes, inPlane, outPlane, gx)
napi_value MaxPool2dBackwardOp(napi_env env, napi_callback_info info) {
  Args args(env, info, "maxPool2dBackward");
  const auto type = args.typeOf(0);
  const int64_t planes = args.integer(2), inPlane = args.integer(3), outPlane = args.integer(4);
  auto idx = args.typed<int32_t>(1, napi_int32_array, "an Int32Array");
  forFloatType(args, type, [&](auto zero, const char* like) {
    using T = decltype(zero);
    auto gy = args.typed<T>(0, type, like), gx = args.typed<T>(5, type, like);
    if (!args.failed) maxPoolBackward(gy, idx, planes, inPlane, outPlane, gx);
  });
  return nullptr;
}

}  // namespace minima
