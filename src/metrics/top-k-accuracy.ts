import { DTypeError, IndexError, OptionError, ShapeError, showShape } from "../errors.js";
import type { Tensor } from "../tensor/tensor.js";
import type { Metric } from "./metric.js";

/**
 * Top-k accuracy as a metric for fit (Keras's TopKCategoricalAccuracy on class indices, named
 * `top${k}Accuracy`): the fraction of samples whose target class is among the k highest scores. A
 * class tied with the k-th score counts as in the top k (tf.math.in_top_k's rule).
 * @example mn.train.fit(model, { train, optimizer, epochs: 5, metrics: ["accuracy", mn.metrics.topKAccuracy(5)] })
 * @example mn.metrics.topKAccuracy(3).fn(model.forward(x), y) // 0.98
 */
export function topKAccuracy(k: number): Metric {
  if (!Number.isInteger(k) || k < 1) throw new OptionError({ where: "topKAccuracy", what: "invalid k", expected: "a positive integer", got: String(k) });
  const name = `top${k}Accuracy`;
  return {
    name,
    fn: (output: Tensor, target: Tensor) => {
      if (target.dtype !== "int32") throw new DTypeError({ where: name, what: "target must hold int32 class indices", got: target.dtype });
      const [n, c] = output.shape;
      if (output.ndim !== 2 || target.ndim !== 1 || target.shape[0] !== n) {
        throw new ShapeError({ where: name, what: `output ${showShape(output.shape)} does not match target ${showShape(target.shape)}`, expected: "scores [N, C] and class indices [N]" });
      }
      if (k >= c!) throw new OptionError({ where: name, what: `k = ${k} with ${c} classes is always right`, expected: `k < ${c}` });
      if (n === 0) return NaN;
      const s = output.data, t = target.data;
      let hits = 0;
      for (let i = 0; i < n!; i++) {
        const cls = t[i]!;
        if (!(cls >= 0 && cls < c!)) throw new IndexError({ where: name, what: `sample ${i} has target ${cls}`, expected: `classes in [0, ${c})` });
        const score = s[i * c! + cls]!;
        if (Number.isNaN(score)) continue; // a NaN score ranks nowhere
        let above = 0;
        for (let j = 0; j < c!; j++) if (s[i * c! + j]! > score) above++;
        if (above < k) hits++;
      }
      return hits / n!;
    },
  };
}
