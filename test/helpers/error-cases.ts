import { test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../src/index.node.js";

/** [test name, the call that must throw, its exact message] */
export type ErrorCase = [string, () => unknown, string];

/** One test per case: the call throws a MinimaError with exactly that message. */
export function testErrorCases(cases: readonly ErrorCase[]): void {
  for (const [name, fn, message] of cases) {
    test(name, () => {
      assert.throws(fn, (e: Error) => {
        assert.equal(e.message, message);
        assert.ok(e instanceof mn.MinimaError, e.name);
        return true;
      });
    });
  }
}
