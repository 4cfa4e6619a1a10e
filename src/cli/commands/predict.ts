import { Argument, Command } from "commander";
import { noGrad } from "../../autograd/no-grad.js";
import { cat } from "../../autograd/ops/indexing.js";
import { softmax } from "../../autograd/ops/softmax.js";
import { decodeIdxFile } from "../../data/formats/idx-file.js";
import { preprocess } from "../../data/preprocessing.js";
import { DataFormatError, OptionError, showShape } from "../../errors.js";
import { readRegularFile } from "../../read-file.js";
import { Tensor } from "../../tensor/tensor.js";
import { loadModelArgument } from "../model-file.js";
import { describeModel } from "../models.js";
import { integer, path, pathList } from "../parse.js";

type ImageFromPng = typeof import("../../data/formats/png-image.js").imageFromPng;

interface PredictFlags {
  top?: number;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** `minima predict <model> <inputs…>`: each input's most probable classes, with their probabilities. */
export function predictCommand(): Command {
  return new Command("predict")
    .description("classify PNG images or IDX files of images with a model file, preprocessed as the file records; prints each input's most probable classes and their probabilities")
    .addArgument(new Argument("<model>", "a model.safetensors, or a run folder written by minima train").argParser(path("a model file or run folder")))
    .addArgument(new Argument("<inputs...>", "PNG images of the model's size (grey, RGB or with alpha), or IDX files of images (raw or .gz)").argParser(pathList("PNG or IDX files")))
    .option("--top <k>", "how many classes to show per input, most probable first (default 3; the number of classes shows all)", integer(1))
    .action(async (arg: string, inputs: string[], flags: PredictFlags) => {
      // Loaded only here: fast-png and fflate, loaded with every command, made an MLP epoch of minima train ~5% slower (measured).
      const { imageFromPng } = await import("../../data/formats/png-image.js");
      for (const line of predict(arg, inputs, flags, imageFromPng)) console.log(line);
    });
}

function predict(arg: string, inputs: string[], flags: PredictFlags, imageFromPng: ImageFromPng): string[] {
  const { model, spec, preprocessing, classes, path } = loadModelArgument(arg, "predict");
  if (flags.top !== undefined && flags.top > classes.length) {
    throw new OptionError({ where: "--top", what: `the model has ${classes.length} classes`, expected: `at most ${classes.length}`, got: String(flags.top) });
  }
  const top = flags.top ?? Math.min(3, classes.length);
  const names: string[] = [], batches: Tensor[] = [];
  for (const file of inputs) {
    // Only regular files, read once: a folder, a FIFO or /dev/zero is refused by name.
    const bytes = readRegularFile(file, "predict");
    if (PNG_SIGNATURE.every((b, i) => bytes[i] === b)) {
      batches.push(pngSample(bytes, file, preprocessing.inputShape, imageFromPng));
      names.push(file);
    } else {
      const idxOrGzip = (bytes[0] === 0 && bytes[1] === 0) || (bytes[0] === 0x1f && bytes[1] === 0x8b);
      if (!idxOrGzip) throw new DataFormatError({ where: "predict", what: `${file} is neither a PNG image nor an IDX file (raw or gzipped)` });
      const x = idxSamples(bytes, file, preprocessing.inputShape);
      batches.push(x);
      for (let i = 0; i < x.shape[0]!; i++) names.push(`${file}[${i}]`);
    }
  }
  const x = preprocess(preprocessing, cat(batches, 0));
  const probabilities = noGrad(() => {
    const out: Tensor[] = [];
    for (let i = 0; i < x.shape[0]!; i += 1000) out.push(softmax(model.forward(x.narrow(0, i, Math.min(1000, x.shape[0]! - i))), 1));
    return cat(out, 0);
  });
  const lines = [`minima predict: ${path} (${describeModel(spec)}); ${names.length} input${names.length === 1 ? "" : "s"}, the ${top} most probable of ${classes.length} classes each`];
  const p = probabilities.data, c = classes.length;
  for (let n = 0; n < names.length; n++) {
    const order = classes.map((_, k) => k).sort((a, b) => p[n * c + b]! - p[n * c + a]! || a - b).slice(0, top);
    lines.push(`${names[n]}: ${order.map((k) => `${classes[k]} ${(100 * p[n * c + k]!).toFixed(2)}%`).join(", ")}`);
  }
  return lines;
}

/**
 * One PNG as a batch of one sample of the model's shape [C, H, W]. A PNG of another size is refused,
 * not resized: the model learned from images framed one way (MNIST's digits fill a centred 20x20 box
 * of 28x28), and a resized image framed otherwise gives confident wrong answers.
 */
function pngSample(bytes: Uint8Array, file: string, inputShape: number[], imageFromPng: ImageFromPng): Tensor {
  const [c, h, w] = inputShape as [number, number, number];
  if (inputShape.length !== 3 || (c !== 1 && c !== 3)) {
    throw new OptionError({ where: "predict", what: `${file} is an image, but the model takes samples of shape ${showShape(inputShape)}`, expected: "IDX files of such samples" });
  }
  const image = imageFromPng(bytes, { channels: c, where: file });
  const [, ih, iw] = image.shape as [number, number, number];
  if (ih !== h || iw !== w) {
    throw new OptionError({ where: "predict", what: `${file} is ${iw}x${ih} pixels, the model takes ${w}x${h} images (minima does not resize: crop or scale it to ${w}x${h} the way the training images were framed)` });
  }
  return image.unsqueeze(0);
}

/** An IDX file's images as samples of the model's shape: bytes k become k/255 as the IDX loaders read them; [N, H, W] gains its channel for [1, H, W]. */
function idxSamples(bytes: Uint8Array, file: string, inputShape: number[]): Tensor {
  const t = decodeIdxFile(bytes, file);
  const fits = (shape: number[]) => showShape(shape) === showShape(inputShape);
  const sample = t.shape.slice(1);
  const shape = fits(sample) ? t.shape : inputShape[0] === 1 && fits([1, ...sample]) ? [t.shape[0]!, 1, ...sample] : null;
  if (!shape) {
    throw new OptionError({ where: "predict", what: `${file} does not hold samples the model takes`, expected: `[N,${inputShape.join(",")}]${inputShape[0] === 1 ? ` or [N,${inputShape.slice(1).join(",")}]` : ""}`, got: `${t.dtype} ${showShape(t.shape)}` });
  }
  if (t.dtype !== "int32") return new Tensor(t.data, shape);
  const k = t.data, x = new Float32Array(k.length);
  for (let i = 0; i < k.length; i++) x[i] = k[i]! / 255;
  return new Tensor(x, shape);
}
