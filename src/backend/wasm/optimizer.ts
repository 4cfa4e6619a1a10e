import type { WasmModule } from "./module.js";
import { allFloat32, type WasmKernelSet } from "./kernel.js";

/** The rules native/src/optim-loops.h fuses, in the order of its table (native/wasm/optim.cc indexes it). */
const RULES = ["SGD", "Adam", "AdamW", "RMSprop", "Adagrad"];
const RULE_INDEX = new Map(RULES.map((r, i) => [r, i]));

interface OptimizerExports {
  optimizer_step_f32(rule: number, p: number, g: number, b0: number, b1: number, b2: number, k: number, count: number, n: number): number;
}
const w = (mod: WasmModule) => mod.exports as unknown as OptimizerExports;

/**
 * optimizerStep on the native backend's fused loops, for float32 parameters of the rules it fuses (every operation in
 * float32, as torch and the native backend compute it); other rules and dtypes return false and run their own loop.
 */
export const optimizerKernels: WasmKernelSet = {
  optimizerStep: {
    takes: (rule, p, g, buffers) => RULE_INDEX.has(rule) && allFloat32(p, g, ...buffers),
    run(mod, io, rule, p, g, buffers, coefficients) {
      const k = coefficients instanceof Float64Array ? coefficients : Float64Array.from(coefficients);
      const b = [0, 1, 2].map((j) => (buffers[j] ? io.update(buffers[j]!) : 0));
      return w(mod).optimizer_step_f32(RULE_INDEX.get(rule)!, io.update(p), io.read(g), b[0]!, b[1]!, b[2]!, io.read(k), k.length, p.length) === 1;
    },
  },
};
