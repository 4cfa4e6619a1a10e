// The core: browser-clean (no Node built-in is reachable from here) and nothing runs at import.
// The Node entry (index.node.ts, the "node" export condition) adds file IO, the native backend and the CLI's pieces.
export { Tensor, type NestedArray, type TensorLike, type IndexSpec } from "./tensor/tensor.js";
export type { DType, FloatDType, TypedArray } from "./tensor/dtype.js";
export {
  tensor, zeros, ones, full, zerosLike, onesLike, arange, linspace, eye, rand, randn, randint, randperm,
  type TensorOptions, type RandomOptions,
} from "./tensor/create.js";
export { Generator, manualSeed, defaultGenerator, type GeneratorState } from "./tensor/random.js";
export { add, sub, mul, div, pow, maximum, minimum, eq, ne, lt, le, gt, ge, where } from "./autograd/ops/arith.js";
export { neg, exp, log, sqrt, abs, sign, square, reciprocal, tanh, sigmoid, relu, erf, clamp } from "./autograd/ops/math.js";
export { sum, mean, max, min, amax, amin, argmax, argmin, variance as var, std, logsumexp, type ValuesAndIndices } from "./autograd/ops/reduce.js";
export { matmul } from "./autograd/ops/matmul.js";
export { reshape, flatten, squeeze, unsqueeze, permute, transpose, t, expand } from "./autograd/ops/shape.js";
export { index, narrow, select, gather, scatterAdd, indexSelect, cat, stack } from "./autograd/ops/indexing.js";
export { softmax, logSoftmax } from "./autograd/ops/softmax.js";
export { noGrad, enableGrad } from "./autograd/no-grad.js";
export * as autograd from "./autograd/index.js";
export { compile, StepCapture, type CompiledStep, type CompileOptions } from "./compile/compile.js";
export { setBackend, getBackend, listBackends, registerBackend, setNumThreads, getNumThreads, type RegisterOptions } from "./backend/select.js";
export { ready } from "./backend/wasm/ready.js";
export type { Kernels } from "./backend/kernels.js";
export {
  MinimaError, ShapeError, DTypeError, ValueError, IndexError, OptionError, DataFormatError, StateDictError, BackendError, AutogradError, FileError,
  StudyError, StorageError, LeaseLostError,
  type ErrorFacts,
} from "./errors.js";
export * as nn from "./nn/index.js";
export * as optim from "./optim/index.js";
export * as metrics from "./metrics/index.js";
export * as data from "./data/index.js";
export * as train from "./train/index.js";
export * as io from "./io/index.js";
export * as report from "./report/index.js";
export * as tune from "./tune/index.js";
export * as landscape from "./landscape/index.js";
