import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../src/index.node.js";
import { assertClose, assertTensorClose, loadFixture, toTensor, type TensorEntry, type Tolerance } from "../helpers/fixtures.js";

// Every expected number comes from test/fixtures/*.json, written by tools/gen_fixtures.py with PyTorch.
const F = mn.nn.functional;
type FloatDType = "float32" | "float64";
type Named = Record<string, TensorEntry>;

const TOL: Record<FloatDType, Tolerance> = {
  float32: { rtol: 1e-5, atol: 1e-6 },
  float64: { rtol: 1e-10, atol: 1e-12 },
};
const mlpFx = loadFixture("mlp.json");
/** "torch 1.13": the reference named in the test names, read from the fixture. */
const REF = `torch ${String(mlpFx.torch).split(".").slice(0, 2).join(".")}`;
const tolName = (dtype: FloatDType) => `${dtype}, rtol ${TOL[dtype].rtol.toExponential()}`;

/** The fixture's Linear → act → Linear → ReLU → Linear, with its weights loaded. */
function buildMlp(params: Named, act: mn.nn.Module, dtype: FloatDType): mn.nn.Sequential {
  const linear = (i: number) => {
    const [out, inF] = params[`${i}.weight`]!.shape;
    return new mn.nn.Linear(inF!, out!, { dtype });
  };
  const model = new mn.nn.Sequential(linear(0), act, linear(2), new mn.nn.ReLU(), linear(4));
  model.loadStateDict(Object.fromEntries(Object.entries(params).map(([n, e]) => [n, toTensor(e, dtype)])));
  return model;
}

/** Compares tensors to fixture entries by parameter name (the names must match exactly). */
function assertNamedClose(actual: [string, mn.Tensor | null][], expected: Named, tol: Tolerance, what: string): void {
  assert.deepEqual(actual.map(([n]) => n), Object.keys(expected), `${what}: parameter names`);
  for (const [name, t] of actual) assertTensorClose(t, expected[name]!, tol, `${what} ${name}`);
}

for (const dtype of ["float32", "float64"] as const) {
  describe(`MLP Linear-Tanh-Linear-ReLU-Linear against ${REF} (${dtype})`, () => {
    const fx = mlpFx[dtype];
    const tol = TOL[dtype];
    const setup = () => {
      const model = buildMlp(fx.params, new mn.nn.Tanh(), dtype);
      const x = toTensor(fx.x, dtype);
      const y = toTensor(fx.target, "int32");
      return { model, x, y, loss: () => F.crossEntropy(model.forward(x), y) };
    };

    test(`cross-entropy loss and grads match ${REF} (${tolName(dtype)})`, () => {
      const { model, loss } = setup();
      const l = loss();
      l.backward();
      assertClose([l.item()], [fx.loss], tol, "loss");
      assertNamedClose(model.namedParameters().map(([n, p]) => [n, p.grad]), fx.grads, tol, "grad");
    });

    test(`Hessian-vector product by double backward matches ${REF} autograd.grad(create_graph=True) (${tolName(dtype)})`, () => {
      const { model, loss } = setup();
      const named = model.namedParameters();
      const params = named.map(([, p]) => p);
      const grads = mn.autograd.grad(loss(), params, { createGraph: true });
      const dot = grads.map((g, i) => g.mul(toTensor(fx.v[named[i]![0]], dtype)).sum()).reduce((a, b) => a.add(b));
      const hv = mn.autograd.grad(dot, params);
      assertNamedClose(named.map(([n], i) => [n, hv[i]!]), fx.hvp, tol, "hvp");
    });

    test(`cross-entropy with labelSmoothing 0.1 and its grads match ${REF} (${tolName(dtype)})`, () => {
      const { model, x, y } = setup();
      const l = F.crossEntropy(model.forward(x), y, { labelSmoothing: 0.1 });
      l.backward();
      assertClose([l.item()], [fx.loss_label_smoothing], tol, "loss_label_smoothing");
      assertNamedClose(model.namedParameters().map(([n, p]) => [n, p.grad]), fx.grads_label_smoothing, tol, "grad");
    });

    test(`one SGD step (lr 0.1, momentum 0.9, weightDecay 0.01) matches ${REF} torch.optim.SGD (${tolName(dtype)})`, () => {
      const { model, loss } = setup();
      const opt = new mn.optim.SGD(model.parameters(), fx.sgd);
      loss().backward();
      opt.step();
      assertNamedClose(model.namedParameters(), fx.sgd_step, tol, "param after 1 step");
    });

    test(`three SGD steps (loss and grads recomputed each step) match ${REF} torch.optim.SGD (${tolName(dtype)})`, () => {
      const { model, loss } = setup();
      const opt = new mn.optim.SGD(model.parameters(), fx.sgd);
      for (let i = 0; i < 3; i++) {
        opt.zeroGrad();
        loss().backward();
        opt.step();
      }
      assertNamedClose(model.namedParameters(), fx.sgd_steps3, tol, "param after 3 steps");
    });
  });
}

describe(`MLP with GELU against ${REF} (float64)`, () => {
  test(`cross-entropy loss and grads with exact-erf GELU match ${REF} (${tolName("float64")})`, () => {
    const fx = mlpFx.mlp_gelu;
    const model = buildMlp(fx.params, new mn.nn.GELU(), "float64");
    const l = F.crossEntropy(model.forward(toTensor(fx.x, "float64")), toTensor(fx.target, "int32"));
    l.backward();
    assertClose([l.item()], [fx.loss], TOL.float64, "loss");
    assertNamedClose(model.namedParameters().map(([n, p]) => [n, p.grad]), fx.grads, TOL.float64, "grad");
  });
});

/** Runs each case's function on a fresh leaf and checks its value and the gradient of sum(out) or sum(out·w). */
function checkCases(
  fixtureCases: Record<string, { value: TensorEntry; grad: TensorEntry }>,
  table: Record<string, { input: TensorEntry; fn: (z: mn.Tensor) => mn.Tensor; w?: mn.Tensor }>,
  what: string,
): void {
  test(`the test table covers every ${what} case in the fixture`, () => {
    assert.deepEqual(Object.keys(table).sort(), Object.keys(fixtureCases).sort());
  });
  for (const [name, { input, fn, w }] of Object.entries(table)) {
    test(`${name}: value and input gradient match ${REF} (${tolName("float64")})`, () => {
      const expected = fixtureCases[name]!;
      const z = toTensor(input, "float64").requiresGrad_();
      const out = fn(z);
      const [g] = mn.autograd.grad(w ? out.mul(w).sum() : out.sum(), [z]);
      assertTensorClose(out, expected.value, TOL.float64, `${name} value`);
      assertTensorClose(g, expected.grad, TOL.float64, `${name} grad`);
    });
  }
}

describe(`losses against ${REF} (float64)`, () => {
  const fx = loadFixture("losses.json");
  const target = toTensor(fx.target, "int32");
  const mseTarget = toTensor(fx.mse_target, "float64");
  const probs = toTensor(fx.probs, "float64");
  const onLogits = (fn: (z: mn.Tensor) => mn.Tensor) => ({ input: fx.logits as TensorEntry, fn });
  checkCases(fx.cases, {
    cross_entropy_mean: onLogits((z) => F.crossEntropy(z, target, { reduction: "mean" })),
    cross_entropy_sum: onLogits((z) => F.crossEntropy(z, target, { reduction: "sum" })),
    cross_entropy_none: { ...onLogits((z) => F.crossEntropy(z, target, { reduction: "none" })), w: toTensor(fx.w, "float64") },
    "cross_entropy_label_smoothing_0.2": onLogits((z) => F.crossEntropy(z, target, { labelSmoothing: 0.2 })),
    // Class-probability targets, the path mixup and cutmix use, with torch's probability-target smoothing.
    cross_entropy_probs_mean: onLogits((z) => F.crossEntropy(z, probs)),
    "cross_entropy_probs_label_smoothing_0.2": onLogits((z) => F.crossEntropy(z, probs, { labelSmoothing: 0.2 })),
    "cross_entropy_probs_label_smoothing_0.3_sum": onLogits((z) => F.crossEntropy(z, probs, { labelSmoothing: 0.3, reduction: "sum" })),
    "cross_entropy_probs_label_smoothing_0.3_none": { ...onLogits((z) => F.crossEntropy(z, probs, { labelSmoothing: 0.3, reduction: "none" })), w: toTensor(fx.w, "float64") },
    nll_loss_log_softmax_mean: onLogits((z) => F.nllLoss(F.logSoftmax(z, 1), target)),
    mse_loss_mean: { input: fx.pred, fn: (p) => F.mseLoss(p, mseTarget, { reduction: "mean" }) },
    mse_loss_sum: { input: fx.pred, fn: (p) => F.mseLoss(p, mseTarget, { reduction: "sum" }) },
    multi_margin_loss_mean: onLogits((z) => F.multiMarginLoss(z, target, { p: 1, margin: 1 })),
  }, "loss");
});

describe(`activations against ${REF} (float64)`, () => {
  const fx = loadFixture("activations.json");
  const w = toTensor(fx.w, "float64");
  const act = (fn: (z: mn.Tensor) => mn.Tensor) => ({ input: fx.x as TensorEntry, fn, w });
  checkCases(fx.cases, {
    relu: act((z) => F.relu(z)),
    "leaky_relu_0.01": act((z) => F.leakyRelu(z, 0.01)),
    "leaky_relu_0.2": act((z) => F.leakyRelu(z, 0.2)),
    sigmoid: act((z) => F.sigmoid(z)),
    tanh: act((z) => F.tanh(z)),
    gelu: act((z) => F.gelu(z)),
    "softmax_dim-1": act((z) => F.softmax(z, -1)),
    "log_softmax_dim-1": act((z) => F.logSoftmax(z, -1)),
    softmax_dim0: act((z) => F.softmax(z, 0)),
  }, "activation");
});

describe(`SGD trajectories against ${REF} torch.optim.SGD (float64)`, () => {
  const fx = loadFixture("sgd.json");
  for (const { options, steps } of fx.configs as { options: mn.optim.SGDOptions; steps: TensorEntry[] }[]) {
    test(`SGD ${JSON.stringify(options)}: 5 steps on given gradients match ${REF} (${tolName("float64")})`, () => {
      const p = toTensor(fx.p0, "float64").requiresGrad_();
      const opt = new mn.optim.SGD([p], options);
      steps.forEach((expected, i) => {
        p.grad = toTensor(fx.grads[i], "float64");
        opt.step();
        assertTensorClose(p, expected, TOL.float64, `step ${i + 1}`);
      });
    });
  }
});

describe(`reductions against ${REF} (float64)`, () => {
  const fx = loadFixture("reductions.json");
  const x = toTensor(fx.x, "float64");
  const table: Record<string, () => mn.Tensor> = {
    var_dim1_correction1: () => x.var(1, { correction: 1, keepdim: true }),
    var_dim1_correction0: () => x.var(1, { correction: 0, keepdim: true }),
    std_dim1_correction1: () => x.std(1, { correction: 1, keepdim: true }),
    std_dim1_correction0: () => x.std(1, { correction: 0, keepdim: true }),
    mean_dims0_2: () => x.mean([0, 2]),
    sum_dims0_2: () => x.sum([0, 2]),
    max_dim2: () => x.max(2).values,
    logsumexp_dim1: () => x.logsumexp(1),
  };
  test("the test table covers every reduction case in the fixture", () => {
    assert.deepEqual([...Object.keys(table), "argmax_dim2"].sort(), Object.keys(fx.cases).sort());
  });
  for (const [name, fn] of Object.entries(table)) {
    test(`${name} matches ${REF} (${tolName("float64")})`, () => {
      assertTensorClose(fn(), fx.cases[name], TOL.float64, name);
    });
  }
  test(`argmax_dim2 matches ${REF} exactly`, () => {
    assertTensorClose(x.argmax(2), fx.cases.argmax_dim2, { rtol: 0, atol: 0 }, "argmax_dim2");
  });
});
