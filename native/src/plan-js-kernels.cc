// The kernels the native backend leaves to js, for a captured step's plan (see plan-js-kernels.h). Each walks
// its elements in the order of src/backend/js/layout.ts and elementwise.ts; copies move bits, and each sum is
// one addition in the array's type (js adds in double and rounds once, which for two floats is the float sum).
#include "plan-js-kernels.h"

#include <cstring>

namespace minima {

namespace {

// Row-major strides of shape.
Shape64 stridesOf(const Shape64& shape) {
  Shape64 s(shape.size(), 1);
  for (size_t d = shape.size(); d-- > 1;) s[d - 1] = s[d] * shape[d];
  return s;
}

// visit(o, s, count, step) for each row of the walk over `shape` (output index o, source offset s moving by
// srcStrides): count elements of the last dim, the source moving by step along it.
template <typename Visit>
void walkRows(const Shape64& shape, const Shape64& srcStrides, int64_t srcStart, Visit visit) {
  const size_t rank = shape.size();
  int64_t total = 1;
  for (int64_t d : shape) total *= d;
  if (total == 0) return;
  if (rank == 0) return visit(0, srcStart, 1, 0);
  const int64_t last = shape[rank - 1], step = srcStrides[rank - 1];
  Shape64 idx(rank, 0);
  int64_t off = srcStart;
  for (int64_t o = 0; o < total; o += last) {
    visit(o, off, last, step);
    for (size_t d = rank - 1; d-- > 0;) {
      idx[d]++;
      off += srcStrides[d];
      if (idx[d] < shape[d]) break;
      off -= srcStrides[d] * shape[d];
      idx[d] = 0;
    }
  }
}

// The start offset and strides of a window (start and step per dim) of an array of `shape`.
int64_t windowOf(const Shape64& shape, const Shape64& starts, const Shape64& steps, Shape64* strides) {
  *strides = stridesOf(shape);
  int64_t start = 0;
  for (size_t d = 0; d < shape.size(); d++) {
    start += starts[d] * (*strides)[d];
    (*strides)[d] *= steps[d];
  }
  return start;
}

// x's offsets for every position of an index of indexShape, less the gathered dim's (js's gatherLayout).
Shape64 gatherStrides(const Shape64& shape, int64_t dim, size_t rank) {
  Shape64 s = stridesOf(shape);
  s[dim] = 0;
  s.resize(rank);
  return s;
}

// Runs body(U{}) with U the unsigned integer of `bytes` bytes, to move elements as bits.
template <typename Body>
void asBits(size_t bytes, Body body) {
  if (bytes == 8) body(uint64_t{});
  else body(uint32_t{});
}

void copyWalk(const void* x, size_t bytes, const Shape64& shape, const Shape64& strides, int64_t start, void* out) {
  asBits(bytes, [&](auto zero) {
    using U = decltype(zero);
    const U* src = static_cast<const U*>(x);
    U* dst = static_cast<U*>(out);
    walkRows(shape, strides, start, [&](int64_t o, int64_t s, int64_t count, int64_t step) {
      if (step == 1) std::memcpy(dst + o, src + s, sizeof(U) * count);
      else for (int64_t j = 0; j < count; j++) dst[o + j] = src[s + j * step];
    });
  });
}

}  // namespace

void expandKernel(const void* x, size_t bytes, const Shape64& shape, void* out, const Shape64& outShape) {
  Shape64 strides = stridesOf(shape);
  for (size_t d = 0; d < shape.size(); d++) if (shape[d] == 1) strides[d] = 0;
  copyWalk(x, bytes, outShape, strides, 0, out);
}

void sliceKernel(const void* x, size_t bytes, const Shape64& shape, const Shape64& starts, const Shape64& steps, void* out,
                 const Shape64& outShape) {
  Shape64 strides;
  const int64_t start = windowOf(shape, starts, steps, &strides);
  copyWalk(x, bytes, outShape, strides, start, out);
}

void gatherKernel(const void* x, size_t bytes, const Shape64& shape, int64_t dim, const int32_t* index, const Shape64& indexShape, void* out) {
  const int64_t dimStride = stridesOf(shape)[dim];
  asBits(bytes, [&](auto zero) {
    using U = decltype(zero);
    const U* src = static_cast<const U*>(x);
    U* dst = static_cast<U*>(out);
    walkRows(indexShape, gatherStrides(shape, dim, indexShape.size()), 0, [&](int64_t o, int64_t s, int64_t count, int64_t step) {
      for (int64_t j = 0; j < count; j++) dst[o + j] = src[s + j * step + index[o + j] * dimStride];
    });
  });
}

template <typename C>
void whereKernel(const C* cond, const void* a, const void* b, size_t bytes, void* out, int64_t n) {
  asBits(bytes, [&](auto zero) {
    using U = decltype(zero);
    const U* as = static_cast<const U*>(a);
    const U* bs = static_cast<const U*>(b);
    U* os = static_cast<U*>(out);
    for (int64_t i = 0; i < n; i++) os[i] = cond[i] != 0 ? as[i] : bs[i];
  });
}
template void whereKernel<float>(const float*, const void*, const void*, size_t, void*, int64_t);
template void whereKernel<double>(const double*, const void*, const void*, size_t, void*, int64_t);
template void whereKernel<int32_t>(const int32_t*, const void*, const void*, size_t, void*, int64_t);

template <typename T>
void sliceAddKernel(const T* src, const Shape64& srcShape, T* out, const Shape64& shape, const Shape64& starts, const Shape64& steps) {
  Shape64 strides;
  const int64_t start = windowOf(shape, starts, steps, &strides);
  walkRows(srcShape, strides, start, [&](int64_t o, int64_t s, int64_t count, int64_t step) {
    for (int64_t j = 0; j < count; j++) out[s + j * step] = out[s + j * step] + src[o + j];
  });
}
template void sliceAddKernel<float>(const float*, const Shape64&, float*, const Shape64&, const Shape64&, const Shape64&);
template void sliceAddKernel<double>(const double*, const Shape64&, double*, const Shape64&, const Shape64&, const Shape64&);

template <typename T>
void scatterAddKernel(T* out, const Shape64& shape, int64_t dim, const int32_t* index, const Shape64& indexShape, const T* src) {
  const int64_t dimStride = stridesOf(shape)[dim];
  walkRows(indexShape, gatherStrides(shape, dim, indexShape.size()), 0, [&](int64_t o, int64_t s, int64_t count, int64_t step) {
    for (int64_t j = 0; j < count; j++) {
      T& at = out[s + j * step + index[o + j] * dimStride];
      at = at + src[o + j];
    }
  });
}
template void scatterAddKernel<float>(float*, const Shape64&, int64_t, const int32_t*, const Shape64&, const float*);
template void scatterAddKernel<double>(double*, const Shape64&, int64_t, const int32_t*, const Shape64&, const double*);

template <typename T>
void clampKernel(const T* x, T* out, int64_t n, double lo, double hi) {
  for (int64_t i = 0; i < n; i++) {
    const double v = x[i];
    out[i] = v < lo ? static_cast<T>(lo) : v > hi ? static_cast<T>(hi) : x[i];
  }
}
template void clampKernel<float>(const float*, float*, int64_t, double, double);
template void clampKernel<double>(const double*, double*, int64_t, double, double);

}  // namespace minima
