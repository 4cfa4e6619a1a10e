import assert from "node:assert/strict";
import * as mn from "../../src/index.node.js";

// Twin training runs for mn.compile's tests: the same model, optimizer and batches, one stepped eagerly and one through
// mn.compile, each from the same seed (dropout draws from the default generator, so the runs go one after the other).

export const F = mn.nn.functional;

/** A model and its optimizer (and, if any, a scheduler stepped after every step). */
export interface Run {
  model: mn.nn.Module;
  opt: mn.optim.Optimizer<mn.optim.GroupOptions>;
  sched?: { step(): void };
}

/** Batches of n rows of [features] (or an image shape) and class targets in [0, classes), from their own generator. */
export function batches(sizes: readonly number[], shape: readonly number[], classes: number, seed = 7): [mn.Tensor, mn.Tensor][] {
  const g = new mn.Generator(seed);
  return sizes.map((n) => [mn.randn([n, ...shape], { generator: g }), mn.randint(0, classes, [n], { generator: g })]);
}

/** The usual step: zero the grads, forward, cross-entropy, backward, `beforeStep` (clipping, say), step; returns the loss. */
export function stepOf(run: Run, beforeStep?: (run: Run) => void): (x: mn.Tensor, y: mn.Tensor) => mn.Tensor {
  return (x, y) => {
    run.opt.zeroGrad();
    const loss = F.crossEntropy(run.model.forward(x), y);
    loss.backward();
    beforeStep?.(run);
    run.opt.step();
    return loss;
  };
}

/** What a run leaves: each step's loss, each step's gradients (read after the step) and the final weights and buffers. */
export interface Outcome {
  losses: number[];
  grads: (Float32Array | Float64Array | Int32Array | null)[][];
  state: Record<string, mn.Tensor>;
}

/**
 * Runs make()'s run over the batches eagerly, then a fresh make() through mn.compile (with `options`), calling
 * `between(run, i)` after step i in both; returns both outcomes and the compiled step.
 */
export function twins(make: () => Run, data: [mn.Tensor, mn.Tensor][], options: {
  beforeStep?: (run: Run) => void; between?: (run: Run, i: number) => void; compile?: mn.CompileOptions; seed?: number;
} = {}) {
  const play = (stepper: (run: Run) => (x: mn.Tensor, y: mn.Tensor) => number): Outcome => {
    mn.manualSeed(options.seed ?? 11);
    const run = make();
    const step = stepper(run);
    const losses: number[] = [], grads: Outcome["grads"] = [];
    data.forEach(([x, y], i) => {
      losses.push(step(x, y));
      grads.push(run.model.parameters().map((p) => p.grad?.data.slice() ?? null));
      run.sched?.step();
      options.between?.(run, i);
    });
    return { losses, grads, state: run.model.stateDict() };
  };
  const eager = play((run) => { const s = stepOf(run, options.beforeStep); return (x, y) => s(x, y).item(); });
  let compiled: mn.CompiledStep<[mn.Tensor, mn.Tensor]> | undefined;
  const captured = play((run) => (compiled = mn.compile(stepOf(run, options.beforeStep), options.compile ?? { onNote: (n) => assert.fail(n) })));
  // Without notes expected, the last steps were replays (not eager runs that would equal eager trivially).
  if (!options.compile) assert.equal(compiled!.capture.lastRun, "replayed");
  return { eager, captured, step: compiled! };
}

/** Asserts that two outcomes are equal bit for bit: losses, gradients after each step, weights and buffers. */
export function assertSame(got: Outcome, want: Outcome): void {
  assert.deepEqual(got.losses, want.losses);
  assert.deepEqual(got.grads, want.grads);
  assert.deepEqual(Object.keys(got.state), Object.keys(want.state));
  for (const [name, t] of Object.entries(want.state)) assert.deepEqual(got.state[name]!.data, t.data, name);
}
