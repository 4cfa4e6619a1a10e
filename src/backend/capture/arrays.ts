import type { PlanCall } from "../kernels.js";
import type { TypedArray } from "../../tensor/dtype.js";
import type { Trace } from "./record.js";

/** Whether x is one of the typed arrays tensors keep their data in. */
export function isTypedArray(x: unknown): x is TypedArray {
  return x instanceof Float32Array || x instanceof Float64Array || x instanceof Int32Array;
}

/** Calls visit on every typed array inside arg (an argument of a call: arrays of them, PoolWindows, a "js" call's touches). */
export function forEachArray(arg: unknown, visit: (a: TypedArray) => void): void {
  if (isTypedArray(arg)) visit(arg);
  else if (Array.isArray(arg)) for (const x of arg) forEachArray(x, visit);
  else if (typeof arg === "object" && arg !== null) for (const x of Object.values(arg)) forEachArray(x, visit);
}

/** Where an array first appears in a trace, for notes: "argument 3 of call 12 (matmul)" or "an array a host op writes". */
export type ArrayPlace = string;

/** Every typed array a trace touches (its calls' arguments, then the host ops' writes), once each, with its first place. */
export function arraysOf(trace: Pick<Trace, "calls" | "hostWrites">): Map<TypedArray, ArrayPlace> {
  const seen = new Map<TypedArray, ArrayPlace>();
  trace.calls.forEach((call: PlanCall, i) => {
    call.args.forEach((arg, j) => forEachArray(arg, (a) => {
      if (!seen.has(a)) seen.set(a, call.kernel === "js" ? `an array call ${i + 1} (${String(call.args[0])}) touches` : `argument ${j + 1} of call ${i + 1} (${call.kernel})`);
    }));
  });
  for (const a of trace.hostWrites) if (!seen.has(a)) seen.set(a, "an array a host op writes");
  return seen;
}
