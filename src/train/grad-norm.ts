import type { Tensor } from "../tensor/tensor.js";

/** Global L2 norm of the gradients, in double precision (four accumulators keep V8's loop fast). */
export function globalGradNorm(params: Tensor[]): number {
  let total = 0;
  for (const p of params) {
    const g = p.grad?.data;
    if (!g) continue;
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0, i = 0;
    for (const n = g.length; i + 3 < n; i += 4) {
      const a = g[i]!, b = g[i + 1]!, c = g[i + 2]!, d = g[i + 3]!;
      s0 += a * a; s1 += b * b; s2 += c * c; s3 += d * d;
    }
    for (; i < g.length; i++) s0 += g[i]! * g[i]!;
    total += s0 + s1 + s2 + s3;
  }
  return Math.sqrt(total);
}
