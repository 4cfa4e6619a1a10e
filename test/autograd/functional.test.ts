import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../src/index.node.js";
import { assertClose, assertTensorClose, loadFixture, toTensor, type TensorEntry, type Tolerance } from "../helpers/fixtures.js";
import { testErrorCases } from "../helpers/error-cases.js";

const F = mn.autograd.functional;
const REF = "torch.autograd.functional (tools/gen_functional_fixtures.py)";
type FloatDType = "float32" | "float64";
const TOL: Record<FloatDType, Tolerance> = { float32: { rtol: 1e-5, atol: 1e-6 }, float64: { rtol: 1e-10, atol: 1e-12 } };
const f64 = (data: mn.NestedArray) => mn.tensor(data, { dtype: "float64" });

/** A result of the fixture: a tensor, or (nested) arrays of them, as torch returned it. */
type Entry = TensorEntry | Entry[];
function assertResultClose(actual: mn.Tensor | readonly unknown[], expected: Entry, tol: Tolerance, label: string): void {
  if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual), `${label}: expected an array`);
    assert.equal(actual.length, expected.length, `${label}: length`);
    expected.forEach((e, i) => assertResultClose(actual[i] as mn.Tensor | unknown[], e, tol, `${label}[${i}]`));
  } else {
    assert.ok(actual instanceof mn.Tensor, `${label}: expected a Tensor`);
    assertTensorClose(actual, expected, tol, label);
  }
}

/** The five problems of the fixture, written with minima's ops (the same formulas as the script's). */
type Consts = Record<string, mn.Tensor>;
const PROBLEMS: Record<string, (c: Consts) => (...xs: mn.Tensor[]) => mn.Tensor | mn.Tensor[]> = {
  map: (c) => (x) => x.matmul(c.A!).tanh().mul(x!.sum()),
  pair: () => (a, b) => [a!.matmul(b!).sigmoid(), a!.mul(a!).sum().mul(b!.mean())],
  scalar: (c) => (x) => x!.pow(4).sum().mul(0.1).add(x!.matmul(c.A!).logsumexp(1).sum()),
  scalar_pair: () => (a, b) => a!.matmul(b!).tanh().pow(2).sum().add(a!.exp().sum().mul(b!.sum())),
  mlp: (c) => (theta) => mlpLoss(theta!, c.x!, c.y!),
};

/** Linear(4,5)-Tanh-Linear(5,3) cross-entropy as a function of its 43 parameters, flattened (w1, b1, w2, b2). */
function mlpLoss(theta: mn.Tensor, x: mn.Tensor, y: mn.Tensor): mn.Tensor {
  const w1 = theta.narrow(0, 0, 20).reshape([5, 4]), b1 = theta.narrow(0, 20, 5);
  const w2 = theta.narrow(0, 25, 15).reshape([3, 5]), b2 = theta.narrow(0, 40, 3);
  return mn.nn.functional.crossEntropy(x.matmul(w1.t()).add(b1).tanh().matmul(w2.t()).add(b2), y);
}

describe(`autograd.functional against ${REF}`, () => {
  const { cases } = loadFixture("autograd-functional.json");
  test("the test's problems are the fixture's", () => {
    assert.deepEqual(Object.keys(PROBLEMS).sort(), Object.keys(cases).sort());
  });
  for (const [name, c] of Object.entries<any>(cases)) {
    for (const dtype of ["float32", "float64"] as const) {
      const tol = TOL[dtype];
      const cast = (e: TensorEntry) => toTensor(e, dtype);
      const consts: Consts = Object.fromEntries(Object.entries<TensorEntry>(c.consts).map(([k, e]) => [k, k === "y" ? toTensor(e, "int32") : cast(e)]));
      const f = PROBLEMS[name]!(consts);
      const pick = (list: TensorEntry[]) => (c.tuple ? list.map(cast) : cast(list[0]!));
      const inputs = pick(c.inputs);
      const ref = c[dtype];
      const label = `${name} ${dtype}`;
      if (c.v_out) {
        test(`${name}: vjp, jvp and jacobian match ${REF} (${dtype}, rtol ${tol.rtol})`, () => {
          const [out, vjp] = F.vjp(f, inputs, pick(c.v_out));
          assertResultClose(out, ref.output, tol, `${label} output`);
          assertResultClose(vjp, ref.vjp, tol, `${label} vjp`);
          assertResultClose(F.jvp(f, inputs, pick(c.v_in))[1], ref.jvp, tol, `${label} jvp`);
          assertResultClose(F.jacobian(f, inputs), ref.jacobian, tol, `${label} jacobian`);
        });
      } else {
        const g = f as (...xs: mn.Tensor[]) => mn.Tensor;
        test(`${name}: gradient (vjp without v), hvp, vhp and hessian match ${REF} (${dtype}, rtol ${tol.rtol})`, () => {
          const [out, grad] = F.vjp(g, inputs);
          assertResultClose(out, ref.output, tol, `${label} output`);
          assertResultClose(grad, ref.vjp, tol, `${label} gradient`);
          assertResultClose(F.hvp(g, inputs, pick(c.v_in))[1], ref.hvp, tol, `${label} hvp`);
          assertResultClose(F.vhp(g, inputs, pick(c.v_in))[1], ref.vhp, tol, `${label} vhp`);
          assertResultClose(F.hessian(g, inputs), ref.hessian, tol, `${label} hessian`);
        });
      }
    }
  }
});

describe("autograd.functional: closed forms", () => {
  const gen = new mn.Generator(7);
  const A = mn.randn([3, 4], { dtype: "float64", generator: gen });
  const x = mn.randn([4], { dtype: "float64", generator: gen });
  const v3 = mn.randn([3], { dtype: "float64", generator: gen });
  const v4 = mn.randn([4], { dtype: "float64", generator: gen });
  const exact = { rtol: 0, atol: 0 };
  const close = { rtol: 1e-14, atol: 1e-14 };
  const entry = (t: mn.Tensor): TensorEntry => ({ shape: [...t.shape], data: Array.from(t.data) });

  test("linear map f(x) = A·x: jacobian is A, vjp is Aᵀv, jvp is A·v", () => {
    const f = (t: mn.Tensor) => A.matmul(t);
    assertTensorClose(F.jacobian(f, x), entry(A), exact, "jacobian");
    const [y, vjp] = F.vjp(f, x, v3);
    assertTensorClose(y, entry(A.matmul(x)), exact, "output");
    assertTensorClose(vjp, entry(A.t().matmul(v3)), close, "vjp");
    assertTensorClose(F.jvp(f, x, v4)[1], entry(A.matmul(v4)), close, "jvp");
  });

  test("quadratic ½xᵀMx: hessian is (M + Mᵀ)/2, hvp is that times v, the gradient (vjp) is that times x", () => {
    const M = mn.randn([4, 4], { dtype: "float64", generator: gen });
    const f = (t: mn.Tensor) => t.matmul(M).matmul(t).mul(0.5);
    const sym = M.add(M.t()).mul(0.5);
    assertTensorClose(F.hessian(f, x), entry(sym), close, "hessian");
    assertTensorClose(F.hvp(f, x, v4)[1], entry(sym.matmul(v4)), close, "hvp");
    assertTensorClose(F.vjp(f, x)[1], entry(sym.matmul(x)), close, "gradient");
  });

  test("two inputs f(a, b) = Σ a² · Σ b³: every block of the hessian in closed form", () => {
    const a = f64([1, -2]), b = f64([0.5, 3, -1]);
    const H = F.hessian((p, q) => p.square().sum().mul(q.pow(3).sum()), [a, b]);
    const sa = 5, sb = 0.125 + 27 - 1;
    // ∂²/∂a∂a = 2·Σb³·I; ∂²/∂a∂b = 2a ⊗ 3b²; ∂²/∂b∂b = Σa²·diag(6b)
    assertTensorClose(H[0][0], { shape: [2, 2], data: [2 * sb, 0, 0, 2 * sb] }, close, "H[0][0]");
    assertTensorClose(H[0][1], { shape: [2, 3], data: [1, -2].flatMap((ai) => [0.5, 3, -1].map((bj) => 2 * ai * 3 * bj * bj)) }, close, "H[0][1]");
    assertTensorClose(H[1][0], entry(H[0][1].t()), close, "H[1][0] = H[0][1]ᵀ");
    assertTensorClose(H[1][1], { shape: [3, 3], data: [6 * 0.5 * sa, 0, 0, 0, 18 * sa, 0, 0, 0, -6 * sa] }, close, "H[1][1]");
  });

  test("jacobian of two outputs of two inputs: J[i][j] has shape [...output i, ...input j], zeros where unused", () => {
    const a = f64([[1, 2], [3, 4]]), b = f64([5, 6, 7]);
    const J = F.jacobian((p, q) => [p.mul(2), q.sum()], [a, b]);
    assert.deepEqual(J.map((row) => row.map((t) => t.shape)), [[[2, 2, 2, 2], [2, 2, 3]], [[2, 2], [3]]]);
    assertTensorClose(J[0][0], entry(mn.eye(4, 4, { dtype: "float64" }).mul(2).reshape([2, 2, 2, 2])), exact, "d(2a)/da");
    assert.deepEqual(Array.from(J[0][1].data), new Array(12).fill(0));
    assert.deepEqual(Array.from(J[1][0].data), [0, 0, 0, 0]);
    assert.deepEqual(Array.from(J[1][1].data), [1, 1, 1]);
  });

  test("a scalar input and output: v may be omitted (v = 1) in vjp, jvp and hvp", () => {
    const t = f64(2);
    assert.equal(F.vjp((s) => s.pow(3), t)[1].item(), 12);
    assert.equal(F.jvp((s) => s.pow(3), t)[1].item(), 12);
    assert.equal(F.hvp((s) => s.pow(3), t)[1].item(), 12);
    assert.equal(F.hessian((s) => s.pow(3), t).item(), 12);
  });
});

describe("autograd.functional: hvp is the exact Hessian times v on an MLP's loss over its flattened parameters", () => {
  test("hvp(loss, θ, v) equals hessian(loss, θ)·v, and hvp = vhp (float64, 1e-12)", () => {
    const gen = new mn.Generator(3);
    const theta = mn.randn([43], { dtype: "float64", generator: gen }).mul(0.5);
    const x = mn.randn([8, 4], { dtype: "float64", generator: gen });
    const y = mn.randint(0, 3, [8], { generator: gen });
    const loss = (t: mn.Tensor) => mlpLoss(t, x, y);
    const H = F.hessian(loss, theta);
    assert.deepEqual(H.shape, [43, 43]);
    for (let k = 0; k < 3; k++) {
      const v = mn.randn([43], { dtype: "float64", generator: gen });
      const [value, hv] = F.hvp(loss, theta, v);
      assert.equal(value.item(), loss(theta).item());
      assertClose(hv.data, Array.from(H.matmul(v).data), { rtol: 1e-12, atol: 1e-12 }, `direction ${k}`);
      assertClose(F.vhp(loss, theta, v)[1].data, Array.from(hv.data), { rtol: 0, atol: 0 }, `vhp, direction ${k}`);
    }
  });

  test("the Hessian is symmetric and its columns are central differences of the gradient (h = 1e-5)", () => {
    const gen = new mn.Generator(4);
    const theta = mn.randn([43], { dtype: "float64", generator: gen }).mul(0.5);
    const x = mn.randn([8, 4], { dtype: "float64", generator: gen });
    const y = mn.randint(0, 3, [8], { generator: gen });
    const loss = (t: mn.Tensor) => mlpLoss(t, x, y);
    const H = F.hessian(loss, theta);
    assertClose(H.data, Array.from(H.t().data), { rtol: 1e-12, atol: 1e-14 }, "H = Hᵀ");
    const gradAt = (t: mn.Tensor) => F.vjp(loss, t)[1];
    for (const j of [0, 21, 42]) {
      const h = 1e-5;
      const step = mn.zeros([43], { dtype: "float64" });
      step.data[j] = h;
      const column = gradAt(theta.add(step)).sub(gradAt(theta.sub(step))).div(2 * h);
      assertClose(H.select(1, j).data, Array.from(column.data), { rtol: 1e-5, atol: 1e-8 }, `column ${j}`);
    }
  });
});

describe("autograd.functional: graphs, captured tensors and grad mode", () => {
  test("createGraph: the vjp is differentiable with respect to the caller's input (d/dx Σ 3x² = 6x)", () => {
    const x = f64([1, -2, 0.5]).requiresGrad_();
    const [, g] = F.vjp((t) => t.pow(3).sum(), x, undefined, { createGraph: true });
    assert.ok(g.requiresGrad);
    g.sum().backward();
    assert.deepEqual(Array.from(x.grad!.data), [6, -12, 3]);
  });

  test("createGraph: gradcheck of x ↦ hvp(Σ tanh(x)³, x, v) against central differences (third derivatives)", () => {
    const v = f64([0.3, -1, 2]);
    const f = (t: mn.Tensor) => t.tanh().pow(3).sum();
    assert.equal(mn.autograd.gradcheck((t) => F.hvp(f, t, v, { createGraph: true })[1], [f64([0.2, -0.7, 1.1]).requiresGrad_()]), true);
    assert.equal(mn.autograd.gradcheck((t) => F.jvp(f, t, v, { createGraph: true })[1], [f64([0.2, -0.7, 1.1]).requiresGrad_()]), true);
    assert.equal(mn.autograd.gradcheck((t) => F.jacobian(f, t, { createGraph: true }), [f64([0.2, -0.7, 1.1]).requiresGrad_()]), true);
  });

  test("without createGraph, results and outputs are detached and nothing accumulates into the caller's .grad", () => {
    const x = f64([1, 2]).requiresGrad_();
    const w = f64([3, 4]).requiresGrad_();
    const [out, g] = F.vjp((t) => t.mul(w).sum(), x);
    assert.equal(out.requiresGrad, false);
    assert.equal(g.requiresGrad, false);
    assert.deepEqual(Array.from(g.data), [3, 4]);
    assert.equal(x.grad, null);
    assert.equal(w.grad, null, "a tensor f captures gets no gradient");
  });

  test("the input f captures as a constant is not differentiated: gradients are taken with respect to the argument", () => {
    const x = f64([1, 2]).requiresGrad_();
    // x.mul(t): torch gives x (the captured x is a constant), not 2x.
    assert.deepEqual(Array.from(F.vjp((t) => x.mul(t).sum(), x)[1].data), [1, 2]);
  });

  test("inside noGrad, the helpers still record f (as torch's enable_grad does)", () => {
    const x = f64([1, 2]);
    const g = mn.noGrad(() => F.vjp((t) => t.square().sum(), x)[1]);
    assert.deepEqual(Array.from(g.data), [2, 4]);
  });

  test("an input no output depends on gets zeros (torch's strict=False); a linear f's hessian is zeros", () => {
    const a = f64([1, 2]), b = f64([3]);
    const [, [ga, gb]] = F.vjp((p, _q) => p.square().sum(), [a, b]);
    assert.deepEqual(Array.from(ga.data), [2, 4]);
    assert.deepEqual([...gb.shape, ...gb.data], [1, 0]);
    assert.deepEqual(Array.from(F.jvp((p, _q) => p.mul(2), [a, b], [f64([1, 1]), f64([1])])[1].data), [2, 2]);
    assert.deepEqual(Array.from(F.hvp((p) => p.mul(3).sum(), a, f64([1, 1]))[1].data), [0, 0]);
    assert.deepEqual(Array.from(F.hessian((p) => p.mul(3).sum(), a).data), [0, 0, 0, 0]);
    assert.deepEqual(Array.from(F.jacobian(() => f64([1, 2]), a).data), [0, 0, 0, 0]);
  });

  test("float32 in, float32 out", () => {
    const [, g] = F.vjp((t) => t.square().sum(), mn.tensor([1, 2]));
    assert.equal(g.dtype, "float32");
  });
});

describe("autograd.functional: types follow the inputs' and outputs' structure", () => {
  test("a tuple of inputs gives a tuple of results; one Tensor gives one Tensor", () => {
    const a = f64([1, 2]), b = f64([3, 4]);
    // Each annotation fails to compile if the inferred type is looser (Tensor[], or a union).
    const [out, grads]: [mn.Tensor, [mn.Tensor, mn.Tensor]] = F.vjp((p, q) => p.mul(q).sum(), [a, b]);
    const jac: [mn.Tensor, mn.Tensor] = F.jacobian((p, q) => p.mul(q), [a, b]);
    const jac2: [[mn.Tensor, mn.Tensor], [mn.Tensor, mn.Tensor]] = F.jacobian((p, q) => [p.mul(q), q.sum()], [a, b]);
    const [outs, jv]: [[mn.Tensor, mn.Tensor], [mn.Tensor, mn.Tensor]] = F.jvp((p, q) => [p.mul(q), q.sum()], [a, b], [a, b]);
    const hess: [[mn.Tensor, mn.Tensor], [mn.Tensor, mn.Tensor]] = F.hessian((p, q) => p.mul(q).sum(), [a, b]);
    const single: mn.Tensor = F.hessian((p) => p.square().sum(), a);
    const [, hv]: [mn.Tensor, mn.Tensor] = F.hvp((p) => p.square().sum(), a, b);
    assert.equal(out.item(), 11);
    assert.deepEqual(grads.map((g) => Array.from(g.data)), [[3, 4], [1, 2]]);
    assert.deepEqual(jac.map((j) => j.shape), [[2, 2], [2, 2]]);
    assert.deepEqual(jac2[1].map((j) => j.shape), [[2], [2]]);
    assert.deepEqual([outs[1].item(), jv[0].toArray(), jv[1].item()], [7, [6, 16], 7]);
    assert.deepEqual(Array.from(hess[0][1].data), [1, 0, 0, 1]);
    assert.deepEqual(Array.from(single.data), [2, 0, 0, 2]);
    assert.deepEqual(Array.from(hv.data), [6, 8]);
  });
});

describe("autograd.functional: messages", () => {
  const x = f64([1, 2, 3]);
  const sq = (t: mn.Tensor) => t.square();
  const any = F as unknown as Record<string, (...args: unknown[]) => unknown>;
  const w = f64([1, 2, 3]).requiresGrad_();
  const CAPTURED = (i: number) => `f used input ${i} itself, not the argument it was called with, so the derivative with respect to that argument is zero; `
    + "compute from f's arguments (a Module's forward uses its own parameters: write the loss as a function of them, or use mn.autograd.grad)";
  testErrorCases([
    ["inputs that are not Tensors", () => any.vjp!(sq, [x, 3]), "vjp: inputs[1] is not a Tensor; expected a Tensor or an array of Tensors, got number"],
    ["an input that is not a Tensor", () => any.jacobian!(sq, [[1, 2]]), "jacobian: inputs[0] is not a Tensor; expected a Tensor or an array of Tensors, got an array"],
    ["an int32 input", () => F.jvp(sq, mn.tensor([1, 2], { dtype: "int32" }), mn.tensor([1, 1], { dtype: "int32" })), "jvp: input 0 must be a floating-point tensor; expected float32 or float64, got int32"],
    ["f returning a number", () => any.vjp!(() => 1, x), "vjp: the output of f is not a Tensor; expected a Tensor or an array of Tensors, got number"],
    ["f returning an array with a non-Tensor", () => any.jacobian!((t: mn.Tensor) => [t, null], x), "jacobian: output 1 of f is not a Tensor; expected a Tensor or an array of Tensors, got null"],
    ["v omitted for a non-scalar output", () => F.vjp(sq, x), "vjp: v can be omitted only when f returns a single Tensor with one element, got shape [3]"],
    ["v omitted for a non-scalar input", () => F.jvp(sq, x), "jvp: v can be omitted only when the input is a single Tensor with one element, got shape [3]"],
    ["v omitted for two inputs", () => F.hvp((a, b) => a.mul(b).sum(), [x, x]), "hvp: v can be omitted only when the input is a single Tensor with one element, got an array of 2"],
    ["v of the wrong shape", () => F.vjp(sq, x, f64([1, 2])), "vjp: v does not match the output of f; expected shape [3], got [2]"],
    ["v of the wrong dtype", () => F.jvp(sq, x, mn.tensor([1, 2, 3])), "jvp: v does not match the input; expected dtype float64, got float32"],
    ["v[1] of the wrong shape", () => F.hvp((a, b) => a.mul(b).sum(), [x, x], [x, f64([1])]), "hvp: v[1] does not match input 1; expected shape [3], got [1]"],
    ["v with too few tensors", () => any.vjp!((t: mn.Tensor) => [t, t], x, [x]), "vjp: v must match the outputs of f; expected an array of 2 Tensors, got an array of 1"],
    ["v an array for one Tensor", () => any.jvp!(sq, x, [x]), "jvp: v must match the input; expected a Tensor, got an array of 1"],
    ["hvp of a non-scalar f", () => F.hvp(sq, x, x), "hvp: f must return a single Tensor with one element, got shape [3]"],
    ["vhp of an f returning an array", () => any.vhp!((t: mn.Tensor) => [t.sum()], x, x), "vhp: f must return a single Tensor with one element, got an array of 1"],
    ["hessian of a non-scalar f", () => F.hessian(sq, x), "hessian: f must return a single Tensor with one element, got shape [3]"],
    ["an unknown option", () => any.jacobian!(sq, x, { vectorize: true }), "jacobian: unknown option \"vectorize\"; expected one of createGraph, strict"],
    ["a non-boolean option", () => any.hessian!(sq, x, { createGraph: 1 }), "hessian: invalid createGraph; expected true or false, got 1"],
    ["strict: an output that does not require grad", () => F.vjp(() => f64(1), x, undefined, { strict: true }), "vjp: output 0 of f does not require grad (it is not computed from the inputs), which strict mode does not allow"],
    ["strict: an unused input (vjp)", () => F.vjp((a, _b) => a.sum(), [x, x], undefined, { strict: true }), "vjp: the output of f does not depend on input 1, which strict mode does not allow"],
    ["strict: an unused input (jvp)", () => F.jvp((a, _b) => a.sum(), [x, x], [x, x], { strict: true }), "jvp: the output of f does not depend on input 1, which strict mode does not allow"],
    ["strict: an unused input (jacobian)", () => F.jacobian((a, _b) => a.sum(), [x, x], { strict: true }), "jacobian: output 0 of f does not depend on input 1, which strict mode does not allow"],
    ["strict: a linear f (hvp)", () => F.hvp((t) => t.mul(2).sum(), x, x, { strict: true }), "hvp: the gradient of f does not depend on input 0 (f is linear in it), which strict mode does not allow"],
    ["f using the caller's tensor, not its argument (vjp)", () => F.vjp((_t) => w.square().sum(), w), `vjp: ${CAPTURED(0)}`],
    ["f using the caller's tensor, not its argument (jvp)", () => F.jvp((_t) => w.square(), w, w), `jvp: ${CAPTURED(0)}`],
    ["f using the caller's tensor, not its argument (jacobian)", () => F.jacobian((_t) => w.square(), w), `jacobian: ${CAPTURED(0)}`],
    ["f using the caller's tensor, not its argument (hessian)", () => F.hessian((_t) => w.pow(3).sum(), w), `hessian: ${CAPTURED(0)}`],
    ["a Module's loss over model.parameters() (hvp)", () => {
      const model = new mn.nn.Linear(3, 1, { dtype: "float64" });
      const params = model.parameters();
      return F.hvp(() => model.forward(f64([[1, 2, 3]])).tanh().sum(), params, params.map((p) => mn.onesLike(p)));
    }, `hvp: ${CAPTURED(0)}`],
    ["strict: a linear f (hessian)", () => F.hessian((t) => t.mul(2).sum(), x, { strict: true }), "hessian: the gradient of f does not depend on input 0 (f is linear in it), which strict mode does not allow"],
  ]);
});
