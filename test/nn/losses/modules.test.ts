import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../../src/index.node.js";
import { assertTensorClose, loadFixture, toTensor, type Tolerance } from "../../helpers/fixtures.js";

// The loss classes: modules whose forward calls the function with the options given once. The losses that
// existed before have their classes checked against torch 1.13 here (losses.json, tools/gen_fixtures.py); the
// new ones are in torch-parity.test.ts.
const F = mn.nn.functional;
const TOL: Tolerance = { rtol: 1e-10, atol: 1e-12 };

describe("CrossEntropyLoss, NLLLoss, MSELoss, MultiMarginLoss against torch 1.13 (losses.json, float64)", () => {
  const fx = loadFixture("losses.json");
  const logits = toTensor(fx.logits, "float64"), target = toTensor(fx.target, "int32");
  const pred = toTensor(fx.pred, "float64"), mseTarget = toTensor(fx.mse_target, "float64");
  const cases: [string, () => mn.Tensor, string][] = [
    ["CrossEntropyLoss()", () => new mn.nn.CrossEntropyLoss().forward(logits, target), "cross_entropy_mean"],
    ["CrossEntropyLoss({ reduction: \"sum\" })", () => new mn.nn.CrossEntropyLoss({ reduction: "sum" }).forward(logits, target), "cross_entropy_sum"],
    ["CrossEntropyLoss({ labelSmoothing: 0.2 })", () => new mn.nn.CrossEntropyLoss({ labelSmoothing: 0.2 }).forward(logits, target), "cross_entropy_label_smoothing_0.2"],
    ["NLLLoss() on logSoftmax", () => new mn.nn.NLLLoss().forward(F.logSoftmax(logits, 1), target), "nll_loss_log_softmax_mean"],
    ["MSELoss({ reduction: \"sum\" })", () => new mn.nn.MSELoss({ reduction: "sum" }).forward(pred, mseTarget), "mse_loss_sum"],
    ["MultiMarginLoss()", () => new mn.nn.MultiMarginLoss().forward(logits, target), "multi_margin_loss_mean"],
  ];
  for (const [name, run, key] of cases) {
    test(`${name} gives torch's ${key} (rtol 1e-10)`, () => assertTensorClose(run(), fx.cases[key].value, TOL, name));
  }
});

describe("loss modules as modules", () => {
  test("every loss class is an nn.Module with no parameters, and its options default as torch's", () => {
    const modules = [new mn.nn.CrossEntropyLoss(), new mn.nn.NLLLoss(), new mn.nn.MultiMarginLoss(), new mn.nn.MSELoss(), new mn.nn.L1Loss(),
      new mn.nn.SmoothL1Loss(), new mn.nn.HuberLoss(), new mn.nn.BCELoss(), new mn.nn.BCEWithLogitsLoss(), new mn.nn.KLDivLoss(), new mn.nn.CosineEmbeddingLoss()];
    for (const m of modules) {
      assert.ok(m instanceof mn.nn.Module, m.constructor.name);
      assert.equal(m.parameters().length, 0, m.constructor.name);
      assert.equal((m as unknown as { options: { reduction: string } }).options.reduction, "mean", m.constructor.name);
    }
    assert.equal(new mn.nn.SmoothL1Loss().options.beta, 1);
    assert.equal(new mn.nn.HuberLoss().options.delta, 1);
    assert.equal(new mn.nn.CosineEmbeddingLoss().options.margin, 0);
    assert.equal(new mn.nn.KLDivLoss().options.logTarget, false);
  });

  test("BCEWithLogitsLoss keeps weight and posWeight as buffers under torch's names, so they load with a state dict", () => {
    const loss = new mn.nn.BCEWithLogitsLoss({ weight: mn.tensor([1, 2]), posWeight: mn.tensor([3, 0.5]) });
    assert.deepEqual(Object.keys(loss.stateDict()), ["weight", "pos_weight"]);
    assert.deepEqual(Object.keys(new mn.nn.BCEWithLogitsLoss().stateDict()), []);
    assert.deepEqual(Object.keys(new mn.nn.BCELoss({ weight: mn.tensor([1, 2]) }).stateDict()), ["weight"]);
    const z = mn.tensor([[0.3, -1.2], [2, 0.1]]), y = mn.tensor([[1, 0], [1, 1]]);
    loss.loadStateDict({ weight: mn.tensor([0.5, 4]), pos_weight: mn.tensor([2, 7]) });
    const expected = F.binaryCrossEntropyWithLogits(z, y, { weight: mn.tensor([0.5, 4]), posWeight: mn.tensor([2, 7]) });
    assert.equal(loss.forward(z, y).item(), expected.item());
  });

  test("a weight that requires grad stays a buffer, not a parameter", () => {
    const loss = new mn.nn.BCELoss({ weight: mn.tensor([1, 2]).requiresGrad_() });
    assert.equal(loss.parameters().length, 0);
    assert.deepEqual(loss.namedBuffers().map(([n]) => n), ["weight"]);
  });

  test("toString shows the options as torch's repr does, tensors left out", () => {
    assert.equal(new mn.nn.SmoothL1Loss({ beta: 0.5 }).toString(), 'SmoothL1Loss(reduction="mean", beta=0.5)');
    assert.equal(new mn.nn.BCEWithLogitsLoss({ posWeight: mn.tensor([2]), reduction: "sum" }).toString(), 'BCEWithLogitsLoss(reduction="sum")');
  });

  test("CosineEmbeddingLoss.forward takes both inputs and the target, and gives the function's value", () => {
    const a = mn.randn([4, 3], { generator: new mn.Generator(1) }), b = mn.randn([4, 3], { generator: new mn.Generator(2) });
    const y = mn.tensor([1, -1, -1, 1]);
    assert.equal(new mn.nn.CosineEmbeddingLoss({ margin: 0.1 }).forward(a, b, y).item(), F.cosineEmbeddingLoss(a, b, y, { margin: 0.1 }).item());
  });
});
