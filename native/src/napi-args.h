// Reading a kernel call's arguments: typed arrays (zero-copy pointers into JavaScript-owned memory),
// numbers and booleans. A wrong argument throws a TypeError naming the kernel and the position; the
// TypeScript wrapper checks shapes and dtypes before calling, so these are guards, not validation.
#pragma once
#include <node_api.h>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace minima {

struct Args {
  napi_env env;
  const char* kernel;
  static constexpr size_t kMaxArgs = 24;
  napi_value argv[kMaxArgs];
  size_t argc = kMaxArgs;
  bool failed = false;

  Args(napi_env e, napi_callback_info info, const char* name) : env(e), kernel(name) {
    napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
    if (argc > kMaxArgs) argc = kMaxArgs;  // napi reports the count passed, which may exceed what it copied
  }

  void fail(size_t i, const char* expected) {
    if (failed) return;
    failed = true;
    std::string msg = std::string("minima native ") + kernel + ": argument " + std::to_string(i) + " must be " + expected;
    napi_throw_type_error(env, nullptr, msg.c_str());
  }

  // The typed array at i, its element type and length; nullptr after a failure.
  void* array(size_t i, napi_typedarray_type* type, size_t* length) {
    bool is = false;
    if (i >= argc || napi_is_typedarray(env, argv[i], &is) != napi_ok || !is) { fail(i, "a typed array"); return nullptr; }
    void* data = nullptr;
    napi_value buffer;
    size_t offset = 0;
    napi_get_typedarray_info(env, argv[i], type, length, &data, &buffer, &offset);
    return data;
  }

  template <typename T>
  T* typed(size_t i, napi_typedarray_type want, const char* expected) {
    napi_typedarray_type type;
    size_t length = 0;
    void* data = array(i, &type, &length);  // nullptr for an empty array: callers skip empty work
    if (failed) return nullptr;
    if (type != want) { fail(i, expected); return nullptr; }
    return static_cast<T*>(data);
  }

  // The typed array at i like `typed`, or nullptr when the argument is null or undefined.
  template <typename T>
  T* optional(size_t i, napi_typedarray_type want, const char* expected) {
    napi_valuetype vt = napi_undefined;
    if (i < argc) napi_typeof(env, argv[i], &vt);
    if (vt == napi_null || vt == napi_undefined) return nullptr;
    return typed<T>(i, want, expected);
  }

  double number(size_t i) {
    double v = 0;
    if (i >= argc || napi_get_value_double(env, argv[i], &v) != napi_ok) fail(i, "a number");
    return v;
  }

  int64_t integer(size_t i) { return static_cast<int64_t>(number(i)); }

  // The JavaScript array of numbers at i (a shape, a permutation), as integers.
  std::vector<int64_t> integers(size_t i) {
    std::vector<int64_t> v;
    uint32_t n = 0;
    if (i >= argc || napi_get_array_length(env, argv[i], &n) != napi_ok) { fail(i, "an array of integers"); return v; }
    for (uint32_t k = 0; k < n; k++) {
      napi_value e;
      double d = 0;
      if (napi_get_element(env, argv[i], k, &e) != napi_ok || napi_get_value_double(env, e, &d) != napi_ok) { fail(i, "an array of integers"); return v; }
      v.push_back(static_cast<int64_t>(d));
    }
    return v;
  }

  bool boolean(size_t i) {
    bool v = false;
    if (i >= argc || napi_get_value_bool(env, argv[i], &v) != napi_ok) fail(i, "a boolean");
    return v;
  }

  // The element type of the typed array at i (napi_float32_array or napi_float64_array for float kernels).
  napi_typedarray_type typeOf(size_t i) {
    napi_typedarray_type type = napi_int8_array;
    size_t length = 0;
    array(i, &type, &length);
    return type;
  }
};

// Runs run(T{}, like) with T the element type `type` names, float for a Float32Array and double for a
// Float64Array, and like the expectation for arrays that must match argument 0 ("a Float32Array like
// argument 0"); for any other type, argument 0 fails as "a Float32Array or Float64Array" (unless an
// argument failed already). The one float dispatch of the kernels' entry points.
template <typename Run>
void forFloatType(Args& args, napi_typedarray_type type, Run run) {
  if (type == napi_float32_array) run(float{}, "a Float32Array like argument 0");
  else if (type == napi_float64_array) run(double{}, "a Float64Array like argument 0");
  else if (!args.failed) args.fail(0, "a Float32Array or Float64Array");
}

}  // namespace minima
