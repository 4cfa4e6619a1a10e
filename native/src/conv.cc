// im2col(x, n, geometry, cols) and col2im(cols, n, geometry, out) for 2-D convolution, with the layout of
// src/backend/kernels.ts (cols [c·kh·kw, n·oh·ow]); the loops of src/backend/js/conv.ts, split across the
// thread pool by input plane (b, ci): each plane owns its own blocks of cols and its own slice of out.
#include <algorithm>
#include <cstring>

#include "kernels.h"
#include "napi-args.h"
#include "plan-kernels.h"
#include "thread-pool.h"

namespace minima {

namespace {

struct Geometry {
  int64_t c, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow;
};

bool readGeometry(Args& args, size_t i, Geometry* g) {
  const auto v = args.integers(i);
  if (args.failed || v.size() != 13) {
    args.fail(i, "a geometry [c, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow]");
    return false;
  }
  *g = {v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12]};
  return true;
}

template <typename T>
void im2colPlane(const T* plane, const Geometry& g, T* rows, int64_t width) {
  for (int64_t i = 0; i < g.kh; i++) {
    for (int64_t j = 0; j < g.kw; j++, rows += width) {
      for (int64_t y = 0; y < g.oh; y++) {
        const int64_t iy = y * g.sh - g.ph + i * g.dh;
        T* dst = rows + y * g.ow;
        if (iy < 0 || iy >= g.h) { std::fill(dst, dst + g.ow, T(0)); continue; }
        const T* src = plane + iy * g.w;
        const int64_t ix0 = j * g.dw - g.pw;
        if (g.sw == 1 && ix0 >= 0 && ix0 + g.ow <= g.w) { std::memcpy(dst, src + ix0, sizeof(T) * g.ow); continue; }
        for (int64_t xo = 0, ix = ix0; xo < g.ow; xo++, ix += g.sw) dst[xo] = ix >= 0 && ix < g.w ? src[ix] : T(0);
      }
    }
  }
}

template <typename T>
void col2imPlane(const T* rows, const Geometry& g, T* plane, int64_t width) {
  std::fill(plane, plane + g.h * g.w, T(0));
  for (int64_t i = 0; i < g.kh; i++) {
    for (int64_t j = 0; j < g.kw; j++, rows += width) {
      for (int64_t y = 0; y < g.oh; y++) {
        const int64_t iy = y * g.sh - g.ph + i * g.dh;
        if (iy < 0 || iy >= g.h) continue;
        const T* src = rows + y * g.ow;
        T* dst = plane + iy * g.w;
        for (int64_t xo = 0, ix = j * g.dw - g.pw; xo < g.ow; xo++, ix += g.sw) if (ix >= 0 && ix < g.w) dst[ix] += src[xo];
      }
    }
  }
}

// Runs the per-plane function over n·c planes; planeFn(planeIndex) does one.
template <typename F>
void perPlane(int64_t planes, const Geometry& g, F planeFn) {
  const int64_t work = std::max<int64_t>(1, g.kh * g.kw * g.oh * g.ow);
  parallelFor(planes, std::max<int64_t>(1, (1 << 15) / work), [&](int64_t p0, int64_t p1) {
    for (int64_t p = p0; p < p1; p++) planeFn(p);
  });
}

template <typename T>
void convert(const T* in, int64_t n, const Geometry& g, bool toCols, T* out) {
  const int64_t L = g.oh * g.ow, width = n * L, planeSize = g.h * g.w;
  // Plane p = b·c + ci: its blocks start at row ci·kh·kw, column b·L.
  const auto block = [&](int64_t p) { return (p % g.c) * g.kh * g.kw * width + (p / g.c) * L; };
  if (toCols) perPlane(n * g.c, g, [&](int64_t p) { im2colPlane(in + p * planeSize, g, out + block(p), width); });
  else perPlane(n * g.c, g, [&](int64_t p) { col2imPlane(in + block(p), g, out + p * planeSize, width); });
}

template <typename T>
void run(Args& args, napi_typedarray_type type, bool toCols, const char* like) {
  const int64_t n = args.integer(1);
  Geometry g;
  if (!readGeometry(args, 2, &g)) return;
  T* in = args.typed<T>(0, type, like);
  T* out = args.typed<T>(3, type, like);
  if (!args.failed) convert(in, n, g, toCols, out);
}

napi_value dispatch(napi_env env, napi_callback_info info, const char* name, bool toCols) {
  Args args(env, info, name);
  const auto type = args.typeOf(0);
  if (type == napi_float32_array) run<float>(args, type, toCols, "a Float32Array like argument 0");
  else if (type == napi_float64_array) run<double>(args, type, toCols, "a Float64Array like argument 0");
  else if (!args.failed) args.fail(0, "a Float32Array or Float64Array");
  return nullptr;
}

Geometry geometryOf(const int64_t* v) { return {v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12]}; }

}  // namespace

template <typename T>
void im2colKernel(const T* x, int64_t n, const int64_t* geometry, T* cols) { convert(x, n, geometryOf(geometry), true, cols); }
template void im2colKernel<float>(const float*, int64_t, const int64_t*, float*);
template void im2colKernel<double>(const double*, int64_t, const int64_t*, double*);

template <typename T>
void col2imKernel(const T* cols, int64_t n, const int64_t* geometry, T* out) { convert(cols, n, geometryOf(geometry), false, out); }
template void col2imKernel<float>(const float*, int64_t, const int64_t*, float*);
template void col2imKernel<double>(const double*, int64_t, const int64_t*, double*);

// im2col(x, n, geometry, cols)
napi_value Im2col(napi_env env, napi_callback_info info) { return dispatch(env, info, "im2col", true); }
// col2im(cols, n, geometry, out)
napi_value Col2im(napi_env env, napi_callback_info info) { return dispatch(env, info, "col2im", false); }

}  // namespace minima
