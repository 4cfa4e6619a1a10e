import type * as mn from "../../src/index.node.js";
import { assertTensorClose, type TensorEntry, type Tolerance } from "./fixtures.js";

export type FloatDType = "float32" | "float64";

/** "torch 1.13": the reference test names give, from a fixture's torch version. */
export const torchRef = (fixture: { torch: unknown }): string => `torch ${String(fixture.torch).split(".").slice(0, 2).join(".")}`;

/** The bar, rtol 1e-5 (float32) or 1e-10 (float64), with that much of the tensor's largest |element| as an absolute floor: entries near 0 come from cancellation. */
export function parityTolerance(dtype: FloatDType, e: TensorEntry): Tolerance {
  const rtol = dtype === "float32" ? 1e-5 : 1e-10;
  return { rtol, atol: rtol * Math.max(0, ...e.data.map(Math.abs)) };
}

/** assertTensorClose at the bar for dtype. */
export function assertParity(actual: mn.Tensor | null | undefined, e: TensorEntry, dtype: FloatDType, label: string): void {
  assertTensorClose(actual, e, parityTolerance(dtype, e), label);
}
