import { describe } from "node:test";
import * as mn from "../../src/index.node.js";
import { testErrorCases, type ErrorCase } from "../helpers/error-cases.js";

// A binary op takes tensors and numbers only: a string became NaN and null became 0 (mn.add(t, null)
// returned t) with no word. Every binary arithmetic and comparison op, as a function and as a method.
const t = mn.tensor([1, 2]);
const OPS = ["add", "sub", "mul", "div", "pow", "maximum", "minimum", "eq", "ne", "lt", "le", "gt", "ge"] as const;
const expected = "expected a tensor or a number";

describe("binary ops refuse operands that are not tensors or numbers", () => {
  const cases: ErrorCase[] = [];
  for (const op of OPS) {
    const fn = mn[op] as (a: unknown, b: unknown) => mn.Tensor;
    cases.push(
      [`mn.${op}(t, "abc")`, () => fn(t, "abc"), `${op}: operand 2 is not a tensor; ${expected}, got "abc"`],
      [`mn.${op}(t, null)`, () => fn(t, null), `${op}: operand 2 is not a tensor; ${expected}, got null`],
      [`mn.${op}(undefined, t)`, () => fn(undefined, t), `${op}: operand 1 is not a tensor; ${expected}, got undefined`],
      [`mn.${op}(2, 3): no tensor at all`, () => fn(2, 3), `${op}: needs a tensor; expected at least one tensor operand, got the numbers 2 and 3`],
    );
  }
  cases.push(
    ["the method t.add([1, 2])", () => t.add([1, 2] as unknown as number), `add: operand 2 is not a tensor; ${expected}, got [1,2]`],
    ["the method t.mul(true)", () => t.mul(true as unknown as number), `mul: operand 2 is not a tensor; ${expected}, got true`],
  );
  testErrorCases(cases);
});
