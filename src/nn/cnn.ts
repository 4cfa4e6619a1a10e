import { OptionError } from "../errors.js";
import type { FloatDType } from "../tensor/dtype.js";
import { ReLU } from "./activation.js";
import { Conv2d } from "./conv.js";
import { Dropout } from "./dropout.js";
import { BatchNorm1d, BatchNorm2d } from "./batch-norm.js";
import { Flatten } from "./flatten.js";
import { Linear } from "./linear.js";
import type { Module } from "./module.js";
import { checkDropout } from "./mlp.js";
import { MaxPool2d } from "./pool.js";
import { Sequential } from "./sequential.js";

export interface CNNOptions {
  /** [channels, height, width] of one input image. */
  inputShape: readonly [number, number, number];
  /** Output channels of each conv block (conv3x3 → ReLU → maxpool 2), in order (default [32, 64]). */
  channels?: readonly number[];
  /** Widths of the dense hidden layers after the conv blocks (default [128]). */
  hidden?: readonly number[];
  outputs: number;
  /** Dropout probability after each dense hidden layer's ReLU (default 0: no Dropout layers at all). */
  dropout?: number;
  /** BatchNorm2d after each conv and BatchNorm1d after each dense hidden layer, before the ReLU (default false). */
  batchNorm?: boolean;
  dtype?: FloatDType;
}

/**
 * A small convolutional classifier: per entry of channels, Conv2d 3x3 (no padding) → ReLU → MaxPool2d 2;
 * then Flatten → (Linear → ReLU [→ Dropout]) per hidden width → Linear. The defaults give the network
 * of the benchmarks (28x28 → 26 → 13 → 11 → 5: conv 32, conv 64, dense 128, dense 10). Dropout goes
 * on the dense layers only, where most of the weights are; the conv blocks share theirs spatially.
 * With batchNorm, each conv and dense hidden layer is normalized before its ReLU (Ioffe & Szegedy).
 * @example const model = mn.nn.cnn({ inputShape: [1, 28, 28], outputs: 10 });
 */
export function cnn(options: CNNOptions): Sequential {
  const { inputShape, channels = [32, 64], hidden = [128], outputs, dropout = 0, batchNorm = false, dtype = "float32" } = options;
  checkDropout("cnn", dropout);
  let [c, h, w] = inputShape;
  const layers: Module[] = [];
  for (const out of channels) {
    h = Math.floor((h - 2) / 2);
    w = Math.floor((w - 2) / 2);
    if (h < 1 || w < 1) {
      throw new OptionError({ where: "cnn", what: `${channels.length} conv blocks shrink the ${inputShape[1]}x${inputShape[2]} input below 1x1`, expected: "fewer channels entries or larger images" });
    }
    layers.push(new Conv2d(c, out, 3, { dtype }), ...(batchNorm ? [new BatchNorm2d(out, { dtype })] : []), new ReLU(), new MaxPool2d(2));
    c = out;
  }
  layers.push(new Flatten());
  const widths = [c * h * w, ...hidden, outputs];
  for (let i = 0; i + 1 < widths.length; i++) {
    layers.push(new Linear(widths[i]!, widths[i + 1]!, { dtype }));
    if (i + 2 < widths.length && batchNorm) layers.push(new BatchNorm1d(widths[i + 1]!, { dtype }));
    if (i + 2 < widths.length) layers.push(new ReLU());
    if (i + 2 < widths.length && dropout > 0) layers.push(new Dropout(dropout));
  }
  return new Sequential(...layers);
}
