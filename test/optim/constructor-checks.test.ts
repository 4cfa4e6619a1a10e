import { describe } from "node:test";
import * as mn from "../../src/index.node.js";
import { testErrorCases, type ErrorCase } from "../helpers/error-cases.js";

// Every optimizer given something other than a list of parameters or of param groups: a bare
// TypeError ("params is not iterable") before.
const w = mn.tensor([1, 2], { requiresGrad: true });
const LIST = "expected an iterable of tensors or of param groups ({ params, ...options }), such as model.parameters()";
type Ctor = new (params: unknown, options?: object) => unknown;
const OPTIMIZERS: [string, Ctor][] = [
  ["SGD", mn.optim.SGD], ["Adam", mn.optim.Adam], ["AdamW", mn.optim.AdamW], ["Adamax", mn.optim.Adamax], ["NAdam", mn.optim.NAdam],
  ["RAdam", mn.optim.RAdam], ["Adagrad", mn.optim.Adagrad], ["Adadelta", mn.optim.Adadelta], ["RMSprop", mn.optim.RMSprop],
  ["Lion", mn.optim.Lion], ["LBFGS", mn.optim.LBFGS], ["Newton", mn.optim.Newton],
] as unknown as [string, Ctor][];

describe("optimizer constructors refuse params that are not a list, with the reason", () => {
  const cases: ErrorCase[] = [];
  for (const [name, Optim] of OPTIMIZERS) {
    cases.push(
      [`new ${name}(tensor)`, () => new Optim(w, { lr: 0.1 }), `${name}: params is not a list; ${LIST}, got a tensor [2] (put it in a list: [tensor])`],
      [`new ${name}(null)`, () => new Optim(null, { lr: 0.1 }), `${name}: params is not a list; ${LIST}, got null`],
      [`new ${name}(a single group)`, () => new Optim({ params: [w] }, { lr: 0.1 }), `${name}: params is not a list; ${LIST}, got a single param group (put it in a list: [group])`],
      [`new ${name}([{ params: tensor }])`, () => new Optim([{ params: w }], { lr: 0.1 }),
        `${name}: a param group's params is not a list; expected an iterable of tensors, got a tensor [2] (put it in a list: [tensor])`],
    );
  }
  cases.push(
    ["new SGD(5)", () => new mn.optim.SGD(5 as never, { lr: 0.1 }), `SGD: params is not a list; ${LIST}, got 5`],
    ["new SGD(\"ab\"): a string is not a list of parameters", () => new mn.optim.SGD("ab" as never, { lr: 0.1 }), `SGD: params is not a list; ${LIST}, got "ab"`],
    ["new SGD(undefined)", () => new mn.optim.SGD(undefined as never, { lr: 0.1 }), `SGD: params is not a list; ${LIST}, got undefined`],
  );
  testErrorCases(cases);
});
