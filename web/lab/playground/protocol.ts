import type { PlaygroundSettings } from "./settings.js";
import type { PlaygroundScores, Points } from "./trainer.js";

/** The page's orders to the playground's worker. */
export type ToWorker =
  /** Build the data and a fresh model from the settings (and stop); the worker answers "data", then a "frame". */
  | { type: "reset"; settings: PlaygroundSettings; gridSize: number }
  | { type: "play" }
  | { type: "pause" }
  /** Train one epoch, then pause. */
  | { type: "step" };

/** The worker's answers. */
export type FromWorker =
  /** `backend`: the kernels the worker trains on (the core's choice in a browser: wasm where WebAssembly SIMD runs). */
  | { type: "data"; train: Points; test: Points; gridX: readonly number[]; gridY: readonly number[]; parameters: number; backend: string }
  /** The model now: its scores and p(class 1) on the grid (row-major by y, ascending). */
  | { type: "frame"; scores: PlaygroundScores; p1: Float32Array; running: boolean; stopped: string | null }
  | { type: "error"; message: string };
