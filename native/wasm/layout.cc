// The layout kernels of src/backend/kernels.ts (permute, slice, expand, gather: moves of 32-bit elements, so one
// build serves float32 and int32; sliceAdd and scatterAdd: float32 sums) as strided walks: the TypeScript side
// (src/backend/wasm/layout.ts) turns each into the output's shape, the source's strides over it and a start.
#include <string.h>

#include "export.h"

namespace {

// Calls row(o, s) for the start of every run of the last dim: o the output offset, s the source offset, walking shape
// (rank dims) with the source strides like an odometer.
template <typename Row>
void walkRows(int rank, const int32_t* shape, const int32_t* strides, int start, Row row) {
  int total = 1;
  for (int d = 0; d < rank; d++) total *= shape[d];
  if (total == 0) return;
  const int last = rank > 0 ? shape[rank - 1] : 1;
  int32_t idx[32] = {};
  int s = start;
  for (int o = 0; o < total; o += last) {
    row(o, s);
    for (int d = rank - 2; d >= 0; d--) {
      idx[d]++;
      s += strides[d];
      if (idx[d] < shape[d]) break;
      s -= strides[d] * shape[d];
      idx[d] = 0;
    }
  }
}

}  // namespace

// out[o] = x[start + Σ idx·strides] over out's shape: permute, slice and expand (strides 0 along broadcast dims).
WASM_EXPORT(strided_copy_32) void stridedCopy32(const uint32_t* x, uint32_t* out, int rank, const int32_t* shape, const int32_t* strides,
                                               int start) {
  const int last = rank > 0 ? shape[rank - 1] : 1, step = rank > 0 ? strides[rank - 1] : 1;
  walkRows(rank, shape, strides, start, [&](int o, int s) {
    if (step == 1) memcpy(out + o, x + s, sizeof(uint32_t) * last);
    else for (int i = 0; i < last; i++) out[o + i] = x[s + i * step];
  });
}

// The 2-D transpose out [c, r] of x [r, c], in 32 × 32 tiles (the js kernel's fast path).
WASM_EXPORT(transpose_32) void transpose32(const uint32_t* x, uint32_t* out, int r, int c) {
  constexpr int B = 32;
  for (int i0 = 0; i0 < r; i0 += B) {
    for (int j0 = 0; j0 < c; j0 += B) {
      const int iEnd = i0 + B < r ? i0 + B : r, jEnd = j0 + B < c ? j0 + B : c;
      for (int i = i0; i < iEnd; i++) for (int j = j0; j < jEnd; j++) out[j * r + i] = x[i * c + j];
    }
  }
}

// out[start + Σ idx·strides] += src[o] over src's shape: sliceAdd (the backward of slice).
WASM_EXPORT(strided_add_f32) void stridedAddF32(const float* src, float* out, int rank, const int32_t* shape, const int32_t* strides, int start) {
  const int last = rank > 0 ? shape[rank - 1] : 1, step = rank > 0 ? strides[rank - 1] : 1;
  walkRows(rank, shape, strides, start, [&](int o, int s) {
    for (int i = 0; i < last; i++) out[s + i * step] += src[o + i];
  });
}

// out[o] = x[s + index[o]·dimStride] over index's shape (s following strides, 0 along the gathered dim): torch.gather.
WASM_EXPORT(gather_32) void gather32(const uint32_t* x, const int32_t* index, uint32_t* out, int rank, const int32_t* shape,
                                     const int32_t* strides, int dimStride) {
  const int last = rank > 0 ? shape[rank - 1] : 1, step = rank > 0 ? strides[rank - 1] : 1;
  walkRows(rank, shape, strides, 0, [&](int o, int s) {
    for (int i = 0; i < last; i++) out[o + i] = x[s + i * step + index[o + i] * dimStride];
  });
}

// out[s + index[o]·dimStride] += src[o], in order: torch.scatter_add_.
WASM_EXPORT(scatter_add_f32) void scatterAddF32(float* out, const int32_t* index, const float* src, int rank, const int32_t* shape,
                                                const int32_t* strides, int dimStride) {
  const int last = rank > 0 ? shape[rank - 1] : 1, step = rank > 0 ? strides[rank - 1] : 1;
  walkRows(rank, shape, strides, 0, [&](int o, int s) {
    for (int i = 0; i < last; i++) out[s + i * step + index[o + i] * dimStride] += src[o + i];
  });
}
