import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import * as mn from "../../../src/index.node.js";
import { inPlan, record } from "../../../src/backend/capture/record.js";
import { jsPlanRunner } from "../../../src/backend/capture/replay-js.js";
import { jsKernels } from "../../../src/backend/js/index.js";
import type { PlanCall, PlanKernel, PlanRunner } from "../../../src/backend/kernels.js";
import { nativeStatus } from "../../../src/backend/native/index.js";
import { compileNativePlan, type NativePlanAddon } from "../../../src/backend/native/plan.js";
import { kernels } from "../../../src/backend/select.js";
import type { TypedArray } from "../../../src/tensor/dtype.js";

const F = mn.nn.functional;

// The native backend's compilePlan (src/backend/native/plan.ts, native/src/plan.cc) against the reference every
// backend has, the JavaScript loop over the same table's kernels (src/backend/capture/replay-js.ts): recorded training
// steps of each kind of model run once by each from the same arrays, which must then hold the same bits.
describe("native plan", () => {
  if (!nativeStatus.loaded) return;
  const addon = nativeStatus.addon;

  /** Runs fn on the native backend (whatever MINIMA_BACKEND chose for the rest of the suite). */
  function onNative<T>(fn: () => T): T {
    const before = mn.getBackend();
    mn.setBackend("native");
    try {
      return fn();
    } finally {
      mn.setBackend(before);
    }
  }

  /** Every typed array the calls pass to kernels (in lists and pooling windows too), once each. */
  function arraysOf(calls: readonly PlanCall[]): TypedArray[] {
    const found = new Set<TypedArray>();
    const add = (v: unknown): void => {
      if (v instanceof Float32Array || v instanceof Float64Array || v instanceof Int32Array) found.add(v);
      else if (Array.isArray(v)) v.forEach(add);
      else if (v && typeof v === "object" && "start" in v) Object.values(v).forEach(add);
    };
    for (const c of calls) if (c.kernel !== "js") c.args.forEach(add);
    return [...found];
  }

  const sameBits = (a: TypedArray, b: TypedArray) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

  /** The native backend's plan of these calls, through an addon whose planRun counts its calls into `counter`. */
  function countingPlan(calls: readonly PlanCall[], counter: { runs: number }): PlanRunner {
    const counting: NativePlanAddon = {
      planCompile: (arrays, program, strings) => addon.planCompile(arrays, program, strings),
      planRun: (plan, segment) => { counter.runs++; addon.planRun(plan, segment); },
      planRelease: (plan) => addon.planRelease(plan),
      planKernels: () => addon.planKernels(),
    };
    const plan = compileNativePlan(counting, kernels(), calls);
    if ("unsupported" in plan) assert.fail(plan.unsupported);
    return plan;
  }

  /**
   * Records one step, then for each of `steps` new batches (the inputs refilled with normal draws) runs the host ops,
   * the JavaScript loop and, from the same arrays, the native plan: every array must come out the same, bit for bit.
   * Returns the trace's kernels and the plan's addon calls per step.
   */
  function planEqualsLoop(label: string, inputs: mn.Tensor[], step: () => unknown, steps = 3): { kernels: Set<string>; runsPerStep: number } {
    return onNative(() => {
      const { trace } = record(step);
      assert.equal(trace.cannotReplay, null, label);
      const loop = jsPlanRunner(trace.calls, kernels());
      const counter = { runs: 0 };
      const plan = countingPlan(trace.calls, counter);
      const arrays = arraysOf(trace.calls);
      const g = new mn.Generator(11);
      let runsPerStep = 0;
      for (let s = 0; s < steps; s++) {
        for (const x of inputs) if (x.dtype !== "int32") x.data.set(mn.randn(x.shape, { generator: g, dtype: x.dtype }).data);
        for (const op of trace.hostOps) op();
        const start = arrays.map((a) => a.slice());
        loop.run();
        const want = arrays.map((a) => a.slice());
        assert.ok(want.some((a, i) => !sameBits(a, start[i]!)), `${label}: the step writes its arrays`);
        arrays.forEach((a, i) => a.set(start[i]!));
        counter.runs = 0;
        plan.run();
        runsPerStep = counter.runs;
        arrays.forEach((a, i) => assert.ok(sameBits(a, want[i]!), `${label}, step ${s}: array ${i} of ${arrays.length} (${a.constructor.name} of ${a.length}) differs`));
      }
      plan.dispose?.();
      return { kernels: new Set(trace.calls.map((c) => c.kernel)), runsPerStep };
    });
  }

  /** One training step: zero the grads, forward, the loss, backward, the optimizer's step. */
  const trainStep = (model: mn.nn.Module, opt: { zeroGrad(): void; step(): unknown }, x: mn.Tensor, loss: (out: mn.Tensor) => mn.Tensor) => () => {
    opt.zeroGrad();
    const l = loss(model.forward(x));
    l.backward();
    opt.step();
    return l;
  };

  test("an MLP with dropout and Adam: the plan equals the JavaScript loop bit for bit, in one addon call per step", () => {
    mn.manualSeed(1);
    const model = new mn.nn.Sequential(new mn.nn.Linear(13, 17), new mn.nn.ReLU(), new mn.nn.Dropout(0.3), new mn.nn.Linear(17, 5));
    const x = mn.randn([9, 13]), y = mn.randint(0, 5, [9]);
    const { kernels, runsPerStep } = planEqualsLoop("MLP", [x], trainStep(model, new mn.optim.Adam(model.parameters(), { lr: 0.01 }), x, (o) => F.crossEntropy(o, y)));
    assert.ok(kernels.has("matmul") && kernels.has("optimizerStep") && kernels.has("binary"));
    assert.equal(runsPerStep, 1);
  });

  const cnn = (dtype: "float32" | "float64", batchNorm = true) => new mn.nn.Sequential(
    new mn.nn.Conv2d(2, 4, 3, { padding: 1, dtype }), new mn.nn.ReLU(), new mn.nn.MaxPool2d(2),
    new mn.nn.Conv2d(4, 6, 3, { dtype }), ...(batchNorm ? [new mn.nn.BatchNorm2d(6, { dtype })] : []), new mn.nn.ReLU(), new mn.nn.AvgPool2d(2),
    new mn.nn.Flatten(), new mn.nn.Linear(6 * 2 * 2, 3, { dtype }));

  test("a CNN (oneDNN's convolutions, max and average pooling, batch norm) with SGD, Nesterov momentum and weight decay: the plan equals the JavaScript loop bit for bit", () => {
    mn.manualSeed(2);
    const model = cnn("float32");
    const x = mn.randn([5, 2, 12, 12]), y = mn.randint(0, 3, [5]);
    const opt = new mn.optim.SGD(model.parameters(), { lr: 0.05, momentum: 0.9, nesterov: true, weightDecay: 1e-3 });
    const { kernels } = planEqualsLoop("CNN", [x], trainStep(model, opt, x, (o) => F.crossEntropy(o, y)));
    for (const k of ["avgPool2d", "avgPool2dBackward", "batchNormStats", "batchNormBackward"]) assert.ok(kernels.has(k), k);
    // The first block's convolution, ReLU and max pooling run as one fused op where oneDNN's layout allows it.
    assert.ok((kernels.has("maxPool2d") && kernels.has("maxPool2dBackward")) || (kernels.has("convolution.forwardReluMaxPool") && kernels.has("convolution.backwardReluMaxPool")));
    if (addon.conv2dForward) assert.ok(kernels.has("convolution.forward") && kernels.has("convolution.backwardWeights"));
  });

  test("a float64 CNN (convolutions by im2col, matmul and col2im) with Adagrad: the plan equals the JavaScript loop bit for bit", () => {
    mn.manualSeed(3);
    const model = cnn("float64");
    const x = mn.randn([4, 2, 12, 12], { dtype: "float64" }), y = mn.randint(0, 3, [4]);
    const { kernels } = planEqualsLoop("float64 CNN", [x], trainStep(model, new mn.optim.Adagrad(model.parameters(), { lr: 0.05 }), x, (o) => F.crossEntropy(o, y)));
    for (const k of ["im2col", "col2im", "biasActivation", "matmul"]) assert.ok(kernels.has(k), k);
  });

  test("a residual MLP with dropout and AdamW (amsgrad): the plan equals the JavaScript loop bit for bit", () => {
    mn.manualSeed(4);
    const model = mn.nn.residualMlp({ inputs: 12, width: 10, blocks: 2, outputs: 4, dropout: 0.2 });
    const x = mn.randn([7, 12]), y = mn.randint(0, 4, [7]);
    const opt = new mn.optim.AdamW(model.parameters(), { lr: 0.01, amsgrad: true });
    planEqualsLoop("residual MLP", [x], trainStep(model, opt, x, (o) => F.crossEntropy(o, y, { labelSmoothing: 0.1 })));
  });

  test("batch norm, SiLU and layer norm with RMSprop, under log-softmax and NLL (gather, scatterAdd): the plan equals the JavaScript loop bit for bit", () => {
    mn.manualSeed(5);
    const model = new mn.nn.Sequential(new mn.nn.Linear(8, 6), new mn.nn.BatchNorm1d(6), new mn.nn.SiLU(), new mn.nn.LayerNorm([6]), new mn.nn.Linear(6, 3));
    const x = mn.randn([10, 8]), y = mn.randint(0, 3, [10]);
    const opt = new mn.optim.RMSprop(model.parameters(), { lr: 0.01, momentum: 0.5 });
    const { kernels } = planEqualsLoop("norms + NLL", [x], trainStep(model, opt, x, (o) => F.nllLoss(F.logSoftmax(o, 1), y)));
    for (const k of ["smoothActivation", "normalizeGroupsForward", "normalizeGroupsBackward", "softmax", "gather", "scatterAdd"]) assert.ok(kernels.has(k), k);
  });

  test("a CNN with batch norm and clipping by norm: the running statistics, the batch count and the clipping are in the plan, in one addon call per step", () => {
    mn.manualSeed(12);
    const model = cnn("float32");
    const x = mn.randn([5, 2, 12, 12]), y = mn.randint(0, 3, [5]);
    const opt = new mn.optim.Adam(model.parameters(), { lr: 0.01 });
    const { kernels, runsPerStep } = planEqualsLoop("CNN + BN + clip", [x], () => {
      opt.zeroGrad();
      const loss = F.crossEntropy(model.forward(x), y);
      loss.backward();
      mn.nn.utils.clipGradNorm(model.parameters(), 0.05); // small enough to clip every step
      opt.step();
      return loss;
    });
    for (const k of ["batchNormCount", "batchNormRunning", "batchNormInverseStd", "clipGradNorm"]) assert.ok(kernels.has(k), k);
    assert.ok(!kernels.has("js"), "no JavaScript between the kernels");
    assert.equal(runsPerStep, 1);
  });

  test("a float64 MLP with batch norm's cumulative average (momentum null), clipping by value and by the ∞- and 1-norms: one addon call per step", () => {
    mn.manualSeed(13);
    const model = new mn.nn.Sequential(new mn.nn.Linear(8, 6, { dtype: "float64" }), new mn.nn.BatchNorm1d(6, { momentum: null, dtype: "float64" }),
      new mn.nn.ReLU(), new mn.nn.Linear(6, 3, { dtype: "float64" }));
    const x = mn.randn([10, 8], { dtype: "float64" }), y = mn.randint(0, 3, [10]);
    const opt = new mn.optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
    const { kernels, runsPerStep } = planEqualsLoop("float64 MLP + BN + clips", [x], () => {
      opt.zeroGrad();
      const loss = F.crossEntropy(model.forward(x), y);
      loss.backward();
      mn.nn.utils.clipGradValue(model.parameters(), 0.02);
      mn.nn.utils.clipGradNorm(model.parameters(), 0.1, { normType: Infinity });
      mn.nn.utils.clipGradNorm(model.parameters(), 0.3, { normType: 1 });
      opt.step();
      return loss;
    });
    for (const k of ["batchNormCount", "batchNormRunning", "clipGradValue", "clipGradNorm"]) assert.ok(kernels.has(k), k);
    assert.equal(runsPerStep, 1);
  });

  test("clipping by a p-norm other than 1, 2 and ∞ runs its js kernel between two addon calls (V8's pow is not C++'s), bit for bit", () => {
    mn.manualSeed(14);
    const model = new mn.nn.Sequential(new mn.nn.Linear(8, 6), new mn.nn.Tanh(), new mn.nn.Linear(6, 3));
    const x = mn.randn([4, 8]), y = mn.randint(0, 3, [4]);
    const opt = new mn.optim.Adam(model.parameters(), { lr: 0.01 });
    const { runsPerStep } = planEqualsLoop("p = 3", [x], () => {
      opt.zeroGrad();
      const loss = F.crossEntropy(model.forward(x), y);
      loss.backward();
      mn.nn.utils.clipGradNorm(model.parameters(), 0.01, { normType: 3 });
      opt.step();
      return loss;
    });
    assert.equal(runsPerStep, 2);
  });

  test("the bookkeeping kernels' edge cases give the js kernels' bits, in the plan and eagerly: NaN and unclipped gradients, an int32 count at its largest, one running array", () => {
    const nan = Float32Array.of(1, NaN, -3), big = Float64Array.of(4, -7e300, 2), small = Float32Array.of(1e-3, -2e-3);
    // Each case: kernel and arguments built anew by `make`, so the js kernel and the plan start from the same values.
    const cases: [PlanKernel, () => unknown[]][] = [
      ["clipGradNorm", () => [[nan.slice(), small.slice()], 1, 2, new Float64Array(1)]],
      ["clipGradNorm", () => [[nan.slice(), small.slice()], 1, Infinity, new Float64Array(1)]],
      ["clipGradNorm", () => [[big.slice()], 1, 2, new Float64Array(1)]], // the squares overflow to ∞: scale 0
      ["clipGradNorm", () => [[small.slice()], 10, 1, new Float64Array(1)]], // under maxNorm: untouched
      ["clipGradValue", () => [[nan.slice(), small.slice()], 1.5e-3]],
      ["clipGradValue", () => [[], 1]],
      ["batchNormCount", () => [Int32Array.of(2147483647), null, new Float64Array(1)]],
      ["batchNormCount", () => [Int32Array.of(4), 0.25, new Float64Array(1)]],
      ["batchNormRunning", () => [null, Float32Array.of(1, 2), Float64Array.of(0.5, -1), Float64Array.of(3, 0.1), 7, Float64Array.of(0.3)]],
      ["batchNormInverseStd", () => [Float32Array.of(0.25, 0, 9), 1e-5, new Float64Array(3)]],
    ];
    const typedIn = (args: unknown[]) => args.flatMap((a) => (Array.isArray(a) ? a : [a])).filter((a): a is TypedArray => ArrayBuffer.isView(a));
    onNative(() => {
      for (const [kernel, make] of cases) {
        const wantArgs = make(), planArgs = make(), eagerArgs = make();
        (jsKernels as unknown as Record<string, (...a: unknown[]) => void>)[kernel]!(...wantArgs);
        const counter = { runs: 0 };
        countingPlan([{ kernel, args: planArgs, result: undefined }], counter).run();
        assert.equal(counter.runs, 1, `${kernel} runs natively`);
        (kernels() as unknown as Record<string, (...a: unknown[]) => void>)[kernel]!(...eagerArgs);
        // Bits, but any NaN for a NaN: a NaN's sign and payload are V8's choice (Math.max/min make their own), not the arithmetic's.
        const same = (x: TypedArray, y: TypedArray) => x.length === y.length && x.every((v, j) => Object.is(v, y[j]) || (Number.isNaN(v) && Number.isNaN(y[j])));
        const noNaN = (x: TypedArray) => x.every((v) => !Number.isNaN(v));
        const want = typedIn(wantArgs);
        for (const [how, args] of [["plan", planArgs], ["eager", eagerArgs]] as const) {
          const got = typedIn(args);
          want.forEach((a, i) => assert.ok(noNaN(a) ? sameBits(got[i]!, a) : same(got[i]!, a), `${how} ${kernel}(${JSON.stringify(wantArgs.slice(1))}): array ${i} is ${String(got[i])}, js gives ${String(a)}`));
        }
      }
    });
  });

  /** inPlan with the arrays its work touches (mn.compile's verification reads them; older recorders ignore the list). */
  const inPlanTouching = inPlan as (label: string, work: () => void, touches: readonly TypedArray[]) => void;

  test("layout ops (permute, slice, sliceAdd, expand), clamp and where, and JavaScript work between the backward and Adam (inPlan): the plan equals the JavaScript loop bit for bit, in one addon call per stretch of native calls", () => {
    mn.manualSeed(6);
    const first = new mn.nn.Linear(8, 6);
    const model = new mn.nn.Sequential(first, new mn.nn.Tanh(), new mn.nn.Linear(6, 5));
    const x = mn.randn([4, 8]);
    const opt = new mn.optim.Adam(model.parameters(), { lr: 0.01 });
    const { kernels, runsPerStep } = planEqualsLoop("layout + inPlan", [x], () => {
      opt.zeroGrad();
      const out = model.forward(x);
      const window = out.transpose(0, 1).narrow(0, 1, 3).clamp(-0.5, 0.5);
      const picked = mn.where(window.gt(0), window, window.mul(0.1));
      const loss = F.mseLoss(picked, mn.zeros(picked.shape)).add(F.softmax(out, 1).sum());
      loss.backward();
      const g = first.weight.grad!.data as Float32Array;
      inPlanTouching("halve the first layer's weight gradient", () => { for (let i = 0; i < g.length; i++) g[i] = g[i]! * 0.5; }, [g]);
      opt.step();
      return loss;
    });
    for (const k of ["permute", "slice", "sliceAdd", "expand", "clamp", "where", "js"]) assert.ok(kernels.has(k), k);
    // Forward and backward, then the JavaScript work, then Adam's fused steps.
    assert.equal(runsPerStep, 2);
  });

  test("mn.compile on the native backend (its plan) steps a CNN with batch norm and clipping bit for bit as eager steps do", () => {
    onNative(() => {
      const g = new mn.Generator(8);
      const data = Array.from({ length: 4 }, () => [mn.randn([5, 2, 12, 12], { generator: g }), mn.randint(0, 3, [5], { generator: g })] as const);
      const make = () => { mn.manualSeed(9); const m = cnn("float32"); return [m, new mn.optim.Adam(m.parameters(), { lr: 0.01 })] as const; };
      const [eager, eagerOpt] = make(), [captured, capturedOpt] = make();
      const stepOf = (model: mn.nn.Module, opt: mn.optim.Adam, x: mn.Tensor, y: mn.Tensor) => {
        opt.zeroGrad();
        const loss = F.crossEntropy(model.forward(x), y);
        loss.backward();
        mn.nn.utils.clipGradNorm(model.parameters(), 0.05);
        opt.step();
        return loss;
      };
      const want = data.map(([x, y]) => stepOf(eager, eagerOpt, x, y).item());
      const step = mn.compile((x: mn.Tensor, y: mn.Tensor) => stepOf(captured, capturedOpt, x, y), { onNote: (n) => assert.fail(n) });
      const got = data.map(([x, y]) => step(x, y));
      assert.deepEqual(got, want);
      eager.parameters().forEach((p, i) => assert.ok(sameBits(captured.parameters()[i]!.data, p.data), `parameter ${i}`));
      const buffers = captured.namedBuffers();
      eager.namedBuffers().forEach(([name, b], i) => assert.ok(sameBits(buffers[i]![1].data, b.data), name));
    });
  });

  test("a call the plan has no native code for is refused with the kernel's name (mn.compile then replays in a JavaScript loop)", () => {
    const calls: PlanCall[] = [{ kernel: "sumOfSquares", args: [new Float32Array(3)], result: 0 }];
    onNative(() => assert.deepEqual(kernels().compilePlan!(calls), { unsupported: "the native plan has no sumOfSquares" }));
  });

  test("planCompile names the call and argument a program gets wrong, and planRun refuses a released plan", () => {
    const tag = { array: 1, number: 2 };
    // expand(x, shape, out, outShape) with a number where x must be an array.
    assert.throws(() => addon.planCompile([], Float64Array.from([0, 4, tag.number, 1]), ["expand"]), { message: "minima native plan: expand's argument 0 must be a typed array" });
    // unary(op, x, …) on Int32Arrays.
    assert.throws(() => addon.planCompile([new Int32Array(2)], Float64Array.from([0, 4, tag.number, 0, tag.array, 0]), ["unary"]),
      { message: "minima native plan: unary's argument 1 must be a Float32Array or Float64Array" });
    assert.throws(() => addon.planCompile([], Float64Array.from([0, 0]), ["fft"]), { message: "the native plan has no fft" });
    const plan = addon.planCompile([], new Float64Array(0), []);
    addon.planRun(plan, 0);
    addon.planRelease(plan);
    assert.throws(() => addon.planRun(plan, 0), { message: "minima native plan: the plan was released" });
  });

  /** A compiled plan of an MLP step and a weak reference to the first layer's product, which no tensor holds once the step is over. */
  function planAndIntermediate(): { plan: PlanRunner; intermediate: WeakRef<TypedArray> } {
    mn.manualSeed(10);
    const model = new mn.nn.Sequential(new mn.nn.Linear(6, 5), new mn.nn.ReLU(), new mn.nn.Linear(5, 2));
    const x = mn.randn([3, 6]), y = mn.randint(0, 2, [3]);
    return onNative(() => {
      const { trace } = record(trainStep(model, new mn.optim.SGD(model.parameters(), { lr: 0.1 }), x, (o) => F.crossEntropy(o, y)));
      const plan = kernels().compilePlan!(trace.calls);
      if ("unsupported" in plan) assert.fail(plan.unsupported);
      return { plan, intermediate: new WeakRef(trace.calls.find((c) => c.kernel === "matmul")!.args[2] as TypedArray) };
    });
  }

  test("the plan holds its arrays: a step's intermediate array stays alive while the plan does, and is collected once it is disposed", async () => {
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
    const collect = async () => { for (let i = 0; i < 3; i++) { await new Promise((r) => setTimeout(r, 0)); gc(); } };
    let { plan, intermediate } = planAndIntermediate() as { plan: PlanRunner | null; intermediate: WeakRef<TypedArray> };
    await collect();
    assert.ok(intermediate.deref() !== undefined, "alive while the plan is");
    plan!.run();
    plan!.dispose!();
    plan = null;
    await collect();
    assert.equal(intermediate.deref(), undefined, "collected after dispose");
  });
});
