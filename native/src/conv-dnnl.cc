// Whole float32 convolutions through oneDNN (Debian's libdnnl-dev, the library PyTorch's CPU convolutions
// use), built only where it is installed (binding.gyp defines MINIMA_DNNL). Tensors stay NCHW / OIHW in
// JavaScript; each call reorders them into the blocked layouts oneDNN's kernels want and back, which on
// the CNN of BENCHMARKS.md still makes its convolutions about 3x faster than im2col + OpenBLAS
// (measured: 3.9 against 12.5 ms per training step on 2 cores). Primitives and their scratch memories
// are built once per geometry and kept. A geometry oneDNN refuses returns false, and the op layer falls
// back to im2col (src/autograd/ops/conv.ts). Calls come from the JavaScript thread only: the cached
// scratch memories are not shared between threads. A fused ReLU is oneDNN's relu post-op, max(x, 0), which
// turns a NaN into 0 where torch.relu keeps it: when the input, the weights or the bias hold a NaN or an
// infinity (a read-only scan, a fraction of the convolution's output to write) the convolution runs without
// it and minima's relu pass follows, which keeps the NaN. (A pass on every call cost 0.15 ms of the
// BENCHMARKS.md CNN's first convolution, 0.75 ms.) Left out: all-finite operands whose products overflow to
// +inf and -inf in one sum, whose NaN the post-op zeroes; the infinities around it still reach the loss.
//
// conv2dForward(x, w, bias, n, cOut, groups, geometry, relu, out)   → boolean
// conv2dBackwardData(gy, w, n, cOut, groups, geometry, gx)          → boolean
// conv2dBackwardWeights(gy, x, n, cOut, groups, geometry, gw, gb)   → boolean (gb may be null)
// conv2dForwardReluMaxPool(x, w, bias, n, cOut, groups, geometry, rowStart, rowEnd, rowStep, colStart, colEnd, colStep, out, indices)
// conv2dBackwardReluMaxPool(gy, out, indices, outPlane, x, w, n, cOut, groups, geometry, gx, gw, gb) → boolean (gx, gw, gb may be null)
//   The convolution, a ReLU and max pooling in one call (pool-blocked.h): the pooling reads the convolution's output
//   where oneDNN wrote it, in its blocked layout, and the backward writes the output's gradient in that layout for
//   both backward passes, so neither passes through an NCHW copy (on the CNN of BENCHMARKS.md those copies, the
//   separate pooling and the ReLU gradient pass were about a quarter of a step). Taken only where all three passes
//   use one nChw8c/nChw16c layout; false otherwise, and the op layer runs the three apart.
// geometry = [c, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow] (src/backend/kernels.ts's ConvGeometry).
#include <algorithm>

#include "kernels.h"
#include "napi-args.h"
#include "plan-kernels.h"
#include "pool-blocked.h"
#include "thread-pool.h"

#if defined(MINIMA_DNNL)
#include <omp.h>

#include <map>
#include <unordered_map>
#include <memory>
#include <oneapi/dnnl/dnnl.hpp>
#include <string>
#include <vector>

namespace minima {

namespace {

using dnnl::memory;
using tag = memory::format_tag;
constexpr auto f32 = memory::data_type::f32;

struct Shape {
  int64_t n, cOut, groups, c, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow;
  std::vector<int64_t> key(int kind, bool flag) const {
    return {kind, flag, n, cOut, groups, c, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow};
  }
  memory::dims src() const { return {n, c, h, w}; }
  memory::dims dst() const { return {n, cOut, oh, ow}; }
  memory::dims weights() const {
    return groups == 1 ? memory::dims{cOut, c, kh, kw} : memory::dims{groups, cOut / groups, c / groups, kh, kw};
  }
  tag weightsTag() const { return groups == 1 ? tag::oihw : tag::goihw; }
  memory::dims strides() const { return {sh, sw}; }
  memory::dims dilates() const { return {dh - 1, dw - 1}; }  // oneDNN counts the gaps
  memory::dims padL() const { return {ph, pw}; }
  // The right/bottom padding that gives exactly oh x ow (less than the left where the floor dropped a row).
  memory::dims padR() const { return {(oh - 1) * sh + (kh - 1) * dh + 1 - h - ph, (ow - 1) * sw + (kw - 1) * dw + 1 - w - pw}; }
};

struct Context {
  dnnl::engine engine{dnnl::engine::kind::cpu, 0};
  dnnl::stream stream{engine};
};

Context& context() {
  static Context c;
  return c;
}

// A user array (NCHW or OIHW, JavaScript's memory) and, where oneDNN wants another layout, its own copy.
struct Operand {
  memory user, inner;
  dnnl::reorder toInner, toUser;
  Operand(const memory::desc& userDesc, const memory::desc& want, bool in, bool out) {
    auto& eng = context().engine;
    user = memory(userDesc, eng, DNNL_MEMORY_NONE);
    if (want == userDesc) { inner = user; return; }
    inner = memory(want, eng);
    if (in) toInner = dnnl::reorder(user, inner);
    if (out) toUser = dnnl::reorder(inner, user);
  }
  bool reordered() const { return inner.get() != user.get(); }
  void in(void* data) {
    user.set_data_handle(data);
    if (reordered()) toInner.execute(context().stream, user, inner);
  }
  void out(void* data) {
    user.set_data_handle(data);
    if (reordered()) toUser.execute(context().stream, inner, user);
  }
};

memory::desc plain(const memory::dims& dims, tag t) { return memory::desc(dims, f32, t); }
memory::desc any(const memory::dims& dims) { return memory::desc(dims, f32, tag::any); }

// Winograd's F(4x4, 3x3) (2.25x fewer multiplications; its transforms round differently from the direct sums, well
// within the float32 tolerance the native-vs-js tests hold) for 3x3, stride-1, undilated, ungrouped convolutions with
// at least 16 channels in and out, where oneDNN has it (AVX-512); direct elsewhere. Measured on the CNN of
// BENCHMARKS.md's second layer (32 → 64 channels, 13x13, batch 64), one thread: forward 3.1 → 2.2 ms, both backwards
// 6.5 → 5.2 ms; on its first (1 input channel) Winograd was 5x slower, hence the channel bound.
bool winogradFits(const Shape& s) {
  return s.kh == 3 && s.kw == 3 && s.sh == 1 && s.sw == 1 && s.dh == 1 && s.dw == 1 && s.groups == 1 && s.c >= 16 && s.cOut >= 16;
}

// make(algorithm) with Winograd where it fits and oneDNN builds it, else with the direct algorithm.
template <typename Make>
auto withAlgorithm(const Shape& s, Make make) {
  if (winogradFits(s)) {
    try {
      return make(dnnl::algorithm::convolution_winograd);
    } catch (const dnnl::error&) {
    }
  }
  return make(dnnl::algorithm::convolution_direct);
}

dnnl::convolution_forward::primitive_desc forwardDesc(const Shape& s, bool bias, bool relu, dnnl::algorithm alg) {
  dnnl::convolution_forward::desc d = bias
      ? dnnl::convolution_forward::desc(dnnl::prop_kind::forward_training, alg, any(s.src()),
                                        any(s.weights()), plain({s.cOut}, tag::a), any(s.dst()), s.strides(), s.dilates(), s.padL(), s.padR())
      : dnnl::convolution_forward::desc(dnnl::prop_kind::forward_training, alg, any(s.src()),
                                        any(s.weights()), any(s.dst()), s.strides(), s.dilates(), s.padL(), s.padR());
  dnnl::primitive_attr attr;
  if (relu) {
    dnnl::post_ops ops;
    ops.append_eltwise(1.f, dnnl::algorithm::eltwise_relu, 0.f, 0.f);
    attr.set_post_ops(ops);
  }
  return dnnl::convolution_forward::primitive_desc(d, attr, context().engine);
}

// Whether all n values are finite (v - v is 0 unless v is NaN or ±inf): a read-only pass, on oneDNN's OpenMP
// threads past 2^17 values (below, starting them costs more than the pass).
bool allFinite(const float* v, int64_t n) {
  int bad = 0;
#pragma omp parallel for reduction(| : bad) schedule(static) if (n > (1 << 17))
  for (int64_t i = 0; i < n; i++) bad |= (v[i] - v[i]) != 0.f;
  return bad == 0;
}

// relu in place, keeping a NaN (v < 0 ? 0 : v, as the elementwise kernel), on oneDNN's OpenMP threads, which
// still spin from the convolution (minima's pool, started here, measured about twice as slow).
void reluInPlace(float* y, int64_t size) {
#pragma omp parallel for schedule(static)
  for (int64_t i = 0; i < size; i++) y[i] = y[i] < 0.f ? 0.f : y[i];
}

struct Forward {
  dnnl::convolution_forward conv;
  Operand x, w, y;
  memory b;
  Forward(const Shape& s, bool bias, const dnnl::convolution_forward::primitive_desc& pd)
      : conv(pd), x(plain(s.src(), tag::nchw), pd.src_desc(), true, false), w(plain(s.weights(), s.weightsTag()), pd.weights_desc(), true, false),
        y(plain(s.dst(), tag::nchw), pd.dst_desc(), false, true) {
    if (bias) b = memory(plain({s.cOut}, tag::a), context().engine, DNNL_MEMORY_NONE);
  }
};

struct BackwardData {
  dnnl::convolution_backward_data conv;
  Operand gy, w, gx;
  BackwardData(const Shape& s, const dnnl::convolution_backward_data::primitive_desc& pd)
      : conv(pd), gy(plain(s.dst(), tag::nchw), pd.diff_dst_desc(), true, false), w(plain(s.weights(), s.weightsTag()), pd.weights_desc(), true, false),
        gx(plain(s.src(), tag::nchw), pd.diff_src_desc(), false, true) {}
};

struct BackwardWeights {
  dnnl::convolution_backward_weights conv;
  Operand gy, x, gw;
  memory gb;
  BackwardWeights(const Shape& s, bool bias, const dnnl::convolution_backward_weights::primitive_desc& pd)
      : conv(pd), gy(plain(s.dst(), tag::nchw), pd.diff_dst_desc(), true, false), x(plain(s.src(), tag::nchw), pd.src_desc(), true, false),
        gw(plain(s.weights(), s.weightsTag()), pd.diff_weights_desc(), false, true) {
    if (bias) gb = memory(plain({s.cOut}, tag::a), context().engine, DNNL_MEMORY_NONE);
  }
};

// oneDNN runs on OpenMP threads from the calling thread: as many as minima's pool has, which idles meanwhile.
void useThreads() { omp_set_num_threads(numThreads()); }

template <typename P>
std::map<std::vector<int64_t>, std::unique_ptr<P>>& cache() {
  static std::map<std::vector<int64_t>, std::unique_ptr<P>> c;
  return c;
}

// The cached primitive for key and the thread count, built by make() on first use; null when oneDNN refuses the
// geometry. oneDNN splits a primitive's work for the OpenMP thread count at creation, so primitives are built with
// minima's count set and kept per count: the first layer's weight gradient of the CNN (1 input channel), built for
// two threads and run on one, took 3.9 ms a call instead of 0.6.
template <typename P, typename Make>
P* cached(std::vector<int64_t> key, Make make) {
  useThreads();
  key.push_back(numThreads());
  auto& c = cache<P>();
  auto it = c.find(key);
  if (it != c.end()) return it->second.get();
  // A training run meets a few geometries (its batch sizes); past this many, start over rather than hold
  // every one's scratch memory.
  if (c.size() >= 64) c.clear();
  std::unique_ptr<P> p;
  try {
    p = make();
  } catch (const dnnl::error&) {
    p = nullptr;
  }
  return c.emplace(key, std::move(p)).first->second.get();
}

// The shape of a call (its geometry the 13 integers of a ConvGeometry); false where oneDNN cannot take it.
bool shapeOf(int64_t n, int64_t cOut, int64_t groups, const int64_t* g, Shape* s) {
  *s = {n, cOut, groups, g[0], g[1], g[2], g[3], g[4], g[5], g[6], g[7], g[8], g[9], g[10], g[11], g[12]};
  const auto r = s->padR();
  return r[0] >= 0 && r[1] >= 0 && s->n > 0;
}

// A convolution op's arguments: Args plus the n, cOut, groups and geometry (13 integers) that every op reads.
struct ConvArgs : Args {
  int64_t n = 0, cOut = 0, groups = 0, g[13] = {};

  ConvArgs(napi_env e, napi_callback_info info, const char* name) : Args(e, info, name) {}

  // Reads n, cOut, groups and geometry from `at` on.
  void shape(size_t at) {
    n = integer(at), cOut = integer(at + 1), groups = integer(at + 2);
    const auto v = integers(at + 3);
    if (failed) return;
    if (v.size() != 13) { fail(at + 3, "a convolution geometry of 13 integers"); return; }
    std::copy(v.begin(), v.end(), g);
  }

  // The kernel's answer (false: oneDNN declined, the caller falls back) as a boolean; after a bad argument nothing,
  // the TypeError already thrown.
  template <typename Kernel>
  napi_value call(Kernel kernel) {
    if (failed) return nullptr;
    napi_value v;
    napi_get_boolean(env, kernel(), &v);
    return v;
  }
};

BackwardData* backwardData(const Shape& s) {
  return cached<BackwardData>(s.key(1, false), [&] {
    return withAlgorithm(s, [&](dnnl::algorithm alg) {
      const dnnl::convolution_backward_data::desc d(alg, any(s.src()), any(s.weights()), any(s.dst()), s.strides(), s.dilates(), s.padL(), s.padR());
      const dnnl::convolution_backward_data::primitive_desc pd(d, context().engine, forwardDesc(s, false, false, alg));
      return std::make_unique<BackwardData>(s, pd);
    });
  });
}

BackwardWeights* backwardWeights(const Shape& s, bool bias) {
  return cached<BackwardWeights>(s.key(2, bias), [&] {
    return withAlgorithm(s, [&](dnnl::algorithm alg) {
      const auto d = bias
          ? dnnl::convolution_backward_weights::desc(alg, any(s.src()), any(s.weights()), plain({s.cOut}, tag::a), any(s.dst()), s.strides(),
                                                     s.dilates(), s.padL(), s.padR())
          : dnnl::convolution_backward_weights::desc(alg, any(s.src()), any(s.weights()), any(s.dst()), s.strides(), s.dilates(), s.padL(), s.padR());
      const dnnl::convolution_backward_weights::primitive_desc pd(d, context().engine, forwardDesc(s, bias, false, alg));
      return std::make_unique<BackwardWeights>(s, bias, pd);
    });
  });
}

Forward* forward(const Shape& s, bool bias, bool relu) {
  auto key = s.key(0, bias);
  key.push_back(relu);
  return cached<Forward>(key, [&] {
    return withAlgorithm(s, [&](dnnl::algorithm alg) { return std::make_unique<Forward>(s, bias, forwardDesc(s, bias, relu, alg)); });
  });
}

// Queues fw's convolution of x and w (and bias, where not null) into fw->y.inner, on the stream (the caller waits).
void runForward(Forward* fw, const float* x, const float* w, const float* bias) {
  fw->x.in(const_cast<float*>(x));
  fw->w.in(const_cast<float*>(w));
  std::unordered_map<int, memory> argsMap{{DNNL_ARG_SRC, fw->x.inner}, {DNNL_ARG_WEIGHTS, fw->w.inner}, {DNNL_ARG_DST, fw->y.inner}};
  if (bias) { fw->b.set_data_handle(const_cast<float*>(bias)); argsMap.emplace(DNNL_ARG_BIAS, fw->b); }
  fw->conv.execute(context().stream, argsMap);
}

// gx from gy (a memory in bd's layout: its gy.inner, or one of the same desc) and w.
void runBackwardData(BackwardData* bd, const memory& gy, const float* w, float* gx) {
  auto& st = context().stream;
  bd->w.in(const_cast<float*>(w));
  bd->gx.user.set_data_handle(gx);
  bd->conv.execute(st, {{DNNL_ARG_DIFF_DST, gy}, {DNNL_ARG_WEIGHTS, bd->w.inner}, {DNNL_ARG_DIFF_SRC, bd->gx.inner}});
  bd->gx.out(gx);
  st.wait();
}

// gw and gb (null: none) from gy (in bw's layout, gy.inner) and x.
void runBackwardWeights(BackwardWeights* bw, const float* x, float* gw, float* gb) {
  auto& st = context().stream;
  bw->x.in(const_cast<float*>(x));
  bw->gw.user.set_data_handle(gw);
  std::unordered_map<int, memory> argsMap{{DNNL_ARG_DIFF_DST, bw->gy.inner}, {DNNL_ARG_SRC, bw->x.inner}, {DNNL_ARG_DIFF_WEIGHTS, bw->gw.inner}};
  if (gb) { bw->gb.set_data_handle(gb); argsMap.emplace(DNNL_ARG_DIFF_BIAS, bw->gb); }
  bw->conv.execute(st, argsMap);
  bw->gw.out(gw);
  st.wait();
}

}  // namespace

bool conv2dForwardKernel(const float* x, const float* w, const float* bias, int64_t n, int64_t cOut, int64_t groups, const int64_t* geometry,
                         bool relu, float* out) {
  Shape s;
  if (!shapeOf(n, cOut, groups, geometry, &s)) return false;
  useThreads();
  const bool fuse = relu && allFinite(x, s.n * s.c * s.h * s.w) && allFinite(w, s.cOut * (s.c / s.groups) * s.kh * s.kw) &&
                    (!bias || allFinite(bias, s.cOut));
  Forward* fw = forward(s, bias != nullptr, fuse);
  if (!fw) return false;
  fw->y.user.set_data_handle(out);
  runForward(fw, x, w, bias);
  fw->y.out(out);
  context().stream.wait();
  if (relu && !fuse) reluInPlace(out, s.n * s.cOut * s.oh * s.ow);
  return true;
}

napi_value Conv2dForwardOp(napi_env env, napi_callback_info info) {
  ConvArgs args(env, info, "conv2dForward");
  auto x = args.typed<float>(0, napi_float32_array, "a Float32Array");
  auto w = args.typed<float>(1, napi_float32_array, "a Float32Array");
  auto bias = args.optional<float>(2, napi_float32_array, "null or a Float32Array");
  args.shape(3);
  const bool relu = args.boolean(7);
  auto out = args.typed<float>(8, napi_float32_array, "a Float32Array");
  return args.call([&] { return conv2dForwardKernel(x, w, bias, args.n, args.cOut, args.groups, args.g, relu, out); });
}

bool conv2dBackwardDataKernel(const float* gy, const float* w, int64_t n, int64_t cOut, int64_t groups, const int64_t* geometry, float* gx) {
  Shape s;
  if (!shapeOf(n, cOut, groups, geometry, &s)) return false;
  BackwardData* bd = backwardData(s);
  if (!bd) return false;
  useThreads();
  bd->gy.in(const_cast<float*>(gy));
  runBackwardData(bd, bd->gy.inner, w, gx);
  return true;
}

napi_value Conv2dBackwardDataOp(napi_env env, napi_callback_info info) {
  ConvArgs args(env, info, "conv2dBackwardData");
  auto gy = args.typed<float>(0, napi_float32_array, "a Float32Array");
  auto w = args.typed<float>(1, napi_float32_array, "a Float32Array");
  args.shape(2);
  auto gx = args.typed<float>(6, napi_float32_array, "a Float32Array");
  return args.call([&] { return conv2dBackwardDataKernel(gy, w, args.n, args.cOut, args.groups, args.g, gx); });
}

bool conv2dBackwardWeightsKernel(const float* gy, const float* x, int64_t n, int64_t cOut, int64_t groups, const int64_t* geometry, float* gw,
                                 float* gb) {
  Shape s;
  if (!shapeOf(n, cOut, groups, geometry, &s)) return false;
  BackwardWeights* bw = backwardWeights(s, gb != nullptr);
  if (!bw) return false;
  useThreads();
  bw->gy.in(const_cast<float*>(gy));
  runBackwardWeights(bw, x, gw, gb);
  return true;
}

napi_value Conv2dBackwardWeightsOp(napi_env env, napi_callback_info info) {
  ConvArgs args(env, info, "conv2dBackwardWeights");
  auto gy = args.typed<float>(0, napi_float32_array, "a Float32Array");
  auto x = args.typed<float>(1, napi_float32_array, "a Float32Array");
  args.shape(2);
  auto gw = args.typed<float>(6, napi_float32_array, "a Float32Array");
  auto gb = args.optional<float>(7, napi_float32_array, "null or a Float32Array");
  return args.call([&] { return conv2dBackwardWeightsKernel(gy, x, args.n, args.cOut, args.groups, args.g, gw, gb); });
}

namespace {

// The channel block of the layout oneDNN chose for an [n, c, h, w] tensor: 8 or 16 (nChw8c, nChw16c), else 0.
int channelBlock(const memory::desc& d, const memory::dims& dims) {
  if (d == plain(dims, tag::nChw16c)) return 16;
  if (d == plain(dims, tag::nChw8c)) return 8;
  return 0;
}

// The channel block the fused ReLU + max pooling works in: the one layout oneDNN gives the convolution's output in
// all three passes (forward's dst, both backwards' diff_dst), blocked; 0 where they differ (then the op declines).
int pooledBlock(const Shape& s, bool bias, Forward* fw, BackwardData* bd, BackwardWeights* bw) {
  const memory::desc d = fw->y.inner.get_desc();
  if (bd->gy.inner.get_desc() != d || bw->gy.inner.get_desc() != d) return 0;
  return channelBlock(d, s.dst());
}

// The pooling windows' tables from `at` on (meaningless after a bad argument, which args has thrown for).
PoolWindowTables readWindows(Args& args, size_t at) {
  napi_typedarray_type t;
  size_t outH = 0, outW = 0, n = 0;
  const auto rs = static_cast<const int32_t*>(args.array(at, &t, &outH));
  const auto re = static_cast<const int32_t*>(args.array(at + 1, &t, &n));
  const int64_t rowStep = args.integer(at + 2);
  const auto cs = static_cast<const int32_t*>(args.array(at + 3, &t, &outW));
  const auto ce = static_cast<const int32_t*>(args.array(at + 4, &t, &n));
  const int64_t colStep = args.integer(at + 5);
  return {rs, re, cs, ce, static_cast<int64_t>(outH), static_cast<int64_t>(outW), rowStep, colStep};
}

BlockedMaps blockedMaps(const Shape& s, int cb) { return {s.n, s.cOut, (s.cOut + cb - 1) / cb * cb, s.oh, s.ow, cb}; }

// Runs f(b, k) for every (image, channel block), on oneDNN's OpenMP threads (still spinning from the convolution).
template <typename F>
void perBlock(const BlockedMaps& m, F f) {
  const int64_t count = m.n * m.blocks();
#pragma omp parallel for schedule(static)
  for (int64_t t = 0; t < count; t++) f(t / m.blocks(), t % m.blocks());
}

}  // namespace

bool conv2dForwardReluMaxPoolKernel(const float* x, const float* w, const float* bias, int64_t n, int64_t cOut, int64_t groups,
                                    const int64_t* geometry, const PoolWindowTables& windows, float* out, int32_t* indices) {
  Shape s;
  if (!shapeOf(n, cOut, groups, geometry, &s)) return false;
  Forward* fw = forward(s, bias != nullptr, false);
  BackwardData* bd = backwardData(s);
  BackwardWeights* bw = backwardWeights(s, bias != nullptr);
  const int cb = fw && bd && bw ? pooledBlock(s, bias != nullptr, fw, bd, bw) : 0;
  const ReluMaxPoolBlockF32 pool = reluMaxPoolBlockAvx2(cb);
  if (!pool) return false;
  useThreads();
  runForward(fw, x, w, bias);
  context().stream.wait();
  const float* y = static_cast<const float*>(fw->y.inner.get_data_handle());
  const BlockedMaps m = blockedMaps(s, cb);
  perBlock(m, [&](int64_t b, int64_t k) { pool(y, m, windows, b, k, out, indices); });
  return true;
}

napi_value Conv2dForwardReluMaxPoolOp(napi_env env, napi_callback_info info) {
  ConvArgs args(env, info, "conv2dForwardReluMaxPool");
  auto x = args.typed<float>(0, napi_float32_array, "a Float32Array");
  auto w = args.typed<float>(1, napi_float32_array, "a Float32Array");
  auto bias = args.optional<float>(2, napi_float32_array, "null or a Float32Array");
  args.shape(3);
  const PoolWindowTables windows = readWindows(args, 7);
  auto out = args.typed<float>(13, napi_float32_array, "a Float32Array");
  auto indices = args.typed<int32_t>(14, napi_int32_array, "an Int32Array");
  return args.call([&] { return conv2dForwardReluMaxPoolKernel(x, w, bias, args.n, args.cOut, args.groups, args.g, windows, out, indices); });
}

bool conv2dBackwardReluMaxPoolKernel(const float* gy, const float* pooled, const int32_t* indices, int64_t outPlane, const float* x,
                                     const float* w, int64_t n, int64_t cOut, int64_t groups, const int64_t* geometry, float* gx, float* gw,
                                     float* gb) {
  Shape s;
  if (!shapeOf(n, cOut, groups, geometry, &s)) return false;
  Forward* fw = forward(s, gb != nullptr, false);
  BackwardData* bd = backwardData(s);
  BackwardWeights* bw = backwardWeights(s, gb != nullptr);
  const int cb = fw && bd && bw ? pooledBlock(s, gb != nullptr, fw, bd, bw) : 0;
  if (!reluMaxPoolBlockAvx2(cb) || (gb && !gw)) return false;
  useThreads();
  // The gradient of the convolution's output, in the layout both backward passes read (bw's, the same as bd's).
  float* g = static_cast<float*>(bw->gy.inner.get_data_handle());
  const BlockedMaps m = blockedMaps(s, cb);
  if (cb == 16) perBlock(m, [&](int64_t b, int64_t k) { reluMaxPoolBackwardBlock<16>(gy, pooled, indices, m, outPlane, b, k, g); });
  else perBlock(m, [&](int64_t b, int64_t k) { reluMaxPoolBackwardBlock<8>(gy, pooled, indices, m, outPlane, b, k, g); });
  if (gx) runBackwardData(bd, bw->gy.inner, w, gx);
  if (gw) runBackwardWeights(bw, x, gw, gb);
  return true;
}

napi_value Conv2dBackwardReluMaxPoolOp(napi_env env, napi_callback_info info) {
  ConvArgs args(env, info, "conv2dBackwardReluMaxPool");
  auto gy = args.typed<float>(0, napi_float32_array, "a Float32Array");
  auto pooled = args.typed<float>(1, napi_float32_array, "a Float32Array");
  auto indices = args.typed<int32_t>(2, napi_int32_array, "an Int32Array");
  const int64_t outPlane = args.integer(3);
  auto x = args.typed<float>(4, napi_float32_array, "a Float32Array");
  auto w = args.typed<float>(5, napi_float32_array, "a Float32Array");
  args.shape(6);
  auto gx = args.optional<float>(10, napi_float32_array, "null or a Float32Array");
  auto gw = args.optional<float>(11, napi_float32_array, "null or a Float32Array");
  auto gb = args.optional<float>(12, napi_float32_array, "null or a Float32Array");
  return args.call([&] {
    return conv2dBackwardReluMaxPoolKernel(gy, pooled, indices, outPlane, x, w, args.n, args.cOut, args.groups, args.g, gx, gw, gb);
  });
}

// The oneDNN version minima's convolutions run on, for minima info.
const char* dnnlVersion() {
  static std::string v = [] {
    const dnnl_version_t* d = dnnl_version();
    return "oneDNN " + std::to_string(d->major) + "." + std::to_string(d->minor) + "." + std::to_string(d->patch);
  }();
  return v.c_str();
}

}  // namespace minima

#else

namespace minima {
const char* dnnlVersion() { return nullptr; }
}  // namespace minima

#endif  // MINIMA_DNNL
