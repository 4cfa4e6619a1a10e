import { allocate, type DType } from "../../tensor/dtype.js";
import { Tensor } from "../../tensor/tensor.js";
import { record } from "../tape.js";

/**
 * A copy of x in another dtype (or the same, when `copy`). Its gradient converts back, so
 * mixing float32 and float64 in one graph gives each leaf a gradient of its own dtype.
 * Casting to int32 truncates toward zero, as torch does.
 */
export function convert(x: Tensor, dtype: DType, copy: boolean): Tensor {
  if (x.dtype === dtype && !copy) return x;
  const data = allocate(dtype, x.data.length);
  if (dtype === "int32") for (let i = 0; i < data.length; i++) data[i] = Math.trunc(x.data[i]!);
  else data.set(x.data);
  const out = new Tensor(data, x.shape);
  if (dtype === "int32") return out;
  return record(out, "convert", [x], (gy) => [convert(gy, x.dtype, false)]);
}
