export { Module, type AnyModule } from "./module.js";
export type { SequentialLayer } from "./sequential.js";
export { Linear, type LinearOptions } from "./linear.js";
export { ReLU, LeakyReLU, Sigmoid, Tanh, GELU, Softmax, LogSoftmax, Identity, SiLU, Softplus, ELU, Mish } from "./activation.js";
export { Dropout } from "./dropout.js";
export { Dropout2d } from "./dropout2d.js";
export { LayerNorm, type LayerNormLayerOptions } from "./layer-norm.js";
export { GroupNorm, type GroupNormLayerOptions } from "./group-norm.js";
export { Embedding, type EmbeddingLayerOptions } from "./embedding.js";
export { Flatten } from "./flatten.js";
export { Conv2d, type Conv2dLayerOptions } from "./conv.js";
export { MaxPool2d, AvgPool2d, AdaptiveAvgPool2d } from "./pool.js";
export { BatchNorm1d, BatchNorm2d, type BatchNormLayerOptions } from "./batch-norm.js";
export { frozenRunningStats, runningStatsFrozen } from "./running-stats.js";
export { Sequential } from "./sequential.js";
export { RNN, rnnCell, type RNNOptions } from "./rnn.js";
export { LSTM, lstmCell, type LSTMOptions } from "./lstm.js";
export type { RecurrentOptions, DirectionWeights } from "./recurrent.js";
export {
  CrossEntropyLoss, NLLLoss, MultiMarginLoss, MSELoss, L1Loss, SmoothL1Loss, HuberLoss, BCELoss, BCEWithLogitsLoss,
  KLDivLoss, CosineEmbeddingLoss,
} from "./losses/index.js";
export { cnn, type CNNOptions } from "./cnn.js";
export { residualMlp, type ResidualMLPOptions } from "./residual-mlp.js";
export { Residual, type ResidualOptions } from "./residual.js";
export { StochasticDepth, STOCHASTIC_DEPTH_MODES, type StochasticDepthMode } from "./stochastic-depth.js";
export { l1Penalty, l2Penalty, decayedParameters } from "./penalties.js";
export { modelFromSpec, MODEL_BUILDERS, type ModelSpec, type ModelBuilder } from "./model-spec.js";
export { mlp, ACTIVATIONS, INITS, type MLPOptions, type ActivationName, type InitName } from "./mlp.js";
export * as functional from "./functional.js";
export * as init from "./init.js";
export * as utils from "./utils/index.js";
