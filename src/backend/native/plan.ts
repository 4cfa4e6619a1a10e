import type { FloatArray, TypedArray } from "../../tensor/dtype.js";
import type { BinaryOp, Kernels, PlanCall, PlanKernel, PlanRunner, PoolWindows, ReduceOp, SmoothActivation, UnaryOp } from "../kernels.js";
import { nativeTakesGrads, nativeTakesNormType } from "./clip-grad.js";
import { BINARY_CODE, nativeTakesBinary, nativeTakesUnary, UNARY_CODE } from "./elementwise.js";
import { nativeTakesPermute } from "./layout.js";
import { oneDtype } from "./normalize-groups.js";
import { nativeTakesReduce, REDUCE_CODE } from "./reduce.js";
import { nativeTakesSmooth, SMOOTH_CODE } from "./smooth-activations.js";

/** The addon's plan functions (native/src/plan.cc). */
export interface NativePlanAddon {
  /** Reads a program (see plan.cc) over these arrays and strings; throws on a malformed one. */
  planCompile(arrays: TypedArray[], program: Float64Array, strings: string[]): object;
  /** Runs one segment of the plan's calls. */
  planRun(plan: object, segment: number): void;
  /** Lets go of the plan's arrays now. */
  planRelease(plan: object): void;
  /** The kernels a program may call in this build. */
  planKernels(): string[];
}

/**
 * How one call runs in a plan: in the native program with these arguments (the contract's, op names as the addon's
 * codes), in JavaScript through the table (where the native backend itself runs it on js: an int32 array, mixed
 * dtypes), or not at all (a convolution or fused optimizer step that declined at capture, and so wrote nothing).
 */
type Route = { native: readonly unknown[] } | "js" | "skip";

const isFloat = (a: unknown): a is FloatArray => a instanceof Float32Array || a instanceof Float64Array;
const sameType = (a: unknown, b: unknown) => (a as object).constructor === (b as object).constructor;
const withCode = (args: readonly unknown[], code: number | undefined): Route => (code === undefined ? "js" : { native: [code, ...args.slice(1)] });

/** Each kernel the plan runs natively, with the test the native table makes before calling the addon (src/backend/native/*.ts). */
const ROUTES: Partial<Record<PlanKernel, (args: readonly unknown[], result: unknown) => Route>> = {
  matmul: (a) => ({ native: a }),
  unary: (a) => (nativeTakesUnary(a[1] as TypedArray, a[2] as TypedArray) ? withCode(a, UNARY_CODE.get(a[0] as UnaryOp)) : "js"),
  binary: (a) => (nativeTakesBinary(a[1] as TypedArray, a[3] as TypedArray, a[5] as TypedArray) ? withCode(a, BINARY_CODE.get(a[0] as BinaryOp)) : "js"),
  biasActivation: (a) => ({ native: a }),
  biasActivationBackward: (a) => ({ native: a }),
  smoothActivation: (a) =>
    nativeTakesSmooth(a[1] as TypedArray, a[2] as TypedArray, a[3] as TypedArray | null) ? withCode(a, SMOOTH_CODE.get(a[0] as SmoothActivation)) : "js",
  crossEntropy: (a) => ({ native: a }),
  crossEntropyBackward: (a) => ({ native: a }),
  reduce: (a) => (nativeTakesReduce(a[0] as ReduceOp, a[1] as TypedArray, a[5] as TypedArray) ? withCode(a, REDUCE_CODE[a[0] as ReduceOp]) : "js"),
  softmax: (a) => (sameType(a[0], a[4]) ? { native: a } : "js"),
  permute: (a) => (nativeTakesPermute(a[0] as TypedArray, a[1] as number[], a[3] as TypedArray) ? { native: a } : "js"),
  // Kernels the native backend runs on js, in C++ for plans (native/src/plan-js-kernels.cc): copies, comparisons and one
  // addition per element, the same bits.
  expand: (a) => (sameType(a[0], a[2]) ? { native: a } : "js"),
  slice: (a) => (sameType(a[0], a[4]) ? { native: a } : "js"),
  sliceAdd: (a) => (isFloat(a[0]) && sameType(a[0], a[2]) ? { native: a } : "js"),
  gather: (a) => (sameType(a[0], a[5]) ? { native: a } : "js"),
  scatterAdd: (a) => (isFloat(a[0]) && sameType(a[0], a[5]) ? { native: a } : "js"),
  clamp: (a) => (isFloat(a[0]) && sameType(a[0], a[1]) ? { native: a } : "js"),
  where: (a) => (sameType(a[1], a[3]) && sameType(a[2], a[3]) ? { native: a } : "js"),
  im2col: (a) => ({ native: a }),
  col2im: (a) => ({ native: a }),
  maxPool2d: (a) => ({ native: a }),
  maxPool2dBackward: (a) => ({ native: a }),
  avgPool2d: (a) => ({ native: a }),
  avgPool2dBackward: (a) => ({ native: a }),
  batchNormStats: (a) => ({ native: a }),
  batchNormForward: (a) => ({ native: a }),
  batchNormBackward: (a) => ({ native: a }),
  // Batch norm's bookkeeping, which the native backend runs on js, in C++ for plans (native/src/batch-norm-running.cc).
  batchNormCount: (a) => ({ native: [a[0], a[1] ?? -1, a[2]] }), // −1: no momentum, the cumulative average
  batchNormRunning: (a) => (a[0] === null || a[1] === null || sameType(a[0], a[1]) ? { native: a } : "js"),
  batchNormInverseStd: (a) => (isFloat(a[0]) ? { native: a } : "js"),
  clipGradNorm: (a) => (nativeTakesNormType(a[2] as number) && nativeTakesGrads(a[0] as FloatArray[]) ? { native: a } : "js"),
  clipGradValue: (a) => (nativeTakesGrads(a[0] as FloatArray[]) ? { native: a } : "js"),
  normalizeGroupsForward: (a) => (oneDtype(a[0] as FloatArray, a[5] as FloatArray | null, a[6] as FloatArray | null, a[10] as FloatArray) ? { native: a } : "js"),
  normalizeGroupsBackward: (a) => (oneDtype(a[1] as FloatArray, a[0] as FloatArray, a[6] as FloatArray | null, a[9] as FloatArray | null) ? { native: a } : "js"),
  optimizerStep: (a, result) => (result === true ? { native: a } : "skip"),
  "convolution.forward": (a, result) => (result === true ? { native: a } : "skip"),
  "convolution.backwardData": (a, result) => (result === true ? { native: a } : "skip"),
  "convolution.backwardWeights": (a, result) => (result === true ? { native: a } : "skip"),
  "convolution.forwardReluMaxPool": (a, result) => (result === true ? { native: a } : "skip"),
  "convolution.backwardReluMaxPool": (a, result) => (result === true ? { native: a } : "skip"),
};

// Argument tags of a program (enum PlanTag in native/src/plan.cc).
const TAG = { null: 0, array: 1, number: 2, numbers: 3, arrays: 4, windows: 5, string: 6 } as const;
const isTyped = (v: unknown): v is TypedArray => v instanceof Float32Array || v instanceof Float64Array || v instanceof Int32Array;
const isWindows = (v: unknown): v is PoolWindows => typeof v === "object" && v !== null && "start" in v && "end" in v && "count" in v && "step" in v;

/** Writes calls into a program for planCompile: its words, the arrays it names (each once) and its strings. */
class ProgramWriter {
  readonly words: number[] = [];
  readonly arrays: TypedArray[] = [];
  readonly strings: string[] = [];
  private readonly arrayIndex = new Map<TypedArray, number>();
  private readonly stringIndex = new Map<string, number>();

  /** Writes the call; null, or why an argument cannot be written. */
  call(kernel: string, args: readonly unknown[]): string | null {
    this.words.push(this.string(kernel), args.length);
    for (const arg of args) {
      if (!this.argument(arg)) return `the native plan cannot hold ${kernel}'s argument ${String(arg)}`;
    }
    return null;
  }

  endSegment(): void {
    this.words.push(-1);
  }

  private argument(v: unknown): boolean {
    const w = this.words;
    if (v === null || v === undefined) w.push(TAG.null);
    else if (isTyped(v)) w.push(TAG.array, this.array(v));
    else if (typeof v === "number" || typeof v === "boolean") w.push(TAG.number, Number(v));
    else if (typeof v === "string") w.push(TAG.string, this.string(v));
    else if (Array.isArray(v) && v.every((e) => typeof e === "number")) w.push(TAG.numbers, v.length, ...(v as number[]));
    else if (Array.isArray(v) && v.every((e) => e === null || isTyped(e))) w.push(TAG.arrays, v.length, ...v.map((e) => (e === null ? -1 : this.array(e as TypedArray))));
    else if (isWindows(v)) w.push(TAG.windows, this.array(v.start), this.array(v.end), this.array(v.count), v.step);
    else return false;
    return true;
  }

  private array(a: TypedArray): number {
    let i = this.arrayIndex.get(a);
    if (i === undefined) this.arrayIndex.set(a, (i = this.arrays.push(a) - 1));
    return i;
  }

  private string(s: string): number {
    let i = this.stringIndex.get(s);
    if (i === undefined) this.stringIndex.set(s, (i = this.strings.push(s) - 1));
    return i;
  }
}

/** The table's function for a call that runs in JavaScript (as the JavaScript loop binds it, src/backend/capture/replay-js.ts). */
function jsCall(kernel: PlanKernel, args: readonly unknown[], table: Kernels): () => void {
  if (kernel === "js") return args[1] as () => void;
  const [owner, method] = kernel.startsWith("convolution.")
    ? [table.convolution as unknown as Record<string, (...a: unknown[]) => unknown>, kernel.slice("convolution.".length)]
    : [table as unknown as Record<string, (...a: unknown[]) => unknown>, kernel];
  const fn = owner[method]!;
  return () => void fn.apply(owner, args as unknown[]);
}

/**
 * The native backend's compilePlan: the calls as one native program (native/src/plan.cc), run by one addon call per
 * step, or per stretch between calls that run in JavaScript (a "js" call, such as an optimizer rule's own loop, or a
 * kernel the native backend runs on js for these dtypes). `table` is the native backend's whole table, whose
 * kernels those JavaScript calls are. A kernel the plan has no native code for: `{ unsupported }`, and mn.compile
 * replays the calls in a JavaScript loop instead.
 */
export function compileNativePlan(addon: NativePlanAddon, table: Kernels, calls: readonly PlanCall[]): PlanRunner | { unsupported: string } {
  const available = new Set(addon.planKernels());
  const program = new ProgramWriter();
  const parts: (number | (() => void))[] = [];
  let segment = 0, open = false;
  for (const { kernel, args, result } of calls) {
    const route = kernel === "js" ? "js" : ROUTES[kernel]?.(args, result);
    if (route === undefined || (typeof route === "object" && !available.has(kernel))) return { unsupported: `the native plan has no ${kernel}` };
    if (route === "skip") continue;
    if (route === "js") {
      if (open) { program.endSegment(); segment++; open = false; }
      parts.push(jsCall(kernel, args, table));
      continue;
    }
    const held = program.call(kernel, route.native);
    if (held !== null) return { unsupported: held };
    if (!open) { parts.push(segment); open = true; }
  }
  let handle: object;
  try {
    handle = addon.planCompile(program.arrays, Float64Array.from(program.words), program.strings);
  } catch (e) {
    return { unsupported: (e as Error).message }; // a call the program cannot hold: the JavaScript loop replays it
  }
  const steps = parts.map((p) => (typeof p === "number" ? () => addon.planRun(handle, p) : p));
  return {
    run() {
      for (const step of steps) step();
    },
    dispose() {
      addon.planRelease(handle);
    },
  };
}
