// A captured training step's kernel calls (src/backend/capture, mn.compile) as one native program: planCompile
// reads every call's arguments once (typed arrays as pointers into JavaScript's memory, each held by a napi
// reference so it outlives the step's tensors; numbers, shapes, pooling windows and geometries as values) into
// closures over the kernels' C++ functions (the decoders of plan-calls.cc), and planRun runs one segment of them
// in a single addon call. Segments are the runs of native calls between JavaScript's own (src/backend/native/
// plan.ts runs those in between): a step without any is one call.
//
// planCompile(arrays, program, strings) → plan: arrays are the typed arrays the calls use; program is a
// Float64Array of words: per call, its kernel (an index into strings) and argument count, then each argument
// as a tag and its payload (plan-program.h), in the contract's order (src/backend/kernels.ts); a kernel index
// of -1 ends a segment. planRun(plan, segment) runs one segment; planRelease(plan) lets the arrays go at
// once (else the plan's finalizer does). planKernels() lists the kernels a program may call.
#include <string>
#include <vector>

#include "kernels.h"
#include "plan-program.h"

namespace minima {

namespace {

struct Plan {
  std::vector<std::vector<Step>> segments;
  std::vector<napi_ref> refs;
  void release(napi_env env) {
    for (napi_ref r : refs) napi_delete_reference(env, r);
    refs.clear();
    segments.clear();
  }
};

napi_value throwError(napi_env env, const std::string& message) {
  napi_throw_error(env, nullptr, message.c_str());
  return nullptr;
}

void finalizePlan(napi_env env, void* data, void*) {
  auto* plan = static_cast<Plan*>(data);
  plan->release(env);
  delete plan;
}

// The plan that planRun and planRelease take first, with their other arguments in `rest` (argc in all); nullptr when
// the call has another count of arguments or its first is no plan.
Plan* planArgument(napi_env env, napi_callback_info info, size_t argc, napi_value* rest) {
  size_t got = argc;
  napi_value argv[2];
  napi_get_cb_info(env, info, &got, argv, nullptr, nullptr);
  void* data = nullptr;
  napi_valuetype type;
  if (got != argc || napi_typeof(env, argv[0], &type) != napi_ok || type != napi_external || napi_get_value_external(env, argv[0], &data) != napi_ok) {
    return nullptr;
  }
  for (size_t i = 1; i < argc; i++) rest[i - 1] = argv[i];
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
    const auto decoder = planDecoders().find(kernel);
    if (decoder == planDecoders().end()) return fail("the native plan has no " + kernel);
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
  napi_value segmentArg;
  Plan* plan = planArgument(env, info, 2, &segmentArg);
  if (!plan) return throwError(env, "minima native plan: planRun takes a plan and a segment");
  int64_t segment = -1;
  napi_get_value_int64(env, segmentArg, &segment);
  if (segment < 0 || segment >= static_cast<int64_t>(plan->segments.size())) {
    return throwError(env, plan->refs.empty() && plan->segments.empty() ? "minima native plan: the plan was released"
                                                                       : "minima native plan: no segment " + std::to_string(segment));
  }
  for (const Step& step : plan->segments[segment]) step();
  return nullptr;
}

// planRelease(plan): drops the plan's calls and its references to the arrays now.
napi_value PlanRelease(napi_env env, napi_callback_info info) {
  Plan* plan = planArgument(env, info, 1, nullptr);
  if (!plan) return throwError(env, "minima native plan: planRelease takes a plan");
  plan->release(env);
  return nullptr;
}

// planKernels() → the kernels a program may call (this build's: the convolutions only with oneDNN).
napi_value PlanKernels(napi_env env, napi_callback_info) {
  napi_value list;
  napi_create_array(env, &list);
  uint32_t i = 0;
  for (const auto& entry : planDecoders()) {
    napi_value name;
    napi_create_string_utf8(env, entry.first.c_str(), entry.first.size(), &name);
    napi_set_element(env, list, i++, name);
  }
  return list;
}

}  // namespace minima
