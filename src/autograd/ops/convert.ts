import { inPlan } from "../../backend/capture/record.js";
import { allocate, type DType } from "../../tensor/dtype.js";
import { Tensor } from "../../tensor/tensor.js";
import { record } from "../tape.js";

/**
 * A copy of x in another dtype (or the same, when `copy`). Its gradient converts back, so
 * mixing float32 and float64 in one graph gives each leaf a gradient of its own dtype.
 * Casting to int32 truncates toward zero, as torch does. The copy is JavaScript, so a captured step
 * (mn.compile) redoes it in its place on every replay.
 */
export function convert(x: Tensor, dtype: DType, copy: boolean): Tensor {
  if (x.dtype === dtype && !copy) return x;
  const data = allocate(dtype, x.data.length), source = x.data;
  inPlan(`a copy to ${dtype}`, () => {
    if (dtype === "int32") for (let i = 0; i < data.length; i++) data[i] = Math.trunc(source[i]!);
    else data.set(source);
  }, [source, data]);
  const out = new Tensor(data, x.shape);
  if (dtype === "int32") return out;
  return record(out, "convert", [x], (gy) => [convert(gy, x.dtype, false)]);
}
