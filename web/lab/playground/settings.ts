import type * as mn from "../../../src/index.js";

// The page offers every data set and activation the core has: these records must name each one (tsc checks), and
// they keep the core out of the page's script (only the worker bundles it).
const DATASET_NAMES: Record<mn.data.Toy2dName, true> = { spirals: true, moons: true, circles: true, xor: true };
const ACTIVATION_NAMES: Record<mn.nn.ActivationName, true> = { relu: true, "leaky-relu": true, tanh: true, sigmoid: true, gelu: true };
export const DATASETS = Object.keys(DATASET_NAMES) as mn.data.Toy2dName[];
export const ACTIVATIONS = Object.keys(ACTIVATION_NAMES) as mn.nn.ActivationName[];

/** The optimizers the playground offers: "momentum" is SGD with μ = 0.9, the rest minima's classes with their defaults. */
export const PLAYGROUND_OPTIMIZERS = ["sgd", "momentum", "rmsprop", "adagrad", "adam"] as const;
export type PlaygroundOptimizer = (typeof PLAYGROUND_OPTIMIZERS)[number];

/** Everything that defines a playground run; it lives in the URL, so a link reproduces the run bit for bit. */
export interface PlaygroundSettings {
  data: mn.data.Toy2dName;
  /** The data's noise: σ of the Gaussian noise on each coordinate (mn.data.toy2d's noise). */
  noise: number;
  /** Training samples (the test set has half as many, drawn from the same distribution). */
  samples: number;
  /** Hidden layers' widths (one entry per layer). */
  hidden: number[];
  activation: mn.nn.ActivationName;
  optimizer: PlaygroundOptimizer;
  lr: number;
  batchSize: number;
  /** λ of the L2 penalty (λ/2)·Σw² on the weights (not the biases), added to the training loss. */
  l2: number;
  /** Dropout after each hidden activation (0: none). */
  dropout: number;
  /** Seeds the data, the initial weights, the batches' order and dropout. */
  seed: number;
}

/** Spirals that the default network learns past 95% training accuracy in about a hundred epochs (seeds 1 to 6: 40 to 130). */
export const DEFAULTS: PlaygroundSettings = {
  data: "spirals", noise: 0.05, samples: 300, hidden: [16, 16], activation: "relu", optimizer: "adam", lr: 0.01,
  batchSize: 16, l2: 0, dropout: 0, seed: 1,
};

type Parser = (text: string) => unknown | undefined;
const numberIn = (lo: number, hi: number, integer = false): Parser => (t) => {
  const v = Number(t);
  return t.trim() !== "" && Number.isFinite(v) && v >= lo && v <= hi && (!integer || Number.isInteger(v)) ? v : undefined;
};
const oneOf = (choices: readonly string[]): Parser => (t) => (choices.includes(t) ? t : undefined);

/** Each setting's parser and the words shown when a URL holds a value it refuses. */
const PARSERS: { [K in keyof PlaygroundSettings]: [Parser, string] } = {
  data: [oneOf(DATASETS), `one of ${DATASETS.join(", ")}`],
  noise: [numberIn(0, 1), "a number in [0, 1]"],
  samples: [numberIn(10, 5000, true), "an integer in [10, 5000]"],
  hidden: [(t) => {
    const widths = t === "" ? [] : t.split(",").map(Number);
    return widths.length <= 6 && widths.every((w) => Number.isInteger(w) && w >= 1 && w <= 64) ? widths : undefined;
  }, "up to 6 comma-separated widths in [1, 64] (empty: no hidden layer)"],
  activation: [oneOf(ACTIVATIONS), `one of ${ACTIVATIONS.join(", ")}`],
  optimizer: [oneOf(PLAYGROUND_OPTIMIZERS), `one of ${PLAYGROUND_OPTIMIZERS.join(", ")}`],
  lr: [(t) => { const v = numberIn(0, 10)(t); return v === 0 ? undefined : v; }, "a number in (0, 10]"],
  batchSize: [numberIn(1, 5000, true), "an integer in [1, 5000]"],
  l2: [numberIn(0, 1), "a number in [0, 1]"],
  dropout: [numberIn(0, 0.9), "a number in [0, 0.9]"],
  seed: [numberIn(0, 2 ** 31 - 1, true), "an integer in [0, 2³¹ − 1]"],
};

/**
 * The settings a URL's query names, the defaults for the rest; a value out of range or unreadable is not used, and
 * `refused` says which and what was expected (the page shows it), so a mistyped link never trains something else silently.
 */
export function settingsFromQuery(query: URLSearchParams): { settings: PlaygroundSettings; refused: string[] } {
  const settings: Record<string, unknown> = { ...DEFAULTS }, refused: string[] = [];
  for (const [key, [parse, expected]] of Object.entries(PARSERS)) {
    const text = query.get(key);
    if (text === null) continue;
    const value = parse(text);
    if (value === undefined) refused.push(`${key}=${JSON.stringify(text)} (expected ${expected})`);
    else settings[key] = value;
  }
  // Dropout acts after hidden activations only: without a hidden layer it would silently do nothing.
  if ((settings["hidden"] as number[]).length === 0 && settings["dropout"] !== 0) {
    refused.push(`dropout=${JSON.stringify(query.get("dropout"))} (expected 0 without a hidden layer: there are no units to drop)`);
    settings["dropout"] = 0;
  }
  return { settings: settings as unknown as PlaygroundSettings, refused };
}

/** The settings as the URL's query holds them. */
export function settingsToQuery(settings: PlaygroundSettings): Record<string, string> {
  return Object.fromEntries(Object.entries(settings).map(([k, v]) => [k, Array.isArray(v) ? v.join(",") : String(v)]));
}
