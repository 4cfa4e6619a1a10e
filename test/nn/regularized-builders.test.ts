import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../src/index.node.js";

const kinds = (m: mn.nn.Sequential) => m.layers.map((l) => l.constructor.name);
const values = (m: mn.nn.Module) => m.parameters().map((p) => Array.from(p.data));

describe("mlp() and cnn() with dropout", () => {
  test("mlp without dropout (absent or 0) is the plain network: the same layers, names and initial weights", () => {
    mn.manualSeed(1);
    const plain = mn.nn.mlp({ inputs: 6, hidden: [5, 4], outputs: 3 });
    mn.manualSeed(1);
    const zero = mn.nn.mlp({ inputs: 6, hidden: [5, 4], outputs: 3, dropout: 0 });
    assert.deepEqual(kinds(plain), ["Flatten", "Linear", "ReLU", "Linear", "ReLU", "Linear"]);
    assert.deepEqual(kinds(zero), kinds(plain));
    assert.deepEqual(zero.namedParameters().map(([n]) => n), ["1.weight", "1.bias", "3.weight", "3.bias", "5.weight", "5.bias"]);
    assert.deepEqual(values(zero), values(plain));
  });

  test("mlp with dropout puts a Dropout(p) after each hidden activation, none after the output; in eval it computes the plain network", () => {
    mn.manualSeed(2);
    const plain = mn.nn.mlp({ inputs: 6, hidden: [5, 4], outputs: 3, activation: "tanh" });
    mn.manualSeed(2);
    const dropped = mn.nn.mlp({ inputs: 6, hidden: [5, 4], outputs: 3, activation: "tanh", dropout: 0.25 });
    assert.deepEqual(kinds(dropped), ["Flatten", "Linear", "Tanh", "Dropout", "Linear", "Tanh", "Dropout", "Linear"]);
    assert.ok(dropped.layers.filter((l) => l instanceof mn.nn.Dropout).every((l) => (l as mn.nn.Dropout).p === 0.25));
    assert.deepEqual(values(dropped), values(plain), "Dropout layers draw nothing at construction");
    const x = mn.randn([7, 6]);
    assert.deepEqual(Array.from(dropped.eval().forward(x).data), Array.from(plain.forward(x).data));
    assert.notDeepEqual(Array.from(dropped.train().forward(x).data), Array.from(plain.forward(x).data), "dropout acts in training");
  });

  test("cnn without dropout is unchanged; with dropout, Dropout follows each dense hidden ReLU only", () => {
    mn.manualSeed(3);
    const plain = mn.nn.cnn({ inputShape: [1, 12, 12], channels: [4], hidden: [8, 6], outputs: 3 });
    mn.manualSeed(3);
    const zero = mn.nn.cnn({ inputShape: [1, 12, 12], channels: [4], hidden: [8, 6], outputs: 3, dropout: 0 });
    mn.manualSeed(3);
    const dropped = mn.nn.cnn({ inputShape: [1, 12, 12], channels: [4], hidden: [8, 6], outputs: 3, dropout: 0.5 });
    assert.deepEqual(kinds(plain), ["Conv2d", "ReLU", "MaxPool2d", "Flatten", "Linear", "ReLU", "Linear", "ReLU", "Linear"]);
    assert.deepEqual(kinds(zero), kinds(plain));
    assert.deepEqual(values(zero), values(plain));
    assert.deepEqual(kinds(dropped), ["Conv2d", "ReLU", "MaxPool2d", "Flatten", "Linear", "ReLU", "Dropout", "Linear", "ReLU", "Dropout", "Linear"]);
    assert.deepEqual(values(dropped), values(plain));
    const x = mn.randn([2, 1, 12, 12]);
    assert.deepEqual(Array.from(dropped.eval().forward(x).data), Array.from(plain.eval().forward(x).data));
  });

  test("a dropout outside [0, 1) fails, naming the builder", () => {
    assert.throws(() => mn.nn.mlp({ inputs: 2, hidden: [2], outputs: 2, dropout: 1 }), /^OptionError: mlp: invalid dropout; expected a probability in \[0, 1\), got 1$/);
    assert.throws(() => mn.nn.mlp({ inputs: 2, hidden: [2], outputs: 2, dropout: -0.1 }), /^OptionError: mlp: invalid dropout; expected a probability in \[0, 1\), got -0.1$/);
    assert.throws(() => mn.nn.cnn({ inputShape: [1, 8, 8], outputs: 2, channels: [2], dropout: 1.5 }), /^OptionError: cnn: invalid dropout; expected a probability in \[0, 1\), got 1.5$/);
    assert.throws(() => mn.nn.cnn({ inputShape: [1, 8, 8], outputs: 2, channels: [2], dropout: "0.5" as never }), /^OptionError: cnn: invalid dropout; expected a probability in \[0, 1\), got "0.5"$/);
  });
});

describe("residualMlp()", () => {
  test("Flatten → Linear → act, then Residual(Linear → act [→ Dropout]) blocks, then Linear; dropPath grows as p·l/L (the linear decay rule)", () => {
    const m = mn.nn.residualMlp({ inputs: 12, width: 8, blocks: 4, outputs: 3, activation: "gelu", dropout: 0.1, dropPath: 0.2 });
    assert.deepEqual(kinds(m), ["Flatten", "Linear", "GELU", "Residual", "Residual", "Residual", "Residual", "Linear"]);
    const blocks = m.layers.filter((l): l is mn.nn.Residual => l instanceof mn.nn.Residual);
    assert.deepEqual(blocks.map((b) => b.dropPath), [0.05, 0.1, 0.15000000000000002, 0.2]);
    assert.deepEqual(blocks.map((b) => kinds(b.block as mn.nn.Sequential)), new Array(4).fill(["Linear", "GELU", "Dropout"]));
    assert.deepEqual(m.namedParameters().map(([n, p]) => `${n}:${p.shape.join("x")}`), [
      "1.weight:8x12", "1.bias:8",
      ...[3, 4, 5, 6].flatMap((i) => [`${i}.block.0.weight:8x8`, `${i}.block.0.bias:8`]),
      "7.weight:3x8", "7.bias:3"]);
    const plain = mn.nn.residualMlp({ inputs: 12, width: 8, blocks: 2, outputs: 3 });
    assert.deepEqual(kinds((plain.layers[3] as mn.nn.Residual).block as mn.nn.Sequential), ["Linear", "ReLU"]);
    assert.equal((plain.layers[4] as mn.nn.Residual).dropPath, 0);
  });

  test("in eval mode it computes h ← h + relu(W h + b) per block (closed form from the layers' weights)", () => {
    mn.manualSeed(4);
    const m = mn.nn.residualMlp({ inputs: 6, width: 5, blocks: 3, outputs: 2, dropPath: 0.5, dropout: 0.3, dtype: "float64" }).eval();
    const lin = (i: number) => m.layers[i] as mn.nn.Linear;
    const block = (i: number) => ((m.layers[i] as mn.nn.Residual).block as mn.nn.Sequential).layers[0] as mn.nn.Linear;
    const x = mn.randn([4, 2, 3], { dtype: "float64" });
    const F = mn.nn.functional;
    let h = F.linear(x.reshape([4, 6]), lin(1).weight, lin(1).bias).relu();
    for (const i of [3, 4, 5]) h = h.add(F.linear(h, block(i).weight, block(i).bias).relu());
    const expected = F.linear(h, lin(6).weight, lin(6).bias);
    const got = Array.from(m.forward(x).data), want = Array.from(expected.data);
    got.forEach((v, i) => assert.ok(Math.abs(v - want[i]!) <= 1e-12 * Math.max(1, Math.abs(want[i]!)), `output ${i}: ${v} vs ${want[i]}`));
  });

  test("blocks = 0 gives a one-hidden-layer MLP", () => {
    assert.deepEqual(kinds(mn.nn.residualMlp({ inputs: 4, width: 3, blocks: 0, outputs: 2 })), ["Flatten", "Linear", "ReLU", "Linear"]);
  });

  test("bad options fail with exact messages", () => {
    const base = { inputs: 4, width: 3, blocks: 2, outputs: 2 };
    assert.throws(() => mn.nn.residualMlp({ ...base, dropPath: 1 }), /^OptionError: residualMlp: invalid dropPath; expected a number in \[0, 1\), got 1$/);
    assert.throws(() => mn.nn.residualMlp({ ...base, dropout: -0.2 }), /^OptionError: residualMlp: invalid dropout; expected a number in \[0, 1\), got -0.2$/);
    assert.throws(() => mn.nn.residualMlp({ ...base, blocks: 1.5 }), /^OptionError: residualMlp: invalid blocks; expected a non-negative integer, got 1.5$/);
    assert.throws(() => mn.nn.residualMlp({ ...base, activation: "swish" as never }), /^OptionError: residualMlp: invalid activation; expected one of "relu", "leaky-relu", "tanh", "sigmoid", "gelu", got "swish"$/);
    assert.throws(() => mn.nn.residualMlp({ inputs: 4, blocks: 2, outputs: 2 } as never), /^OptionError: residualMlp: missing option width; expected a positive integer$/);
    assert.throws(() => mn.nn.residualMlp({ ...base, drop_path: 0.1 } as never), /^OptionError: residualMlp: unknown option "drop_path" — did you mean "dropPath"\?/);
  });
});
