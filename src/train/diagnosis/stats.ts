/** Robust summaries of a noisy series: medians rather than means, so one wild batch cannot decide a finding. */

/** The median of `xs` (NaN when empty). */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = Float64Array.from(xs).sort(); // typed arrays sort numerically, and fast
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * The centred moving median over 2·half + 1 points (finite values); the window shrinks at the ends. The window is kept
 * sorted as it slides, so a long step log costs O(n·half) rather than a sort per point.
 */
export function movingMedian(xs: readonly number[], half: number): number[] {
  const out: number[] = [];
  const window: number[] = [];
  let lo = 0, hi = 0;
  for (let i = 0; i < xs.length; i++) {
    for (const end = Math.min(xs.length, i + half + 1); hi < end; hi++) window.splice(firstAtLeast(window, xs[hi]!), 0, xs[hi]!);
    for (const start = Math.max(0, i - half); lo < start; lo++) window.splice(firstAtLeast(window, xs[lo]!), 1);
    const mid = window.length >> 1;
    out.push(window.length % 2 === 1 ? window[mid]! : (window[mid - 1]! + window[mid]!) / 2);
  }
  return out;
}

/** Binary search: the first index of sorted `xs` whose value is ≥ x. */
function firstAtLeast(xs: readonly number[], x: number): number {
  let a = 0, b = xs.length;
  while (a < b) {
    const m = (a + b) >> 1;
    if (xs[m]! < x) a = m + 1; else b = m;
  }
  return a;
}

/** A standard deviation that ignores outliers: 1.4826 × the median absolute deviation (equal to σ for a normal). */
export function robustStd(xs: readonly number[]): number {
  const m = median(xs);
  return 1.4826 * median(xs.map((x) => Math.abs(x - m)));
}
