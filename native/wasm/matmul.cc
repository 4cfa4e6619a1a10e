// matmul(a, b, out, batch, m, n, k, transA, transB, aBatchStride, bBatchStride), float32, the contract of
// src/backend/kernels.ts: a packed, K-blocked product in the GotoBLAS shape with a 4×8 SIMD128 micro-kernel
// (6×8 measured no faster: about 40 GFLOP/s either way in Node 20 on this EPYC, near its mul+add throughput).
// Each output is Σₚ a·b summed in order p = 0, 1, … within a KC-deep block (a multiply and an add: wasm has no
// FMA, so the bits are the same in every engine), blocks added in order; the tile an output falls in does not
// change its arithmetic, so a row gives the same bits alone or inside a batch, and a product split across threads by
// blocks of output rows or columns (thread-pool.h; never by K) gives the same bits as one thread.
#include <stdlib.h>
#include <string.h>
#include <wasm_simd128.h>

#include "export.h"
#include "thread-pool.h"

namespace {

constexpr int MR = 4;     // rows of the micro-tile
constexpr int NR = 8;     // columns of the micro-tile: two f32x4
constexpr int KC = 256;   // depth of a block: a packed 8-column strip of B is 8 KiB (L1)
constexpr int MC = 64;    // rows of A packed at once: 64 KiB (L2)
constexpr int NC = 2048;  // columns of B packed at once: 2 MiB

constexpr int MAX_THREADS = 16;
// Products of fewer multiply-adds than this stay on one thread. Waking a sleeping worker costs about 40 µs (Node 20
// on this EPYC with its second core idle; under load, less, but the worker's share waits for a core), and at 128³
// (2²¹) two threads only broke even; from 2²² (about 160 µs on one thread) the split pays where a core is free
// (bench/wasm-threads.bench.ts, BENCHMARKS.md "The wasm backend's threads": 1.1–1.8× from 2²³ to 2²⁷).
double threadedFrom = 1 << 22;

// Packing buffers, one pair per thread (allocated by the calling instance: workers never call malloc).
float* aPacks[MAX_THREADS] = {};
float* bPacks[MAX_THREADS] = {};

// op(X)[row][col] for X stored row-major with `cols` columns, or transposed (stored [col][row] with `rows` columns).
struct Operand {
  const float* p;
  int rows, cols;
  bool trans;
  float at(int r, int c) const { return trans ? p[c * rows + r] : p[r * cols + c]; }
};

// aPack: MR-row strips of op(A)[i0 … i0+mc)[p0 … p0+kc), each strip [kc][MR], rows past m zero.
void packA(float* aPack, const Operand& A, int i0, int mc, int p0, int kc) {
  float* dst = aPack;
  for (int s = 0; s < mc; s += MR, dst += MR * kc) {
    for (int r = 0; r < MR; r++) {
      int i = i0 + s + r;
      if (s + r >= mc) {
        for (int p = 0; p < kc; p++) dst[p * MR + r] = 0;
      } else if (A.trans) {
        const float* src = A.p + p0 * A.rows + i;
        for (int p = 0; p < kc; p++, src += A.rows) dst[p * MR + r] = *src;
      } else {
        const float* src = A.p + i * A.cols + p0;
        for (int p = 0; p < kc; p++) dst[p * MR + r] = src[p];
      }
    }
  }
}

// bPack: NR-column strips of op(B)[p0 … p0+kc)[j0 … j0+nc), each strip [kc][NR], columns past nc zero.
void packB(float* bPack, const Operand& B, int p0, int kc, int j0, int nc) {
  float* dst = bPack;
  for (int s = 0; s < nc; s += NR, dst += NR * kc) {
    int width = nc - s < NR ? nc - s : NR;
    if (!B.trans && width == NR) {
      const float* src = B.p + p0 * B.cols + j0 + s;
      for (int p = 0; p < kc; p++, src += B.cols) {
        wasm_v128_store(dst + p * NR, wasm_v128_load(src));
        wasm_v128_store(dst + p * NR + 4, wasm_v128_load(src + 4));
      }
      continue;
    }
    for (int c = 0; c < NR; c++) {
      if (c >= width) {
        for (int p = 0; p < kc; p++) dst[p * NR + c] = 0;
      } else {
        for (int p = 0; p < kc; p++) dst[p * NR + c] = B.at(p0 + p, j0 + s + c);
      }
    }
  }
}

// The MR×NR tile Σₚ a[p]·b[p] into c (row stride ldc): stored, or added to c when `add`; only rows × cols of it.
void microKernel(int kc, const float* a, const float* b, float* c, int ldc, bool add, int rows, int cols) {
  v128_t acc[MR][2];
  for (int r = 0; r < MR; r++) acc[r][0] = acc[r][1] = wasm_f32x4_splat(0);
  for (int p = 0; p < kc; p++, a += MR, b += NR) {
    const v128_t b0 = wasm_v128_load(b), b1 = wasm_v128_load(b + 4);
    for (int r = 0; r < MR; r++) {
      const v128_t ar = wasm_v128_load32_splat(a + r);
      acc[r][0] = wasm_f32x4_add(acc[r][0], wasm_f32x4_mul(ar, b0));
      acc[r][1] = wasm_f32x4_add(acc[r][1], wasm_f32x4_mul(ar, b1));
    }
  }
  if (rows == MR && cols == NR) {
    for (int r = 0; r < MR; r++) {
      float* row = c + r * ldc;
      if (add) {
        wasm_v128_store(row, wasm_f32x4_add(wasm_v128_load(row), acc[r][0]));
        wasm_v128_store(row + 4, wasm_f32x4_add(wasm_v128_load(row + 4), acc[r][1]));
      } else {
        wasm_v128_store(row, acc[r][0]);
        wasm_v128_store(row + 4, acc[r][1]);
      }
    }
    return;
  }
  alignas(16) float tile[MR * NR];
  for (int r = 0; r < MR; r++) {
    wasm_v128_store(tile + r * NR, acc[r][0]);
    wasm_v128_store(tile + r * NR + 4, acc[r][1]);
  }
  for (int r = 0; r < rows; r++) {
    for (int j = 0; j < cols; j++) c[r * ldc + j] = add ? c[r * ldc + j] + tile[r * NR + j] : tile[r * NR + j];
  }
}

// Rows [i0, i1) × columns [j0, j1) of C = op(A)·op(B) (row stride n), with this thread's packing buffers.
void gemm(float* aPack, float* bPack, const Operand& A, const Operand& B, float* C, int n, int k, int iBegin, int iEnd,
          int jBegin, int jEnd) {
  for (int j0 = jBegin; j0 < jEnd; j0 += NC) {
    int nc = jEnd - j0 < NC ? jEnd - j0 : NC;
    for (int p0 = 0; p0 < k; p0 += KC) {
      int kc = k - p0 < KC ? k - p0 : KC;
      packB(bPack, B, p0, kc, j0, nc);
      for (int i0 = iBegin; i0 < iEnd; i0 += MC) {
        int mc = iEnd - i0 < MC ? iEnd - i0 : MC;
        packA(aPack, A, i0, mc, p0, kc);
        for (int s = 0; s < nc; s += NR) {
          for (int r = 0; r < mc; r += MR) {
            microKernel(kc, aPack + r * kc, bPack + s * kc, C + (i0 + r) * n + j0 + s, n, p0 > 0,
                        mc - r < MR ? mc - r : MR, nc - s < NR ? nc - s : NR);
          }
        }
      }
    }
  }
}

// A batch of products and how it is split: by blocks of NR output columns, or of MR rows when n is the narrower side.
struct Product {
  const float* a;
  const float* b;
  float* out;
  int batch, m, n, k, aStride, bStride;
  bool transA, transB, byColumns;
};

// Thread t's block of every product in the batch: its share of the MR-row or NR-column units, in order.
void share(void* ctx, int t, int threads) {
  const Product& P = *static_cast<const Product*>(ctx);
  int step = P.byColumns ? NR : MR, extent = P.byColumns ? P.n : P.m;
  int units = (extent + step - 1) / step;
  int begin = int(int64_t(units) * t / threads) * step, end = int(int64_t(units) * (t + 1) / threads) * step;
  if (end > extent) end = extent;
  if (begin >= end) return;
  for (int b = 0; b < P.batch; b++) {
    Operand A{P.a + b * P.aStride, P.m, P.k, P.transA};
    Operand B{P.b + b * P.bStride, P.k, P.n, P.transB};
    float* C = P.out + b * P.m * P.n;
    if (P.byColumns) gemm(aPacks[t], bPacks[t], A, B, C, P.n, P.k, 0, P.m, begin, end);
    else gemm(aPacks[t], bPacks[t], A, B, C, P.n, P.k, begin, end, 0, P.n);
  }
}

}  // namespace

// Sets the threshold (bench/wasm-threads.bench.ts measures the products around it); returns the previous one.
WASM_EXPORT(matmul_threaded_from) double matmulThreadedFrom(double multiplyAdds) {
  double was = threadedFrom;
  threadedFrom = multiplyAdds;
  return was;
}

// Returns 0, or 1 when the packing buffers could not be allocated (memory cannot grow).
WASM_EXPORT(matmul_f32) int matmulF32(const float* a, const float* b, float* out, int batch, int m, int n, int k,
                                      int transA, int transB, int aStride, int bStride) {
  if (k == 0) {
    memset(out, 0, sizeof(float) * batch * m * n);
    return 0;
  }
  // Row-major A shared-B batches are one product of batch·m rows (the same arithmetic per output, fewer packs of B).
  if (batch > 1 && bStride == 0 && !transA && aStride == m * k) {
    m *= batch;
    batch = 1;
  }
  Product P{a, b, out, batch, m, n, k, aStride, bStride, transA != 0, transB != 0, n >= m};
  int units = P.byColumns ? (n + NR - 1) / NR : (m + MR - 1) / MR;
  int threads = double(batch) * m * n * k < threadedFrom ? 1 : poolThreads();
  if (threads > units) threads = units;
  for (int t = 0; t < threads; t++) {
    if (!aPacks[t]) aPacks[t] = static_cast<float*>(aligned_alloc(16, sizeof(float) * MC * KC));
    if (!bPacks[t]) bPacks[t] = static_cast<float*>(aligned_alloc(16, sizeof(float) * KC * ((NC + NR - 1) / NR * NR)));
    if (!aPacks[t] || !bPacks[t]) return 1;
  }
  poolRun(share, &P, threads);
  return 0;
}
