export { type Reduction, type ReductionOptions } from "./reduction.js";
export { crossEntropy, nllLoss, type CrossEntropyOptions } from "./cross-entropy.js";
export { multiMarginLoss, type MultiMarginOptions } from "./multi-margin.js";
export { mseLoss, l1Loss, smoothL1Loss, huberLoss, type SmoothL1Options, type HuberOptions } from "./regression.js";
export { binaryCrossEntropy, binaryCrossEntropyWithLogits, type BCEOptions, type BCEWithLogitsOptions } from "./binary-cross-entropy.js";
export { klDiv, type KLDivOptions } from "./kl-div.js";
export { cosineEmbeddingLoss, type CosineEmbeddingOptions } from "./cosine-embedding.js";
export {
  CrossEntropyLoss, NLLLoss, MultiMarginLoss, MSELoss, L1Loss, SmoothL1Loss, HuberLoss, BCELoss, BCEWithLogitsLoss,
  KLDivLoss, CosineEmbeddingLoss,
} from "./modules.js";
