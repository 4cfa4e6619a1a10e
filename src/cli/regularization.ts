import { Command, InvalidArgumentError } from "commander";
import * as T from "../data/transforms/index.js";
import type { Module } from "../nn/module.js";
import { decayedParameters, l1Penalty, l2Penalty } from "../nn/penalties.js";
import type { Generator } from "../tensor/random.js";
import type { Tensor } from "../tensor/tensor.js";
import type { Callback } from "../train/callback.js";
import { GradientNoise } from "../train/callbacks/gradient-noise.js";
import { WeightNoise } from "../train/callbacks/weight-noise.js";
import { didYouMean } from "./choice-hints.js";
import { fraction, number } from "./parse.js";

/** The augmentations --augment names, each with an optional size: flip, crop:4, shift:2, cutout:8. */
export const AUGMENTATIONS = ["flip", "crop", "shift", "cutout"] as const;
type Augmentation = { name: (typeof AUGMENTATIONS)[number]; size: number };

export interface RegularizationFlags {
  dropout?: number;
  l1?: number;
  l2?: number;
  labelSmoothing?: number;
  augment?: Augmentation[];
  inputNoise?: number;
  mixup?: number;
  cutmix?: number;
  weightNoise?: number;
  gradNoise?: number;
}

/** "flip,crop:4" → [{ flip, 0 }, { crop, 4 }]; each size defaults to the usual one. */
function augmentList(v: string): Augmentation[] {
  const defaults = { flip: 0, crop: 4, shift: 2, cutout: 8 };
  return v.split(",").map((part) => {
    const [name, size] = part.trim().split(":");
    if (!(AUGMENTATIONS as readonly string[]).includes(name!)) throw new InvalidArgumentError(`unknown augmentation "${name}"; expected ${AUGMENTATIONS.join(", ")}, each with an optional :size (crop:4, shift:2, cutout:8)${didYouMean([name!], AUGMENTATIONS) || "."}`);
    const n = size === undefined ? defaults[name as Augmentation["name"]] : /^\d+$/.test(size) ? Number(size) : NaN;
    if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError(`expected a non-negative integer size after "${name}:", got "${size}".`);
    return { name: name as Augmentation["name"], size: n };
  });
}

/** Adds the regularization flags (dropout, penalties, augmentation, noise, mixup/cutmix, label smoothing). */
export function addRegularizationOptions(cmd: Command): Command {
  return cmd
    .option("--dropout <p>", "dropout probability after each hidden layer (inverted dropout, off in eval)", fraction)
    .option("--l2 <lambda>", "explicit L2 penalty (λ/2)·Σw² on the weights (not biases or norms), added to the loss", number(0))
    .option("--l1 <lambda>", "L1 penalty λ·Σ|w| on the weights (not biases or norms), added to the loss", number(0))
    .option("--label-smoothing <eps>", "cross-entropy against (1 − ε)·onehot + ε/classes", fraction)
    .option("--augment <list>", `image augmentation per training sample: ${AUGMENTATIONS.join(", ")}, sizes as crop:4 (padding), shift:2 (pixels), cutout:8 (square side)`, augmentList)
    .option("--input-noise <std>", "Gaussian noise added to every training input", number(0))
    .option("--mixup <alpha>", "mixup: blend sample pairs with λ ~ Beta(α, α), soft targets", number(0, { inclusive: false }))
    .option("--cutmix <alpha>", "cutmix: paste a box from a partner image, λ ~ Beta(α, α), soft targets (with --mixup: one or the other per batch)", number(0, { inclusive: false }))
    .option("--weight-noise <std>", "perturb the weights by N(0, std²) for each batch's gradient", number(0))
    .option("--grad-noise <eta>", "annealed gradient noise with variance η/(1 + t)^0.55", number(0));
}

/** The augmentation pipeline the flags ask for, applied to each training batch [x, y], or null. */
export function makeTransform(f: RegularizationFlags, classes: number): ((batch: Tensor[], g: Generator) => Tensor[]) | null {
  const steps: ((x: Tensor, y: Tensor, g: Generator) => [Tensor, Tensor])[] = [];
  for (const a of f.augment ?? []) {
    if (a.name === "flip") steps.push((x, y, g) => [T.randomHorizontalFlip(x, { generator: g }), y]);
    if (a.name === "crop") steps.push((x, y, g) => [T.randomCrop(x, { padding: a.size, generator: g }), y]);
    if (a.name === "shift") steps.push((x, y, g) => [T.randomShift(x, a.size, { generator: g }), y]);
    if (a.name === "cutout") steps.push((x, y, g) => [T.cutout(x, { size: a.size, generator: g }), y]);
  }
  if (f.inputNoise) steps.push((x, y, g) => [T.gaussianNoise(x, { std: f.inputNoise!, generator: g }), y]);
  const mixup = (x: Tensor, y: Tensor, g: Generator) => T.mixup(x, y, { numClasses: classes, alpha: f.mixup!, generator: g });
  const cutmix = (x: Tensor, y: Tensor, g: Generator) => T.cutmix(x, y, { numClasses: classes, alpha: f.cutmix!, generator: g });
  // Both asked for: each batch gets one of the two, with even odds (timm's switch_prob 0.5).
  if (f.mixup && f.cutmix) steps.push((x, y, g) => (g.random() < 0.5 ? cutmix(x, y, g) : mixup(x, y, g)));
  else if (f.mixup) steps.push(mixup);
  else if (f.cutmix) steps.push(cutmix);
  if (steps.length === 0) return null;
  return (batch, g) => {
    let [x, y] = batch as [Tensor, Tensor];
    for (const step of steps) [x, y] = step(x, y, g);
    return [x, y];
  };
}

/** The explicit L1/L2 penalty on the model's weights, or null. */
export function makePenalty(f: RegularizationFlags): ((model: Module) => Tensor) | null {
  if (!f.l1 && !f.l2) return null;
  return (model) => {
    const weights = decayedParameters(model);
    if (f.l1 && f.l2) return l2Penalty(weights, f.l2).add(l1Penalty(weights, f.l1));
    return f.l2 ? l2Penalty(weights, f.l2) : l1Penalty(weights, f.l1!);
  };
}

/** Weight and gradient noise, as callbacks. */
export function noiseCallbacks(f: RegularizationFlags): Callback[] {
  return [
    ...(f.weightNoise ? [new WeightNoise({ std: f.weightNoise })] : []),
    ...(f.gradNoise ? [new GradientNoise({ eta: f.gradNoise })] : []),
  ];
}
