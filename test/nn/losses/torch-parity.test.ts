import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../../src/index.node.js";
import { assertClose, assertTensorClose, loadFixture, toTensor, type TensorEntry, type Tolerance } from "../../helpers/fixtures.js";

// Every expected number comes from test/fixtures/loss-parity.json, written by tools/gen_loss_fixtures.py with PyTorch.
const F = mn.nn.functional;
type FloatDType = "float32" | "float64";
type Inputs = Record<string, mn.Tensor>;

const TOL: Record<FloatDType, Tolerance> = {
  float32: { rtol: 1e-5, atol: 1e-6 },
  float64: { rtol: 1e-10, atol: 1e-12 },
};
const fx = loadFixture("loss-parity.json");
const REF = `torch ${String(fx.torch).split(".").slice(0, 2).join(".")}`;

/** Each case's call, by the fixture's case name; options are the fixture's (minima's spelling of torch's). */
const CALLS: Record<string, (a: Inputs, options: any) => mn.Tensor> = {};
const bce = (a: Inputs, o: any) => F.binaryCrossEntropy(a.input!, a.target!, { ...o, ...(a.weight && { weight: a.weight }) });
const bceLogits = (a: Inputs, o: any) => F.binaryCrossEntropyWithLogits(a.input!, a.target!,
  { ...o, ...(a.weight && { weight: a.weight }), ...(a.posWeight && { posWeight: a.posWeight }) });
for (const name of ["bce_mean", "bce_hard_sum", "bce_weight_none", "bce_weight_broadcast_mean", "bce_edges_none"]) CALLS[name] = bce;
for (const name of ["bce_logits_mean", "bce_logits_hard_sum", "bce_logits_pos_weight_none", "bce_logits_weight_pos_weight_mean", "bce_logits_weight_sum"]) CALLS[name] = bceLogits;
for (const name of ["l1_mean", "l1_none"]) CALLS[name] = (a, o) => F.l1Loss(a.input!, a.target!, o);
for (const name of ["smooth_l1_mean", "smooth_l1_beta_0.5_sum", "smooth_l1_beta_2_none", "smooth_l1_beta_0_mean"]) CALLS[name] = (a, o) => F.smoothL1Loss(a.input!, a.target!, o);
for (const name of ["huber_mean", "huber_delta_0.5_sum", "huber_delta_2_none"]) CALLS[name] = (a, o) => F.huberLoss(a.input!, a.target!, o);
for (const name of ["kl_div_mean", "kl_div_batchmean", "kl_div_sum", "kl_div_none", "kl_div_log_target_batchmean", "kl_div_log_target_none"]) {
  CALLS[name] = (a, o) => F.klDiv(a.input!, a.target!, o);
}
for (const name of ["cosine_embedding_mean", "cosine_embedding_margin_0.3_sum", "cosine_embedding_margin_-0.2_none", "cosine_embedding_pair_y1", "cosine_embedding_pair_y-1"]) {
  CALLS[name] = (a, o) => F.cosineEmbeddingLoss(a.input1!, a.input2!, a.target!, o);
}

/** The loss modules, called with the same options: each must give its function's value. */
const MODULES: Record<string, (o: any, a: Inputs) => mn.nn.Module> = {
  bce: (o, a) => new mn.nn.BCELoss({ ...o, ...(a.weight && { weight: a.weight }) }),
  bce_logits: (o, a) => new mn.nn.BCEWithLogitsLoss({ ...o, ...(a.weight && { weight: a.weight }), ...(a.posWeight && { posWeight: a.posWeight }) }),
  l1: (o) => new mn.nn.L1Loss(o),
  smooth_l1: (o) => new mn.nn.SmoothL1Loss(o),
  huber: (o) => new mn.nn.HuberLoss(o),
  kl_div: (o) => new mn.nn.KLDivLoss(o),
  cosine_embedding: (o) => new mn.nn.CosineEmbeddingLoss(o),
};
const moduleFor = (name: string) => Object.keys(MODULES).sort((a, b) => b.length - a.length).find((k) => name.startsWith(k))!;

describe(`the losses of issue 12 against ${REF}`, () => {
  test("the test table covers every case in the fixture", () => {
    assert.deepEqual(Object.keys(CALLS).sort(), Object.keys(fx.cases).sort());
  });
  for (const [name, c] of Object.entries<any>(fx.cases)) {
    for (const dtype of ["float32", "float64"] as const) {
      const tol = TOL[dtype];
      const setup = () => {
        const inputs: Inputs = {};
        for (const [role, entry] of Object.entries<TensorEntry>(c[dtype].inputs)) {
          inputs[role] = toTensor(entry, dtype);
          if (c.grad_of.includes(role)) inputs[role]!.requiresGrad_();
        }
        return inputs;
      };
      test(`${name}: value and gradients of ${c.grad_of.join(", ")} match ${REF} (${dtype}, rtol ${tol.rtol.toExponential()})`, () => {
        const inputs = setup();
        const out = CALLS[name]!(inputs, c.options);
        const w = c.w ? toTensor(fx.w[c.w], dtype) : null;
        const grads = mn.autograd.grad(w ? out.mul(w).sum() : out.sum(), c.grad_of.map((r: string) => inputs[r]!));
        assert.equal(out.dtype, dtype, "the loss keeps the input's dtype");
        assertTensorClose(out, c[dtype].value, tol, `${name} value`);
        c.grad_of.forEach((r: string, i: number) => assertTensorClose(grads[i], c[dtype].grads[r], tol, `${name} grad of ${r}`));
      });
      test(`${name}: the nn module (${moduleFor(name)}) gives ${REF}'s value (${dtype})`, () => {
        const inputs = setup();
        const module = MODULES[moduleFor(name)]!(c.options, inputs);
        const args = "input1" in inputs ? [inputs.input1!, inputs.input2!, inputs.target!] : [inputs.input!, inputs.target!];
        assertTensorClose(module.forward(...args), c[dtype].value, tol, `${name} value`);
      });
    }
  }
  test("the fixture's float32 values are not the float64 ones (the float32 path is tested in float32)", () => {
    const c = fx.cases.bce_logits_mean;
    assert.notEqual(c.float32.value.data[0], c.float64.value.data[0]);
    assertClose(c.float32.value.data, c.float64.value.data, TOL.float32, "float32 near float64");
  });
});
