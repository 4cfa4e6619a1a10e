// A captured training step's kernel calls (src/backend/capture, mn.compile) as one native program: planCompile
// reads every call's arguments once (typed arrays as pointers into JavaScript's memory, each held by a napi
// reference so it outlives the step's tensors; numbers, shapes, pooling windows and geometries as values) into
// closures over the kernels' C++ functions (plan-kernels.h, the functions the napi entry points run), and
// planRun runs one segment of them in a single addon call. Segments are the runs of native calls between
// JavaScript's own (src/backend/native/plan.ts runs those in between): a step without any is one call.
//
// planCompile(arrays, program, strings) → plan: arrays are the typed arrays the calls use; program is a
// Float64Array of words: per call, its kernel (an index into strings) and argument count, then each argument
// as a tag and its payload (PlanTag below), in the contract's order (src/backend/kernels.ts); a kernel index
// of -1 ends a segment. planRun(plan, segment) runs one segment; planRelease(plan) lets the arrays go at
// once (else the plan's finalizer does). planKernels() lists the kernels a program may call.
#include <algorithm>
#include <array>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "kernels.h"
#include "plan-kernels.h"
#include "plan-js-kernels.h"

namespace minima {

namespace {

// How an argument is written in a program (src/backend/native/plan.ts writes them so).
enum class PlanTag : int { Null, Array, Number, Numbers, Arrays, Windows, String };

struct PlanArray {
  void* data;
  napi_typedarray_type type;
  size_t length;
};

using Step = std::function<void()>;

struct Plan {
  std::vector<std::vector<Step>> segments;
  std::vector<napi_ref> refs;
  void release(napi_env env) {
    for (napi_ref r : refs) napi_delete_reference(env, r);
    refs.clear();
    segments.clear();
  }
};

template <typename T> constexpr napi_typedarray_type kTypeOf = napi_int8_array;
template <> constexpr napi_typedarray_type kTypeOf<float> = napi_float32_array;
template <> constexpr napi_typedarray_type kTypeOf<double> = napi_float64_array;
template <> constexpr napi_typedarray_type kTypeOf<int32_t> = napi_int32_array;

const char* typeName(napi_typedarray_type t) {
  switch (t) {
    case napi_float32_array: return "a Float32Array";
    case napi_float64_array: return "a Float64Array";
    case napi_int32_array: return "an Int32Array";
    default: return "another typed array";
  }
}

// Reads one call's arguments from the program, checking each one's tag and type; the first mismatch is
// kept as the error (a plan.ts bug, never a user's: the calls ran eagerly before they were compiled).
class CallReader {
 public:
  CallReader(const double* words, size_t size, size_t* at, const std::vector<PlanArray>& arrays, const std::vector<std::string>& strings,
             std::string* error)
      : words_(words), size_(size), at_(at), arrays_(arrays), strings_(strings), error_(error) {}

  void begin(const std::string& kernel, int64_t argc) {
    kernel_ = kernel;
    argc_ = argc;
    arg_ = 0;
  }
  bool ok() const { return error_->empty(); }
  // Whether every argument was read.
  bool done() {
    if (ok() && arg_ != argc_) fail("as many arguments as the kernel takes");
    return ok();
  }

  // The array argument of element type T (nullptr and an error otherwise; nullptr for null when optional).
  template <typename T>
  T* array(bool optional = false) {
    const PlanArray* a = arrayInfo(optional);
    if (!a) return nullptr;
    if (a->type != kTypeOf<T>) { fail(typeName(kTypeOf<T>)); return nullptr; }
    return static_cast<T*>(a->data);
  }
  // The array argument's details (nullptr for null when optional, or after an error).
  const PlanArray* arrayInfo(bool optional = false) {
    const PlanTag tag = next();
    if (!ok()) return nullptr;
    if (tag == PlanTag::Null && optional) return nullptr;
    if (tag != PlanTag::Array) { fail(optional ? "a typed array or null" : "a typed array"); return nullptr; }
    const int64_t i = word<int64_t>();
    if (i < 0 || i >= static_cast<int64_t>(arrays_.size())) { fail("an array of the plan"); return nullptr; }
    return &arrays_[i];
  }
  // The type of the next argument, an array, without reading it.
  napi_typedarray_type peekType() {
    if (*at_ + 1 < size_ && static_cast<PlanTag>(words_[*at_]) == PlanTag::Array) {
      const int64_t i = static_cast<int64_t>(words_[*at_ + 1]);
      if (i >= 0 && i < static_cast<int64_t>(arrays_.size())) return arrays_[i].type;
    }
    return napi_int8_array;
  }
  double number() {
    if (next() != PlanTag::Number) { fail("a number"); return 0; }
    return word<double>();
  }
  int64_t integer() { return static_cast<int64_t>(number()); }
  bool flag() { return number() != 0; }
  Shape64 integers() {
    Shape64 v;
    if (next() != PlanTag::Numbers) { fail("a list of numbers"); return v; }
    const int64_t n = word<int64_t>();
    for (int64_t i = 0; i < n && ok(); i++) v.push_back(word<int64_t>());
    return v;
  }
  std::vector<double> numbers() {
    std::vector<double> v;
    if (next() != PlanTag::Numbers) { fail("a list of numbers"); return v; }
    const int64_t n = word<int64_t>();
    for (int64_t i = 0; i < n && ok(); i++) v.push_back(word<double>());
    return v;
  }
  // A list of arrays of type T, nullptr for null entries.
  template <typename T>
  std::vector<T*> arrays() {
    std::vector<T*> v;
    const PlanTag tag = next();
    if (tag != PlanTag::Arrays && tag != PlanTag::Numbers) { fail("a list of typed arrays"); return v; }
    const int64_t n = word<int64_t>();
    if (tag == PlanTag::Numbers && n != 0) { fail("a list of typed arrays"); return v; }  // an empty list is written as numbers
    for (int64_t k = 0; k < n && ok(); k++) {
      const int64_t i = word<int64_t>();
      if (i < 0) { v.push_back(nullptr); continue; }
      if (i >= static_cast<int64_t>(arrays_.size()) || arrays_[i].type != kTypeOf<T>) { fail("a list of arrays like the parameter"); break; }
      v.push_back(static_cast<T*>(arrays_[i].data));
    }
    return v;
  }
  // PoolWindows: start, end and count arrays (Int32Array) and the step.
  struct Windows {
    const int32_t *start, *end, *count;
    int64_t size, step;
  };
  Windows windows() {
    Windows w{};
    if (next() != PlanTag::Windows) { fail("pooling windows"); return w; }
    const PlanArray* parts[3];
    for (auto& p : parts) {
      const int64_t i = word<int64_t>();
      if (!ok()) return w;
      if (i < 0 || i >= static_cast<int64_t>(arrays_.size()) || arrays_[i].type != napi_int32_array) { fail("pooling windows of Int32Arrays"); return w; }
      p = &arrays_[i];
    }
    w.step = word<int64_t>();
    w.start = static_cast<const int32_t*>(parts[0]->data);
    w.end = static_cast<const int32_t*>(parts[1]->data);
    w.count = static_cast<const int32_t*>(parts[2]->data);
    w.size = static_cast<int64_t>(parts[0]->length);
    return w;
  }
  std::string string() {
    if (next() != PlanTag::String) { fail("a string"); return ""; }
    const int64_t i = word<int64_t>();
    if (i < 0 || i >= static_cast<int64_t>(strings_.size())) { fail("a string of the plan"); return ""; }
    return strings_[i];
  }
  // Fails on the argument last read.
  void fail(const std::string& expected) { failAt(arg_ - 1, expected); }
  // Fails on the argument about to be read (one only peeked at).
  void failNext(const std::string& expected) { failAt(arg_, expected); }

 private:
  void failAt(int64_t arg, const std::string& expected) {
    if (ok()) *error_ = "minima native plan: " + kernel_ + "'s argument " + std::to_string(arg) + " must be " + expected;
  }
  PlanTag next() {
    if (!ok()) return PlanTag::Null;
    if (arg_ >= argc_) { fail("absent: the kernel takes fewer arguments"); return PlanTag::Null; }
    arg_++;
    return static_cast<PlanTag>(word<int64_t>());
  }
  template <typename V>
  V word() {
    if (*at_ >= size_) {
      if (ok()) *error_ = "minima native plan: the program ends inside " + kernel_ + "'s arguments";
      return V(0);
    }
    return static_cast<V>(words_[(*at_)++]);
  }

  const double* words_;
  size_t size_;
  size_t* at_;
  const std::vector<PlanArray>& arrays_;
  const std::vector<std::string>& strings_;
  std::string* error_;
  std::string kernel_;
  int64_t argc_ = 0, arg_ = 0;
};

// Runs body(T{}) for a float32 or float64 type; fails the reader otherwise.
template <typename Body>
Step forFloat(CallReader& r, napi_typedarray_type type, Body body) {
  if (type == napi_float32_array) return body(float{});
  if (type == napi_float64_array) return body(double{});
  r.failNext("a Float32Array or Float64Array");
  return nullptr;
}

// One decoder per kernel: reads the call's arguments (the contract's, src/backend/kernels.ts, with op names
// as the codes the napi entry points take) and returns the closure that runs it.
using Decoder = Step (*)(CallReader& r);

Step matmul(CallReader& r) {
  return forFloat(r, r.peekType(), [&](auto zero) -> Step {
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
  return forFloat(r, r.peekType(), [&](auto zero) -> Step {
    using T = decltype(zero);
    const PlanArray* x = r.arrayInfo();
    const PlanArray* o = r.arrayInfo();
    const double param = r.number();
    if (!r.ok()) return nullptr;
    if (x->type != kTypeOf<T> || o->type != kTypeOf<T> || o->length != x->length) { r.fail("arrays of one dtype and length"); return nullptr; }
    T* out = static_cast<T*>(o->data);
    const auto* xs = static_cast<const T*>(x->data);
    const auto n = static_cast<int64_t>(x->length);
    return [=] { unaryKernel<T>(op, xs, out, n, param); };
  });
}

Step binary(CallReader& r) {
  const auto op = static_cast<Binary>(r.integer());
  if (r.ok() && (static_cast<int>(op) < 0 || op >= Binary::Count)) r.fail("a binary op code");
  return forFloat(r, r.peekType(), [&](auto zero) -> Step {
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
  return forFloat(r, r.peekType(), [&](auto zero) -> Step {
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

Step crossEntropy(CallReader& r) {
  return forFloat(r, r.peekType(), [&](auto zero) -> Step {
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
  return forFloat(r, r.peekType(), [&](auto zero) -> Step {
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
  return forFloat(r, r.peekType(), [&](auto zero) -> Step {
    using T = decltype(zero);
    const T* x = r.array<T>();
    const int64_t outer = r.integer(), size = r.integer(), inner = r.integer();
    T* out = r.array<T>();
    return [=] { reduceKernel<T>(op, x, outer, size, inner, out); };
  });
}

Step softmax(CallReader& r) {
  return forFloat(r, r.peekType(), [&](auto zero) -> Step {
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
  return forFloat(r, r.peekType(), [&](auto zero) -> Step {
    using T = decltype(zero);
    const PlanArray* x = r.arrayInfo();
    const PlanArray* o = r.arrayInfo();
    T* deriv = r.array<T>(true);
    const double p0 = r.number(), p1 = r.number();
    if (!r.ok()) return nullptr;
    if (x->type != kTypeOf<T> || o->type != kTypeOf<T> || o->length != x->length) { r.fail("arrays of one dtype and length"); return nullptr; }
    T* out = static_cast<T*>(o->data);
    const auto* xs = static_cast<const T*>(x->data);
    const auto n = static_cast<int64_t>(x->length);
    return [=] { smoothActivationKernel<T>(op, xs, out, deriv, n, p0, p1); };
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
  return forFloat(r, r.peekType(), [&](auto zero) -> Step {
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
  return forFloat(r, r.peekType(), [&](auto zero) -> Step {
    using T = decltype(zero);
    const T* x = r.array<T>();
    const Shape64 shape = r.integers(), perm = r.integers();
    T* out = r.array<T>();
    if (r.ok() && (shape.empty() || shape.size() != perm.size())) r.fail("a permutation of the dims");
    return [=] { permuteKernel<T>(x, shape, perm, out); };
  });
}

Step maxPool2d(CallReader& r) {
  return forFloat(r, r.peekType(), [&](auto zero) -> Step {
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
  return forFloat(r, r.peekType(), [&](auto zero) -> Step {
    using T = decltype(zero);
    const T* gy = r.array<T>();
    const int32_t* indices = r.array<int32_t>();
    const int64_t planes = r.integer(), inPlane = r.integer(), outPlane = r.integer();
    T* gx = r.array<T>();
    return [=] { maxPool2dBackwardKernel<T>(gy, indices, planes, inPlane, outPlane, gx); };
  });
}

Step avgPool2dEither(CallReader& r, bool backward) {
  return forFloat(r, r.peekType(), [&](auto zero) -> Step {
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
  return forFloat(r, r.peekType(), [&](auto zero) -> Step {
    using T = decltype(zero);
    const T* x = r.array<T>();
    const int64_t n = r.integer(), c = r.integer(), s = r.integer();
    double* mean = r.array<double>();
    double* variance = r.array<double>();
    return [=] { batchNormStatsKernel<T>(x, n, c, s, mean, variance); };
  });
}

Step batchNormForward(CallReader& r) {
  return forFloat(r, r.peekType(), [&](auto zero) -> Step {
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
  return forFloat(r, r.peekType(), [&](auto zero) -> Step {
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

Step normalizeGroupsForward(CallReader& r) {
  return forFloat(r, r.peekType(), [&](auto zero) -> Step {
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
  return forFloat(r, r.peekType(), [&](auto zero) -> Step {
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
  return forFloat(r, r.peekType(), [&](auto zero) -> Step {
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
  const Shape64 outShape = r.integers();
  if (!r.ok()) return nullptr;
  if (x->type != out->type) { r.fail("an array of the input's dtype"); return nullptr; }
  const size_t bytes = x->type == napi_float64_array ? 8 : 4;
  const void* xs = x->data;
  void* os = out->data;
  return [=] { expandKernel(xs, bytes, shape, os, outShape); };
}

Step slice(CallReader& r) {
  const PlanArray* x = r.arrayInfo();
  const Shape64 shape = r.integers(), starts = r.integers(), steps = r.integers();
  const PlanArray* out = r.arrayInfo();
  const Shape64 outShape = r.integers();
  if (!r.ok()) return nullptr;
  if (x->type != out->type) { r.fail("an array of the input's dtype"); return nullptr; }
  const size_t bytes = x->type == napi_float64_array ? 8 : 4;
  const void* xs = x->data;
  void* os = out->data;
  return [=] { sliceKernel(xs, bytes, shape, starts, steps, os, outShape); };
}

Step sliceAdd(CallReader& r) {
  return forFloat(r, r.peekType(), [&](auto zero) -> Step {
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
  if (!r.ok()) return nullptr;
  if (x->type != out->type) { r.fail("an array of the input's dtype"); return nullptr; }
  if (dim < 0 || dim >= static_cast<int64_t>(shape.size()) || indexShape.size() != shape.size()) { r.fail("an index of x's rank"); return nullptr; }
  const size_t bytes = x->type == napi_float64_array ? 8 : 4;
  const void* xs = x->data;
  void* os = out->data;
  return [=] { gatherKernel(xs, bytes, shape, dim, index, indexShape, os); };
}

Step scatterAdd(CallReader& r) {
  return forFloat(r, r.peekType(), [&](auto zero) -> Step {
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
  return forFloat(r, r.peekType(), [&](auto zero) -> Step {
    using T = decltype(zero);
    const PlanArray* x = r.arrayInfo();
    const PlanArray* o = r.arrayInfo();
    const double lo = r.number(), hi = r.number();
    if (!r.ok()) return nullptr;
    if (x->type != kTypeOf<T> || o->type != kTypeOf<T> || o->length < x->length) { r.fail("arrays of one dtype, out as long as x"); return nullptr; }
    T* out = static_cast<T*>(o->data);
    const auto* xs = static_cast<const T*>(x->data);
    const auto n = static_cast<int64_t>(x->length);
    return [=] { clampKernel<T>(xs, out, n, lo, hi); };
  });
}

Step where(CallReader& r) {
  const PlanArray* cond = r.arrayInfo();
  const PlanArray* a = r.arrayInfo();
  const PlanArray* b = r.arrayInfo();
  const PlanArray* out = r.arrayInfo();
  if (!r.ok()) return nullptr;
  if (a->type != out->type || b->type != out->type) { r.fail("an array of a's dtype"); return nullptr; }
  if (a->length < out->length || b->length < out->length || cond->length < out->length) { r.fail("an array as long as cond, a and b"); return nullptr; }
  const size_t bytes = out->type == napi_float64_array ? 8 : 4;
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
#endif

const std::map<std::string, Decoder>& decoders() {
  static const std::map<std::string, Decoder> table{
      {"matmul", matmul},
      {"unary", unary},
      {"binary", binary},
      {"biasActivation", biasActivation},
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
      {"normalizeGroupsForward", normalizeGroupsForward},
      {"normalizeGroupsBackward", normalizeGroupsBackward},
      {"optimizerStep", optimizerStep},
#if defined(MINIMA_DNNL)
      {"convolution.forward", convolutionForward},
      {"convolution.backwardData", convolutionBackwardData},
      {"convolution.backwardWeights", convolutionBackwardWeights},
#endif
  };
  return table;
}

napi_value throwError(napi_env env, const std::string& message) {
  napi_throw_error(env, nullptr, message.c_str());
  return nullptr;
}

void finalizePlan(napi_env env, void* data, void*) {
  auto* plan = static_cast<Plan*>(data);
  plan->release(env);
  delete plan;
}

Plan* unwrap(napi_env env, napi_value value) {
  void* data = nullptr;
  napi_valuetype type;
  if (napi_typeof(env, value, &type) != napi_ok || type != napi_external || napi_get_value_external(env, value, &data) != napi_ok) return nullptr;
  return static_cast<Plan*>(data);
}

// Reads the strings argument (kernel names, rules) into `strings`.
bool readStrings(napi_env env, napi_value list, std::vector<std::string>* strings) {
  uint32_t n = 0;
  if (napi_get_array_length(env, list, &n) != napi_ok) return false;
  for (uint32_t i = 0; i < n; i++) {
    napi_value e;
    size_t length = 0;
    if (napi_get_element(env, list, i, &e) != napi_ok || napi_get_value_string_utf8(env, e, nullptr, 0, &length) != napi_ok) return false;
    std::string s(length, '\0');
    napi_get_value_string_utf8(env, e, s.data(), length + 1, &length);
    strings->push_back(std::move(s));
  }
  return true;
}

// Holds each array with a reference and notes its memory; false when one is not a typed array.
bool readArrays(napi_env env, napi_value list, Plan* plan, std::vector<PlanArray>* arrays) {
  uint32_t n = 0;
  if (napi_get_array_length(env, list, &n) != napi_ok) return false;
  for (uint32_t i = 0; i < n; i++) {
    napi_value e, buffer;
    bool is = false;
    PlanArray a{};
    size_t offset = 0;
    if (napi_get_element(env, list, i, &e) != napi_ok || napi_is_typedarray(env, e, &is) != napi_ok || !is) return false;
    napi_get_typedarray_info(env, e, &a.type, &a.length, &a.data, &buffer, &offset);
    napi_ref ref;
    if (napi_create_reference(env, e, 1, &ref) != napi_ok) return false;
    plan->refs.push_back(ref);
    arrays->push_back(a);
  }
  return true;
}

}  // namespace

// planCompile(arrays, program, strings) → the plan, an external (see the top of this file).
napi_value PlanCompile(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  if (argc < 3) return throwError(env, "minima native plan: planCompile takes arrays, program and strings");
  auto plan = new Plan();
  auto fail = [&](const std::string& message) {
    plan->release(env);
    delete plan;
    return throwError(env, message);
  };
  std::vector<PlanArray> arrays;
  std::vector<std::string> strings;
  if (!readArrays(env, argv[0], plan, &arrays)) return fail("minima native plan: arrays must be a list of typed arrays");
  if (!readStrings(env, argv[2], &strings)) return fail("minima native plan: strings must be a list of strings");
  bool isTyped = false;
  napi_typedarray_type type = napi_int8_array;
  size_t size = 0;
  void* data = nullptr;
  napi_value buffer;
  size_t offset = 0;
  if (napi_is_typedarray(env, argv[1], &isTyped) != napi_ok || !isTyped) return fail("minima native plan: the program must be a Float64Array");
  napi_get_typedarray_info(env, argv[1], &type, &size, &data, &buffer, &offset);
  if (type != napi_float64_array) return fail("minima native plan: the program must be a Float64Array");
  const auto* words = static_cast<const double*>(data);
  std::string error;
  size_t at = 0;
  CallReader reader(words, size, &at, arrays, strings, &error);
  plan->segments.emplace_back();
  while (at < size) {
    const auto kernelIndex = static_cast<int64_t>(words[at++]);
    if (kernelIndex == -1) { plan->segments.emplace_back(); continue; }
    if (kernelIndex < 0 || kernelIndex >= static_cast<int64_t>(strings.size()) || at >= size) return fail("minima native plan: a call's kernel must be one of the strings");
    const std::string& kernel = strings[kernelIndex];
    const auto decoder = decoders().find(kernel);
    if (decoder == decoders().end()) return fail("the native plan has no " + kernel);
    reader.begin(kernel, static_cast<int64_t>(words[at++]));
    Step step = decoder->second(reader);
    if (!reader.done() || !step) return fail(error.empty() ? "minima native plan: " + kernel + " could not be read" : error);
    plan->segments.back().push_back(std::move(step));
  }
  napi_value external;
  if (napi_create_external(env, plan, finalizePlan, nullptr, &external) != napi_ok) return fail("minima native plan: could not create the plan");
  return external;
}

// planRun(plan, segment): runs the segment's calls in order.
napi_value PlanRun(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  Plan* plan = argc == 2 ? unwrap(env, argv[0]) : nullptr;
  if (!plan) return throwError(env, "minima native plan: planRun takes a plan and a segment");
  int64_t segment = -1;
  napi_get_value_int64(env, argv[1], &segment);
  if (segment < 0 || segment >= static_cast<int64_t>(plan->segments.size())) {
    return throwError(env, plan->refs.empty() && plan->segments.empty() ? "minima native plan: the plan was released"
                                                                       : "minima native plan: no segment " + std::to_string(segment));
  }
  for (const Step& step : plan->segments[segment]) step();
  return nullptr;
}

// planRelease(plan): drops the plan's calls and its references to the arrays now.
napi_value PlanRelease(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  Plan* plan = argc == 1 ? unwrap(env, argv[0]) : nullptr;
  if (!plan) return throwError(env, "minima native plan: planRelease takes a plan");
  plan->release(env);
  return nullptr;
}

// planKernels() → the kernels a program may call (this build's: the convolutions only with oneDNN).
napi_value PlanKernels(napi_env env, napi_callback_info) {
  napi_value list;
  napi_create_array(env, &list);
  uint32_t i = 0;
  for (const auto& entry : decoders()) {
    napi_value name;
    napi_create_string_utf8(env, entry.first.c_str(), entry.first.size(), &name);
    napi_set_element(env, list, i++, name);
  }
  return list;
}

}  // namespace minima
