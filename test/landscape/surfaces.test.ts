import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../src/index.node.js";
import { assertClose, loadFixture } from "../helpers/fixtures.js";
import { testErrorCases } from "../helpers/error-cases.js";

const L = mn.landscape;
type Options = Record<string, unknown>;
const CLASSES: Record<string, (params: mn.Tensor[], options: Options) => mn.landscape.Stepper> = {
  SGD: (p, o) => new mn.optim.SGD(p, o), Adagrad: (p, o) => new mn.optim.Adagrad(p, o), Adadelta: (p, o) => new mn.optim.Adadelta(p, o),
  RMSprop: (p, o) => new mn.optim.RMSprop(p, o), Adam: (p, o) => new mn.optim.Adam(p, o), AdamW: (p, o) => new mn.optim.AdamW(p, o),
  Adamax: (p, o) => new mn.optim.Adamax(p, o), RAdam: (p, o) => new mn.optim.RAdam(p, o),
};

describe("trajectories equal torch.optim's (test/fixtures/landscape-trajectories.json, tools/gen_landscape_fixtures.py, float64)", () => {
  const fixture = loadFixture("landscape-trajectories.json");
  for (const [name, entry] of Object.entries<any>(fixture.surfaces)) {
    test(`${name}: every point of ${Object.keys(entry.runs).length} optimizers' ${entry.steps} steps within 1e-10 (relative beyond 1)`, () => {
      const s = L.surfaces[name as mn.landscape.SurfaceName];
      assert.deepEqual([...s.start], entry.start, "the fixture starts where the surface does");
      for (const [label, run] of Object.entries<any>(entry.runs)) {
        const path = L.trajectory(s, (params) => CLASSES[run.optimizer]!(params, run.options), { steps: entry.steps });
        assert.equal(path.divergedAt, null);
        assertClose(path.x, run.x, { rtol: 1e-10, atol: 1e-10 }, `${name} ${label} x`);
        assertClose(path.y, run.y, { rtol: 1e-10, atol: 1e-10 }, `${name} ${label} y`);
      }
    });
  }
});

describe("the valley x²/64 + y²: theory in closed form, reproduced by measurement", () => {
  const valley = L.surfaces.valley;
  const theory = L.quadraticTheory(valley.hessian!)!;
  const eigen = [2, 1 / 32];

  test("by hand: λ = 2 and 1/32, κ = 64; GD converges below lr 1, best at 64/65 with rate 63/65; heavy ball α* = 128/81, β* = 49/81, rate 7/9", () => {
    const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) <= 1e-15 * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);
    close(theory.lambdaMax, 2, "λmax");
    close(theory.lambdaMin, 1 / 32, "λmin");
    close(theory.kappa, 64, "κ");
    close(theory.gdMaxLr, 1, "2/λmax");
    close(theory.gdBestLr, 64 / 65, "2/(λmax + λmin)");
    close(theory.gdBestRate, 63 / 65, "(κ − 1)/(κ + 1)");
    // √2 + √(1/32) = 9√2/8, so α* = (16/(9√2))² = 128/81.
    close(theory.heavyBallLr, 128 / 81, "α*");
    close(theory.heavyBallMomentum, 49 / 81, "β*");
    close(theory.heavyBallRate, 7 / 9, "(√κ − 1)/(√κ + 1)");
    assert.equal(L.quadraticTheory(L.surfaces.saddle.hessian!), null, "a saddle has no minimum to converge to");
  });

  test("GD at 2/(λmax + λmin): both directions shrink by exactly 63/65 a step, measured over 300 steps", () => {
    const path = L.trajectory(valley, (p) => new mn.optim.SGD(p, { lr: theory.gdBestLr }), { steps: 300 });
    const rate = L.measuredRate(path.x, path.y, [0, 0])!;
    assert.ok(Math.abs(rate - 63 / 65) < 1e-12, `${rate}`);
    assert.ok(Math.abs(L.gdRate(eigen, theory.gdBestLr) - 63 / 65) < 1e-15);
  });

  test("GD converges iff lr < 2/λmax = 1: at 0.99 the rate is |1 − 0.99·2| = 0.98, at 1.01 it is 1.02 (divergence), both measured (3000 steps: x's 0.969 fades)", () => {
    for (const [lr, expected] of [[0.99, 0.98], [1.01, 1.02]] as const) {
      const path = L.trajectory(valley, (p) => new mn.optim.SGD(p, { lr }), { steps: 3000 });
      const rate = L.measuredRate(path.x, path.y, [0, 0])!;
      assert.ok(Math.abs(rate - expected) < 1e-9, `lr ${lr}: measured ${rate}, expected ${expected}`);
      assert.ok(Math.abs(L.gdRate(eigen, lr) - expected) < 1e-12);
    }
  });

  test("heavy ball at α*, β*: rate 7/9 (a double root: distances go as k·ρ^k, so steps 200..400 measure ρ·2^(1/200)); far fewer steps to 1e-10 than GD's best", () => {
    const hb = L.trajectory(valley, (p) => new mn.optim.SGD(p, { lr: theory.heavyBallLr, momentum: theory.heavyBallMomentum }), { steps: 400 });
    const rate = L.measuredRate(hb.x, hb.y, [0, 0])!;
    const expected = (7 / 9) * 2 ** (1 / 200);
    assert.ok(Math.abs(rate / expected - 1) < 1e-3, `measured ${rate}, expected ${expected}`);
    assert.ok(Math.abs(L.heavyBallRate(eigen, theory.heavyBallLr, theory.heavyBallMomentum) - 7 / 9) < 1e-7);
    const gd = L.trajectory(valley, (p) => new mn.optim.SGD(p, { lr: theory.gdBestLr }), { steps: 1000 });
    const [kHb, kGd] = [L.stepsToTolerance(valley, hb, 1e-10)!, L.stepsToTolerance(valley, gd, 1e-10)!];
    assert.ok(kHb * 3 < kGd, `heavy ball ${kHb} steps, GD ${kGd}`);
  });

  test("heavy ball off the optimum (lr 0.5, β 0.9: complex roots for both λ, |z| = √0.9) measured to 1%", () => {
    const path = L.trajectory(valley, (p) => new mn.optim.SGD(p, { lr: 0.5, momentum: 0.9 }), { steps: 600 });
    const rate = L.measuredRate(path.x, path.y, [0, 0])!;
    assert.ok(Math.abs(L.heavyBallRate(eigen, 0.5, 0.9) - Math.sqrt(0.9)) < 1e-15);
    assert.ok(Math.abs(rate / Math.sqrt(0.9) - 1) < 0.01, `${rate}`);
  });

  test("steps to tolerance: with GD at 64/65, f_k = f_0·(63/65)^(2k), so the first k with f_k ≤ 1e-6 is ⌈ln(1e-6/f_0)/(2 ln(63/65))⌉", () => {
    const path = L.trajectory(valley, (p) => new mn.optim.SGD(p, { lr: 64 / 65 }), { steps: 500 });
    const f0 = 64 / 64 + 1;
    assert.equal(path.f[0], f0);
    assert.equal(L.stepsToTolerance(valley, path, 1e-6), Math.ceil(Math.log(1e-6 / f0) / (2 * Math.log(63 / 65))));
    assert.equal(L.stepsToTolerance(valley, L.trajectory(valley, (p) => new mn.optim.SGD(p, { lr: 64 / 65 }), { steps: 5 }), 1e-6), null);
    assert.equal(L.stepsToTolerance(L.surfaces.saddle, path, 1e-6), null, "no minimum, no tolerance");
  });

  test("a diverging run stops at its first non-finite point: lr 1.5 makes y_k = (−2)^k, infinite at k = 1024", () => {
    const path = L.trajectory(valley, (p) => new mn.optim.SGD(p, { lr: 1.5 }), { steps: 2000 });
    assert.equal(path.divergedAt, 1024);
    assert.equal(path.y.length, 1025);
    assert.equal(path.y[1023], -(2 ** 1023));
    assert.equal(path.y[1024], Infinity);
    assert.equal(L.measuredRate(path.x, path.y, [0, 0]), Infinity);
  });
});

describe("the surfaces' formulas", () => {
  const at = (s: mn.landscape.Surface, p: readonly [number, number]) => {
    const t = mn.tensor([...p], { dtype: "float64", requiresGrad: true });
    const f = s.f(t);
    const [g] = mn.autograd.grad(f, [t], { createGraph: true });
    const hessian = [0, 1].map((i) => [...mn.autograd.grad(g!.select(0, i), [t], { retainGraph: true })[0]!.data]);
    return { f: f.item(), grad: [...g!.data], hessian };
  };

  test("rastrigin (cos/sin ops of its own): f, ∇f = 2p + 20π sin 2πp and ∇²f = diag(2 + 40π² cos 2πp) in closed form", () => {
    const p = [0.3, -1.7] as const;
    const { f, grad, hessian } = at(L.surfaces.rastrigin, p);
    const c = (v: number) => Math.cos(2 * Math.PI * v), s = (v: number) => Math.sin(2 * Math.PI * v);
    assert.ok(Math.abs(f - (20 + p[0] ** 2 + p[1] ** 2 - 10 * (c(p[0]) + c(p[1])))) < 1e-12);
    assertClose(grad, p.map((v) => 2 * v + 20 * Math.PI * s(v)), { rtol: 1e-12, atol: 1e-12 }, "gradient");
    assertClose(hessian.flat(), [2 + 40 * Math.PI ** 2 * c(p[0]), 0, 0, 2 + 40 * Math.PI ** 2 * c(p[1])], { rtol: 1e-12, atol: 1e-12 }, "Hessian");
  });

  test("valley's and saddle's stored Hessians are their autograd Hessians; the listed minima are stationary points of value 0 (gradient below 1e-12)", () => {
    for (const s of [L.surfaces.valley, L.surfaces.saddle]) assert.deepEqual(at(s, [0.7, -0.4]).hessian, s.hessian!.map((r) => [...r]), s.name);
    for (const s of Object.values(L.surfaces)) {
      for (const m of s.minima) {
        const { f, grad } = at(s, m);
        assert.ok(Math.abs(f) < 1e-12 && Math.hypot(...grad) < 1e-12, `${s.name} at (${m}): f ${f}, |∇f| ${Math.hypot(...grad)}`);
      }
    }
  });

  test("the monkey saddle's gradient and Hessian vanish at the origin; the banana's start is Distill's", () => {
    const { grad, hessian } = at(L.surfaces.monkeySaddle, [0, 0]);
    assert.deepEqual(grad.map(Math.abs), [0, 0]);
    assert.deepEqual(hessian.flat().map(Math.abs), [0, 0, 0, 0]);
    assert.deepEqual([...L.surfaces.banana.start], [-1.21, 0.853]);
  });

  test("a user surface: f of a float64 [2] tensor, its window around the start and minima", () => {
    const bowl = L.surface({ name: "bowl", f: (p) => p.square().sum(), start: [2, 0], minima: [[0, 0]] });
    assert.deepEqual(bowl.window, { x: [-1, 3], y: [-1, 1] });
    const path = L.trajectory(bowl, (p) => new mn.optim.SGD(p, { lr: 0.25 }), { steps: 3 });
    assert.deepEqual(path.x, [2, 1, 0.5, 0.25], "x ← x − 0.25·2x");
  });

  const bowl = (p: mn.Tensor) => p.square().sum();
  testErrorCases([
    ["an unknown surface, with the closest name", () => L.pickSurface("valey"),
      'landscape: unknown surface "valey"; expected one of valley, saddle, monkeySaddle, rosenbrock, banana, beale, himmelblau, rastrigin, plateau, cliff; did you mean "valley"?'],
    ["an unknown surface far from every name", () => L.pickSurface("zzzzzzzz"),
      'landscape: unknown surface "zzzzzzzz"; expected one of valley, saddle, monkeySaddle, rosenbrock, banana, beale, himmelblau, rastrigin, plateau, cliff'],
    ["a user surface starting at NaN", () => L.surface({ name: "b", f: bowl, start: [0, NaN] }), 'surface "b": start is [0, NaN]; expected a point [x, y] of finite numbers'],
    ["a user surface whose f is not a scalar", () => L.surface({ name: "b", f: (p) => p, start: [0, 0] }), 'surface "b": f returns a tensor of shape [2] at the start; expected a scalar'],
    ["a trajectory of −1 steps", () => L.trajectory(L.surfaces.valley, (p) => new mn.optim.SGD(p, { lr: 0.1 }), { steps: -1 }), "trajectory: steps is -1; expected an integer ≥ 0"],
  ]);
});
