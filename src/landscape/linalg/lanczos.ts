import type { Generator } from "../../tensor/random.js";
import type { LinearOperator } from "../linear-operator.js";
import { dot, gaussian, norm, normalize, orthogonalize } from "./vector.js";

/**
 * The Lanczos process with full reorthogonalization: an orthonormal basis q₁, q₂, … of the Krylov space
 * of `start`, one product A·qⱼ per step, and the symmetric tridiagonal T = QᵀAQ (diagonal `alpha`, off-diagonal
 * `beta`). Each new vector is orthogonalized against every earlier one, twice ("twice is enough"), so no
 * ghost copies of converged eigenvalues appear (Paige 1976) — at the price of keeping all the vectors:
 * steps × size float64s.
 *
 * A breakdown (βⱼ at rounding level: the Krylov space is invariant, every eigenvalue it holds is exact)
 * ends the process, or, with `restart`, starts a new block from a random vector orthogonal to the basis
 * (βⱼ = 0 in T), so repeated eigenvalues are found as often as they occur and `size` steps give the whole spectrum.
 */
export class Lanczos {
  readonly basis: Float64Array[] = [];
  readonly alpha: number[] = [];
  /** β₁ … β_{m−1}: T's off-diagonal (0 between restarted blocks). */
  readonly beta: number[] = [];
  /** ‖r_m‖, the residual after the last step: A·Q = Q·T + r_m·e_mᵀ. 0 once the space is exhausted. */
  residualNorm = 0;
  private next: Float64Array | null;
  private scale = 0;

  constructor(readonly op: LinearOperator, start: Float64Array, private readonly restart: { generator: Generator } | null = null) {
    const q = Float64Array.from(start);
    const n = norm(q);
    this.next = n > 0 ? q.map((x) => x / n) : null;
  }

  /** Whether another step can be taken (false after a breakdown without restart, or after `size` steps). */
  get done(): boolean {
    return this.next === null;
  }

  /** One step: q_m's product, α_m, and the next vector; returns false when the process had already ended. */
  step(): boolean {
    const q = this.next;
    if (q === null) return false;
    if (this.basis.length > 0) this.beta.push(this.residualNorm);
    const w = this.op.matvec(q);
    const a = dot(q, w);
    this.alpha.push(a);
    this.basis.push(q);
    this.scale = Math.max(this.scale, Math.abs(a), this.residualNorm);
    orthogonalize(w, this.basis);
    orthogonalize(w, this.basis);
    const b = norm(w);
    this.scale = Math.max(this.scale, b);
    if (this.basis.length >= this.op.size || b <= 1e-10 * this.scale) {
      this.residualNorm = 0;
      this.next = this.basis.length < this.op.size && this.restart ? this.freshVector(this.restart.generator) : null;
    } else {
      this.residualNorm = b;
      this.next = w.map((x) => x / b);
    }
    return true;
  }

  /** A unit random vector orthogonal to the basis, or null when the basis spans the space. */
  private freshVector(generator: Generator): Float64Array | null {
    const v = gaussian(this.op.size, generator);
    const before = norm(v);
    orthogonalize(v, this.basis);
    orthogonalize(v, this.basis);
    const after = norm(v);
    if (after <= 1e-8 * before) return null;
    normalize(v);
    return v;
  }
}
