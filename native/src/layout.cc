// permute(x, shape, perm, out) for float arrays (src/backend/kernels.ts): the output walked in rows of its
// last dim; when the input's last dim stays last each row is one memcpy (conv2d's [O, N, L] → [N, O, L]).
// And maxPool2d over window tables (src/backend/js/pool.ts has the reference loop).
#include <algorithm>
#include <cstring>
#include <vector>

#include "kernels.h"
#include "napi-args.h"
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

template <typename T>
void maxPool(const T* x, int64_t planes, int64_t inH, int64_t inW, const int32_t* rs, const int32_t* re, int64_t outH, int64_t rowStep,
             const int32_t* cs, const int32_t* ce, int64_t outW, int64_t colStep, T* out, int32_t* indices) {
  parallelFor(planes, std::max<int64_t>(1, (1 << 14) / std::max<int64_t>(1, inH * inW)), [&](int64_t p0, int64_t p1) {
    for (int64_t p = p0; p < p1; p++) {
      const T* plane = x + p * inH * inW;
      int64_t o = p * outH * outW;
      for (int64_t i = 0; i < outH; i++) {
        const int64_t r0 = int64_t(rs[i]) * inW, r1 = int64_t(re[i]) * inW;
        for (int64_t j = 0; j < outW; j++, o++) {
          const int64_t c0 = cs[j], c1 = ce[j];
          int64_t at = r0 + c0;
          T max = plane[at];
          for (int64_t r = r0; r < r1; r += rowStep * inW) {
            for (int64_t q = r + c0; q < r + c1; q += colStep) {
              const T v = plane[q];
              if (v > max || v != v) { max = v; at = q; }
            }
          }
          out[o] = max;
          indices[o] = static_cast<int32_t>(at);
        }
      }
    }
  });
}

}  // namespace

// permute(x, shape, perm, out)
napi_value PermuteOp(napi_env env, napi_callback_info info) {
  Args args(env, info, "permute");
  const auto type = args.typeOf(0);
  const auto shape = args.integers(1), perm = args.integers(2);
  if (args.failed) return nullptr;
  if (shape.size() != perm.size() || shape.empty()) { args.fail(2, "a permutation of the dims"); return nullptr; }
  if (type == napi_float32_array) {
    auto x = args.typed<float>(0, type, "a Float32Array"), out = args.typed<float>(3, type, "a Float32Array like argument 0");
    if (!args.failed) permute(x, shape, perm, out);
  } else if (type == napi_float64_array) {
    auto x = args.typed<double>(0, type, "a Float64Array"), out = args.typed<double>(3, type, "a Float64Array like argument 0");
    if (!args.failed) permute(x, shape, perm, out);
  } else if (!args.failed) {
    args.fail(0, "a Float32Array or Float64Array");
  }
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
  if (type == napi_float32_array) {
    auto x = args.typed<float>(0, type, "a Float32Array"), out = args.typed<float>(10, type, "a Float32Array like argument 0");
    if (!args.failed) maxPool(x, planes, inH, inW, rs, re, outH, rowStep, cs, ce, outW, colStep, out, idx);
  } else if (type == napi_float64_array) {
    auto x = args.typed<double>(0, type, "a Float64Array"), out = args.typed<double>(10, type, "a Float64Array like argument 0");
    if (!args.failed) maxPool(x, planes, inH, inW, rs, re, outH, rowStep, cs, ce, outW, colStep, out, idx);
  } else if (!args.failed) {
    args.fail(0, "a Float32Array or Float64Array");
  }
  return nullptr;
}

}  // namespace minima
