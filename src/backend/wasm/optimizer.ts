import type { WasmModule } from "./module.js";
import { allFloat32, type WasmKernelTable } from "./placement.js";

/** The rules native/src/optim-loops.h fuses, in the order of its table (native/wasm/optim.cc indexes it). */
const RULES = ["SGD", "Adam", "AdamW", "RMSprop", "Adagrad"];
const RULE_INDEX = new Map(RULES.map((r, i) => [r, i]));

interface OptimizerExports {
  optimizer_step_f32(rule: number, p: number, g: number, b0: number, b1: number, b2: number, k: number, count: number, n: number): number;
}

/**
 * optimizerStep on the native backend's fused loops, for float32 parameters of the rules it fuses (every operation in
 * float32, as torch and the native backend compute it); other rules and dtypes return false and run their own loop.
 */
export function wasmOptimizer(mod: WasmModule): WasmKernelTable {
  const w = mod.exports as unknown as OptimizerExports;
  return {
    optimizerStep: {
      takes: (rule, p, g, buffers) => RULE_INDEX.has(rule) && allFloat32(p, g, ...buffers),
      run(place, rule, p, g, buffers, coefficients) {
        const k = coefficients instanceof Float64Array ? coefficients : Float64Array.from(coefficients);
        const b = [0, 1, 2].map((j) => (buffers[j] ? place.update(buffers[j]!) : 0));
        return w.optimizer_step_f32(RULE_INDEX.get(rule)!, place.update(p), place.input(g), b[0]!, b[1]!, b[2]!, place.input(k), k.length, p.length) === 1;
      },
    },
  };
}
