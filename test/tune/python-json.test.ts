import { test } from "node:test";
import assert from "node:assert/strict";
import { pythonJsonDumps, pythonJsonLoads } from "../../src/tune/python-json.js";

// Expected text: Python 3's json.dumps (Debian's /usr/bin/python3), the function Optuna writes value_json with.
test("pythonJsonDumps writes what Python's json.dumps writes", () => {
  const cases: [unknown, string][] = [
    [{ a: [1, 2.5, null, true, false], b: { c: 'é✓"\\\n' } }, '{"a": [1, 2.5, null, true, false], "b": {"c": "\\u00e9\\u2713\\"\\\\\\n"}}'],
    [[NaN, Infinity, -Infinity], "[NaN, Infinity, -Infinity]"],
    ["x\u007f\u0080", '"x\\u007f\\u0080"'],
    [1e-7, "1e-07"],
    [123456789012, "123456789012"],
    [{}, "{}"],
    [[], "[]"],
    [-0.5, "-0.5"],
    ["😀", '"\\ud83d\\ude00"'],
    [-0, "-0.0"],
  ];
  for (const [value, python] of cases) assert.equal(pythonJsonDumps(value), python, python);
});

test("pythonJsonLoads reads Python's NaN, Infinity and -Infinity tokens and standard JSON, as json.loads", () => {
  // Python: json.loads(' { "k" : [ 1e3 , -2E-2 , NaN , -Infinity ] } ') == {'k': [1000.0, -0.02, nan, -inf]}
  assert.deepEqual(pythonJsonLoads(' { "k" : [ 1e3 , -2E-2 , NaN , -Infinity ] } '), { k: [1000, -0.02, NaN, -Infinity] });
  assert.deepEqual(pythonJsonLoads('{"a": [1, 2.5, null, true, false], "b": {"c": "\\u00e9\\u2713\\"\\\\\\n"}}'), { a: [1, 2.5, null, true, false], b: { c: 'é✓"\\\n' } });
  assert.deepEqual(pythonJsonLoads('"NaN"'), "NaN");
  for (const v of [{ x: [NaN, { y: "Infinity" }] }, "😀", -1.5e-300, [[], {}]]) assert.deepEqual(pythonJsonLoads(pythonJsonDumps(v)), v);
});

test("pythonJsonLoads refuses broken text, naming the position and the source", () => {
  assert.throws(() => pythonJsonLoads('{"a": nan}', 'trial 3\'s user attr "a"'), { name: "StorageError", message: `trial 3's user attr "a": a value was expected at position 6 of stored JSON, got "{\\"a\\": nan}"` });
  assert.throws(() => pythonJsonLoads("[1, 2] x"), { message: 'JSON: text after the value at position 7 of stored JSON, got "[1, 2] x"' });
});
