/** One line of a chart: its points (x non-decreasing) and its look. NaN and ±∞ break the line there. */
export interface ChartLine {
  label: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  color: string;
  /** 0..1 (default 1): a raw series drawn light under its smoothed one. */
  alpha?: number;
  width?: number;
  dash?: number[];
}

/** Okabe & Ito's colour-blind-safe palette (the report's colours come first). */
export const PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000", "#F0E442"];
