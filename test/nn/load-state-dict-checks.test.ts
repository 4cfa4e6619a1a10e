import { describe } from "node:test";
import * as mn from "../../src/index.node.js";
import { testErrorCases } from "../helpers/error-cases.js";

// loadStateDict given no state dict, or an entry that is not a tensor: a bare TypeError before (and a
// null entry with strict: false was skipped with no word).
const model = new mn.nn.Sequential(new mn.nn.Linear(2, 1));
const state = model.stateDict();
const WANT = "the state dict is not an object of tensors; expected { name: tensor }, as stateDict() returns";

describe("Module.loadStateDict refuses what is not a state dict, naming what it got", () => {
  testErrorCases([
    ["loadStateDict(null)", () => model.loadStateDict(null as never), `Sequential.loadStateDict: ${WANT}, got null`],
    ["loadStateDict(undefined)", () => model.loadStateDict(undefined as never), `Sequential.loadStateDict: ${WANT}, got undefined`],
    ["loadStateDict(a tensor)", () => model.loadStateDict(state["0.weight"] as never), `Sequential.loadStateDict: ${WANT}, got a tensor [1,2]`],
    ["loadStateDict(a Map)", () => model.loadStateDict(new Map(Object.entries(state)) as never),
      `Sequential.loadStateDict: ${WANT}, got a Map (Object.fromEntries(map) makes one)`],
    ["loadStateDict([])", () => model.loadStateDict([] as never), `Sequential.loadStateDict: ${WANT}, got []`],
    ["an entry that is an array, not a tensor", () => model.loadStateDict({ ...state, "0.weight": [1, 2] } as never),
      "Sequential.loadStateDict: 0.weight is not a tensor, got [1,2]"],
    ["a null entry with strict: false", () => model.loadStateDict({ "0.bias": null } as never, { strict: false }),
      "Sequential.loadStateDict: 0.bias is not a tensor, got null"],
  ]);
});
