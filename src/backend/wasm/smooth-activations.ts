import type { SmoothActivation } from "../kernels.js";
import type { WasmModule } from "./module.js";
import { allFloat32, type WasmKernelTable } from "./placement.js";

// Op codes: the order of enum Smooth in native/wasm/smooth-activations.cc.
const SMOOTH_OPS: readonly SmoothActivation[] = ["silu", "softplus", "elu", "mish"];
const SMOOTH_CODE = new Map(SMOOTH_OPS.map((op, i) => [op, i]));

interface SmoothExports {
  smooth_activation_f32(op: number, x: number, out: number, deriv: number, n: number, p0: number, p1: number): void;
}

/** smoothActivation (SiLU, Softplus, ELU, Mish and their derivatives) on float32; other dtypes run on js. */
export function wasmSmoothActivations(mod: WasmModule): WasmKernelTable {
  const w = mod.exports as unknown as SmoothExports;
  return {
    smoothActivation: {
      takes: (_op, x, out, deriv) => allFloat32(x, out, deriv),
      run: (place, op, x, out, deriv, p0, p1) =>
        w.smooth_activation_f32(SMOOTH_CODE.get(op)!, place.input(x), place.output(out), deriv ? place.output(deriv) : 0, x.length, p0, p1),
    },
  };
}
