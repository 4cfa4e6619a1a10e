import { stack, cat } from "../autograd/ops/indexing.js";
import { DTypeError, OptionError, ShapeError, showShape } from "../errors.js";
import { checkOptions, choice, isBoolean, option, optional, positiveInt, unitInterval, type OptionsOf } from "../options.js";
import { zeros } from "../tensor/create.js";
import type { FloatDType } from "../tensor/dtype.js";
import { Generator, defaultGenerator } from "../tensor/random.js";
import type { Tensor } from "../tensor/tensor.js";
import { dropout } from "./functional.js";
import { uniform } from "./init.js";
import { Module } from "./module.js";

/** The options RNN and LSTM share (torch's, in camelCase). */
export const RECURRENT_OPTIONS = {
  /** Recurrent layers stacked, each reading the outputs of the one below (default 1). */
  numLayers: option(1, positiveInt),
  /** Learn the biases bias_ih and bias_hh (default true). */
  bias: option(true, isBoolean),
  /** Input and output as [batch, time, features] instead of [time, batch, features] (default false); the states stay [layers·directions, batch, hidden]. */
  batchFirst: option(false, isBoolean),
  /** Dropout probability on the outputs of each layer but the last, in training (default 0; needs numLayers ≥ 2). */
  dropout: option(0, unitInterval),
  /** A second pass of each layer from the last step to the first, its outputs concatenated to the forward pass's (default false). */
  bidirectional: option(false, isBoolean),
  /** The dtype of the weights (default "float32"). */
  dtype: choice<FloatDType[]>("float32", "float64"),
  /** The generator that draws the weights and the dropout masks (default: the global one, mn.manualSeed). */
  generator: optional<Generator>((v) => (v instanceof Generator ? null : "a Generator")),
};

/** The options RNN and LSTM share. */
export interface RecurrentOptions extends OptionsOf<typeof RECURRENT_OPTIONS> {}

/** One layer's weights in one direction, under torch's names (weight_ih_l0, …, with _reverse for the backward pass). */
export interface DirectionWeights {
  weightIh: Tensor;
  weightHh: Tensor;
  biasIh: Tensor | null;
  biasHh: Tensor | null;
}

/**
 * What RNN and LSTM share: the options, the parameters under torch's names (per layer, per direction: weight_ih_l{k},
 * weight_hh_l{k}, bias_ih_l{k}, bias_hh_l{k}, with the suffix _reverse for the backward direction) initialized as torch
 * does, U(−1/√hidden, 1/√hidden) each, and the loop over layers, directions and time steps. A subclass gives the number
 * of gate rows per hidden unit and the step of one cell: the state tensors at t from those at t − 1 and the input at t.
 */
export abstract class Recurrent<In extends unknown[], Out> extends Module<In, Out> {
  readonly numLayers: number;
  readonly bias: boolean;
  readonly batchFirst: boolean;
  readonly dropout: number;
  readonly bidirectional: boolean;
  /** Per layer, per direction (forward first), the weights. */
  readonly weights: readonly (readonly DirectionWeights[])[];
  private readonly generator: Generator;

  protected constructor(
    private readonly kind: string, readonly inputSize: number, readonly hiddenSize: number, gates: number, options: RecurrentOptions,
  ) {
    super();
    for (const [name, v] of [["inputSize", inputSize], ["hiddenSize", hiddenSize]] as const) {
      if (!Number.isInteger(v) || v <= 0) throw new OptionError({ where: kind, what: `invalid ${name}`, expected: "a positive integer", got: String(v) });
    }
    const o = checkOptions(kind, options, RECURRENT_OPTIONS);
    if (o.dropout > 0 && o.numLayers === 1) {
      throw new OptionError({ where: kind, what: `dropout ${o.dropout} would do nothing: it acts between stacked layers, and there is one`, expected: "numLayers ≥ 2, or dropout 0" });
    }
    ({ numLayers: this.numLayers, bias: this.bias, batchFirst: this.batchFirst, dropout: this.dropout, bidirectional: this.bidirectional } = o);
    this.generator = o.generator ?? defaultGenerator;
    const bound = 1 / Math.sqrt(hiddenSize);
    const init = o.generator ? { generator: o.generator } : {};
    const param = (name: string, shape: number[]): Tensor =>
      this.registerParameter(name, uniform(zeros(shape, { dtype: o.dtype }), -bound, bound, init));
    const rows = gates * hiddenSize;
    const weights: DirectionWeights[][] = [];
    for (let layer = 0; layer < this.numLayers; layer++) {
      const inputs = layer === 0 ? inputSize : this.directions * hiddenSize;
      weights.push(Array.from({ length: this.directions }, (_, d) => {
        const suffix = `_l${layer}${d === 1 ? "_reverse" : ""}`;
        return {
          weightIh: param(`weight_ih${suffix}`, [rows, inputs]),
          weightHh: param(`weight_hh${suffix}`, [rows, hiddenSize]),
          biasIh: this.bias ? param(`bias_ih${suffix}`, [rows]) : null,
          biasHh: this.bias ? param(`bias_hh${suffix}`, [rows]) : null,
        };
      }));
    }
    this.weights = weights;
  }

  /** 2 when bidirectional, else 1. */
  get directions(): number {
    return this.bidirectional ? 2 : 1;
  }

  /** The state tensors at one step from those of the step before (h, or h and c) and the input at that step [batch, features]. */
  protected abstract cell(x: Tensor, state: readonly Tensor[], w: DirectionWeights): Tensor[];

  /**
   * Runs every layer over the sequence x ([time, batch, inputSize], [batch, time, inputSize] when batchFirst, or unbatched
   * [time, inputSize]) from the initial states (each [layers·directions, batch, hidden], or without the batch dim when x has
   * none; zeros where undefined). Returns the last layer's outputs at every step and each state's final values.
   */
  protected run(x: Tensor, initial: readonly (Tensor | undefined)[], stateNames: readonly string[]): { output: Tensor; finals: Tensor[] } {
    if (x.ndim !== 2 && x.ndim !== 3) {
      throw new ShapeError({ where: this.kind, what: "the input must be [time, batch, features], [batch, time, features] with batchFirst, or unbatched [time, features]", got: showShape(x.shape) });
    }
    if (x.shape[x.ndim - 1] !== this.inputSize) {
      throw new ShapeError({ where: this.kind, what: `the input ${showShape(x.shape)} has ${x.shape[x.ndim - 1]} features`, expected: `inputSize ${this.inputSize}` });
    }
    const dtype = this.weights[0]![0]!.weightIh.dtype;
    [x, ...initial].forEach((t, i) => {
      if (t !== undefined && t.dtype !== dtype) {
        const what = i === 0 ? "the input" : `the initial state ${stateNames[i - 1]}`;
        throw new DTypeError({ where: this.kind, what: `${what} is ${t.dtype} and the weights ${dtype}`, expected: "the same dtype (convert one with .to(), or build the layer with { dtype })" });
      }
    });
    const batched = x.ndim === 3;
    const timeDim = batched && this.batchFirst ? 1 : 0;
    const steps = x.shape[timeDim]!;
    const batch = batched ? x.shape[1 - timeDim]! : 1;
    if (steps === 0) throw new ShapeError({ where: this.kind, what: "the input has no time steps", got: showShape(x.shape) });
    const stateShape = batched ? [this.numLayers * this.directions, batch, this.hiddenSize] : [this.numLayers * this.directions, this.hiddenSize];
    const starts = initial.map((s, i) => {
      if (s === undefined) return null;
      if (s.ndim !== stateShape.length || s.shape.some((n, j) => n !== stateShape[j])) {
        throw new ShapeError({ where: this.kind, what: `the initial state ${stateNames[i]} has shape ${showShape(s.shape)}`, expected: `${showShape(stateShape)} ([layers·directions, ${batched ? "batch, " : ""}hidden])` });
      }
      return batched ? s : s.unsqueeze(1);
    });
    // Each step's input as its own [batch, features] tensor: slicing one precomputed tensor per step would give every
    // step's gradient the whole sequence's size (the backward of a slice is dense).
    let inputs: Tensor[] = Array.from({ length: steps }, (_, t) => (batched ? x.select(timeDim, t) : x.select(0, t).unsqueeze(0)));
    const finals: Tensor[][] = stateNames.map(() => []);
    for (let layer = 0; layer < this.numLayers; layer++) {
      const perDirection = this.weights[layer]!.map((w, d) => {
        const slot = layer * this.directions + d;
        let state = starts.map((s) => (s === null ? zeros([batch, this.hiddenSize], { dtype }) : s.select(0, slot)));
        const outputs = new Array<Tensor>(steps);
        for (let i = 0; i < steps; i++) {
          const t = d === 0 ? i : steps - 1 - i;
          state = this.cell(inputs[t]!, state, w);
          outputs[t] = state[0]!;
        }
        state.forEach((s, k) => finals[k]!.push(s));
        return outputs;
      });
      const last = layer === this.numLayers - 1;
      inputs = Array.from({ length: steps }, (_, t) => {
        const joined = perDirection.length === 1 ? perDirection[0]![t]! : cat(perDirection.map((o) => o[t]!), 1);
        return !last && this.dropout > 0 ? dropout(joined, this.dropout, this.training, this.generator) : joined;
      });
    }
    const output = batched ? stack(inputs, timeDim) : stack(inputs, 0).squeeze(1);
    return { output, finals: finals.map((f) => (batched ? stack(f, 0) : stack(f, 0).squeeze(1))) };
  }

  protected override extraRepr(): string {
    const extras = [
      this.numLayers !== 1 && `numLayers=${this.numLayers}`, !this.bias && "bias=false", this.batchFirst && "batchFirst=true",
      this.dropout !== 0 && `dropout=${this.dropout}`, this.bidirectional && "bidirectional=true",
    ].filter((s): s is string => typeof s === "string");
    return [`${this.inputSize}, ${this.hiddenSize}`, ...this.reprExtras(), ...extras].join(", ");
  }

  /** Options of the subclass to show in toString (RNN's nonlinearity). */
  protected reprExtras(): string[] {
    return [];
  }
}
