import { describe } from "node:test";
import * as mn from "../../../src/index.node.js";
import { testErrorCases } from "../../helpers/error-cases.js";

// Every message the new losses and the loss modules give, on its exact text.
const F = mn.nn.functional;
const f32 = (values: number[], shape?: number[]) => (shape ? mn.tensor(values).reshape(shape) : mn.tensor(values));
const p24 = () => f32([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8], [2, 4]);

describe("binaryCrossEntropy and binaryCrossEntropyWithLogits: bad inputs", () => {
  testErrorCases([
    ["a probability above 1 is refused, naming its index",
      () => F.binaryCrossEntropy(f32([0.2, 1.5, 0.5, 0.5], [2, 2]), f32([0, 1, 1, 0], [2, 2])),
      "binaryCrossEntropy: input holds a value outside [0, 1]; expected probabilities (for logits, use binaryCrossEntropyWithLogits), got 1.5 at [0,1]"],
    ["a negative probability is refused",
      () => F.binaryCrossEntropy(f32([0.5, -0.25]), f32([1, 0])),
      "binaryCrossEntropy: input holds a value outside [0, 1]; expected probabilities (for logits, use binaryCrossEntropyWithLogits), got -0.25 at [1]"],
    ["a target outside [0, 1] is refused",
      () => F.binaryCrossEntropy(f32([0.5, 0.5, 0.5]), f32([1, 0, 2])),
      "binaryCrossEntropy: target holds a value outside [0, 1]; expected probabilities, got 2 at [2]"],
    ["a target outside [0, 1] is refused on logits too (−1/1 labels are a common slip)",
      () => F.binaryCrossEntropyWithLogits(f32([3, -2]), f32([1, -1])),
      "binaryCrossEntropyWithLogits: target holds a value outside [0, 1]; expected probabilities, got -1 at [1]"],
    ["a target of another shape is refused, not broadcast ([4,1] against [4])",
      () => F.binaryCrossEntropy(f32([0.1, 0.2, 0.3, 0.4], [4, 1]), f32([0, 1, 1, 0])),
      "binaryCrossEntropy: input [4,1] and target [4] differ in shape"],
    ["logits and a target of another shape",
      () => F.binaryCrossEntropyWithLogits(f32([1, 2, 3, 4], [2, 2]), f32([0, 1, 1, 0], [4, 1])),
      "binaryCrossEntropyWithLogits: input [2,2] and target [4,1] differ in shape"],
    ["int32 labels as the target",
      () => F.binaryCrossEntropyWithLogits(f32([1, 2]), mn.tensor([0, 1], { dtype: "int32" })),
      "binaryCrossEntropyWithLogits: target must be a floating-point tensor; expected float32 or float64, got int32"],
    ["a float64 target for a float32 input",
      () => F.binaryCrossEntropy(f32([0.5, 0.5]), mn.tensor([0, 1], { dtype: "float64" })),
      "binaryCrossEntropy: target and input differ in dtype; expected float32 (the input's), got float64"],
    ["a weight that does not broadcast to the input",
      () => F.binaryCrossEntropy(p24(), p24(), { weight: f32([1, 2, 3]) }),
      "binaryCrossEntropy: weight of shape [3] does not broadcast to input [2,4]"],
    ["a weight that would grow the input ([3,2,4] against [2,4])",
      () => F.binaryCrossEntropyWithLogits(p24(), p24(), { weight: mn.ones([3, 2, 4]) }),
      "binaryCrossEntropyWithLogits: weight of shape [3,2,4] does not broadcast to input [2,4]"],
    ["a posWeight with one value per sample instead of per class",
      () => F.binaryCrossEntropyWithLogits(p24(), p24(), { posWeight: f32([1, 2]) }),
      "binaryCrossEntropyWithLogits: posWeight of shape [2] does not broadcast to input [2,4]"],
    ["a posWeight given as a number",
      () => F.binaryCrossEntropyWithLogits(p24(), p24(), { posWeight: 3 as unknown as mn.Tensor }),
      "binaryCrossEntropyWithLogits: invalid posWeight; expected a tensor, got 3"],
    ["torch's spelling pos_weight",
      () => F.binaryCrossEntropyWithLogits(p24(), p24(), { pos_weight: f32([2]) } as never),
      "binaryCrossEntropyWithLogits: unknown option \"pos_weight\" — did you mean \"posWeight\"?; expected one of reduction, weight, posWeight"],
    ["an unknown reduction",
      () => F.binaryCrossEntropy(p24(), p24(), { reduction: "batchmean" as never }),
      "binaryCrossEntropy: invalid reduction; expected one of \"mean\", \"sum\", \"none\", got \"batchmean\""],
  ]);
});

describe("l1Loss, smoothL1Loss, huberLoss: bad inputs", () => {
  testErrorCases([
    ["l1Loss: a target of another shape", () => F.l1Loss(f32([1, 2, 3]), f32([1, 2, 3], [3, 1])),
      "l1Loss: input [3] and target [3,1] differ in shape"],
    ["l1Loss: an int32 input", () => F.l1Loss(mn.tensor([1, 2], { dtype: "int32" }), f32([1, 2])),
      "l1Loss: input must be a floating-point tensor; expected float32 or float64, got int32"],
    ["smoothL1Loss: a negative beta", () => F.smoothL1Loss(f32([1]), f32([2]), { beta: -1 }),
      "smoothL1Loss: invalid beta; expected a number ≥ 0, got -1"],
    ["smoothL1Loss: a target of another shape", () => F.smoothL1Loss(f32([1, 2]), f32([1])),
      "smoothL1Loss: input [2] and target [1] differ in shape"],
    ["huberLoss: delta 0", () => F.huberLoss(f32([1]), f32([2]), { delta: 0 }),
      "huberLoss: invalid delta; expected a number > 0, got 0"],
    ["huberLoss: torch's beta, which is smoothL1Loss's", () => F.huberLoss(f32([1]), f32([2]), { beta: 1 } as never),
      "huberLoss: unknown option \"beta\" — did you mean \"delta\"?; expected one of reduction, delta"],
  ]);
});

describe("klDiv: bad inputs", () => {
  testErrorCases([
    ["a misspelt batchmean", () => F.klDiv(p24(), p24(), { reduction: "batchMean" as never }),
      "klDiv: invalid reduction; expected one of \"mean\", \"batchmean\", \"sum\", \"none\", got \"batchMean\""],
    ["logTarget as a string", () => F.klDiv(p24(), p24(), { logTarget: "true" as never }),
      "klDiv: invalid logTarget; expected true or false, got \"true\""],
    ["torch's log_target", () => F.klDiv(p24(), p24(), { log_target: true } as never),
      "klDiv: unknown option \"log_target\" — did you mean \"logTarget\"?; expected one of reduction, logTarget"],
    ["a target of another shape", () => F.klDiv(p24(), f32([0.5, 0.5])),
      "klDiv: input [2,4] and target [2] differ in shape"],
  ]);
});

describe("cosineEmbeddingLoss: bad inputs", () => {
  const a = () => mn.ones([3, 5]);
  testErrorCases([
    ["a 0/1 label where torch wants ±1", () => F.cosineEmbeddingLoss(a(), a(), f32([1, 0, -1])),
      "cosineEmbeddingLoss: target holds a label other than ±1; expected 1 (a similar pair) or -1 (a dissimilar one), got 0 at [1]"],
    ["an int32 label 2", () => F.cosineEmbeddingLoss(a(), a(), mn.tensor([1, -1, 2], { dtype: "int32" })),
      "cosineEmbeddingLoss: target holds a label other than ±1; expected 1 (a similar pair) or -1 (a dissimilar one), got 2 at [2]"],
    ["a target with one label too many", () => F.cosineEmbeddingLoss(a(), a(), f32([1, -1, 1, 1])),
      "cosineEmbeddingLoss: target of shape [4] does not match inputs [3,5]; expected [3]"],
    ["one pair with a [1] target instead of a 0-d one", () => F.cosineEmbeddingLoss(mn.ones([5]), mn.ones([5]), f32([1])),
      "cosineEmbeddingLoss: target of shape [1] does not match inputs [5]; expected []"],
    ["inputs of different widths", () => F.cosineEmbeddingLoss(a(), mn.ones([3, 4]), f32([1, 1, 1])),
      "cosineEmbeddingLoss: input1 [3,5] and input2 [3,4] differ in shape"],
    ["3-D inputs", () => F.cosineEmbeddingLoss(mn.ones([2, 3, 4]), mn.ones([2, 3, 4]), f32([1, 1])),
      "cosineEmbeddingLoss: inputs must be [batch, features] or one pair [features], got [2,3,4]"],
    ["a margin no cosine can reach", () => F.cosineEmbeddingLoss(a(), a(), f32([1, 1, 1]), { margin: 2 }),
      "cosineEmbeddingLoss: invalid margin; expected a number in [-1, 1], got 2"],
  ]);
});

describe("loss modules: options are checked when the module is built, under its class name", () => {
  testErrorCases([
    ["SmoothL1Loss: a negative beta", () => new mn.nn.SmoothL1Loss({ beta: -1 }),
      "SmoothL1Loss: invalid beta; expected a number ≥ 0, got -1"],
    ["BCEWithLogitsLoss: pos_weight pasted from PyTorch", () => new mn.nn.BCEWithLogitsLoss({ pos_weight: f32([3]) } as never),
      "BCEWithLogitsLoss: unknown option \"pos_weight\" — did you mean \"posWeight\"?; expected one of reduction, weight, posWeight"],
    ["CrossEntropyLoss: label_smoothing pasted from PyTorch", () => new mn.nn.CrossEntropyLoss({ label_smoothing: 0.1 } as never),
      "CrossEntropyLoss: unknown option \"label_smoothing\" — did you mean \"labelSmoothing\"?; expected one of reduction, labelSmoothing"],
    ["KLDivLoss: an unknown reduction", () => new mn.nn.KLDivLoss({ reduction: "avg" as never }),
      "KLDivLoss: invalid reduction; expected one of \"mean\", \"batchmean\", \"sum\", \"none\", got \"avg\""],
    ["HuberLoss: a negative delta", () => new mn.nn.HuberLoss({ delta: -2 }),
      "HuberLoss: invalid delta; expected a number > 0, got -2"],
    ["CosineEmbeddingLoss: margin -1.5", () => new mn.nn.CosineEmbeddingLoss({ margin: -1.5 }),
      "CosineEmbeddingLoss: invalid margin; expected a number in [-1, 1], got -1.5"],
    ["BCELoss: a weight given as an array", () => new mn.nn.BCELoss({ weight: [1, 2] as never }),
      "BCELoss: invalid weight; expected a tensor, got [1,2]"],
    ["MSELoss forward: the function's shape check, under its name", () => new mn.nn.MSELoss().forward(f32([1, 2]), f32([1, 2], [2, 1])),
      "mseLoss: input [2] and target [2,1] differ in shape"],
  ]);
});
