import { OptionError } from "../../errors.js";
import { above, checkOptions, option, positiveInt, required, type OptionsOf } from "../../options.js";
import { allocate } from "../../tensor/dtype.js";
import { defaultGenerator, type Generator } from "../../tensor/random.js";
import { Tensor } from "../../tensor/tensor.js";
import { beta } from "./beta.js";
import { imageBatch, isGenerator } from "./images.js";

const MIX_OPTIONS = {
  /** Number of classes, for the one-hot targets (required). */
  numClasses: required<number>(positiveInt),
  /** The Beta(alpha, alpha) the mixing weight is drawn from (default 1: uniform). */
  alpha: option(1, above(0)),
  /** The stream the draws come from (default: the global one, seeded by mn.manualSeed). */
  generator: option<Generator>(defaultGenerator, isGenerator),
};

/** The options of mixup and cutmix. */
export interface MixOptions extends OptionsOf<typeof MIX_OPTIONS> {}

/** Soft targets λ·onehot(y) + (1 − λ)·onehot(y[partner]), [n, classes], for crossEntropy's probability targets. */
function mixedTargets(where: string, y: Tensor, partner: Int32Array, lambda: number, classes: number, dtype: "float32" | "float64"): Tensor {
  if (y.dtype !== "int32" || y.ndim !== 1) throw new OptionError({ where, what: "targets must be int32 class indices [N]", got: `${y.dtype} [${y.shape}]` });
  const n = y.shape[0]!;
  const out = allocate(dtype, n * classes);
  for (let i = 0; i < n; i++) {
    const a = y.data[i]!, b = y.data[partner[i]!]!;
    if (a < 0 || a >= classes || b < 0 || b >= classes) throw new OptionError({ where, what: `target ${a < 0 || a >= classes ? a : b} is outside the ${classes} classes` });
    out[i * classes + a]! += lambda;
    out[i * classes + b]! += 1 - lambda;
  }
  return new Tensor(out, [n, classes]);
}

function resolve(where: string, x: Tensor, y: Tensor, options: MixOptions) {
  const o = checkOptions(where, options, MIX_OPTIONS);
  if (y.shape[0] !== x.shape[0]) throw new OptionError({ where, what: `${y.shape[0]} targets for a batch of ${x.shape[0]}` });
  return { ...o, partner: o.generator.permutation(x.shape[0]!), lambda: beta(o.generator, o.alpha, o.alpha) };
}

/**
 * mixup (Zhang et al. 2018): each sample blended with a partner from a shuffle of the batch, with one
 * weight λ ~ Beta(alpha, alpha) for the batch: x' = λ·x + (1 − λ)·x[partner], and soft targets mixed the
 * same way. Train on them with crossEntropy(model(x'), y') (probability targets).
 * @example const [xm, ym] = mn.data.transforms.mixup(x, y, { numClasses: 10, alpha: 0.2 });
 */
export function mixup(x: Tensor, y: Tensor, options: MixOptions): [Tensor, Tensor] {
  const { partner, lambda, numClasses } = resolve("mixup", x, y, options);
  if (x.dtype === "int32") imageBatch("mixup", x);
  const row = x.data.length / x.shape[0]!;
  const out = x.data.slice();
  for (let i = 0; i < x.shape[0]!; i++) {
    const a = i * row, b = partner[i]! * row;
    for (let k = 0; k < row; k++) out[a + k] = lambda * x.data[a + k]! + (1 - lambda) * x.data[b + k]!;
  }
  return [new Tensor(out, x.shape), mixedTargets("mixup", y, partner, lambda, numClasses, x.dtype as "float32" | "float64")];
}

/**
 * CutMix (Yun et al. 2019): a box of each image of a batch [N, C, H, W] replaced by the same box of its
 * partner's, the box's area 1 − λ of the image for λ ~ Beta(alpha, alpha), centred uniformly and clipped
 * at the border; the targets weigh the partner's class by the area actually pasted.
 * @example const [xm, ym] = mn.data.transforms.cutmix(x, y, { numClasses: 10 });
 */
export function cutmix(x: Tensor, y: Tensor, options: MixOptions): [Tensor, Tensor] {
  const { partner, lambda, numClasses, generator } = resolve("cutmix", x, y, options);
  const [n, c, h, w] = imageBatch("cutmix", x);
  const cut = Math.sqrt(1 - lambda), bh = Math.floor(h * cut), bw = Math.floor(w * cut);
  const cy = generator.integer(0, h), cx = generator.integer(0, w);
  const y0 = Math.max(0, cy - Math.floor(bh / 2)), y1 = Math.min(h, cy + Math.ceil(bh / 2));
  const x0 = Math.max(0, cx - Math.floor(bw / 2)), x1 = Math.min(w, cx + Math.ceil(bw / 2));
  const out = x.data.slice();
  for (let b = 0; b < n; b++) {
    for (let ch = 0; ch < c; ch++) {
      const dst = (b * c + ch) * h * w, src = (partner[b]! * c + ch) * h * w;
      for (let i = y0; i < y1; i++) out.set(x.data.subarray(src + i * w + x0, src + i * w + x1), dst + i * w + x0);
    }
  }
  const kept = 1 - ((y1 - y0) * (x1 - x0)) / (h * w);
  return [new Tensor(out, x.shape), mixedTargets("cutmix", y, partner, kept, numClasses, x.dtype as "float32" | "float64")];
}
