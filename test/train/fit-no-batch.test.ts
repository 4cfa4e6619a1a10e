import { describe } from "node:test";
import * as mn from "../../src/index.node.js";
import { testErrorCases } from "../helpers/error-cases.js";

// fit on a data set that yields no batch "trained" for its epochs with loss null and no word.
const model = new mn.nn.Linear(2, 2);
const optimizer = new mn.optim.SGD(model.parameters(), { lr: 0.1 });
const data = (n: number) => new mn.data.TensorDataset(mn.zeros([n, 2]), mn.zeros([n], { dtype: "int32" }));

describe("fit refuses a training set that yields no batch", () => {
  testErrorCases([
    ["an empty training set", () => mn.train.fit(model, { optimizer, train: data(0), epochs: 1 }),
      "fit: the training set is empty; expected at least one batch per epoch"],
    ["fewer samples than batchSize with dropLast", () => mn.train.fit(model, { optimizer, train: data(3), epochs: 1, batchSize: 4, dropLast: true }),
      "fit: 3 samples make no full batch of 4 with dropLast; expected at least one batch per epoch"],
  ]);
});
