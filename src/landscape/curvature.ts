import { atLeast, checkOptions, isBoolean, option, optional, positiveInt, type OptionsOf } from "../options.js";
import { Generator } from "../tensor/random.js";
import type { HessianOperator } from "./hessian.js";

const CURVATURE_OPTIONS = {
  /** How many of the largest eigenvalues (Lanczos). */
  k: option(5, positiveInt),
  /** Products for the trace (Hutch++). */
  traceMatvecs: option(100, positiveInt),
  /** Stochastic Lanczos quadrature: independent runs. */
  densityRuns: option(10, positiveInt),
  /** Stochastic Lanczos quadrature: Lanczos steps per run (at most the parameters). */
  densitySteps: option(80, positiveInt),
  /** Also λmax of each module's diagonal block (H.blocks()). */
  perLayer: option(true, isBoolean),
  /** The learning rate to set against λmax (lr·λmax against gradient descent's limit 2); none by default. */
  lr: optional<number>(atLeast(0)),
  /** Seeds every random start (Lanczos, the trace's probes, SLQ), so a summary repeats exactly. */
  seed: option(0, (v) => (Number.isInteger(v) && (v as number) >= 0 ? null : "a non-negative integer")),
};

/** The options of curvatureSummary. */
export interface CurvatureOptions extends OptionsOf<typeof CURVATURE_OPTIONS> {}

/**
 * What a network's Hessian looks like, in the figures that hold for a singular, indefinite matrix: no condition
 * number (λmin is usually negative and the smallest |λ| zero, so λmax/λmin means nothing), but λmax, λmin, trace/n,
 * |λmin/λmax| and the share of negative eigenvalues; lr·λmax beside 2, the limit below which gradient descent is stable
 * on a quadratic; the spectral density by SLQ; and each layer's own λmax.
 */
export interface CurvatureSummary {
  /** Parameters spanned: n. */
  parameters: number;
  /** The k largest eigenvalues, decreasing (Lanczos), and their residuals ‖Hv − λv‖. */
  topEigenvalues: number[];
  topResiduals: number[];
  lambdaMax: number;
  lambdaMin: number;
  lambdaMinResidual: number;
  /** |λmin/λmax|: how strong the negative curvature is against the positive. */
  minOverMax: number;
  trace: { method: "hutch++"; value: number; stderr: number; matvecs: number };
  /** trace/n: the mean eigenvalue. */
  traceOverN: number;
  /** SLQ's estimate of the share of eigenvalues below zero, and its Gauss-quadrature bounds. */
  negativeFraction: number;
  negativeBounds: [number, number];
  density: { steps: number; runs: { nodes: number[]; weights: number[] }[] };
  /** lr, lr·λmax and 2, when an lr was given. */
  stability: { lr: number; lrTimesLambdaMax: number; limit: 2 } | null;
  /** Each module's diagonal block: its parameters and λmax (empty without perLayer). */
  layers: { name: string; parameters: number; lambdaMax: number }[];
  /** Every Hessian-vector product taken. */
  matvecs: number;
}

/**
 * The curvature of the loss at the model's weights, from its Hessian operator: top-k and smallest eigenvalues by
 * Lanczos, the trace by Hutch++, the spectral density and negative share by SLQ, and per-layer λmax. Every random
 * start comes from a generator seeded with `seed`.
 * @example const s = mn.landscape.curvatureSummary(mn.landscape.hessian(model, lossFn, batches), { lr: 0.05 }); s.stability?.lrTimesLambdaMax;
 */
export function curvatureSummary(H: HessianOperator, options: CurvatureOptions = {}): CurvatureSummary {
  const o = checkOptions("curvatureSummary", options, CURVATURE_OPTIONS);
  const generator = (i: number) => new Generator(o.seed * 7 + i);
  const before = H.matvecs;
  const k = Math.min(o.k, H.size);
  const top = H.topEigen({ k, generator: generator(1) });
  const low = H.minEigen({ generator: generator(2) });
  const trace = H.trace({ method: "hutch++", matvecs: o.traceMatvecs, generator: generator(3) });
  const spectral = H.density({ runs: o.densityRuns, steps: Math.min(o.densitySteps, H.size), generator: generator(4) });
  let blockMatvecs = 0; // a block's product costs a whole double backward too
  const layers = o.perLayer
    ? H.blocks().map(({ name, operator }) => {
      const { values } = operator.topEigen({ generator: generator(5) });
      blockMatvecs += operator.matvecs;
      return { name, parameters: operator.size, lambdaMax: values[0]! };
    })
    : [];
  const lambdaMax = top.values[0]!;
  return {
    parameters: H.size,
    topEigenvalues: top.values,
    topResiduals: top.residuals ?? [],
    lambdaMax,
    lambdaMin: low.value,
    lambdaMinResidual: low.residual,
    minOverMax: Math.abs(low.value / lambdaMax),
    trace: { method: "hutch++", value: trace.value, stderr: trace.stderr, matvecs: trace.matvecs },
    traceOverN: trace.value / H.size,
    negativeFraction: spectral.negativeFraction,
    negativeBounds: spectral.negativeBounds,
    density: { steps: Math.min(o.densitySteps, H.size), runs: spectral.runs.map(({ nodes, weights }) => ({ nodes, weights })) },
    stability: o.lr === undefined ? null : { lr: o.lr, lrTimesLambdaMax: o.lr * lambdaMax, limit: 2 },
    layers,
    matvecs: H.matvecs - before + blockMatvecs,
  };
}
