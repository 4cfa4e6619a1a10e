// ReLU then max pooling read straight from a convolution's output in oneDNN's channel-blocked layout
// (nChw8c / nChw16c: [n, C/CB, H, W, CB], channels padded to a multiple of CB), and its backward written
// straight into that layout, so the convolution's output and gradient never pass through NCHW copies.
// One (image, channel block) at a time, its CB channels side by side in the innermost loop (one vector).
// Values, indices and gradients are those of relu, maxPool2d and their backwards in NCHW (layout.cc,
// pool-max.h): v < 0 ? 0 : v (a NaN kept), the first maximum in row-major window order or the last NaN,
// indices as in-plane positions h·W + w, and a gradient added at its index only where the pooled value is
// above 0 (relu's backward, y <= 0 ? 0 : g, which lets a NaN through).
#pragma once
#include <algorithm>
#include <cstdint>
#include <cstring>

#include "pool-max.h"  // PoolWindowTables

namespace minima {

// The layout of one blocked tensor: n images, c channels (cPadded in memory), h x w planes, cb per block.
struct BlockedMaps {
  int64_t n, c, cPadded, h, w, cb;
  int64_t blocks() const { return cPadded / cb; }
  int64_t blockSize() const { return h * w * cb; }
};

// y <= 0 ? 0 : g by a bit mask: as a branch it mispredicts half the time on data.
inline float reluGrad(float g, float y) {
  uint32_t bits;
  std::memcpy(&bits, &g, sizeof bits);
  bits &= -uint32_t(!(y <= 0.f));
  std::memcpy(&g, &bits, sizeof bits);
  return g;
}

// Pools channel block (b, k) of y (blocked) into out and indices ([n, c, outH, outW], NCHW): AVX2, eight channels at
// once (pool-blocked-avx2.cc), for blocks of 8 or 16 channels; null where the CPU lacks AVX2 (then the fused op
// declines: a portable loop measured 2x slower than the convolution and maxPool2d apart).
using ReluMaxPoolBlockF32 = void (*)(const float* y, const BlockedMaps& m, const PoolWindowTables& w, int64_t b, int64_t k, float* out,
                                     int32_t* indices);
ReluMaxPoolBlockF32 reluMaxPoolBlockAvx2(int cb);

// The gradient of reluMaxPoolBlock for block (b, k): zero, then gy added at the indices where the pooled
// value is above 0, output by output in order (the order of maxPool2dBackward's sums where windows share a
// maximum). The padded channels stay zero, as oneDNN requires.
template <int CB>
void reluMaxPoolBackwardBlock(const float* gy, const float* pooled, const int32_t* indices, const BlockedMaps& m, int64_t outPlane,
                              int64_t b, int64_t k, float* g) {
  float* block = g + (b * m.blocks() + k) * m.blockSize();
  std::memset(block, 0, sizeof(float) * m.blockSize());
  const int64_t lanes = std::min<int64_t>(CB, m.c - k * CB), first = (b * m.c + k * CB) * outPlane;
  for (int64_t l = 0; l < lanes; l++) {
    const int64_t p = first + l * outPlane;
    for (int64_t o = 0; o < outPlane; o++) block[int64_t(indices[p + o]) * CB + l] += reluGrad(gy[p + o], pooled[p + o]);
  }
}

}  // namespace minima
