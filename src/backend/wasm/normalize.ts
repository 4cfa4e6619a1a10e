import type { WasmModule } from "./module.js";
import { allFloat32, type WasmKernelSet } from "./kernel.js";

/** Every sum and the normalization in double, in js's order: js's bits. */
const exact = () => true;

interface NormalizeExports {
  batch_norm_stats_f32(x: number, n: number, c: number, s: number, mean: number, variance: number): void;
  batch_norm_forward_f32(x: number, n: number, c: number, s: number, mean: number, invstd: number, weight: number, bias: number, out: number): void;
  batch_norm_backward_f32(gy: number, x: number, n: number, c: number, s: number, mean: number, invstd: number, weight: number,
    training: number, gx: number, gWeight: number, gBias: number): void;
  normalize_groups_forward_f32(x: number, n: number, groups: number, cpg: number, spatial: number, weight: number, bias: number,
    eps: number, mean: number, invstd: number, out: number): void;
  normalize_groups_backward_f32(gy: number, x: number, n: number, groups: number, cpg: number, spatial: number, weight: number,
    mean: number, invstd: number, gx: number, gWeight: number, gBias: number): void;
}
const w = (mod: WasmModule) => mod.exports as unknown as NormalizeExports;

/** Batch norm's three kernels and GroupNorm/LayerNorm's two where x and its companions are float32 (statistics float64). */
export const normalizeKernels: WasmKernelSet = {
  batchNormStats: {
    sameAsJs: exact,
    takes: (x) => allFloat32(x),
    run: (mod, io, x, n, c, s, mean, variance) => w(mod).batch_norm_stats_f32(io.read(x), n, c, s, io.write(mean), io.write(variance)),
  },
  batchNormForward: {
    sameAsJs: exact,
    takes: (x, _n, _c, _s, _mean, _invstd, weight, bias, out) => allFloat32(x, weight, bias, out),
    run: (mod, io, x, n, c, s, mean, invstd, weight, bias, out) =>
      w(mod).batch_norm_forward_f32(io.read(x), n, c, s, io.read(mean), io.read(invstd), weight ? io.read(weight) : 0,
        bias ? io.read(bias) : 0, io.write(out)),
  },
  batchNormBackward: {
    sameAsJs: exact,
    takes: (gy, x, _n, _c, _s, _mean, _invstd, weight, _training, gx, gWeight, gBias) => allFloat32(gy, x, weight, gx, gWeight, gBias),
    run: (mod, io, gy, x, n, c, s, mean, invstd, weight, training, gx, gWeight, gBias) =>
      w(mod).batch_norm_backward_f32(io.read(gy), io.read(x), n, c, s, io.read(mean), io.read(invstd), weight ? io.read(weight) : 0,
        training ? 1 : 0, gx ? io.write(gx) : 0, gWeight ? io.write(gWeight) : 0, gBias ? io.write(gBias) : 0),
  },
  normalizeGroupsForward: {
    sameAsJs: exact,
    takes: (x, _n, _g, _cpg, _sp, weight, bias, _eps, _mean, _invstd, out) => allFloat32(x, weight, bias, out),
    run: (mod, io, x, n, groups, cpg, spatial, weight, bias, eps, mean, invstd, out) =>
      w(mod).normalize_groups_forward_f32(io.read(x), n, groups, cpg, spatial, weight ? io.read(weight) : 0, bias ? io.read(bias) : 0,
        eps, io.write(mean), io.write(invstd), io.write(out)),
  },
  normalizeGroupsBackward: {
    sameAsJs: exact,
    takes: (gy, x, _n, _g, _cpg, _sp, weight, _mean, _invstd, gx) => allFloat32(gy, x, weight, gx),
    run: (mod, io, gy, x, n, groups, cpg, spatial, weight, mean, invstd, gx, gWeight, gBias) =>
      w(mod).normalize_groups_backward_f32(io.read(gy), io.read(x), n, groups, cpg, spatial, weight ? io.read(weight) : 0,
        io.read(mean), io.read(invstd), gx ? io.write(gx) : 0, io.write(gWeight), io.write(gBias)),
  },
};
