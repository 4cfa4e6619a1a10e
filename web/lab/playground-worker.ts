// The playground's training loop, off the page's thread: builds the data and the network with minima's core
// (on the backend the core picks: wasm where WebAssembly SIMD runs, else js), trains in slices of about SLICE_MS, and after each slice sends the scores and the decision grid.
import { getBackend } from "../../src/index.js";
import type { FromWorker, ToWorker } from "./playground/protocol.js";
import { PlaygroundTrainer } from "./playground/trainer.js";

/** Train this long between two frames: long enough to make progress, short enough for a fluent picture and quick pauses. */
const SLICE_MS = 30;

const scope = self as unknown as { postMessage(message: FromWorker, transfer?: Transferable[]): void; onmessage: ((e: MessageEvent<ToWorker>) => void) | null };
let trainer: PlaygroundTrainer | null = null, gridSize = 64, running = false, timer: ReturnType<typeof setTimeout> | undefined;

function sendFrame(stopped: string | null = null): void {
  if (!trainer) return;
  const scores = trainer.scores();
  // A loss that is no longer a number stops the run: nothing later would mean anything.
  if (stopped === null && !Number.isFinite(scores.trainLoss)) {
    running = false;
    stopped = `The training loss became ${scores.trainLoss} at epoch ${scores.epoch}: the steps diverged. Lower the learning rate to start over.`;
  }
  const { p1 } = trainer.grid(gridSize);
  scope.postMessage({ type: "frame", scores, p1, running, stopped }, [p1.buffer]);
}

function tick(): void {
  timer = undefined;
  if (!running || !trainer) return;
  const start = performance.now();
  do trainer.runEpoch(); while (performance.now() - start < SLICE_MS);
  sendFrame();
  if (running) timer = setTimeout(tick, 0);
}

function handle(message: ToWorker): void {
  switch (message.type) {
    case "reset": {
      running = false;
      clearTimeout(timer);
      gridSize = message.gridSize;
      trainer = new PlaygroundTrainer(message.settings);
      const { x, y } = trainer.grid(gridSize), parameters = trainer.model.parameters().reduce((n, p) => n + p.numel(), 0);
      scope.postMessage({ type: "data", train: trainer.points("train"), test: trainer.points("test"), gridX: x, gridY: y, parameters, backend: getBackend() });
      sendFrame();
      return;
    }
    case "play":
      if (!running) { running = true; tick(); }
      return;
    case "pause":
      running = false;
      clearTimeout(timer);
      sendFrame();
      return;
    case "step":
      running = false;
      clearTimeout(timer);
      trainer?.runEpoch();
      sendFrame();
      return;
  }
}

scope.onmessage = (e) => {
  try {
    handle(e.data);
  } catch (error) {
    running = false;
    scope.postMessage({ type: "error", message: (error as Error).message });
  }
};
