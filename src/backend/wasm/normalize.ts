import type { WasmModule } from "./module.js";
import { allFloat32, type WasmKernelTable } from "./placement.js";

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

/** Batch norm's three kernels and GroupNorm/LayerNorm's two where x and its companions are float32 (statistics float64). */
export function wasmNormalize(mod: WasmModule): WasmKernelTable {
  const w = mod.exports as unknown as NormalizeExports;
  return {
    batchNormStats: {
      sameAsJs: exact,
      takes: (x) => allFloat32(x),
      run: (place, x, n, c, s, mean, variance) => w.batch_norm_stats_f32(place.input(x), n, c, s, place.output(mean), place.output(variance)),
    },
    batchNormForward: {
      sameAsJs: exact,
      takes: (x, _n, _c, _s, _mean, _invstd, weight, bias, out) => allFloat32(x, weight, bias, out),
      run: (place, x, n, c, s, mean, invstd, weight, bias, out) =>
        w.batch_norm_forward_f32(place.input(x), n, c, s, place.input(mean), place.input(invstd), weight ? place.input(weight) : 0,
          bias ? place.input(bias) : 0, place.output(out)),
    },
    batchNormBackward: {
      sameAsJs: exact,
      takes: (gy, x, _n, _c, _s, _mean, _invstd, weight, _training, gx, gWeight, gBias) => allFloat32(gy, x, weight, gx, gWeight, gBias),
      run: (place, gy, x, n, c, s, mean, invstd, weight, training, gx, gWeight, gBias) =>
        w.batch_norm_backward_f32(place.input(gy), place.input(x), n, c, s, place.input(mean), place.input(invstd), weight ? place.input(weight) : 0,
          training ? 1 : 0, gx ? place.output(gx) : 0, gWeight ? place.output(gWeight) : 0, gBias ? place.output(gBias) : 0),
    },
    normalizeGroupsForward: {
      sameAsJs: exact,
      takes: (x, _n, _g, _cpg, _sp, weight, bias, _eps, _mean, _invstd, out) => allFloat32(x, weight, bias, out),
      run: (place, x, n, groups, cpg, spatial, weight, bias, eps, mean, invstd, out) =>
        w.normalize_groups_forward_f32(place.input(x), n, groups, cpg, spatial, weight ? place.input(weight) : 0, bias ? place.input(bias) : 0,
          eps, place.output(mean), place.output(invstd), place.output(out)),
    },
    normalizeGroupsBackward: {
      sameAsJs: exact,
      takes: (gy, x, _n, _g, _cpg, _sp, weight, _mean, _invstd, gx) => allFloat32(gy, x, weight, gx),
      run: (place, gy, x, n, groups, cpg, spatial, weight, mean, invstd, gx, gWeight, gBias) =>
        w.normalize_groups_backward_f32(place.input(gy), place.input(x), n, groups, cpg, spatial, weight ? place.input(weight) : 0,
          place.input(mean), place.input(invstd), gx ? place.output(gx) : 0, place.output(gWeight), place.output(gBias)),
    },
  };
}
