import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../src/index.node.js";
import { assertClose, loadFixture, type TensorEntry, type Tolerance } from "../helpers/fixtures.js";
import { CASES, type AnyOptions, type OptimizerCase } from "./cases.js";

// Every row of cases.ts through the same contract (PyTorch's OptimizerInfo tests, plus a torch oracle).
// Expected parameters come from test/fixtures/optimizers.json (tools/gen_optim_fixtures.py, torch 1.13);
// Lion, which torch lacks, is checked against its published update written out below in tensor ops.
type FloatDType = "float32" | "float64";
type Problem = "rosenbrock" | "mlp";
const F = mn.nn.functional;
const fx = loadFixture("optimizers.json");
const REF = `torch ${String(fx.torch).split(".").slice(0, 2).join(".")}`;
const STEPS: number = fx.steps;
// float64: elementwise, rtol 1e-10. float32: 1e-5 of each tensor's largest |element| (‖a − e‖∞ ≤ 1e-5·‖e‖∞): an
// element that crosses zero has no relative precision left in float32 — torch's own float32 run is 2.6e-3 off
// its float64 run elementwise there, but within 3.3e-6 of it on this scale.
const tolFor = (dtype: FloatDType, expected: readonly number[]): Tolerance =>
  dtype === "float64" ? { rtol: 1e-10, atol: 1e-14 } : { rtol: 0, atol: 1e-5 * Math.max(...expected.map(Math.abs)) };
const tolName = (dtype: FloatDType) => (dtype === "float64" ? "float64, rtol 1e-10" : "float32, 1e-5 of ‖expected‖∞");

const leaf = (e: TensorEntry, dtype: FloatDType) =>
  new mn.Tensor(dtype === "float32" ? Float32Array.from(e.data) : Float64Array.from(e.data), e.shape, true);

/** Fresh parameters of a problem (the fixture's starting point) and its loss. */
function setup(problem: Problem, dtype: FloatDType): { params: mn.Tensor[]; loss: (ps?: mn.Tensor[]) => mn.Tensor } {
  const init = fx.init[problem];
  if (problem === "rosenbrock") {
    const params = [leaf(init.w, dtype)];
    return {
      params,
      loss: (ps = params) => {
        const x = ps[0]!.select(0, 0), y = ps[0]!.select(0, 1);
        return x.neg().add(1).square().add(y.sub(x.square()).square().mul(100));
      },
    };
  }
  const params = ["0.weight", "0.bias", "2.weight", "2.bias"].map((n) => leaf(init[n], dtype));
  const x = leaf(init.x, dtype).detach();
  const y = mn.tensor(Int32Array.from(init.y.data));
  return {
    params,
    loss: (ps = params) => F.crossEntropy(F.linear(F.linear(x, ps[0]!, ps[1]!).tanh(), ps[2]!, ps[3]!), y),
  };
}

/** The fixture's run for a torch row, after checking that it was made with the row's options. */
function fixtureRun(c: OptimizerCase, desc: string, options: AnyOptions) {
  const run = fx.runs[`${c.name}/${desc}`];
  assert.ok(run, `no fixture for ${c.name}/${desc}: rerun tools/gen_optim_fixtures.py`);
  for (const problem of ["rosenbrock", "mlp"] as const) {
    assert.deepEqual(run[problem].options, { ...options, lr: run[problem].options.lr }, `${c.name}/${desc}: fixture options`);
  }
  return run;
}

/** The options a row runs with on a problem: its own, with the fixture's lr unless it sets one. */
function optionsFor(c: OptimizerCase, desc: string, options: AnyOptions, problem: Problem): AnyOptions {
  return c.torch ? fixtureRun(c, desc, options)[problem].options : options;
}

function train(opt: mn.optim.Optimizer<mn.optim.GroupOptions>, loss: () => mn.Tensor, steps: number): number[] {
  const losses: number[] = [];
  for (let i = 0; i < steps; i++) {
    opt.zeroGrad();
    const l = loss();
    losses.push(l.item());
    l.backward();
    opt.step();
  }
  return losses;
}

/** Lion as Chen et al. 2023 publish it (Algorithm 2), in tensor ops: c = β₁m + (1−β₁)g, θ ← θ − lr(sign c + λθ), m ← β₂m + (1−β₂)g. */
function lionReference(problem: Problem, dtype: FloatDType, o: AnyOptions): mn.Tensor[] {
  const { params, loss } = setup(problem, dtype);
  const lr = o["lr"] as number, wd = (o["weightDecay"] as number | undefined) ?? 0;
  const [b1, b2] = (o["betas"] as [number, number] | undefined) ?? [0.9, 0.99];
  let ps = params, ms = params.map((p) => mn.zerosLike(p));
  for (let i = 0; i < STEPS; i++) {
    const gs = mn.autograd.grad(loss(ps), ps).map((g) => (o["maximize"] ? g.neg() : g));
    const next = ps.map((p, k) => p.detach().sub(ms[k]!.mul(b1).add(gs[k]!.mul(1 - b1)).sign().add(p.detach().mul(wd)).mul(lr)));
    ms = ms.map((m, k) => m.mul(b2).add(gs[k]!.mul(1 - b2)));
    ps = next.map((p) => p.requiresGrad_());
  }
  return ps;
}

const flip = (o: AnyOptions): AnyOptions => ({ ...o, maximize: !o["maximize"] });
const snapshot = (ps: mn.Tensor[]) => ps.map((p) => Array.from(p.data));

for (const c of CASES) {
  describe(c.name, () => {
    for (const { desc, options } of c.configs) {
      describe(desc, () => {
        for (const dtype of ["float64", "float32"] as const) {
          const ref = c.torch ? `${fx.runs[`${c.name}/${desc}`]?.reference ?? "torch"} (${REF})` : "Lion's published update (Chen et al. 2023)";
          test(`matches ${ref} after ${STEPS} steps on Rosenbrock and the MLP (${tolName(dtype)})`, () => {
            for (const problem of ["rosenbrock", "mlp"] as const) {
              const { params, loss } = setup(problem, dtype);
              const o = optionsFor(c, desc, options, problem);
              train(new c.cls(params, o), loss, STEPS);
              const expected: number[][] = c.torch
                ? fixtureRun(c, desc, options)[problem][dtype].map((e: TensorEntry) => e.data)
                : snapshot(lionReference(problem, dtype, o));
              params.forEach((p, i) => assertClose(p.data, expected[i]!, tolFor(dtype, expected[i]!), `${problem} param ${i}`));
            }
          });
        }

        test("goes downhill on a convex quadratic and on Rosenbrock, uphill with maximize", () => {
          const a = mn.tensor([1, 2, 4, 0.5, 3], { dtype: "float64" }), center = mn.tensor([0.5, -1, 2, 1, -0.3], { dtype: "float64" });
          for (const o of [options, flip(options)]) {
            const up = Boolean(o["maximize"]);
            const w = mn.tensor([1.5, 0.5, -1, 2, 1], { dtype: "float64", requiresGrad: true });
            const quad = () => w.sub(center).square().mul(a).sum().mul(0.5);
            const q = train(new c.cls([w], { ...o, lr: optionsFor(c, desc, options, "mlp")["lr"] }), quad, 10);
            q.push(quad().item());
            const { params, loss } = setup("rosenbrock", "float64");
            const r = train(new c.cls(params, { ...o, lr: optionsFor(c, desc, options, "rosenbrock")["lr"] }), loss, 10);
            r.push(loss().item());
            for (const [what, ls] of [["quadratic", q], ["Rosenbrock", r]] as const) {
              const [first, last] = [ls[0]!, ls[ls.length - 1]!];
              assert.ok(up ? last > first : last < first, `${what}${up ? " with maximize" : ""}: loss ${first} → ${last}`);
            }
          }
        });

        test("a parameter without a gradient is untouched and gets no state", () => {
          const { params, loss } = setup("mlp", "float32");
          const idle = mn.tensor([[1, 2], [3, 4]], { requiresGrad: true });
          const opt = new c.cls([...params, idle], optionsFor(c, desc, options, "mlp"));
          train(opt, loss, 3);
          assert.deepEqual(Array.from(idle.data), [1, 2, 3, 4]);
          assert.equal(idle.grad, null);
          assert.equal(opt.state.get(idle), undefined);
          assert.equal(opt.state.get(params[0]!)?.step, 3);
        });

        test("a frozen-then-unfrozen parameter is left alone while frozen, then starts from step 1", () => {
          const o = optionsFor(c, desc, options, "mlp");
          const { params, loss } = setup("mlp", "float64");
          const opt = new c.cls(params, o);
          const before = snapshot(params);
          const frozen = params[2]!;
          for (let i = 0; i < 4; i++) {
            opt.zeroGrad();
            loss().backward();
            frozen.grad = null;
            opt.step();
          }
          assert.deepEqual(Array.from(frozen.data), before[2], "changed while frozen");
          assert.equal(opt.state.get(frozen), undefined, "state while frozen");
          // Unfrozen, it moves as under a fresh optimizer given the same gradients.
          const twin = new mn.Tensor(Float64Array.from(frozen.data), frozen.shape, true);
          const fresh = new c.cls([twin], o);
          for (let i = 0; i < 3; i++) {
            opt.zeroGrad();
            loss().backward();
            twin.grad = frozen.grad!.detach().clone();
            opt.step();
            fresh.step();
          }
          assert.deepEqual(Array.from(frozen.data), Array.from(twin.data));
          assert.equal(opt.state.get(frozen)?.step, 3);
        });

        test("two param groups behave like two separate optimizers, bit for bit", () => {
          const o = optionsFor(c, desc, options, "mlp");
          const lr2 = (o["lr"] as number) * 0.5;
          const grouped = setup("mlp", "float32");
          const [w1, b1, w2, b2] = grouped.params;
          const opt = new c.cls([{ params: [w1!, b1!] }, { params: [w2!, b2!], lr: lr2 }], o);
          train(opt, grouped.loss, 6);
          const apart = setup("mlp", "float32");
          const [v1, c1, v2, c2] = apart.params;
          const optA = new c.cls([v1!, c1!], o), optB = new c.cls([v2!, c2!], { ...o, lr: lr2 });
          for (let i = 0; i < 6; i++) {
            optA.zeroGrad();
            optB.zeroGrad();
            apart.loss().backward();
            optA.step();
            optB.step();
          }
          assert.deepEqual(snapshot(grouped.params), snapshot(apart.params));
        });

        test("stateDict round trip (JSON) continues exactly as the uninterrupted run", () => {
          const o = optionsFor(c, desc, options, "mlp");
          for (const dtype of ["float32", "float64"] as const) {
            const straight = setup("mlp", dtype);
            train(new c.cls(straight.params, o), straight.loss, 12);
            const first = setup("mlp", dtype);
            const optA = new c.cls(first.params, o);
            train(optA, first.loss, 5);
            const saved = JSON.parse(JSON.stringify(optA.stateDict()));
            const second = setup("mlp", dtype);
            second.params.forEach((p, i) => p.data.set(first.params[i]!.data));
            const optB = new c.cls(second.params, o);
            optB.loadStateDict(saved);
            train(optB, second.loss, 7);
            assert.deepEqual(snapshot(second.params), snapshot(straight.params), dtype);
          }
        });
      });
    }

    test("invalid hyperparameters fail with the exact message", () => {
      for (const { desc, options, message } of c.errors) {
        const w = [mn.zeros([2], { requiresGrad: true })];
        assert.throws(() => new c.cls(w, options), (e: unknown) => {
          assert.ok(e instanceof mn.OptionError, `${desc}: ${String(e)}`);
          assert.match(e.message, message, desc);
          return true;
        });
      }
    });
  });
}
