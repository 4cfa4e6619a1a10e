/**
 * Min/max downsampling for drawing a long series: the x range is cut into `buckets` equal columns (a chart's pixel
 * columns) and each column keeps its lowest and highest point, in order, so a spike survives (striding would drop
 * it); the column's first NaN or ±∞ is kept too, as it breaks the line. Short series come back whole.
 * Smooth first, on the full series, then downsample what is drawn: smoothing never depends on the drawing.
 * `x` must be non-decreasing.
 * @example const drawn = minMaxDownsample(steps, smoothedLoss, chartWidthInPixels);
 */
export function minMaxDownsample(x: ArrayLike<number>, y: ArrayLike<number>, buckets: number): { x: number[]; y: number[] } {
  const n = Math.min(x.length, y.length);
  if (n <= 2 * buckets) return { x: Array.from({ length: n }, (_, i) => x[i]!), y: Array.from({ length: n }, (_, i) => y[i]!) };
  const x0 = x[0]!, span = x[n - 1]! - x0;
  const column = (v: number) => span > 0 ? Math.min(buckets - 1, Math.floor(((v - x0) / span) * buckets)) : 0;
  const keep: number[] = [];
  let start = 0;
  while (start < n) {
    const c = column(x[start]!);
    let end = start + 1;
    while (end < n && column(x[end]!) === c) end++;
    let lo = -1, hi = -1, bad = -1;
    for (let i = start; i < end; i++) {
      const v = y[i]!;
      if (!Number.isFinite(v)) { if (bad < 0) bad = i; continue; }
      if (lo < 0 || v < y[lo]!) lo = i;
      if (hi < 0 || v > y[hi]!) hi = i;
    }
    keep.push(...[...new Set([lo, hi, bad])].filter((i) => i >= 0).sort((a, b) => a - b));
    start = end;
  }
  return { x: keep.map((i) => x[i]!), y: keep.map((i) => y[i]!) };
}
