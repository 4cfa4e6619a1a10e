// The napi entry points of the elementwise kernels: unary(op, x, out, param) and
// binary(op, a, aShape, b, bShape, out, outShape) with NumPy broadcasting, as in src/backend/kernels.ts
// (op codes: elementwise-table.h). a, b and out share one float dtype; the wrapper sends others to js.
#include <algorithm>
#include <vector>

#include "elementwise-table.h"
#include "kernels.h"
#include "napi-args.h"
#include "plan-kernels.h"
#include "thread-pool.h"

namespace minima {

namespace {

// Below this many elements a second thread costs more to wake than it saves.
constexpr int64_t kGrain = 1 << 15;

// Strides of `shape` read as if broadcast to `out`: 0 along broadcast dims (src/backend/js/elementwise.ts).
std::vector<int64_t> broadcastStrides(const std::vector<int64_t>& shape, const std::vector<int64_t>& out) {
  std::vector<int64_t> strides(out.size(), 0);
  int64_t s = 1;
  for (size_t k = shape.size(); k-- > 0;) {
    const size_t o = out.size() - shape.size() + k;
    strides[o] = shape[k] == 1 ? 0 : s;
    s *= shape[k];
  }
  return strides;
}

template <typename T>
void broadcast(const ElementwiseLoops<T>& loops, Binary op, const T* a, size_t aLen, const std::vector<int64_t>& aShape, const T* b,
               size_t bLen, const std::vector<int64_t>& bShape, T* out, size_t n, const std::vector<int64_t>& outShape) {
  if (n == 0) return;
  const int64_t as0 = aLen == n ? 1 : 0, bs0 = bLen == n ? 1 : 0;
  if ((aLen == n || aLen == 1) && (bLen == n || bLen == 1)) {
    return parallelFor(n, kGrain, [&](int64_t s, int64_t e) { loops.binaryRow(op, a + s * as0, as0, b + s * bs0, bs0, out + s, e - s); });
  }
  // Walk the output in rows of its last dim; each operand is contiguous along it or broadcast. A chunk
  // of rows finds its starting offsets from its first row's index.
  const size_t rank = outShape.size();
  const auto as = broadcastStrides(aShape, outShape), bs = broadcastStrides(bShape, outShape);
  const int64_t last = outShape[rank - 1], rows = static_cast<int64_t>(n) / last;
  parallelFor(rows, std::max<int64_t>(1, kGrain / last), [&](int64_t r0, int64_t r1) {
    std::vector<int64_t> idx(rank, 0);
    int64_t ao = 0, bo = 0;
    for (int64_t rest = r0, d = static_cast<int64_t>(rank) - 2; d >= 0; d--) {
      idx[d] = rest % outShape[d];
      rest /= outShape[d];
      ao += idx[d] * as[d];
      bo += idx[d] * bs[d];
    }
    for (int64_t r = r0; r < r1; r++) {
      loops.binaryRow(op, a + ao, as[rank - 1], b + bo, bs[rank - 1], out + r * last, last);
      for (size_t d = rank - 1; d-- > 0;) {
        idx[d]++;
        ao += as[d];
        bo += bs[d];
        if (idx[d] < outShape[d]) break;
        ao -= as[d] * outShape[d];
        bo -= bs[d] * outShape[d];
        idx[d] = 0;
      }
    }
  });
}

template <typename T>
const ElementwiseLoops<T>& loopsFor();
template <>
const ElementwiseLoops<float>& loopsFor<float>() { return elementwiseTable().f32; }
template <>
const ElementwiseLoops<double>& loopsFor<double>() { return elementwiseTable().f64; }

template <typename T>
void runBinary(Args& args, Binary op, napi_typedarray_type type, const char* like) {
  napi_typedarray_type t;
  size_t aLen = 0, bLen = 0, n = 0;
  const T* a = static_cast<const T*>(args.array(1, &t, &aLen));
  if (!args.failed && t != type) args.fail(1, like);
  const T* b = static_cast<const T*>(args.array(3, &t, &bLen));
  if (!args.failed && t != type) args.fail(3, like);
  T* out = static_cast<T*>(args.array(5, &t, &n));
  if (!args.failed && t != type) args.fail(5, like);
  const auto aShape = args.integers(2), bShape = args.integers(4), outShape = args.integers(6);
  if (!args.failed) binaryKernel(op, a, aLen, aShape, b, bLen, bShape, out, n, outShape);
}

}  // namespace

template <typename T>
void unaryKernel(Unary op, const T* x, T* out, int64_t n, double param) {
  parallelFor(n, kGrain, [&](int64_t s, int64_t e) { loopsFor<T>().unary(op, x + s, out + s, e - s, param); });
}
template void unaryKernel<float>(Unary, const float*, float*, int64_t, double);
template void unaryKernel<double>(Unary, const double*, double*, int64_t, double);

template <typename T>
void binaryKernel(Binary op, const T* a, int64_t aLen, const Shape64& aShape, const T* b, int64_t bLen, const Shape64& bShape, T* out,
                  int64_t n, const Shape64& outShape) {
  broadcast(loopsFor<T>(), op, a, aLen, aShape, b, bLen, bShape, out, n, outShape);
}
template void binaryKernel<float>(Binary, const float*, int64_t, const Shape64&, const float*, int64_t, const Shape64&, float*, int64_t,
                                  const Shape64&);
template void binaryKernel<double>(Binary, const double*, int64_t, const Shape64&, const double*, int64_t, const Shape64&, double*, int64_t,
                                   const Shape64&);

napi_value UnaryOp(napi_env env, napi_callback_info info) {
  Args args(env, info, "unary");
  const int64_t op = args.integer(0);
  const double param = args.number(3);
  const auto type = args.typeOf(1);
  if (!args.failed && (op < 0 || op >= static_cast<int64_t>(Unary::Count))) args.fail(0, "a unary op code");
  napi_typedarray_type t;
  size_t n = 0, outLen = 0;
  if (type == napi_float32_array || type == napi_float64_array) {
    void* x = args.array(1, &t, &n);
    void* out = args.array(2, &t, &outLen);
    if (!args.failed && (t != type || outLen != n)) args.fail(2, "a typed array like argument 1, of its length");
    if (args.failed) return nullptr;
    const auto u = static_cast<Unary>(op);
    if (type == napi_float32_array) unaryKernel(u, static_cast<const float*>(x), static_cast<float*>(out), n, param);
    else unaryKernel(u, static_cast<const double*>(x), static_cast<double*>(out), n, param);
  } else if (!args.failed) {
    args.fail(1, "a Float32Array or Float64Array");
  }
  return nullptr;
}

napi_value BinaryOp(napi_env env, napi_callback_info info) {
  Args args(env, info, "binary");
  const int64_t op = args.integer(0);
  const auto type = args.typeOf(1);
  if (!args.failed && (op < 0 || op >= static_cast<int64_t>(Binary::Count))) args.fail(0, "a binary op code");
  if (args.failed) return nullptr;
  if (type == napi_float32_array) runBinary<float>(args, static_cast<Binary>(op), type, "a Float32Array like argument 1");
  else if (type == napi_float64_array) runBinary<double>(args, static_cast<Binary>(op), type, "a Float64Array like argument 1");
  else args.fail(1, "a Float32Array or Float64Array");
  return nullptr;
}

}  // namespace minima
