// One decoder per kernel a captured step's program may call (plan-program.h): it reads the call's arguments once
// and returns a closure over the kernel's C++ function (plan-kernels.h, plan-js-kernels.h) with them.
#include <algorithm>
#include <array>
#include <limits>
#include <map>
#include <string>
#include <type_traits>
#include <vector>

#include "plan-js-kernels.h"
#include "plan-kernels.h"
#include "plan-program.h"

namespace minima {

namespace {

// x then out, arrays of element type T, out as long as x (exactly, unless outMayBeLonger): their memory and x's
// length, or nulls with the reader failed.
template <typename T>
struct InOut {
  const T* x = nullptr;
  T* out = nullptr;
  int64_t n = 0;
};
template <typename T>
InOut<T> inOut(CallReader& r, bool outMayBeLonger = false) {
  const PlanArray* x = r.arrayInfo();
  const PlanArray* o = r.arrayInfo();
  if (!r.ok()) return {};
  if (x->type != kTypeOf<T> || o->type != kTypeOf<T> || (outMayBeLonger ? o->length < x->length : o->length != x->length)) {
    r.fail(outMayBeLonger ? "arrays of one dtype, out as long as x" : "arrays of one dtype and length");
    return {};
  }
  return {static_cast<const T*>(x->data), static_cast<T*>(o->data), static_cast<int64_t>(x->length)};
}

// The element size of a copy from x to out, which must share a dtype (any of the three): 4 or 8, or 0 with the reader failed.
size_t copyBytes(CallReader& r, const PlanArray* x, const PlanArray* out, const char* expected = "an array of the input's dtype") {
  if (!r.ok()) return 0;
  if (x->type != out->type) { r.fail(expected); return 0; }
  return x->type == napi_float64_array ? 8 : 4;
}

Step matmul(CallReader& r) {
  return forFloat(r, [&](auto zero) -> Step {
    using T = decltype(zero);
    const T* a = r.array<T>();
    const T* b = r.array<T>();
    T* out = r.array<T>();
    const int64_t batch = r.integer(), m = r.integer(), n = r.integer(), k = r.integer();
    const bool transA = r.flag(), transB = r.flag();
    const int64_t aStride = r.integer(), bStride = r.integer();
    return [=] { matmulKernel<T>(a, b, out, batch, m, n, k, transA, transB, aStride, bStride); };
  });
}

Step unary(CallReader& r) {
  const auto op = static_cast<Unary>(r.integer());
  if (r.ok() && (static_cast<int>(op) < 0 || op >= Unary::Count)) r.fail("a unary op code");
  return forFloat(r, [&](auto zero) -> Step {
    using T = decltype(zero);
    const InOut<T> io = inOut<T>(r);
    const double param = r.number();
    return [=] { unaryKernel<T>(op, io.x, io.out, io.n, param); };
  });
}

Step binary(CallReader& r) {
  const auto op = static_cast<Binary>(r.integer());
  if (r.ok() && (static_cast<int>(op) < 0 || op >= Binary::Count)) r.fail("a binary op code");
  return forFloat(r, [&](auto zero) -> Step {
    using T = decltype(zero);
    const PlanArray* a = r.arrayInfo();
    const Shape64 aShape = r.integers();
    const PlanArray* b = r.arrayInfo();
    const Shape64 bShape = r.integers();
    const PlanArray* out = r.arrayInfo();
    const Shape64 outShape = r.integers();
    if (!r.ok()) return nullptr;
    if (b->type != a->type || out->type != a->type) { r.fail("arrays of one dtype"); return nullptr; }
    const auto* as = static_cast<const T*>(a->data);
    const auto* bs = static_cast<const T*>(b->data);
    auto* os = static_cast<T*>(out->data);
    const auto aLen = static_cast<int64_t>(a->length), bLen = static_cast<int64_t>(b->length), n = static_cast<int64_t>(out->length);
    return [=] { binaryKernel<T>(op, as, aLen, aShape, bs, bLen, bShape, os, n, outShape); };
  });
}

Step biasActivation(CallReader& r) {
  return forFloat(r, [&](auto zero) -> Step {
    using T = decltype(zero);
    const T* x = r.array<T>();
    const int64_t n = r.integer(), c = r.integer(), l = r.integer();
    const bool channelsFirst = r.flag();
    const T* bias = r.array<T>(true);
    const bool relu = r.flag();
    T* out = r.array<T>();
    return [=] { biasActivationKernel<T>(x, n, c, l, channelsFirst, bias, relu, out); };
  });
}

Step biasActivationBackward(CallReader& r) {
  return forFloat(r, [&](auto zero) -> Step {
    using T = decltype(zero);
    const T* gy = r.array<T>();
    const T* out = r.array<T>();
    const int64_t n = r.integer(), c = r.integer(), l = r.integer();
    const bool channelsFirst = r.flag(), relu = r.flag();
    T* gx = r.array<T>(true);
    T* gBias = r.array<T>(true);
    return [=] { biasActivationBackwardKernel<T>(gy, out, n, c, l, channelsFirst, relu, gx, gBias); };
  });
}

Step crossEntropy(CallReader& r) {
  return forFloat(r, [&](auto zero) -> Step {
    using T = decltype(zero);
    const T* x = r.array<T>();
    const int64_t n = r.integer(), c = r.integer();
    const int32_t* target = r.array<int32_t>();
    const double smoothing = r.number();
    T* loss = r.array<T>();
    T* probs = r.array<T>();
    return [=] { crossEntropyKernel<T>(x, n, c, target, smoothing, loss, probs); };
  });
}

Step crossEntropyBackward(CallReader& r) {
  return forFloat(r, [&](auto zero) -> Step {
    using T = decltype(zero);
    const T* probs = r.array<T>();
    const int32_t* target = r.array<int32_t>();
    const int64_t n = r.integer(), c = r.integer();
    const double smoothing = r.number();
    const T* gLoss = r.array<T>();
    T* gx = r.array<T>();
    return [=] { crossEntropyBackwardKernel<T>(probs, target, n, c, smoothing, gLoss, gx); };
  });
}

Step reduce(CallReader& r) {
  const int op = static_cast<int>(r.integer());
  if (r.ok() && (op < 0 || op > 2)) r.fail("a reduce op code (0 sum, 1 max, 2 min)");
  return forFloat(r, [&](auto zero) -> Step {
    using T = decltype(zero);
    const T* x = r.array<T>();
    const int64_t outer = r.integer(), size = r.integer(), inner = r.integer();
    T* out = r.array<T>();
    return [=] { reduceKernel<T>(op, x, outer, size, inner, out); };
  });
}

Step softmax(CallReader& r) {
  return forFloat(r, [&](auto zero) -> Step {
    using T = decltype(zero);
    const T* x = r.array<T>();
    const int64_t outer = r.integer(), size = r.integer(), inner = r.integer();
    T* out = r.array<T>();
    const bool log = r.flag();
    return [=] { softmaxKernel<T>(x, outer, size, inner, out, log); };
  });
}

Step smoothActivation(CallReader& r) {
  const int op = static_cast<int>(r.integer());
  if (r.ok() && (op < 0 || op > 3)) r.fail("a smooth activation op code");
  return forFloat(r, [&](auto zero) -> Step {
    using T = decltype(zero);
    const InOut<T> io = inOut<T>(r);
    T* deriv = r.array<T>(true);
    const double p0 = r.number(), p1 = r.number();
    return [=] { smoothActivationKernel<T>(op, io.x, io.out, deriv, io.n, p0, p1); };
  });
}

// A ConvGeometry: 13 integers.
bool geometry(CallReader& r, int64_t* g) {
  const Shape64 v = r.integers();
  if (r.ok() && v.size() != 13) r.fail("a convolution geometry of 13 integers");
  if (!r.ok()) return false;
  std::copy(v.begin(), v.end(), g);
  return true;
}

Step im2colOrCol2im(CallReader& r, bool toCols) {
  return forFloat(r, [&](auto zero) -> Step {
    using T = decltype(zero);
    const T* in = r.array<T>();
    const int64_t n = r.integer();
    std::array<int64_t, 13> g{};
    if (!geometry(r, g.data())) return nullptr;
    T* out = r.array<T>();
    if (toCols) return [=] { im2colKernel<T>(in, n, g.data(), out); };
    return [=] { col2imKernel<T>(in, n, g.data(), out); };
  });
}
Step im2col(CallReader& r) { return im2colOrCol2im(r, true); }
Step col2im(CallReader& r) { return im2colOrCol2im(r, false); }

Step permute(CallReader& r) {
  return forFloat(r, [&](auto zero) -> Step {
    using T = decltype(zero);
    const T* x = r.array<T>();
    const Shape64 shape = r.integers(), perm = r.integers();
    T* out = r.array<T>();
    if (r.ok() && (shape.empty() || shape.size() != perm.size())) r.fail("a permutation of the dims");
    return [=] { permuteKernel<T>(x, shape, perm, out); };
  });
}

Step maxPool2d(CallReader& r) {
  return forFloat(r, [&](auto zero) -> Step {
    using T = decltype(zero);
    const T* x = r.array<T>();
    const int64_t planes = r.integer(), inH = r.integer(), inW = r.integer();
    const auto rows = r.windows(), cols = r.windows();
    T* out = r.array<T>();
    int32_t* indices = r.array<int32_t>();
    const PoolWindowTables w{rows.start, rows.end, cols.start, cols.end, rows.size, cols.size, rows.step, cols.step};
    return [=] { maxPool2dKernel<T>(x, planes, inH, inW, w, out, indices); };
  });
}

Step maxPool2dBackward(CallReader& r) {
  return forFloat(r, [&](auto zero) -> Step {
    using T = decltype(zero);
    const T* gy = r.array<T>();
    const int32_t* indices = r.array<int32_t>();
    const int64_t planes = r.integer(), inPlane = r.integer(), outPlane = r.integer();
    T* gx = r.array<T>();
    return [=] { maxPool2dBackwardKernel<T>(gy, indices, planes, inPlane, outPlane, gx); };
  });
}

Step avgPool2dEither(CallReader& r, bool backward) {
  return forFloat(r, [&](auto zero) -> Step {
    using T = decltype(zero);
    const T* in = r.array<T>();
    const int64_t planes = r.integer(), inH = r.integer(), inW = r.integer();
    const auto rows = r.windows(), cols = r.windows();
    const double divisorOverride = r.number();
    T* out = r.array<T>();
    const AvgPoolWindows w{rows.start, rows.end, rows.count, cols.start, cols.end, cols.count, rows.size, cols.size, divisorOverride};
    if (backward) return [=] { avgPool2dBackwardKernel<T>(in, planes, inH, inW, w, out); };
    return [=] { avgPool2dKernel<T>(in, planes, inH, inW, w, out); };
  });
}
Step avgPool2d(CallReader& r) { return avgPool2dEither(r, false); }
Step avgPool2dBackward(CallReader& r) { return avgPool2dEither(r, true); }

Step batchNormStats(CallReader& r) {
  return forFloat(r, [&](auto zero) -> Step {
    using T = decltype(zero);
    const T* x = r.array<T>();
    const int64_t n = r.integer(), c = r.integer(), s = r.integer();
    double* mean = r.array<double>();
    double* variance = r.array<double>();
    return [=] { batchNormStatsKernel<T>(x, n, c, s, mean, variance); };
  });
}

Step batchNormForward(CallReader& r) {
  return forFloat(r, [&](auto zero) -> Step {
    using T = decltype(zero);
    const T* x = r.array<T>();
    const int64_t n = r.integer(), c = r.integer(), s = r.integer();
    const double* mean = r.array<double>();
    const double* invstd = r.array<double>();
    const T* weight = r.array<T>(true);
    const T* bias = r.array<T>(true);
    T* out = r.array<T>();
    return [=] { batchNormForwardKernel<T>(x, n, c, s, mean, invstd, weight, bias, out); };
  });
}

Step batchNormBackward(CallReader& r) {
  return forFloat(r, [&](auto zero) -> Step {
    using T = decltype(zero);
    const T* gy = r.array<T>();
    const T* x = r.array<T>();
    const int64_t n = r.integer(), c = r.integer(), s = r.integer();
    const double* mean = r.array<double>();
    const double* invstd = r.array<double>();
    const T* weight = r.array<T>(true);
    const bool training = r.flag();
    T* gx = r.array<T>(true);
    T* gWeight = r.array<T>(true);
    T* gBias = r.array<T>(true);
    return [=] { batchNormBackwardKernel<T>(gy, x, n, c, s, mean, invstd, weight, training, gx, gWeight, gBias); };
  });
}

// batchNormCount(count, momentum, cell): momentum −1 for none (plan.ts writes null so).
Step batchNormCount(CallReader& r) {
  int32_t* count = r.array<int32_t>();
  const double momentum = r.number();
  double* cell = r.array<double>();
  return [=] { batchNormCountKernel(count, momentum, cell); };
}

// batchNormRunning(runningMean, runningVar, mean, variance, m, momentum): the running arrays (either may be null) of one float dtype.
Step batchNormRunning(CallReader& r) {
  const PlanArray* rm = r.arrayInfo(true);
  const PlanArray* rv = r.arrayInfo(true);
  const PlanArray* mean = r.arrayInfo();
  const double* variance = r.array<double>();
  const double m = r.number();
  const double* momentum = r.array<double>();
  if (!r.ok()) return nullptr;
  const napi_typedarray_type type = (rm ? rm : rv) ? (rm ? rm : rv)->type : napi_float64_array;
  if ((rm && rm->type != type) || (rv && rv->type != type) || mean->type != napi_float64_array) { r.fail("running statistics of one float dtype"); return nullptr; }
  const double* means = static_cast<const double*>(mean->data);
  const auto c = static_cast<int64_t>(mean->length);
  void* rmData = rm ? rm->data : nullptr;
  void* rvData = rv ? rv->data : nullptr;
  if (type == napi_float32_array) {
    return [=] { batchNormRunningKernel(static_cast<float*>(rmData), static_cast<float*>(rvData), means, variance, c, m, momentum); };
  }
  if (type == napi_float64_array) {
    return [=] { batchNormRunningKernel(static_cast<double*>(rmData), static_cast<double*>(rvData), means, variance, c, m, momentum); };
  }
  r.fail("running statistics of one float dtype");
  return nullptr;
}

// batchNormInverseStd(variance, eps, invstd) over invstd's channels.
Step batchNormInverseStd(CallReader& r) {
  return forFloat(r, [&](auto zero) -> Step {
    using T = decltype(zero);
    const PlanArray* variance = r.arrayInfo();
    const double eps = r.number();
    const PlanArray* invstd = r.arrayInfo();
    if (!r.ok()) return nullptr;
    if (invstd->type != napi_float64_array || variance->length < invstd->length) { r.fail("a Float64Array no longer than variance"); return nullptr; }
    const auto* v = static_cast<const T*>(variance->data);
    auto* out = static_cast<double*>(invstd->data);
    const auto c = static_cast<int64_t>(invstd->length);
    return [=] { batchNormInverseStdKernel<T>(v, eps, out, c); };
  });
}

// The gradients of a clipping call: arrays of one float dtype, as pointers and lengths; the body gets T.
template <typename Body>
Step withGrads(CallReader& r, Body body) {
  const std::vector<const PlanArray*> list = r.arrayList();
  if (!r.ok()) return nullptr;
  const napi_typedarray_type type = list.empty() ? napi_float32_array : list[0]->type;
  return forFloat(r, type, [&](auto zero) -> Step {
    using T = decltype(zero);
    std::vector<T*> grads;
    std::vector<int64_t> lengths;
    for (const PlanArray* a : list) {
      if (a->type != type) { r.fail("gradients of one float dtype"); return nullptr; }
      grads.push_back(static_cast<T*>(a->data));
      lengths.push_back(static_cast<int64_t>(a->length));
    }
    return body(grads, lengths);
  });
}

// clipGradNorm(grads, maxNorm, p, total): p 1, 2 or ∞ (plan.ts leaves others to js).
Step clipGradNorm(CallReader& r) {
  return withGrads(r, [&](auto grads, std::vector<int64_t> lengths) -> Step {
    using T = std::remove_pointer_t<typename decltype(grads)::value_type>;
    const double maxNorm = r.number(), p = r.number();
    double* total = r.array<double>();
    if (r.ok() && !(p == 1 || p == 2 || p == std::numeric_limits<double>::infinity())) r.fail("a norm type of 1, 2 or Infinity");
    const auto count = static_cast<int64_t>(grads.size());
    return [=] { clipGradNormKernel<T>(grads.data(), lengths.data(), count, maxNorm, p, total); };
  });
}

// clipGradValue(grads, clipValue).
Step clipGradValue(CallReader& r) {
  return withGrads(r, [&](auto grads, std::vector<int64_t> lengths) -> Step {
    using T = std::remove_pointer_t<typename decltype(grads)::value_type>;
    const double clipValue = r.number();
    const auto count = static_cast<int64_t>(grads.size());
    return [=] { clipGradValueKernel<T>(grads.data(), lengths.data(), count, clipValue); };
  });
}

Step normalizeGroupsForward(CallReader& r) {
  return forFloat(r, [&](auto zero) -> Step {
    using T = decltype(zero);
    const T* x = r.array<T>();
    const int64_t n = r.integer(), groups = r.integer(), cpg = r.integer(), spatial = r.integer();
    const T* weight = r.array<T>(true);
    const T* bias = r.array<T>(true);
    const double eps = r.number();
    double* mean = r.array<double>();
    double* invstd = r.array<double>();
    T* out = r.array<T>();
    return [=] { normalizeGroupsForwardKernel<T>(x, n, groups, cpg, spatial, weight, bias, eps, mean, invstd, out); };
  });
}

Step normalizeGroupsBackward(CallReader& r) {
  return forFloat(r, [&](auto zero) -> Step {
    using T = decltype(zero);
    const T* gy = r.array<T>();
    const T* x = r.array<T>();
    const int64_t n = r.integer(), groups = r.integer(), cpg = r.integer(), spatial = r.integer();
    const T* weight = r.array<T>(true);
    const double* mean = r.array<double>();
    const double* invstd = r.array<double>();
    T* gx = r.array<T>(true);
    double* gWeight = r.array<double>();
    double* gBias = r.array<double>();
    return [=] { normalizeGroupsBackwardKernel<T>(gy, x, n, groups, cpg, spatial, weight, mean, invstd, gx, gWeight, gBias); };
  });
}

// optimizerStep(rule, p, g, buffers, coefficients): coefficients a Float64Array (read at each run: a host op
// rewrites it every step) or a list of numbers (fixed).
Step optimizerStep(CallReader& r) {
  const std::string rule = r.string();
  const OptimKernel* kernel = r.ok() ? optimKernel(rule.c_str()) : nullptr;
  if (r.ok() && !kernel) r.fail("a rule with a fused loop");
  return forFloat(r, [&](auto zero) -> Step {
    using T = decltype(zero);
    const PlanArray* p = r.arrayInfo();
    T* g = r.array<T>();
    std::vector<T*> buffers = r.template arrays<T>();
    if (!r.ok()) return nullptr;
    if (p->type != kTypeOf<T>) { r.fail("arrays of one dtype"); return nullptr; }
    std::array<T*, kMaxOptimBuffers> bufs{};
    for (int j = 0; j < kernel->buffers; j++) {
      bufs[j] = j < static_cast<int>(buffers.size()) ? buffers[j] : nullptr;
      if (j < kernel->required && !bufs[j]) { r.fail("a list holding the rule's buffers"); return nullptr; }
    }
    const double* k = nullptr;
    std::vector<double> fixed;
    int64_t count = 0;
    if (r.peekType() == napi_float64_array) {
      const PlanArray* a = r.arrayInfo();
      k = static_cast<const double*>(a->data);
      count = static_cast<int64_t>(a->length);
    } else {
      fixed = r.numbers();
      count = static_cast<int64_t>(fixed.size());
    }
    if (r.ok() && count != kernel->coefficients) r.fail(std::to_string(kernel->coefficients) + " coefficients for " + rule);
    if (!r.ok()) return nullptr;
    auto* ps = static_cast<T*>(p->data);
    const auto n = static_cast<int64_t>(p->length);
    const OptimKernel* kp = kernel;  // optimKernel's table is static
    if (k) return [=] { optimizerKernel<T>(*kp, ps, g, bufs.data(), n, k); };
    return [=] { optimizerKernel<T>(*kp, ps, g, bufs.data(), n, fixed.data()); };
  });
}

// expand(x, shape, out, outShape) and slice(x, shape, starts, steps, out, outShape) copy any one dtype.
Step expand(CallReader& r) {
  const PlanArray* x = r.arrayInfo();
  const Shape64 shape = r.integers();
  const PlanArray* out = r.arrayInfo();
  const size_t bytes = copyBytes(r, x, out);
  const Shape64 outShape = r.integers();
  if (!r.ok()) return nullptr;
  return [=, xs = x->data, os = out->data] { expandKernel(xs, bytes, shape, os, outShape); };
}

Step slice(CallReader& r) {
  const PlanArray* x = r.arrayInfo();
  const Shape64 shape = r.integers(), starts = r.integers(), steps = r.integers();
  const PlanArray* out = r.arrayInfo();
  const size_t bytes = copyBytes(r, x, out);
  const Shape64 outShape = r.integers();
  if (!r.ok()) return nullptr;
  return [=, xs = x->data, os = out->data] { sliceKernel(xs, bytes, shape, starts, steps, os, outShape); };
}

Step sliceAdd(CallReader& r) {
  return forFloat(r, [&](auto zero) -> Step {
    using T = decltype(zero);
    const T* src = r.array<T>();
    const Shape64 srcShape = r.integers();
    T* out = r.array<T>();
    const Shape64 shape = r.integers(), starts = r.integers(), steps = r.integers();
    return [=] { sliceAddKernel<T>(src, srcShape, out, shape, starts, steps); };
  });
}

Step gather(CallReader& r) {
  const PlanArray* x = r.arrayInfo();
  const Shape64 shape = r.integers();
  const int64_t dim = r.integer();
  const int32_t* index = r.array<int32_t>();
  const Shape64 indexShape = r.integers();
  const PlanArray* out = r.arrayInfo();
  const size_t bytes = copyBytes(r, x, out);
  if (!r.ok()) return nullptr;
  if (dim < 0 || dim >= static_cast<int64_t>(shape.size()) || indexShape.size() != shape.size()) { r.fail("an index of x's rank"); return nullptr; }
  return [=, xs = x->data, os = out->data] { gatherKernel(xs, bytes, shape, dim, index, indexShape, os); };
}

Step scatterAdd(CallReader& r) {
  return forFloat(r, [&](auto zero) -> Step {
    using T = decltype(zero);
    T* out = r.array<T>();
    const Shape64 shape = r.integers();
    const int64_t dim = r.integer();
    const int32_t* index = r.array<int32_t>();
    const Shape64 indexShape = r.integers();
    const T* src = r.array<T>();
    if (r.ok() && (dim < 0 || dim >= static_cast<int64_t>(shape.size()) || indexShape.size() != shape.size())) r.fail("an index of out's rank");
    return [=] { scatterAddKernel<T>(out, shape, dim, index, indexShape, src); };
  });
}

Step clamp(CallReader& r) {
  return forFloat(r, [&](auto zero) -> Step {
    using T = decltype(zero);
    const InOut<T> io = inOut<T>(r, true);
    const double lo = r.number(), hi = r.number();
    return [=] { clampKernel<T>(io.x, io.out, io.n, lo, hi); };
  });
}

Step where(CallReader& r) {
  const PlanArray* cond = r.arrayInfo();
  const PlanArray* a = r.arrayInfo();
  const PlanArray* b = r.arrayInfo();
  const PlanArray* out = r.arrayInfo();
  const size_t bytes = copyBytes(r, a, out, "an array of a's dtype");
  if (bytes && b->type != out->type) r.fail("an array of a's dtype");
  if (!r.ok()) return nullptr;
  if (a->length < out->length || b->length < out->length || cond->length < out->length) { r.fail("an array as long as cond, a and b"); return nullptr; }
  const void *as = a->data, *bs = b->data, *cs = cond->data;
  void* os = out->data;
  const auto n = static_cast<int64_t>(out->length);
  switch (cond->type) {
    case napi_float32_array: return [=] { whereKernel(static_cast<const float*>(cs), as, bs, bytes, os, n); };
    case napi_float64_array: return [=] { whereKernel(static_cast<const double*>(cs), as, bs, bytes, os, n); };
    case napi_int32_array: return [=] { whereKernel(static_cast<const int32_t*>(cs), as, bs, bytes, os, n); };
    default: r.fail("a Float32Array, Float64Array or Int32Array condition"); return nullptr;
  }
}

#if defined(MINIMA_DNNL)
Step convolutionForward(CallReader& r) {
  const float* x = r.array<float>();
  const float* w = r.array<float>();
  const float* bias = r.array<float>(true);
  const int64_t n = r.integer(), cOut = r.integer(), groups = r.integer();
  std::array<int64_t, 13> g{};
  if (!geometry(r, g.data())) return nullptr;
  const bool relu = r.flag();
  float* out = r.array<float>();
  return [=] { conv2dForwardKernel(x, w, bias, n, cOut, groups, g.data(), relu, out); };
}

Step convolutionBackwardData(CallReader& r) {
  const float* gy = r.array<float>();
  const float* w = r.array<float>();
  const int64_t n = r.integer(), cOut = r.integer(), groups = r.integer();
  std::array<int64_t, 13> g{};
  if (!geometry(r, g.data())) return nullptr;
  float* gx = r.array<float>();
  return [=] { conv2dBackwardDataKernel(gy, w, n, cOut, groups, g.data(), gx); };
}

Step convolutionBackwardWeights(CallReader& r) {
  const float* gy = r.array<float>();
  const float* x = r.array<float>();
  const int64_t n = r.integer(), cOut = r.integer(), groups = r.integer();
  std::array<int64_t, 13> g{};
  if (!geometry(r, g.data())) return nullptr;
  float* gw = r.array<float>();
  float* gb = r.array<float>(true);
  return [=] { conv2dBackwardWeightsKernel(gy, x, n, cOut, groups, g.data(), gw, gb); };
}

Step convolutionForwardReluMaxPool(CallReader& r) {
  const float* x = r.array<float>();
  const float* w = r.array<float>();
  const float* bias = r.array<float>(true);
  const int64_t n = r.integer(), cOut = r.integer(), groups = r.integer();
  std::array<int64_t, 13> g{};
  if (!geometry(r, g.data())) return nullptr;
  const auto rows = r.windows(), cols = r.windows();
  float* out = r.array<float>();
  int32_t* indices = r.array<int32_t>();
  const PoolWindowTables windows{rows.start, rows.end, cols.start, cols.end, rows.size, cols.size, rows.step, cols.step};
  return [=] { conv2dForwardReluMaxPoolKernel(x, w, bias, n, cOut, groups, g.data(), windows, out, indices); };
}

Step convolutionBackwardReluMaxPool(CallReader& r) {
  const float* gy = r.array<float>();
  const float* pooled = r.array<float>();
  const int32_t* indices = r.array<int32_t>();
  const int64_t outPlane = r.integer();
  const float* x = r.array<float>();
  const float* w = r.array<float>();
  const int64_t n = r.integer(), cOut = r.integer(), groups = r.integer();
  std::array<int64_t, 13> g{};
  if (!geometry(r, g.data())) return nullptr;
  float* gx = r.array<float>(true);
  float* gw = r.array<float>(true);
  float* gb = r.array<float>(true);
  return [=] { conv2dBackwardReluMaxPoolKernel(gy, pooled, indices, outPlane, x, w, n, cOut, groups, g.data(), gx, gw, gb); };
}
#endif

}  // namespace

const std::map<std::string, Decoder>& planDecoders() {
  static const std::map<std::string, Decoder> table{
      {"matmul", matmul},
      {"unary", unary},
      {"binary", binary},
      {"biasActivation", biasActivation},
      {"biasActivationBackward", biasActivationBackward},
      {"smoothActivation", smoothActivation},
      {"crossEntropy", crossEntropy},
      {"crossEntropyBackward", crossEntropyBackward},
      {"reduce", reduce},
      {"softmax", softmax},
      {"permute", permute},
      {"expand", expand},
      {"slice", slice},
      {"sliceAdd", sliceAdd},
      {"gather", gather},
      {"scatterAdd", scatterAdd},
      {"clamp", clamp},
      {"where", where},
      {"im2col", im2col},
      {"col2im", col2im},
      {"maxPool2d", maxPool2d},
      {"maxPool2dBackward", maxPool2dBackward},
      {"avgPool2d", avgPool2d},
      {"avgPool2dBackward", avgPool2dBackward},
      {"batchNormStats", batchNormStats},
      {"batchNormForward", batchNormForward},
      {"batchNormBackward", batchNormBackward},
      {"batchNormCount", batchNormCount},
      {"batchNormRunning", batchNormRunning},
      {"batchNormInverseStd", batchNormInverseStd},
      {"clipGradNorm", clipGradNorm},
      {"clipGradValue", clipGradValue},
      {"normalizeGroupsForward", normalizeGroupsForward},
      {"normalizeGroupsBackward", normalizeGroupsBackward},
      {"optimizerStep", optimizerStep},
#if defined(MINIMA_DNNL)
      {"convolution.forward", convolutionForward},
      {"convolution.backwardData", convolutionBackwardData},
      {"convolution.backwardWeights", convolutionBackwardWeights},
      {"convolution.forwardReluMaxPool", convolutionForwardReluMaxPool},
      {"convolution.backwardReluMaxPool", convolutionBackwardReluMaxPool},
#endif
  };
  return table;
}

}  // namespace minima
