import type { SmoothActivation } from "../kernels.js";
import type { WasmModule } from "./module.js";
import { allFloat32, type WasmKernelSet } from "./kernel.js";

// Op codes: the order of enum Smooth in native/wasm/smooth-activations.cc.
const SMOOTH_OPS: readonly SmoothActivation[] = ["silu", "softplus", "elu", "mish"];
const SMOOTH_CODE = new Map(SMOOTH_OPS.map((op, i) => [op, i]));

interface SmoothExports {
  smooth_activation_f32(op: number, x: number, out: number, deriv: number, n: number, p0: number, p1: number): void;
}
const w = (mod: WasmModule) => mod.exports as unknown as SmoothExports;

/** smoothActivation (SiLU, Softplus, ELU, Mish and their derivatives) on float32; other dtypes run on js. */
export const smoothActivationKernels: WasmKernelSet = {
  smoothActivation: {
    takes: (_op, x, out, deriv) => allFloat32(x, out, deriv),
    run: (mod, io, op, x, out, deriv, p0, p1) =>
      w(mod).smooth_activation_f32(SMOOTH_CODE.get(op)!, io.read(x), io.write(out), deriv ? io.write(deriv) : 0, x.length, p0, p1),
  },
};
