import { OptionError } from "../errors.js";
import { checkOptions, nonNegativeInt, option, optional, required, show, type Check, type OptionsOf } from "../options.js";

/** A suggested learning rate, and the point of the curve it comes from (for minimum, the lr of the lowest loss, ten times the suggestion). */
export interface LrSuggestion {
  lr: number;
  point: { lr: number; loss: number };
}

/** fastai's four rules; null where the curve left after the cut is too short for the rule (fastai fails there). */
export interface LrSuggestions {
  /** The middle of the longest valley: the lr at start + ⌊len/3⌋ + ⌊len/6⌋ of the longest decreasing subsequence (fastai's default). */
  valley: LrSuggestion | null;
  /** Walks left from the end while the loss's gradients 15 points apart differ by more than 0.005 (needs 16 points). */
  slide: LrSuggestion | null;
  /** A tenth of the lr of the lowest loss. */
  minimum: LrSuggestion | null;
  /** Where the loss falls fastest per unit of log lr (needs 2 points). */
  steep: LrSuggestion | null;
}

const numberList: Check = (v) => (Array.isArray(v) && v.every((x) => typeof x === "number") ? null : "an array of numbers");

const SUGGESTION_OPTIONS = {
  /** The learning rates of the curve, increasing and positive (lrFind's lrs). */
  lrs: required<readonly number[]>(numberList),
  /** The loss at each lr: lrFind hands in its smoothed losses, as fastai's recorder does; NaN ends the curve. */
  losses: required<readonly number[]>(numberList),
  /** The sweep's planned length (default: the curve's length): the cut skips its first tenth. */
  numIt: optional<number>(nonNegativeInt),
  /** Points left out at the start (default ⌊numIt/10⌋, fastai's). */
  skipStart: optional<number>(nonNegativeInt),
  /** Points left out at the end (default 5, fastai's). */
  skipEnd: option(5, nonNegativeInt),
};

/** The options of lrSuggestions. */
export interface LrSuggestionsOptions extends OptionsOf<typeof SUGGESTION_OPTIONS> {}

/**
 * fastai's learning-rate suggestions (valley, slide, minimum, steep; fastai/callback/schedule.py) for any
 * recorded LR range test: the curve is cut as lr_find cuts it, lrs[⌊numIt/10⌋ : −5], then up to its first
 * NaN, and each rule runs on what is left, in float64 (fastai's tensors are float32).
 * @example const { valley } = mn.train.lrSuggestions({ lrs, losses }); if (valley) console.log(valley.lr);
 */
export function lrSuggestions(options: LrSuggestionsOptions): LrSuggestions {
  const o = checkOptions("lrSuggestions", options, SUGGESTION_OPTIONS);
  if (o.lrs.length !== o.losses.length) {
    throw new OptionError({ where: "lrSuggestions", what: `lrs has ${o.lrs.length} values and losses ${o.losses.length}`, expected: "one loss per lr" });
  }
  o.lrs.forEach((lr, i) => {
    if (!(lr > 0 && Number.isFinite(lr)) || (i > 0 && !(lr > o.lrs[i - 1]!))) {
      throw new OptionError({ where: "lrSuggestions", what: `lrs[${i}] is ${show(lr)}${i > 0 ? ` after ${show(o.lrs[i - 1])}` : ""}`, expected: "positive, finite, increasing learning rates" });
    }
  });
  const numIt = o.numIt ?? o.lrs.length;
  const start = o.skipStart ?? Math.floor(numIt / 10);
  const end = Math.max(0, o.lrs.length - o.skipEnd);
  let lrs = o.lrs.slice(start, end), losses = o.losses.slice(start, end);
  const nan = losses.findIndex(Number.isNaN);
  if (nan >= 0) [lrs, losses] = [lrs.slice(0, nan), losses.slice(0, nan)];
  return { valley: valley(lrs, losses), slide: slide(lrs, losses), minimum: minimum(lrs, losses), steep: steep(lrs, losses) };
}

const at = (lrs: readonly number[], losses: readonly number[], i: number): LrSuggestion => ({ lr: lrs[i]!, point: { lr: lrs[i]!, loss: losses[i]! } });

/** fastai's valley, O(n²) as written there; its index can be −1 on a curve that only falls, which Python reads as the last point. */
export function valley(lrs: readonly number[], losses: readonly number[]): LrSuggestion | null {
  const n = losses.length;
  if (n === 0) return null;
  let maxStart = 0, maxEnd = 0;
  const lds = new Array<number>(n).fill(1);
  for (let i = 1; i < n; i++) {
    for (let j = 0; j < i; j++) {
      if (losses[i]! < losses[j]! && lds[i]! < lds[j]! + 1) lds[i] = lds[j]! + 1;
      if (lds[maxEnd]! < lds[i]!) {
        maxEnd = i;
        maxStart = maxEnd - lds[maxEnd]!;
      }
    }
  }
  const sections = (maxEnd - maxStart) / 3;
  const idx = maxStart + Math.trunc(sections) + Math.trunc(sections / 2);
  return at(lrs, losses, idx < 0 ? idx + n : idx);
}

/** fastai's slide (lr_diff 15, thresh 0.005, adjust_value 1) over numpy.gradient of the losses; the point's loss interpolated in log10 lr. */
export function slide(lrs: readonly number[], losses: readonly number[], lrDiff = 15, thresh = 0.005, adjustValue = 1): LrSuggestion | null {
  const n = losses.length;
  if (n < lrDiff + 1) return null;
  const grad = gradient(losses);
  let r = n - 1, l = r - lrDiff;
  let localMinLr = lrs[l]!;
  while (l >= 0 && Math.abs(grad[r]! - grad[l]!) > thresh) {
    localMinLr = lrs[l]!;
    r--;
    l--;
  }
  const lr = localMinLr * adjustValue;
  return { lr, point: { lr, loss: interp(Math.log10(lr), lrs.map(Math.log10), losses) } };
}

/** fastai's minimum: a tenth of the lr with the lowest loss (the first, on ties). */
export function minimum(lrs: readonly number[], losses: readonly number[]): LrSuggestion | null {
  if (losses.length === 0) return null;
  const lrMin = lrs[argmin(losses)]!;
  return { lr: lrMin / 10, point: { lr: lrMin, loss: losses[nearest(lrs, lrMin)]! } };
}

/** fastai's steep: the lr where (loss[i+1] − loss[i]) / (ln lr[i+1] − ln lr[i]) is lowest. */
export function steep(lrs: readonly number[], losses: readonly number[]): LrSuggestion | null {
  if (losses.length < 2) return null;
  const slopes = losses.slice(1).map((v, i) => (v - losses[i]!) / (Math.log(lrs[i + 1]!) - Math.log(lrs[i]!)));
  const lr = lrs[argmin(slopes)]!;
  return { lr, point: { lr, loss: losses[nearest(lrs, lr)]! } };
}

/** The first index of the least value; a NaN counts as least (torch.argmin and numpy.argmin return the first NaN). */
function argmin(values: readonly number[]): number {
  let best = 0;
  for (let i = 0; i < values.length; i++) {
    if (Number.isNaN(values[i])) return i;
    if (values[i]! < values[best]!) best = i;
  }
  return best;
}

/** The first index whose lr is closest to `lr`. */
function nearest(lrs: readonly number[], lr: number): number {
  let best = 0;
  for (let i = 1; i < lrs.length; i++) if (Math.abs(lrs[i]! - lr) < Math.abs(lrs[best]! - lr)) best = i;
  return best;
}

/** numpy.gradient with unit spacing: central differences inside, one-sided at the ends. */
function gradient(f: readonly number[]): number[] {
  const n = f.length;
  return f.map((_, i) => (i === 0 ? f[1]! - f[0]! : i === n - 1 ? f[n - 1]! - f[n - 2]! : (f[i + 1]! - f[i - 1]!) / 2));
}

/** numpy.interp over increasing xp: fp's ends outside, slope·(x − xp[j]) + fp[j] inside. */
function interp(x: number, xp: readonly number[], fp: readonly number[]): number {
  const n = xp.length;
  if (x <= xp[0]!) return fp[0]!;
  if (x >= xp[n - 1]!) return fp[n - 1]!;
  let j = 0;
  while (xp[j + 1]! <= x) j++;
  if (x === xp[j]) return fp[j]!;
  return ((fp[j + 1]! - fp[j]!) / (xp[j + 1]! - xp[j]!)) * (x - xp[j]!) + fp[j]!;
}
