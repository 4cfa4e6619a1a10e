import type { FloatArray } from "../../tensor/dtype.js";
import { jsKernels } from "../js/index.js";
import type { Kernels } from "../kernels.js";

/** GroupNorm's and LayerNorm's kernels, which the addon (native/src/normalize-groups.cc) exports with the contract's arguments. */
export type NormalizeGroupsKernel = "normalizeGroupsForward" | "normalizeGroupsBackward";

/** True when every array present has x's float dtype: the addon takes one dtype per call. */
export const oneDtype = (x: FloatArray, ...others: (FloatArray | null)[]) => others.every((a) => a === null || a.constructor === x.constructor);

/** The addon's kernels where x, its gradient and the affine parameters share a dtype; mixed dtypes run on js. */
export function nativeNormalizeGroups(k: Pick<Kernels, NormalizeGroupsKernel>): Pick<Kernels, NormalizeGroupsKernel> {
  return {
    normalizeGroupsForward(x, n, groups, cpg, spatial, weight, bias, eps, mean, invstd, out) {
      const kernels = oneDtype(x, weight, bias, out) ? k : jsKernels;
      kernels.normalizeGroupsForward(x, n, groups, cpg, spatial, weight, bias, eps, mean, invstd, out);
    },
    normalizeGroupsBackward(gy, x, n, groups, cpg, spatial, weight, mean, invstd, gx, gWeight, gBias) {
      const kernels = oneDtype(x, gy, weight, gx) ? k : jsKernels;
      kernels.normalizeGroupsBackward(gy, x, n, groups, cpg, spatial, weight, mean, invstd, gx, gWeight, gBias);
    },
  };
}
