import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../src/index.node.js";
import { assertClose, loadFixture, type TensorEntry, type Tolerance } from "../helpers/fixtures.js";

// Expected values come from test/fixtures/lbfgs.json (tools/gen_lbfgs_fixtures.py, torch 1.13): the loss each
// step(closure) returned, the parameters and torch's evaluation counters after each call. Each list holds the
// leading calls torch itself reproduces (see below and the script); every call stored is compared.
type FloatDType = "float32" | "float64";
type Problem = "rosenbrock" | "mlp";
const F = mn.nn.functional;
const fx = loadFixture("lbfgs.json");
const REF = `torch ${String(fx.torch).split(".").slice(0, 2).join(".")}`;

const leaf = (e: TensorEntry, dtype: FloatDType) =>
  new mn.Tensor(dtype === "float32" ? Float32Array.from(e.data) : Float64Array.from(e.data), e.shape, true);

/** Fresh parameters at the fixture's starting point, and the loss the fixture minimizes. */
function setup(problem: Problem, dtype: FloatDType): { params: mn.Tensor[]; loss: () => mn.Tensor } {
  const init = fx.init[problem];
  if (problem === "rosenbrock") {
    const params = [leaf(init.w, dtype)];
    const loss = () => {
      const x = params[0]!.select(0, 0), y = params[0]!.select(0, 1);
      return x.neg().add(1).square().add(y.sub(x.square()).square().mul(100));
    };
    return { params, loss };
  }
  const params = ["0.weight", "0.bias", "2.weight", "2.bias"].map((n) => leaf(init[n], dtype));
  const x = leaf(init.x, dtype).detach();
  const y = mn.tensor(Int32Array.from(init.y.data));
  const l2: number = init.l2;
  const loss = () => {
    let penalty = params[0]!.square().sum();
    for (const p of params.slice(1)) penalty = penalty.add(p.square().sum());
    return F.crossEntropy(F.linear(F.linear(x, params[0]!, params[1]!).tanh(), params[2]!, params[3]!), y).add(penalty.mul(l2));
  };
  return { params, loss };
}

function closureFor(opt: mn.optim.LBFGS, loss: () => mn.Tensor): () => mn.Tensor {
  return () => {
    opt.zeroGrad();
    const l = loss();
    l.backward();
    return l;
  };
}

// float64: elementwise rtol 1e-10. float32: 1e-5 of each tensor's largest |element| (an element crossing zero
// has no relative precision left in float32). LBFGS amplifies round-off — curvature pairs are differences
// of nearly equal gradients, and a strong-Wolfe test that passes in one run can fail in another — so the
// fixture keeps, per row, problem and dtype, the leading calls a reimplementation can match:
//   float64: the calls torch's own float64 run reproduces to a tenth of 1e-10 from starts nudged by about
//     ±2 ulps and with every matrix product summed in another order (with 20 iterations per call such a run
//     can move by 1e-6 within 4 calls); the margin covers OpenBLAS's blocked sums on the native backend;
//   float32: of those, the calls where torch's float32 run stays within 0.5e-5 of its float64 run. Torch
//     computes the directions, dot products and line search in float32, minima in float64 (only the
//     parameters and the closure are float32); where float32 rounding does not steer the path both land
//     together, beyond it torch's own float32 and float64 runs part (by up to 100% on Rosenbrock).
// The rows with one or two iterations per call keep the most calls, in both dtypes.
const tolFor = (dtype: FloatDType, expected: readonly number[]): Tolerance =>
  dtype === "float64" ? { rtol: 1e-10, atol: 1e-14 } : { rtol: 0, atol: 1e-5 * Math.max(...expected.map(Math.abs)) };

describe("LBFGS", () => {
  for (const [desc, run] of Object.entries<any>(fx.runs)) {
    for (const problem of ["rosenbrock", "mlp"] as const) {
      for (const dtype of ["float64", "float32"] as const) {
        const calls: any[] = run[problem][dtype];
        if (calls.length === 0) continue; // float32 rounding steers torch's path from the first call on
        test(`matches ${REF} (${desc}, ${problem}, ${dtype}, ${calls.length} calls, ${calls.at(-1).nIter} iterations)`, () => {
          const { params, loss } = setup(problem, dtype);
          const opt = new mn.optim.LBFGS(params, run[problem].options);
          const closure = closureFor(opt, loss);
          calls.forEach((expected, k) => {
            const got = opt.step(closure);
            const label = `${desc} ${problem} ${dtype} call ${k + 1}`;
            assertClose([got], [expected.loss], tolFor(dtype, [expected.loss]), `${label}: loss`);
            params.forEach((p, i) => assertClose(p.data, expected.params[i].data, tolFor(dtype, expected.params[i].data), `${label}: param ${i}`));
            const st = opt.stateDict().state["0"]!;
            assert.deepEqual([st["funcEvals"], st["nIter"]], [expected.funcEvals, expected.nIter], `${label}: funcEvals, nIter`);
          });
        });
      }
    }
  }

  // Float32 on Rosenbrock with strong Wolfe is where torch's own float32 run leaves its float64 run soonest:
  // at most 5 calls agree, in any row tried. Everywhere else 11+ calls or 20+ iterations are compared.
  test("the fixture compares 20+ iterations (float32: 5+ calls) with and without strong Wolfe, on both problems", () => {
    for (const search of ["strong_wolfe", null]) {
      for (const problem of ["rosenbrock", "mlp"] as const) {
        for (const dtype of ["float64", "float32"] as const) {
          const rows = Object.values<any>(fx.runs).filter((r) => (r[problem].options.lineSearchFn ?? null) === search);
          const most = Math.max(...rows.map((r) => r[problem][dtype].at(-1)?.nIter ?? 0));
          const calls = Math.max(...rows.map((r) => r[problem][dtype].length));
          assert.ok(dtype === "float64" ? most >= 20 : calls >= 5, `${search} ${problem} ${dtype}: at most ${most} iterations, ${calls} calls compared`);
        }
      }
    }
  });

  test("converges on Rosenbrock to its minimum (1, 1) (closed form)", () => {
    const { params, loss } = setup("rosenbrock", "float64");
    // toleranceChange 1e-9 (the default) ends each call once the loss moves by less than that, near 1e-6 of (1, 1).
    const opt = new mn.optim.LBFGS(params, { lineSearchFn: "strong_wolfe", toleranceChange: 1e-14 });
    for (let k = 0; k < 10; k++) opt.step(closureFor(opt, loss));
    assertClose(params[0]!.data, [1, 1], { rtol: 0, atol: 1e-8 }, "argmin");
  });

  test("maximize on −f takes exactly the steps of minimizing f", () => {
    const a = setup("mlp", "float64"), b = setup("mlp", "float64");
    const optA = new mn.optim.LBFGS(a.params, { lineSearchFn: "strong_wolfe", historySize: 5 });
    const optB = new mn.optim.LBFGS(b.params, { lineSearchFn: "strong_wolfe", historySize: 5, maximize: true });
    for (let k = 0; k < 3; k++) {
      const la = optA.step(closureFor(optA, a.loss));
      const lb = optB.step(closureFor(optB, () => b.loss().neg()));
      assert.equal(lb, -la);
    }
    a.params.forEach((p, i) => assert.deepEqual(b.params[i]!.data, p.data));
  });

  test("a step without a closure fails, saying why", () => {
    const opt = new mn.optim.LBFGS(setup("rosenbrock", "float64").params);
    assert.throws(() => opt.step(), { name: "MinimaError", message: /^LBFGS: step\(\) needs a closure that re-evaluates the loss / });
  });

  test("stateDict round trip (JSON) keeps two optimizers in lockstep, bit for bit", () => {
    for (const lineSearchFn of [null, "strong_wolfe"] as const) {
      const options = { lineSearchFn, historySize: 3, maxIter: 6 };
      const a = setup("mlp", "float64");
      const optA = new mn.optim.LBFGS(a.params, options);
      for (let k = 0; k < 2; k++) optA.step(closureFor(optA, a.loss));
      const b = setup("mlp", "float64");
      b.params.forEach((p, i) => p.data.set(a.params[i]!.data));
      const optB = new mn.optim.LBFGS(b.params, { lineSearchFn: "strong_wolfe" });
      optB.loadStateDict(JSON.parse(JSON.stringify(optA.stateDict())));
      assert.deepEqual(optB.stateDict(), optA.stateDict());
      for (let k = 0; k < 3; k++) assert.equal(optB.step(closureFor(optB, b.loss)), optA.step(closureFor(optA, a.loss)));
      a.params.forEach((p, i) => assert.deepEqual(b.params[i]!.data, p.data, `${lineSearchFn}: param ${i}`));
    }
  });

  test("loadStateDict refuses a history of the wrong size", () => {
    const a = setup("rosenbrock", "float64");
    const opt = new mn.optim.LBFGS(a.params);
    opt.step(closureFor(opt, a.loss));
    opt.step(closureFor(opt, a.loss));
    const sd = opt.stateDict();
    (sd.state["0"]!["prevFlatGrad"] as number[]).push(0);
    assert.throws(() => new mn.optim.LBFGS(setup("rosenbrock", "float64").params).loadStateDict(sd), {
      name: "StateDictError", message: "LBFGS.loadStateDict: state prevFlatGrad has 3 values, expected 2",
    });
  });

  test("maxEval defaults to ⌊maxIter·5/4⌋ (torch)", () => {
    const p = setup("rosenbrock", "float64").params;
    assert.equal(new mn.optim.LBFGS(p).paramGroups[0]!.maxEval, 25);
    assert.equal(new mn.optim.LBFGS(p, { maxIter: 10 }).paramGroups[0]!.maxEval, 12);
    assert.equal(new mn.optim.LBFGS(p, { maxIter: 10, maxEval: 3 }).paramGroups[0]!.maxEval, 3);
  });

  const errors: { desc: string; options: Record<string, unknown>; message: string }[] = [
    { desc: "negative lr", options: { lr: -1 }, message: "LBFGS: invalid lr; expected a number ≥ 0, got -1" },
    { desc: "maxIter 0", options: { maxIter: 0 }, message: "LBFGS: invalid maxIter; expected a positive integer, got 0" },
    { desc: "fractional maxEval", options: { maxEval: 2.5 }, message: "LBFGS: invalid maxEval; expected a positive integer, got 2.5" },
    { desc: "historySize 0", options: { historySize: 0 }, message: "LBFGS: invalid historySize; expected a positive integer, got 0" },
    { desc: "negative toleranceGrad", options: { toleranceGrad: -1e-5 }, message: "LBFGS: invalid toleranceGrad; expected a number ≥ 0, got -0.00001" },
    { desc: "unknown line search", options: { lineSearchFn: "wolfe" }, message: 'LBFGS: invalid lineSearchFn; expected one of "strong_wolfe", null, got "wolfe"' },
    { desc: "weightDecay", options: { weightDecay: 0.1 }, message: "LBFGS: weightDecay is not supported (torch's LBFGS has none): add the penalty to the closure's loss" },
    {
      desc: "torch's snake_case name", options: { line_search_fn: "strong_wolfe" },
      message: 'LBFGS: unknown option "line_search_fn" — did you mean "lineSearchFn"?; expected one of lr, maxIter, maxEval, toleranceGrad, toleranceChange, historySize, lineSearchFn, weightDecay, maximize',
    },
  ];
  for (const e of errors) {
    test(`refuses ${e.desc} with an exact message`, () => {
      assert.throws(() => new mn.optim.LBFGS(setup("rosenbrock", "float64").params, e.options as mn.optim.LBFGSOptions), { name: "OptionError", message: e.message });
    });
  }

  test("refuses more than one param group (as torch)", () => {
    const a = leaf({ shape: [1], data: [1] }, "float64"), b = leaf({ shape: [1], data: [2] }, "float64");
    assert.throws(() => new mn.optim.LBFGS([{ params: [a] }, { params: [b] }]), {
      name: "OptionError", message: "LBFGS: doesn't support per-parameter options (parameter groups): pass one list of tensors",
    });
  });
});
