import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../src/index.node.js";

const { parseSpace, formatSpace } = mn.tune;

describe("parseSpace: minima tune's --space", () => {
  // Reference: the distributions mn.tune builds for the same arguments (Optuna's suggest_float / suggest_int / suggest_categorical).
  test("reads the issue's example into the distributions mn.tune.float/int/categorical build, in order", () => {
    const space = parseSpace("lr=float(1e-4,1,log); momentum=float(0.5,0.99); hidden=categorical(128,256,512); layers=int(1,4)");
    assert.deepEqual(Object.keys(space), ["lr", "momentum", "hidden", "layers"]);
    assert.deepEqual(space["lr"], mn.tune.float(1e-4, 1, { log: true }));
    assert.deepEqual(space["momentum"], mn.tune.float(0.5, 0.99));
    assert.deepEqual(space["hidden"], mn.tune.categorical([128, 256, 512]));
    assert.deepEqual(space["layers"], mn.tune.int(1, 4));
  });

  test("steps, spaces, a trailing ';', and choices of every kind Optuna stores", () => {
    const space = parseSpace("  x = int( 1 , 10 , step=3 ) ;y=float(0,1,step=0.25); act=categorical(relu, 'leaky relu', true, null, 1e-3, \"a,b\");");
    assert.deepEqual(space["x"], mn.tune.int(1, 10, { step: 3 }));
    assert.deepEqual(space["y"], mn.tune.float(0, 1, { step: 0.25 }));
    assert.deepEqual(space["act"], mn.tune.categorical(["relu", "leaky relu", true, null, 0.001, "a,b"]));
  });

  test("formatSpace writes what parseSpace reads back (round trip)", () => {
    const text = "lr=float(1e-4, 1, log); n=int(16, 512, log); s=int(2, 20, step=6); act=categorical(\"relu\", \"1\", 1, false)";
    const space = parseSpace(text);
    assert.equal(formatSpace(space), "lr=float(0.0001, 1, log); n=int(16, 512, log); s=int(2, 20, step=6); act=categorical(\"relu\", \"1\", 1, false)");
    assert.deepEqual(parseSpace(formatSpace(space)), space);
  });

  // Exact texts: each names the character (1-based) where the mistake is, what was expected there and what stands there.
  const refusals: [string, string][] = [
    ["lr=float 1e-4,1)", "--space: at character 10: expected \"(\" after float: float(low, high[, log][, step=s]), got \"1e-4,1)\""],
    ["lr=flaot(1,2)", "--space: at character 4: unknown distribution \"flaot\" (did you mean \"float\"?); expected float(low, high), int(low, high) or categorical(a, b, …), got \"flaot(1,2)\""],
    ["lr=float(1e-4)", "--space: at character 14: expected \",\" after lr's low bound: float(low, high[, log][, step=s]), got \")\""],
    ["lr=float(a,1)", "--space: at character 10: lr's low bound is not a number; expected a number like 1e-4 or 0.5: float(low, high[, log][, step=s]), got \"a,1)\""],
    ["lr=float(1e-3,0.3,lgo)", "--space: at character 19: unknown setting \"lgo\"; expected log or step=s: float(low, high[, log][, step=s]), got \"lgo)\""],
    ["lr=float(0,1,log)", "--space: at character 4: lr: low must be > 0 for a log distribution; expected low > 0, got low 0"],
    ["lr=float(2,1)", "--space: at character 4: lr: low must not exceed high; expected low ≤ high, got low 2, high 1"],
    ["lr=float(1,2); lr=int(1,3)", "--space: at character 16: \"lr\" is given twice (first at character 1); expected each parameter once, got \"lr=int(1,3)\""],
    ["lr=float(1,2) momentum=float(0,1)", "--space: at character 15: expected \";\" between entries, got \"momentum=float(0,1)\""],
    ["", "--space: at character 1: the space is empty; expected one or more entries like lr=float(1e-4, 1, log), got the end of the text"],
    ["=float(1,2)", "--space: at character 1: a parameter name is missing; expected a name like lr or weightDecay (letters, digits, _), then =, got \"=float(1,2)\""],
    ["act=categorical(relu,relu)", "--space: at character 22: act lists the choice \"relu\" twice; expected each choice once, got \"relu)\""],
    ["x=categorical('a)", "--space: at character 15: the quoted choice of x is not closed; expected a closing ', got \"'a)\""],
    ["x=float(1,2,log,log)", "--space: at character 17: log is given twice; expected float(low, high[, log][, step=s]), got \"log)\""],
    ["x=int(1,10", "--space: at character 11: expected \",\" or \")\": int(low, high[, log][, step=s]), got the end of the text"],
    ["lr=float(1e-4, 1, log); weightDecay=float(1e-6, 1e-2, log)) ", "--space: at character 59: expected \";\" between entries, got \") \""],
  ];
  for (const [text, message] of refusals) {
    test(`refuses ${JSON.stringify(text)} naming the position`, () => {
      assert.throws(() => parseSpace(text), (e: Error) => e instanceof mn.OptionError && e.message === message ? true : assert.fail(`got: ${e.message}`));
    });
  }
});
