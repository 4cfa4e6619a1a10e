export { GradientNoise, type GradientNoiseOptions } from "./gradient-noise.js";
export { WeightNoise, type WeightNoiseOptions } from "./weight-noise.js";
export { EarlyStopping, type EarlyStoppingOptions } from "./early-stopping.js";
export { TerminateOnNaN } from "./terminate-on-nan.js";
export { DivergenceGuard, type DivergenceGuardOptions } from "./divergence-guard.js";
export { LambdaCallback } from "./lambda.js";
export { Monitor, type MonitorMode } from "./monitor.js";
export { EpochLine, type EpochLineOptions } from "./epoch-line.js";
