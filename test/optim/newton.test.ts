import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../src/index.node.js";
import { assertClose } from "../helpers/fixtures.js";

const F = mn.nn.functional;
const f64 = (data: number[], shape = [data.length], requiresGrad = true) => new mn.Tensor(Float64Array.from(data), shape, requiresGrad);

/** ½xᵀAx − bᵀx with a symmetric positive definite A. */
const A = [[4, 1, 0], [1, 3, 0.5], [0, 0.5, 2]];
const b = [1, 2, -3];
const quadratic = (x: mn.Tensor) => {
  const At = f64(A.flat(), [3, 3], false), bt = f64(b, [3], false);
  return x.mul(At.matmul(x)).sum().mul(0.5).sub(x.mul(bt).sum());
};

/** A⁻¹b by Cramer's rule (closed form). */
function solve3(m: number[][], v: number[]): number[] {
  const det = (c: number[][]) =>
    c[0]![0]! * (c[1]![1]! * c[2]![2]! - c[1]![2]! * c[2]![1]!) - c[0]![1]! * (c[1]![0]! * c[2]![2]! - c[1]![2]! * c[2]![0]!) + c[0]![2]! * (c[1]![0]! * c[2]![1]! - c[1]![1]! * c[2]![0]!);
  const d = det(m);
  return [0, 1, 2].map((k) => det(m.map((row, i) => row.map((a, j) => (j === k ? v[i]! : a)))) / d);
}

const rosenbrock = (w: mn.Tensor) => {
  const x = w.select(0, 0), y = w.select(0, 1);
  return x.neg().add(1).square().add(y.sub(x.square()).square().mul(100));
};

/** A 3 → 4 → 2 tanh MLP with MSE on 5 fixed points, in float64: 26 parameters. */
function smallMlp(): { params: mn.Tensor[]; loss: () => mn.Tensor } {
  mn.manualSeed(3);
  const params = [[4, 3], [4], [2, 4], [2]].map((shape) => new mn.Tensor(mn.randn(shape, { dtype: "float64" }).data, shape, true));
  const x = mn.randn([5, 3], { dtype: "float64" }), y = mn.randn([5, 2], { dtype: "float64" });
  return { params, loss: () => F.mseLoss(F.linear(F.linear(x, params[0]!, params[1]!).tanh(), params[2]!, params[3]!), y) };
}

const distanceTo = (p: ArrayLike<number>, target: number[]) => Math.max(...target.map((t, i) => Math.abs(p[i]! - t)));

describe("Newton", () => {
  test("one undamped step lands on the minimizer A⁻¹b of ½xᵀAx − bᵀx (closed form)", () => {
    const x = f64([0.5, -1, 2]);
    const opt = new mn.optim.Newton([x], { damping: 0, adaptive: false });
    opt.step(() => quadratic(x));
    assertClose(x.data, solve3(A, b), { rtol: 1e-12, atol: 1e-14 }, "x after one step");
  });

  test("on Rosenbrock it reaches (1, 1) in far fewer steps than gradient descent", () => {
    const stepsTo = (make: (w: mn.Tensor) => (closure: () => mn.Tensor) => void, cap: number) => {
      const w = f64([-1.5, 2]);
      const step = make(w);
      for (let k = 1; k <= cap; k++) {
        step(() => rosenbrock(w));
        if (distanceTo(w.data, [1, 1]) < 1e-6) return k;
      }
      return Infinity;
    };
    const newtonSteps = stepsTo((w) => { const opt = new mn.optim.Newton([w]); return (c) => opt.step(c); }, 100);
    // Gradient descent at about the largest stable lr (2/λmax, λmax ≈ 2100 at the start).
    const gdSteps = stepsTo((w) => {
      const opt = new mn.optim.SGD([w], { lr: 4e-4 });
      return (c) => { opt.zeroGrad(); c().backward(); opt.step(); };
    }, 5000);
    assert.ok(newtonSteps <= 30, `Newton took ${newtonSteps} steps`);
    assert.ok(gdSteps > 100 * newtonSteps, `gradient descent took ${gdSteps} steps, Newton ${newtonSteps}`);
  });

  test("the Hessian of a small MLP matches central differences of its gradients (h = 1e-6)", () => {
    const { params, loss } = smallMlp();
    const { gradient, hessian } = mn.optim.gradientAndHessian(loss(), params);
    const n = 26;
    assert.equal(hessian.length, n * n);
    const grads = () => Float64Array.from(mn.autograd.grad(loss(), params).flatMap((g) => Array.from(g.data)));
    assertClose(gradient, Array.from(grads()), { rtol: 1e-14, atol: 1e-15 }, "gradient");
    const flat = params.flatMap((p) => Array.from({ length: p.numel() }, (_, i) => [p, i] as const));
    const h = 1e-6;
    const fd = new Float64Array(n * n);
    flat.forEach(([p, i], j) => {
      const keep = p.data[i]!;
      p.data[i] = keep + h;
      const up = grads();
      p.data[i] = keep - h;
      const down = grads();
      p.data[i] = keep;
      for (let r = 0; r < n; r++) fd[r * n + j] = (up[r]! - down[r]!) / (2 * h);
    });
    const scale = Math.max(...Array.from(fd, Math.abs));
    assertClose(hessian, Array.from(fd), { rtol: 1e-6, atol: 1e-7 * scale }, "Hessian");
  });

  test("refuses a model beyond maxParams, naming the count", () => {
    const big = new mn.nn.Linear(100, 60); // 6060 parameters
    assert.throws(() => new mn.optim.Newton(big.parameters()), {
      name: "OptionError",
      message: "Newton: the model has 6060 parameters, more than maxParams 5000: its Hessian would hold 6060² = 36723600 numbers and take 6060 backward passes per step; raise maxParams or use LBFGS",
    });
    assert.doesNotThrow(() => new mn.optim.Newton(big.parameters(), { maxParams: 6060 }));
  });

  test("a bad step is undone and the damping grows; a good one shrinks it", () => {
    // √(1 + x²) from x = 2: the quadratic model's minimizer lies at x ≈ −8, where the loss is higher.
    const huber = (x: mn.Tensor) => () => x.square().add(1).sqrt().sum();
    const x = f64([2]);
    const once = new mn.optim.Newton([x], { damping: 1e-3, maxTries: 1 });
    once.step(huber(x));
    assert.equal(x.data[0], 2, "the bad step was undone");
    assert.equal(once.currentDamping, 1e-3 * 2);
    // With retries, λ grows until the step lowers the loss: |2 − g/(H + λ)| < 2 needs λ > g/4 − H.
    const z = f64([2]);
    const opt = new mn.optim.Newton([z], { damping: 1e-3 });
    opt.step(huber(z));
    const g = 2 / Math.sqrt(5), hess = 1 / 5 ** 1.5;
    assert.ok(Math.abs(z.data[0]!) < 2, `x = ${z.data[0]}`);
    assert.ok(opt.currentDamping > g / 4 - hess, `λ = ${opt.currentDamping}`);
    // On a quadratic the model is exact (ρ = 1): λ shrinks by dampingDecrease.
    const y = f64([0.5, -1, 2]);
    const opt2 = new mn.optim.Newton([y], { damping: 0.3 });
    opt2.step(() => quadratic(y));
    assert.equal(opt2.currentDamping, 0.3 * 0.5);
  });

  test("maximize on −f takes exactly the steps of minimizing f", () => {
    const a = f64([-1.5, 2]), c = f64([-1.5, 2]);
    const optA = new mn.optim.Newton([a]), optC = new mn.optim.Newton([c], { maximize: true });
    for (let k = 0; k < 5; k++) {
      const la = optA.step(() => rosenbrock(a));
      assert.equal(optC.step(() => rosenbrock(c).neg()), -la);
    }
    assert.deepEqual(c.data, a.data);
  });

  test("stateDict round trip (JSON) keeps two optimizers in lockstep, bit for bit", () => {
    const a = f64([-1.5, 2]);
    const optA = new mn.optim.Newton([a], { damping: 0.5 });
    for (let k = 0; k < 3; k++) optA.step(() => rosenbrock(a));
    const c = f64(Array.from(a.data));
    const optC = new mn.optim.Newton([c]);
    optC.loadStateDict(JSON.parse(JSON.stringify(optA.stateDict())));
    assert.equal(optC.currentDamping, optA.currentDamping);
    for (let k = 0; k < 3; k++) assert.equal(optC.step(() => rosenbrock(c)), optA.step(() => rosenbrock(a)));
    assert.deepEqual(c.data, a.data);
  });

  test("a step without a closure fails, saying why", () => {
    const opt = new mn.optim.Newton([f64([1])]);
    assert.throws(() => opt.step(), { name: "MinimaError", message: /^Newton: step\(\) needs a closure that returns the loss tensor/ });
  });

  test("a closure that calls backward (LBFGS style) fails, saying why", () => {
    const x = f64([1, 2]);
    const opt = new mn.optim.Newton([x]);
    assert.throws(() => opt.step(() => { const l = rosenbrock(x); l.backward(); return l; }), {
      name: "MinimaError", message: /^Newton: cannot differentiate the closure's loss twice .*the closure must return the loss without calling backward$/,
    });
  });

  const errors: { desc: string; options: mn.optim.NewtonOptions; message: string }[] = [
    { desc: "negative damping", options: { damping: -1 }, message: "Newton: invalid damping; expected a number ≥ 0, got -1" },
    { desc: "dampingIncrease 1", options: { dampingIncrease: 1 }, message: "Newton: invalid dampingIncrease; expected a number > 1, got 1" },
    { desc: "dampingDecrease 0", options: { dampingDecrease: 0 }, message: "Newton: invalid dampingDecrease; expected a number in (0, 1], got 0" },
    { desc: "maxParams 0", options: { maxParams: 0 }, message: "Newton: invalid maxParams; expected a positive integer, got 0" },
  ];
  for (const e of errors) {
    test(`refuses ${e.desc} with an exact message`, () => {
      assert.throws(() => new mn.optim.Newton([f64([1])], e.options), { name: "OptionError", message: e.message });
    });
  }
});
