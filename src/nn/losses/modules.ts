import { checkOptions, show, type OptionSpec, type Resolved } from "../../options.js";
import { Tensor } from "../../tensor/tensor.js";
import { Module } from "../module.js";
import { BCE_OPTIONS, BCE_WITH_LOGITS_OPTIONS, binaryCrossEntropy, binaryCrossEntropyWithLogits, type BCEOptions, type BCEWithLogitsOptions } from "./binary-cross-entropy.js";
import { COSINE_EMBEDDING_OPTIONS, cosineEmbeddingLoss, type CosineEmbeddingOptions } from "./cosine-embedding.js";
import { CROSS_ENTROPY_OPTIONS, crossEntropy, nllLoss, type CrossEntropyOptions } from "./cross-entropy.js";
import { KL_DIV_OPTIONS, klDiv, type KLDivOptions } from "./kl-div.js";
import { MULTI_MARGIN_OPTIONS, multiMarginLoss, type MultiMarginOptions } from "./multi-margin.js";
import { REDUCTION_OPTIONS, type ReductionOptions } from "./reduction.js";
import { HUBER_OPTIONS, SMOOTH_L1_OPTIONS, huberLoss, l1Loss, mseLoss, smoothL1Loss, type HuberOptions, type SmoothL1Options } from "./regression.js";

/**
 * The losses as modules, as torch.nn has them: a class takes its function's options, checks them when it
 * is built (so a typo fails before training starts), and its forward(input, target) calls the function.
 * @example const lossFn = new mn.nn.BCEWithLogitsLoss({ posWeight: mn.tensor([3]) }); const loss = lossFn.forward(model.forward(x), y);
 */
abstract class Loss<S extends OptionSpec> extends Module {
  /** The options, checked, with the defaults filled in. */
  readonly options: Resolved<S>;
  protected constructor(name: string, spec: S, given: object) {
    super();
    this.options = checkOptions(name, given, spec);
  }
  protected override extraRepr(): string {
    return Object.entries(this.options).filter(([, v]) => v !== undefined && !(v instanceof Tensor)).map(([k, v]) => `${k}=${show(v)}`).join(", ");
  }
}

/** torch.nn.CrossEntropyLoss: F.crossEntropy (class indices or probabilities, labelSmoothing). */
export class CrossEntropyLoss extends Loss<typeof CROSS_ENTROPY_OPTIONS> {
  constructor(options: CrossEntropyOptions = {}) { super("CrossEntropyLoss", CROSS_ENTROPY_OPTIONS, options); }
  forward(input: Tensor, target: Tensor): Tensor { return crossEntropy(input, target, this.options); }
}

/** torch.nn.NLLLoss: F.nllLoss on log-probabilities. */
export class NLLLoss extends Loss<typeof REDUCTION_OPTIONS> {
  constructor(options: ReductionOptions = {}) { super("NLLLoss", REDUCTION_OPTIONS, options); }
  forward(input: Tensor, target: Tensor): Tensor { return nllLoss(input, target, this.options); }
}

/** torch.nn.MultiMarginLoss: F.multiMarginLoss, the multiclass hinge. */
export class MultiMarginLoss extends Loss<typeof MULTI_MARGIN_OPTIONS> {
  constructor(options: MultiMarginOptions = {}) { super("MultiMarginLoss", MULTI_MARGIN_OPTIONS, options); }
  forward(input: Tensor, target: Tensor): Tensor { return multiMarginLoss(input, target, this.options); }
}

/** torch.nn.MSELoss: F.mseLoss. */
export class MSELoss extends Loss<typeof REDUCTION_OPTIONS> {
  constructor(options: ReductionOptions = {}) { super("MSELoss", REDUCTION_OPTIONS, options); }
  forward(input: Tensor, target: Tensor): Tensor { return mseLoss(input, target, this.options); }
}

/** torch.nn.L1Loss: F.l1Loss. */
export class L1Loss extends Loss<typeof REDUCTION_OPTIONS> {
  constructor(options: ReductionOptions = {}) { super("L1Loss", REDUCTION_OPTIONS, options); }
  forward(input: Tensor, target: Tensor): Tensor { return l1Loss(input, target, this.options); }
}

/** torch.nn.SmoothL1Loss: F.smoothL1Loss (beta). */
export class SmoothL1Loss extends Loss<typeof SMOOTH_L1_OPTIONS> {
  constructor(options: SmoothL1Options = {}) { super("SmoothL1Loss", SMOOTH_L1_OPTIONS, options); }
  forward(input: Tensor, target: Tensor): Tensor { return smoothL1Loss(input, target, this.options); }
}

/** torch.nn.HuberLoss: F.huberLoss (delta). */
export class HuberLoss extends Loss<typeof HUBER_OPTIONS> {
  constructor(options: HuberOptions = {}) { super("HuberLoss", HUBER_OPTIONS, options); }
  forward(input: Tensor, target: Tensor): Tensor { return huberLoss(input, target, this.options); }
}

/** torch.nn.KLDivLoss: F.klDiv on log-probabilities (reduction "batchmean" for the divergence per sample, logTarget). */
export class KLDivLoss extends Loss<typeof KL_DIV_OPTIONS> {
  constructor(options: KLDivOptions = {}) { super("KLDivLoss", KL_DIV_OPTIONS, options); }
  forward(input: Tensor, target: Tensor): Tensor { return klDiv(input, target, this.options); }
}

/** torch.nn.CosineEmbeddingLoss: F.cosineEmbeddingLoss; its forward takes both inputs and the ±1 target. */
export class CosineEmbeddingLoss extends Loss<typeof COSINE_EMBEDDING_OPTIONS> {
  constructor(options: CosineEmbeddingOptions = {}) { super("CosineEmbeddingLoss", COSINE_EMBEDDING_OPTIONS, options); }
  forward(input1: Tensor, input2: Tensor, target: Tensor): Tensor { return cosineEmbeddingLoss(input1, input2, target, this.options); }
}

/**
 * torch.nn.BCELoss: F.binaryCrossEntropy on probabilities. A weight is a buffer named "weight", as torch
 * registers it, so it moves with the state dict.
 */
export class BCELoss extends Loss<typeof BCE_OPTIONS> {
  readonly weight: Tensor | null;
  constructor(options: BCEOptions = {}) {
    super("BCELoss", BCE_OPTIONS, options);
    this.weight = this.options.weight ? this.registerBuffer("weight", this.options.weight) : null;
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return binaryCrossEntropy(input, target, { reduction: this.options.reduction, ...(this.weight && { weight: this.weight }) });
  }
}

/**
 * torch.nn.BCEWithLogitsLoss: F.binaryCrossEntropyWithLogits, stable on logits. weight and posWeight are
 * buffers named "weight" and "pos_weight", as torch registers them.
 */
export class BCEWithLogitsLoss extends Loss<typeof BCE_WITH_LOGITS_OPTIONS> {
  readonly weight: Tensor | null;
  readonly posWeight: Tensor | null;
  constructor(options: BCEWithLogitsOptions = {}) {
    super("BCEWithLogitsLoss", BCE_WITH_LOGITS_OPTIONS, options);
    this.weight = this.options.weight ? this.registerBuffer("weight", this.options.weight) : null;
    this.posWeight = this.options.posWeight ? this.registerBuffer("pos_weight", this.options.posWeight) : null;
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return binaryCrossEntropyWithLogits(input, target, {
      reduction: this.options.reduction, ...(this.weight && { weight: this.weight }), ...(this.posWeight && { posWeight: this.posWeight }),
    });
  }
}
