import { arraysOf, isTypedArray } from "../backend/capture/arrays.js";
import type { Trace } from "../backend/capture/record.js";
import type { TypedArray } from "../tensor/dtype.js";

// mn.compile's check of a captured step (compile.ts runs it on the second call with a set of input shapes): the
// replay, from the state the eager step starts from, must make the eager step's calls and leave its bits.

/** The arrays a trace touches and the JavaScript state its host ops and gradients change, saved to be put back. */
export interface SavedState {
  restore(): void;
}

/** Saves every array `trace` touches (copies), the JavaScript state its host ops advance and the grads it sets. */
export function saveState(trace: Trace): SavedState {
  const arrays = [...arraysOf(trace).keys()];
  const copies = arrays.map((a) => a.slice());
  const restorers = trace.hostSaves.map((save) => save());
  const grads = trace.grads.map(([owner]) => [owner, owner.grad] as const);
  return {
    restore() {
      arrays.forEach((a, i) => a.set(copies[i]!));
      for (const r of restorers) r();
      for (const [owner, grad] of grads) owner.grad = grad;
    },
  };
}

/** Copies of every array `trace` touches, keyed by the array. */
export function copyArrays(trace: Trace): Map<TypedArray, TypedArray> {
  return new Map([...arraysOf(trace).keys()].map((a) => [a, a.slice()]));
}

/**
 * Why the second eager run `second` is not the first run `first` replayed, or null when it is: the same kernels in
 * the same order with the same numbers and shapes, arrays in one-to-one correspondence (an array both runs touch at
 * the same places: the parameters, optimizer state, the batch), and, array for array, the bits the replay left
 * (`replayed`: copies of first's arrays after the replay) equal to those the eager run left.
 */
export function differenceOf(first: Trace, second: Trace, replayed: Map<TypedArray, TypedArray>): string | null {
  const mapping = new Map<TypedArray, TypedArray>();
  const m: Mapping = { mapping, images: new Set(), secondArrays: arraysOf(second) };
  const n1 = first.calls.length, n2 = second.calls.length;
  for (let i = 0; i < Math.min(n1, n2); i++) {
    const a = first.calls[i]!, b = second.calls[i]!;
    const at = `call ${i + 1} (${a.kernel === "js" ? String(a.args[0]) : a.kernel})`;
    if (a.kernel !== b.kernel || (a.kernel === "js" && a.args[0] !== b.args[0])) {
      const name = (c: typeof a) => (c.kernel === "js" ? String(c.args[0]) : c.kernel);
      return `the step branches on data or on JavaScript state: call ${i + 1} was ${name(a)} in its first run and ${name(b)} in its second`;
    }
    for (let j = 0; j < a.args.length; j++) {
      const problem = matchArg(a.args[j], b.args[j], m);
      if (problem === "arrays") return `its second run passed other arrays than its first to ${at} as argument ${j + 1}: the step keeps arrays outside its tensors`;
      if (problem !== null) return `a JavaScript value in the step changes between runs: argument ${j + 1} of ${at} was ${problem}`;
    }
  }
  if (n1 !== n2) return `the step branches on data or on JavaScript state: its first run made ${n1} kernel calls, its second ${n2}`;
  if (first.hostOps.length !== second.hostOps.length) {
    return `the step branches on data or on JavaScript state: its first run did ${first.hostOps.length} host ops, its second ${second.hostOps.length}`;
  }
  for (let i = 0; i < first.hostWrites.length; i++) {
    const problem = matchArg(first.hostWrites[i], second.hostWrites[i], m);
    if (problem !== null) return "its host ops wrote other arrays in its second run than in its first";
  }
  for (const [array, place] of arraysOf(first)) {
    const diff = firstDifference(replayed.get(array)!, mapping.get(array)!);
    if (diff !== null) return `the replay differs from the eager step in ${place} at element ${diff.index} (${diff.replayed} replayed, ${diff.eager} eager)`;
  }
  return null;
}

/** The correspondence of the first run's arrays to the second's, built call by call. */
interface Mapping {
  readonly mapping: Map<TypedArray, TypedArray>;
  /** The second run's arrays mapped to so far (the mapping is one-to-one). */
  readonly images: Set<TypedArray>;
  readonly secondArrays: Map<TypedArray, unknown>;
}

/**
 * Null when x (first run) and y (second) agree: typed arrays in a consistent one-to-one mapping (an array the
 * second run touches maps to itself), functions (a "js" call's work) taken as equal, anything else equal by value;
 * "arrays" when arrays do not correspond, else the two values shown.
 */
function matchArg(x: unknown, y: unknown, m: Mapping): string | null {
  const { mapping, images, secondArrays } = m;
  if (isTypedArray(x) || isTypedArray(y)) {
    if (!isTypedArray(x) || !isTypedArray(y) || x.constructor !== y.constructor || x.length !== y.length) return "arrays";
    const mapped = mapping.get(x);
    if (mapped !== undefined) return mapped === y ? null : "arrays";
    if ((secondArrays.has(x) && x !== y) || images.has(y)) return "arrays";
    mapping.set(x, y);
    images.add(y);
    return null;
  }
  if (typeof x === "function" && typeof y === "function") return null;
  if (Array.isArray(x) && Array.isArray(y) && x.length === y.length) {
    for (let i = 0; i < x.length; i++) {
      const problem = matchArg(x[i], y[i], m);
      if (problem === "arrays") return problem;
      if (problem !== null) return `${show(x)}, then ${show(y)}`;
    }
    return null;
  }
  if (typeof x === "object" && typeof y === "object" && x !== null && y !== null && !Array.isArray(x) && !Array.isArray(y)) {
    const keys = Object.keys(x);
    if (keys.length !== Object.keys(y).length) return `${show(x)}, then ${show(y)}`;
    for (const k of keys) {
      const problem = matchArg((x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k], m);
      if (problem !== null) return problem;
    }
    return null;
  }
  return Object.is(x, y) ? null : `${show(x)}, then ${show(y)}`;
}

function show(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(show).join(",")}]`;
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "object" && v !== null) return "an object";
  return String(v);
}

/** The first element whose bits differ between a and b (arrays of one type and length), or null. */
function firstDifference(a: TypedArray, b: TypedArray): { index: number; replayed: number; eager: number } | null {
  const wa = new Int32Array(a.buffer, a.byteOffset, a.byteLength / 4), wb = new Int32Array(b.buffer, b.byteOffset, b.byteLength / 4);
  const perElement = a.BYTES_PER_ELEMENT / 4;
  for (let i = 0; i < wa.length; i++) {
    if (wa[i] !== wb[i]) {
      const index = Math.floor(i / perElement);
      return { index, replayed: a[index]!, eager: b[index]! };
    }
  }
  return null;
}
