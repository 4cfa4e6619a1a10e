import { OptionError, ShapeError, showShape } from "../errors.js";
import { defaultGenerator, type Generator } from "../tensor/random.js";
import type { Tensor } from "../tensor/tensor.js";

/**
 * Weight initialization, in place, with PyTorch's gain and fan conventions
 * (torch.nn.init). Each function fills the tensor's data and returns it.
 */

export type Nonlinearity = "linear" | "conv1d" | "conv2d" | "conv3d" | "sigmoid" | "tanh" | "relu" | "leaky_relu" | "selu";

/**
 * The recommended gain for a nonlinearity: 1 for linear and sigmoid, 5/3 for tanh, √2 for
 * relu, √(2/(1+a²)) for leaky_relu with slope a, 3/4 for selu.
 */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  switch (nonlinearity) {
    case "linear": case "conv1d": case "conv2d": case "conv3d": case "sigmoid": return 1;
    case "tanh": return 5 / 3;
    case "relu": return Math.SQRT2;
    case "leaky_relu": { const a = param ?? 0.01; return Math.sqrt(2 / (1 + a * a)); }
    case "selu": return 3 / 4;
    default: throw new OptionError({ where: "calculateGain", what: `unsupported nonlinearity ${JSON.stringify(nonlinearity)}` });
  }
}

/** fan_in = size(1) · receptive field, fan_out = size(0) · receptive field, for tensors of 2+ dims. */
export function calculateFans(t: Tensor): { fanIn: number; fanOut: number } {
  if (t.ndim < 2) throw new ShapeError({ where: "init", what: `fan in and fan out need a tensor of at least 2 dims`, got: showShape(t.shape) });
  const receptive = t.shape.slice(2).reduce((a, b) => a * b, 1);
  return { fanIn: t.shape[1]! * receptive, fanOut: t.shape[0]! * receptive };
}

export interface InitOptions { generator?: Generator }

/** U(a, b). */
export function uniform(t: Tensor, a = 0, b = 1, options: InitOptions = {}): Tensor {
  const g = options.generator ?? defaultGenerator;
  for (let i = 0; i < t.data.length; i++) t.data[i] = a + (b - a) * g.random();
  return t;
}

/** N(mean, std²). */
export function normal(t: Tensor, mean = 0, std = 1, options: InitOptions = {}): Tensor {
  const g = options.generator ?? defaultGenerator;
  for (let i = 0; i < t.data.length; i++) t.data[i] = mean + std * g.normal();
  return t;
}

/** Fills t with value, in place, and returns it (torch.nn.init.constant_). */
export function constant(t: Tensor, value: number): Tensor { t.data.fill(value); return t; }
/** Fills t with 0, in place (torch.nn.init.zeros_). */
export function zeros(t: Tensor): Tensor { return constant(t, 0); }
/** Fills t with 1, in place (torch.nn.init.ones_). */
export function ones(t: Tensor): Tensor { return constant(t, 1); }

/** Glorot & Bengio 2010: U(−b, b), b = gain · √(6 / (fan_in + fan_out)). */
export function xavierUniform(t: Tensor, gain = 1, options: InitOptions = {}): Tensor {
  const { fanIn, fanOut } = calculateFans(t);
  const bound = gain * Math.sqrt(6 / (fanIn + fanOut));
  return uniform(t, -bound, bound, options);
}

/** Glorot & Bengio 2010: N(0, σ²), σ = gain · √(2 / (fan_in + fan_out)). */
export function xavierNormal(t: Tensor, gain = 1, options: InitOptions = {}): Tensor {
  const { fanIn, fanOut } = calculateFans(t);
  return normal(t, 0, gain * Math.sqrt(2 / (fanIn + fanOut)), options);
}

export interface KaimingOptions extends InitOptions {
  /** The negative slope of the rectifier after this layer (leaky_relu only; default 0). */
  a?: number;
  /** fanIn (default) keeps the forward pass's variance, fanOut the backward pass's. */
  mode?: "fanIn" | "fanOut";
  nonlinearity?: Nonlinearity;
}

function kaimingStd(t: Tensor, o: KaimingOptions): number {
  const { fanIn, fanOut } = calculateFans(t);
  const fan = (o.mode ?? "fanIn") === "fanIn" ? fanIn : fanOut;
  return calculateGain(o.nonlinearity ?? "leaky_relu", o.a ?? 0) / Math.sqrt(fan);
}

/** He et al. 2015: U(−b, b), b = √3 · gain / √fan. */
export function kaimingUniform(t: Tensor, options: KaimingOptions = {}): Tensor {
  const bound = Math.sqrt(3) * kaimingStd(t, options);
  return uniform(t, -bound, bound, options);
}

/** He et al. 2015: N(0, σ²), σ = gain / √fan. */
export function kaimingNormal(t: Tensor, options: KaimingOptions = {}): Tensor {
  return normal(t, 0, kaimingStd(t, options), options);
}
