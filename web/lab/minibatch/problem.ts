import { Generator } from "../../../src/index.js";

/**
 * The mini-batch explorer's problem: least squares on two weights, so the whole loss is a bowl over the plane and
 * a path shows on its contours. x₁ ~ U(−√3, √3) and x₂ ~ U(−√3/2, √3/2) (variances 1 and ¼: an elongated bowl,
 * condition number 4), y = 2·x₁ − x₂ + 0.5·N(0, 1); loss L(w) = mean over the data of (x·w − y)².
 */
export interface Problem {
  n: number;
  /** Row-major [n, 2]. */
  x: Float64Array;
  y: Float64Array;
  /** L(w) = wᵀAw − 2bᵀw + c with A = XᵀX/n, b = Xᵀy/n, c = yᵀy/n: the full loss anywhere in the plane without a pass over the data. */
  a: [number, number, number];
  b: [number, number];
  c: number;
}

export const TRUE_W = [2, -1] as const;
export const START: [number, number] = [-2, 2.5];

export function makeProblem(seed: number, n: number): Problem {
  const g = new Generator(seed);
  const x = new Float64Array(2 * n), y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x[2 * i] = Math.sqrt(3) * (2 * g.random() - 1);
    x[2 * i + 1] = (Math.sqrt(3) / 2) * (2 * g.random() - 1);
    y[i] = TRUE_W[0] * x[2 * i]! + TRUE_W[1] * x[2 * i + 1]! + 0.5 * g.normal();
  }
  let a11 = 0, a12 = 0, a22 = 0, b1 = 0, b2 = 0, c = 0;
  for (let i = 0; i < n; i++) {
    const x1 = x[2 * i]!, x2 = x[2 * i + 1]!, yi = y[i]!;
    a11 += x1 * x1; a12 += x1 * x2; a22 += x2 * x2; b1 += x1 * yi; b2 += x2 * yi; c += yi * yi;
  }
  return { n, x, y, a: [a11 / n, a12 / n, a22 / n], b: [b1 / n, b2 / n], c: c / n };
}

/** The full loss L(w) from the problem's moments. */
export function fullLoss(p: Problem, w1: number, w2: number): number {
  const [a11, a12, a22] = p.a;
  return a11 * w1 * w1 + 2 * a12 * w1 * w2 + a22 * w2 * w2 - 2 * (p.b[0] * w1 + p.b[1] * w2) + p.c;
}
