import { OptionError } from "../../errors.js";
import { checkOptions, choice, option, optional, positiveInt, type OptionsOf } from "../../options.js";
import { Generator } from "../../tensor/random.js";
import type { LinearOperator } from "../linear-operator.js";
import { dot, isGenerator, norm, orthogonalize, rademacher } from "./vector.js";

const TRACE = {
  /** "hutch++" (Meyer, Musco, Musco & Woodruff 2021: a low-rank sketch taken exactly, Hutchinson on the rest) or "hutchinson". */
  method: choice("hutch++", "hutchinson"),
  /** The budget of products A·v. */
  matvecs: option(100, positiveInt),
  /** The random probes (default a fresh mn.Generator(0)). */
  generator: optional<Generator>(isGenerator),
};
export interface TraceOptions extends OptionsOf<typeof TRACE> {}

export interface TraceEstimate {
  value: number;
  /** The standard error of the random part: the sample standard deviation of the probes' zᵀAz over √probes. */
  stderr: number;
  /** Products taken (Hutch++ takes fewer than the budget when its sketch spans the whole space). */
  matvecs: number;
}

/**
 * An unbiased estimate of tr(A) from products only, with Rademacher probes z (E[zᵀAz] = tr A).
 * Hutchinson: the mean of zᵀAz over `matvecs` probes. Hutch++: a third of the budget sketches the top of the
 * spectrum (Q = orth(A·S)), whose trace tr(QᵀAQ) is taken exactly with another third; the last third runs
 * Hutchinson on (I − QQᵀ)A(I − QQᵀ), whose variance is far smaller when the spectrum decays, as a Hessian's does.
 * @example const { value, stderr } = mn.landscape.trace(H, { matvecs: 99 });
 */
export function trace(op: LinearOperator, options: TraceOptions = {}): TraceEstimate {
  const o = checkOptions("trace", options, TRACE);
  const generator = o.generator ?? new Generator(0);
  const least = o.method === "hutch++" ? 4 : 2;
  if (o.matvecs < least) {
    throw new OptionError({ where: "trace", what: "invalid matvecs", expected: o.method === "hutch++" ? "at least 4 for hutch++ (a sketch, its products and two probes)" : "at least 2 (two probes give a standard error)", got: String(o.matvecs) });
  }
  if (o.method === "hutchinson") return hutchinson(op, o.matvecs, generator, []);
  const sketch = Math.floor(o.matvecs / 3);
  const q = orthonormalBasis(Array.from({ length: sketch }, () => op.matvec(rademacher(op.size, generator))));
  let exact = 0;
  for (const qi of q) exact += dot(qi, op.matvec(qi));
  if (q.length === op.size) return { value: exact, stderr: 0, matvecs: sketch + q.length };
  const rest = hutchinson(op, o.matvecs - 2 * sketch, generator, q);
  return { value: exact + rest.value, stderr: rest.stderr, matvecs: sketch + q.length + rest.matvecs };
}

/** Hutchinson's estimate of tr(PAP), P the projector orthogonal to `basis` (orthonormal; none: P = I). */
function hutchinson(op: LinearOperator, probes: number, generator: Generator, basis: readonly Float64Array[]): TraceEstimate {
  const samples: number[] = [];
  for (let i = 0; i < probes; i++) {
    const z = rademacher(op.size, generator);
    orthogonalize(z, basis);
    samples.push(dot(z, op.matvec(z)));
  }
  const mean = samples.reduce((s, x) => s + x, 0) / probes;
  const variance = samples.reduce((s, x) => s + (x - mean) ** 2, 0) / (probes - 1);
  return { value: mean, stderr: Math.sqrt(variance / probes), matvecs: probes };
}

/** An orthonormal basis of the vectors' span (Gram–Schmidt twice; vectors in the span of earlier ones dropped). */
function orthonormalBasis(vectors: Float64Array[]): Float64Array[] {
  const basis: Float64Array[] = [];
  const scale = Math.max(0, ...vectors.map(norm));
  for (const v of vectors) {
    orthogonalize(v, basis);
    orthogonalize(v, basis);
    const n = norm(v);
    if (n > 1e-10 * scale) basis.push(v.map((x) => x / n));
  }
  return basis;
}
