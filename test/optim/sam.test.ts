import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../src/index.node.js";
import { testErrorCases } from "../helpers/error-cases.js";
import { assertClose, loadFixture, type TensorEntry, type Tolerance } from "../helpers/fixtures.js";

// test/fixtures/sam.json (tools/gen_sam_fixtures.py, torch 1.13): davda54/sam's update, restated in torch, after each
// of 6 steps over SGD and Adam bases, SAM and ASAM, m-sharpness (m 2, 3, 4) built from the same steps; the loss at w
// each step returned and the parameters.
type FloatDType = "float32" | "float64";
type Problem = "rosenbrock" | "mlp";
const F = mn.nn.functional;
const fx = loadFixture("sam.json");
const REF = `davda54/sam (restated in torch ${String(fx.torch).split(".").slice(0, 2).join(".")})`;

const leaf = (e: TensorEntry, dtype: FloatDType) =>
  new mn.Tensor(dtype === "float32" ? Float32Array.from(e.data) : Float64Array.from(e.data), e.shape, true);

/** The fixture's parameters, its loss on a batch's rows (x, y: the MLP's points; Rosenbrock ignores them), and its batch. */
function setup(problem: Problem, dtype: FloatDType) {
  const init = fx.init[problem];
  if (problem === "rosenbrock") {
    const params = [leaf(init.w, dtype)];
    const loss = () => {
      const x = params[0]!.select(0, 0), y = params[0]!.select(0, 1);
      return x.neg().add(1).square().add(y.sub(x.square()).square().mul(100));
    };
    return { params, loss, x: null, y: null };
  }
  const params = ["0.weight", "0.bias", "2.weight", "2.bias"].map((n) => leaf(init[n], dtype));
  const x = leaf(init.x, dtype).detach(), y = mn.tensor(Int32Array.from(init.y.data));
  const loss = (xs: mn.Tensor, ys: mn.Tensor) => F.crossEntropy(F.linear(F.linear(xs, params[0]!, params[1]!).tanh(), params[2]!, params[3]!), ys);
  return { params, loss, x, y };
}

const BASES = { sgd: mn.optim.SGD, adam: mn.optim.Adam } as const;

const tolFor = (dtype: FloatDType, expected: readonly number[]): Tolerance =>
  dtype === "float64" ? { rtol: 1e-11, atol: 1e-14 } : { rtol: 0, atol: 1e-5 * Math.max(...expected.map(Math.abs)) };

describe("SAM", () => {
  for (const [desc, run] of Object.entries<any>(fx.runs)) {
    for (const problem of Object.keys(run) as Problem[]) {
      for (const dtype of ["float64", "float32"] as const) {
        const { base, baseOptions, sam } = run[problem];
        test(`matches ${REF} (${desc}, ${problem}, ${dtype}, ${fx.steps} steps)`, () => {
          const s = setup(problem, dtype);
          // The MLP's layers in two groups, the second at half the lr, as the script builds them.
          const params = problem === "rosenbrock" ? s.params : [{ params: s.params.slice(0, 2) }, { params: s.params.slice(2), lr: baseOptions.lr / 2 }];
          const Base = BASES[base as keyof typeof BASES];
          const opt = new mn.optim.SAM(params as never, { ...sam, base: (p) => new Base(p as never, baseOptions) });
          const closure = (chunk: mn.optim.SAMChunk) => {
            opt.zeroGrad();
            const l = problem === "rosenbrock" ? (s.loss as () => mn.Tensor)() : s.loss(chunk.of(s.x!), chunk.of(s.y!));
            l.backward();
            return l;
          };
          run[problem][dtype].forEach((expected: any, k: number) => {
            const label = `${desc} ${problem} ${dtype} step ${k + 1}`;
            assertClose([opt.step(closure)], [expected.loss], tolFor(dtype, [expected.loss]), `${label}: loss`);
            s.params.forEach((p, i) => assertClose(p.data, expected.params[i].data, tolFor(dtype, expected.params[i].data), `${label}: param ${i}`));
          });
        });
      }
    }
  }

  // f(w) = ½wᵀAw, g = Aw: SAM's first step is w − lr·A(w + ρg/‖g‖), ASAM's w − lr·A(w + ρ·w²⊙g/‖|w|⊙g‖)
  // (Foret et al. 2021 eq. 2; Kwon et al. 2021 with η = 0, as davda54/sam). The 1e-12 that guards ‖·‖ moves e by
  // 1e-12/‖·‖ relative, within the tolerance.
  const A = [[4, 1, 0], [1, 3, -0.5], [0, -0.5, 0.25]];
  const w0 = [0.7, -1.3, 2.1];
  const matvec = (v: number[]) => A.map((row) => row.reduce((s, a, j) => s + a * v[j]!, 0));
  for (const adaptive of [false, true]) {
    test(`${adaptive ? "ASAM" : "SAM"}'s first step on a quadratic equals the closed form`, () => {
      const rho = adaptive ? 0.5 : 0.05, lr = 0.1;
      const w = new mn.Tensor(Float64Array.from(w0), [3], true);
      const a = mn.tensor(Float64Array.from(A.flat())).reshape([3, 3]);
      const opt = new mn.optim.SAM([w], { base: (p) => new mn.optim.SGD(p, { lr }), rho, adaptive });
      const loss = opt.step(() => {
        opt.zeroGrad();
        const l = w.unsqueeze(0).matmul(a).matmul(w.unsqueeze(1)).sum().mul(0.5);
        l.backward();
        return l;
      });
      const g = matvec(w0);
      const scaled = g.map((gi, i) => (adaptive ? Math.abs(w0[i]!) : 1) * gi);
      const norm = Math.hypot(...scaled);
      const e = g.map((gi, i) => (rho * (adaptive ? w0[i]! ** 2 : 1) * gi) / norm);
      const gSharp = matvec(w0.map((wi, i) => wi + e[i]!));
      assertClose(w.data, w0.map((wi, i) => wi - lr * gSharp[i]!), { rtol: 1e-12, atol: 0 }, "w after one step");
      assertClose([loss], [0.5 * w0.reduce((s, wi, i) => s + wi * g[i]!, 0)], { rtol: 1e-15, atol: 0 }, "the loss at w");
    });
  }

  test("batch-norm running statistics count the batch once, at w: equal to one training forward's (bit for bit)", () => {
    const make = () => {
      mn.manualSeed(3);
      return new mn.nn.Sequential(new mn.nn.Linear(4, 6, { dtype: "float64" }), new mn.nn.BatchNorm1d(6, { dtype: "float64" }), new mn.nn.ReLU(),
        new mn.nn.Linear(6, 3, { dtype: "float64" }));
    };
    const x = mn.randn([10, 4], { dtype: "float64", generator: new mn.Generator(1) }), y = mn.tensor(Int32Array.from([0, 1, 2, 0, 1, 2, 0, 1, 2, 0]));
    const model = make();
    const opt = new mn.optim.SAM(model.parameters(), { base: (p) => new mn.optim.SGD(p, { lr: 0.1 }), rho: 0.5 });
    opt.step(() => { opt.zeroGrad(); const l = F.crossEntropy(model.forward(x), y); l.backward(); return l; });
    const once = make();
    once.forward(x);
    const twice = make();
    twice.forward(x);
    for (const [p, q] of twice.parameters().map((p, i) => [p, model.parameters()[i]!] as const)) p.data.set(q.data); // the trained weights
    twice.forward(x);
    const got = model.stateDict(), reference = once.stateDict(), counted = twice.stateDict();
    for (const name of ["1.running_mean", "1.running_var", "1.num_batches_tracked"]) {
      assert.deepEqual(Array.from(got[name]!.data), Array.from(reference[name]!.data), name);
    }
    assert.notDeepEqual(Array.from(counted["1.running_mean"]!.data), Array.from(reference["1.running_mean"]!.data), "a second pass would move them");
  });

  test("the perturbed pass normalizes by the batch's statistics (training mode): the step equals SAM written out with frozenRunningStats", () => {
    const make = () => {
      mn.manualSeed(4);
      return new mn.nn.Sequential(new mn.nn.Linear(3, 5, { dtype: "float64" }), new mn.nn.BatchNorm1d(5, { dtype: "float64" }), new mn.nn.Tanh(),
        new mn.nn.Linear(5, 2, { dtype: "float64" }));
    };
    const x = mn.randn([8, 3], { dtype: "float64", generator: new mn.Generator(2) }), y = mn.tensor(Int32Array.from([0, 1, 1, 0, 1, 0, 0, 1]));
    const a = make(), b = make();
    const opt = new mn.optim.SAM(a.parameters(), { base: (p) => new mn.optim.SGD(p, { lr: 0.2 }), rho: 0.1 });
    opt.step(() => { opt.zeroGrad(); const l = F.crossEntropy(a.forward(x), y); l.backward(); return l; });
    // By hand: g at w, e = ρg/(‖g‖ + 1e-12), g at w + e with the statistics frozen, back to w, w − lr·g.
    const params = b.parameters();
    const gradAt = () => { for (const p of params) p.grad = null; F.crossEntropy(b.forward(x), y).backward(); return params.map((p) => Array.from(p.grad!.data)); };
    const g = gradAt();
    const scale = 0.1 / (Math.hypot(...g.flat()) + 1e-12);
    const w = params.map((p) => Array.from(p.data));
    params.forEach((p, i) => p.data.set(w[i]!.map((v, j) => v + g[i]![j]! * scale)));
    const gs = mn.nn.frozenRunningStats(gradAt);
    params.forEach((p, i) => p.data.set(w[i]!.map((v, j) => v - 0.2 * gs[i]![j]!)));
    // To round-off: Math.hypot rounds the norm its own way.
    a.parameters().forEach((p, i) => assertClose(p.data, Array.from(params[i]!.data), { rtol: 1e-13, atol: 1e-16 }, `param ${i}`));
  });

  test("a scheduler built on SAM sets the base optimizer's lr, which its step uses (as plain SGD at that lr)", () => {
    const w = new mn.Tensor(Float64Array.from([1, -2]), [2], true);
    const opt = new mn.optim.SAM([w], { base: (p) => new mn.optim.SGD(p, { lr: 0.1, momentum: 0.9 }) });
    const sched = new mn.optim.lrScheduler.StepLR(opt, { stepSize: 1, gamma: 0.5 });
    sched.step();
    assert.equal(opt.base.paramGroups[0]!.lr, 0.05);
    assert.equal(opt.paramGroups, opt.base.paramGroups);
    // With ρ tiny the step is the base's step at lr 0.05 from the gradient at w (to the perturbation's size).
    const tiny = new mn.optim.SAM([w], { base: (p) => new mn.optim.SGD(p, { lr: 0.1 }), rho: 1e-300 });
    new mn.optim.lrScheduler.StepLR(tiny, { stepSize: 1, gamma: 0.5 }).step();
    tiny.step(() => { tiny.zeroGrad(); const l = w.square().sum(); l.backward(); return l; });
    assert.deepEqual(Array.from(w.data), [1 - 0.05 * 2, -2 - 0.05 * -4]);
  });

  test("stateDict is the base optimizer's, and a round trip (JSON) keeps two SAMs in lockstep, bit for bit", () => {
    const makeParams = () => [new mn.Tensor(Float64Array.from([0.5, -1, 2]), [3], true)];
    const closureOf = (opt: mn.optim.SAM, w: mn.Tensor) => () => { opt.zeroGrad(); const l = w.pow(4).sum().add(w.select(0, 0).mul(w.select(0, 2))); l.backward(); return l; };
    const pa = makeParams(), pb = makeParams();
    const a = new mn.optim.SAM(pa, { base: (p) => new mn.optim.Adam(p, { lr: 0.01 }), rho: 0.1 });
    for (let k = 0; k < 3; k++) a.step(closureOf(a, pa[0]!));
    assert.deepEqual(a.stateDict(), a.base.stateDict());
    pb[0]!.data.set(pa[0]!.data);
    const b = new mn.optim.SAM(pb, { base: (p) => new mn.optim.Adam(p, { lr: 0.01 }), rho: 0.1 });
    b.loadStateDict(JSON.parse(JSON.stringify(a.stateDict())));
    for (let k = 0; k < 3; k++) assert.equal(b.step(closureOf(b, pb[0]!)), a.step(closureOf(a, pa[0]!)));
    assert.deepEqual(Array.from(pb[0]!.data), Array.from(pa[0]!.data));
  });

  test("m-sharpness: the chunks cover the batch as numpy's array_split, the loss is their size-weighted mean", () => {
    const w = new mn.Tensor(Float64Array.from([0.3]), [1], true);
    const x = mn.arange(0, 7, 1, { dtype: "float64" });
    const seen: number[][] = [];
    const opt = new mn.optim.SAM([w], { base: (p) => new mn.optim.SGD(p, { lr: 0 }), m: 3 });
    const loss = opt.step((chunk) => {
      opt.zeroGrad();
      const rows = chunk.of(x);
      if (!chunk.perturbed) seen.push(Array.from(rows.data));
      const l = rows.mul(w).mean();
      l.backward();
      return l;
    });
    assert.deepEqual(seen, [[0, 1, 2], [3, 4], [5, 6]]);
    assertClose([loss], [(0.3 * 21) / 7], { rtol: 1e-15, atol: 0 }, "loss");
    assertClose(w.grad!.data, [21 / 7], { rtol: 1e-15, atol: 0 }, "grad: the mean of x, as for the whole batch (a linear loss)");
  });
});

describe("SAM refuses bad options and misuse with exact messages", () => {
  const w = () => [new mn.Tensor(Float64Array.from([1, 2]), [2], true)];
  const sgd = (p: mn.optim.Params<mn.optim.SGDOptions>) => new mn.optim.SGD(p, { lr: 0.1 });
  const x = mn.zeros([3, 2], { dtype: "float64" });
  testErrorCases([
    ["without base", () => new mn.optim.SAM(w(), {} as never), "SAM: missing option base; expected a function"],
    ["rho 0", () => new mn.optim.SAM(w(), { base: sgd, rho: 0 }), "SAM: invalid rho; expected a number > 0, got 0"],
    ["rho negative", () => new mn.optim.SAM(w(), { base: sgd, rho: -0.05 }), "SAM: invalid rho; expected a number > 0, got -0.05"],
    ["m 0", () => new mn.optim.SAM(w(), { base: sgd, m: 0 }), "SAM: invalid m; expected a positive integer, got 0"],
    ["adaptive not a boolean", () => new mn.optim.SAM(w(), { base: sgd, adaptive: "yes" as never }), 'SAM: invalid adaptive; expected true or false, got "yes"'],
    ["an unknown option (did you mean)", () => new mn.optim.SAM(w(), { base: sgd, rh0: 0.1 } as never),
      'SAM: unknown option "rh0" — did you mean "rho"?; expected one of base, rho, adaptive, m'],
    ["base not an optimizer", () => new mn.optim.SAM(w(), { base: () => ({}) as never }),
      "SAM: base did not make an optimizer; expected a function (params) => an mn.optim optimizer over them, got object"],
    ["base LBFGS", () => new mn.optim.SAM(w(), { base: (p) => new mn.optim.LBFGS(p as never) as never }),
      "SAM: base must step from the gradient it is given (SGD, Adam, ...); LBFGS re-evaluates the loss through a closure of its own"],
    ["a base that maximizes", () => new mn.optim.SAM(w(), { base: (p) => new mn.optim.SGD(p, { lr: 0.1, maximize: true }) }),
      "SAM: a base with maximize is not supported: SAM's ascent seeks the highest loss nearby, which a maximizer would want least; minimize the negated loss instead"],
    ["step without a closure", () => new mn.optim.SAM(w(), { base: sgd }).step(),
      "SAM: step() needs a closure that takes its chunk of the batch and re-evaluates the loss (zeroGrad, forward on chunk.of(x), backward, return the loss): SAM evaluates it at w and at w + e(w)"],
    ["m larger than the batch", () => {
      const p = w(), opt = new mn.optim.SAM(p, { base: sgd, m: 4 });
      opt.step((chunk) => chunk.of(x).sum().add(p[0]!.sum()));
    }, "SAM: m = 4 splits each batch into 4 chunks, but this batch has 3 rows (a tensor of shape [3,2]); expected a batch of at least 4 rows, or a smaller m"],
    ["m > 1 with a closure that ignores its chunk", () => {
      const p = w(), opt = new mn.optim.SAM(p, { base: sgd, m: 2 });
      opt.step(() => { opt.zeroGrad(); const l = p[0]!.square().sum(); l.backward(); return l; });
    }, "SAM: with m = 2 the closure must take its chunk of the batch with chunk.of(tensor)"],
    ["chunk.of on tensors of different lengths", () => {
      const p = w(), opt = new mn.optim.SAM(p, { base: sgd, m: 2 });
      opt.step((chunk) => { chunk.of(x); chunk.of(mn.zeros([4])); return 0; });
    }, "SAM: chunk.of got tensors of 3 and 4 rows: the tensors of one batch share their first dimension"],
  ]);
});
