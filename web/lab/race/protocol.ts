// The messages between the race page and its worker (web/lab/race-worker.ts).
import type { RaceSettings } from "./settings.js";

export type RaceRequest =
  /** Contours of a surface over its window, widened to take in `cover` (a start outside the window). */
  | { kind: "contours"; id: number; surface: string; cover: [number, number] }
  /** Every racer's trajectory. */
  | { kind: "race"; id: number; settings: RaceSettings };

/** The contour plot: the report's SVG, and the data window its plot area spans. */
export interface Contours {
  surface: string;
  svg: string;
  x: [number, number];
  y: [number, number];
}

export interface RacerResult {
  name: string;
  x: number[];
  y: number[];
  /** f at each point; the last is f at the end. */
  f: number[];
  divergedAt: number | null;
  stepsToTolerance: number | null;
  /** The rate measured over the second half towards the minimum nearest the end (null: no minimum or too few steps). */
  measuredRate: number | null;
  /** What theory says this run's rate is: gradient descent or heavy ball on a positive-definite quadratic (null otherwise). */
  theoryRate: number | null;
  /** Why it did not run (an option the optimizer refused), else null. */
  error: string | null;
}

/** A quadratic's eigenvalues and, when positive definite, its theory (mn.landscape.quadraticTheory). */
export interface TheoryResult {
  eigenvalues: [number, number];
  theory: {
    lambdaMax: number; lambdaMin: number; kappa: number; gdMaxLr: number; gdBestLr: number; gdBestRate: number;
    heavyBallLr: number; heavyBallMomentum: number; heavyBallRate: number;
  } | null;
}

export interface RaceResult {
  settings: RaceSettings;
  /** The lowest value among the surface's minima (null: it has none). */
  best: number | null;
  racers: RacerResult[];
  theory: TheoryResult | null;
  /** Milliseconds the worker took. */
  ms: number;
  /** The backend the worker ran on (the core's choice in a browser: wasm where WebAssembly SIMD runs). */
  backend: string;
}

export type RaceReply =
  | { kind: "contours"; id: number; contours: Contours }
  | { kind: "race"; id: number; result: RaceResult }
  | { kind: "error"; id: number; message: string };
