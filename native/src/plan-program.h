// A captured step's program as planCompile reads it (plan.cc): the argument tags, the arrays it names, and the
// reader each kernel's decoder (plan-calls.cc) takes its call's arguments from.
#pragma once
#include <node_api.h>

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "plan-kernels.h"

namespace minima {

// How an argument is written in a program (src/backend/native/plan.ts writes them so).
enum class PlanTag : int { Null, Array, Number, Numbers, Arrays, Windows, String };

// A typed array a program names: its memory (JavaScript's, held by the plan), element type and length.
struct PlanArray {
  void* data;
  napi_typedarray_type type;
  size_t length;
};

// One call, bound to its arguments.
using Step = std::function<void()>;

template <typename T> inline constexpr napi_typedarray_type kTypeOf = napi_int8_array;
template <> inline constexpr napi_typedarray_type kTypeOf<float> = napi_float32_array;
template <> inline constexpr napi_typedarray_type kTypeOf<double> = napi_float64_array;
template <> inline constexpr napi_typedarray_type kTypeOf<int32_t> = napi_int32_array;

inline const char* typeName(napi_typedarray_type t) {
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
  // The length of a list of arrays (0 after a failure): an empty list is written as numbers.
  int64_t arrayListLength() {
    const PlanTag tag = next();
    if (tag != PlanTag::Arrays && tag != PlanTag::Numbers) { fail("a list of typed arrays"); return 0; }
    const int64_t n = word<int64_t>();
    if (tag == PlanTag::Numbers && n != 0) { fail("a list of typed arrays"); return 0; }
    return n;
  }
  // A list of arrays of type T, nullptr for null entries.
  template <typename T>
  std::vector<T*> arrays() {
    std::vector<T*> v;
    const int64_t n = arrayListLength();
    for (int64_t k = 0; k < n && ok(); k++) {
      const int64_t i = word<int64_t>();
      if (i < 0) { v.push_back(nullptr); continue; }
      if (i >= static_cast<int64_t>(arrays_.size()) || arrays_[i].type != kTypeOf<T>) { fail("a list of arrays like the parameter"); break; }
      v.push_back(static_cast<T*>(arrays_[i].data));
    }
    return v;
  }
  // A list of arrays, each non-null, of any type (the caller checks them).
  std::vector<const PlanArray*> arrayList() {
    std::vector<const PlanArray*> v;
    const int64_t n = arrayListLength();
    for (int64_t k = 0; k < n && ok(); k++) {
      const int64_t i = word<int64_t>();
      if (i < 0 || i >= static_cast<int64_t>(arrays_.size())) { fail("a list of arrays of the plan"); break; }
      v.push_back(&arrays_[i]);
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
// The same for the type of the next argument, an array (most kernels take the dtype of their first).
template <typename Body>
Step forFloat(CallReader& r, Body body) {
  return forFloat(r, r.peekType(), body);
}

// The decoders: each reads one call's arguments (the contract's, src/backend/kernels.ts, with op names as the codes
// the napi entry points take) and returns the closure that runs it, or nullptr with the reader failed.
using Decoder = Step (*)(CallReader& r);
// Every kernel a program may call, by its name in the contract ("convolution.forward" for the convolution's).
const std::map<std::string, Decoder>& planDecoders();

}  // namespace minima
