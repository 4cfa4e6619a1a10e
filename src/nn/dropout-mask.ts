import { empty } from "../autograd/ops/util.js";
import { hostOp } from "../backend/capture/record.js";
import type { DType } from "../tensor/dtype.js";
import type { Generator } from "../tensor/random.js";
import type { Tensor } from "../tensor/tensor.js";

/**
 * A new mask for inverted dropout: each element 0 with probability p, else 1/(1 − p), drawn from generator in
 * order. Drawn by a host op, so a captured step (mn.compile) draws a fresh mask from the same stream at each replay,
 * the numbers eager steps would draw, in the same order.
 */
export function dropoutMask(shape: readonly number[], dtype: DType, p: number, generator: Generator): Tensor {
  const mask = empty(shape, dtype), data = mask.data, scale = 1 / (1 - p);
  hostOp(() => {
    for (let i = 0; i < data.length; i++) data[i] = generator.random() < p ? 0 : scale;
  }, {
    writes: () => [data],
    save: () => {
      const state = generator.getState();
      return () => generator.setState(state);
    },
  });
  return mask;
}
