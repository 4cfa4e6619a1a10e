import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { encodeOpLine } from "../../src/tune/journal/op-line.js";
import { PyFloat, PythonJsonSyntaxError, pythonJsonDumps, pythonJsonLoads } from "../../src/tune/journal/python-json.js";
import { repoRoot } from "../helpers/repo-root.js";

// Reference: test/fixtures/tune/python-json.json, json.dumps of the same values built in Python
// (tools/optuna_journal_peer.py python-json); PyFloat marks the numbers Python holds as floats.
const VALUES: unknown[] = [
  new PyFloat(1), 1, -0, 0.1 + 0.2, 1e-5, 0.0001, 1e16, 1.5e16, 123456789012345.6, 5e-324, 1.7976931348623157e308,
  NaN, Infinity, -Infinity, -2.5e-7, 3e17,
  "plain", 'quote " backslash \\ slash /', "\b\f\n\r\t\x00\x1f\x7f", "\u00e9\u2713\u{1F600}", "",
  null, true, false, [], {}, [1, [new PyFloat(2), [null]]], { b: 1, a: { nested: [NaN, "x"] } },
];
const fixture = JSON.parse(readFileSync(join(repoRoot(), "test/fixtures/tune/python-json.json"), "utf8")) as { dumps: string[] };

/** A value as it reads back: a PyFloat is just its number. */
function plain(v: unknown): unknown {
  if (v instanceof PyFloat) return v.value;
  if (Array.isArray(v)) return v.map(plain);
  if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}

describe("journal lines in Python's JSON dialect", () => {
  test("pythonJsonDumps equals Python's json.dumps byte for byte (fixture from Python 3.11)", () => {
    assert.equal(fixture.dumps.length, VALUES.length);
    VALUES.forEach((v, i) => assert.equal(pythonJsonDumps(v), fixture.dumps[i], `value ${i}`));
  });

  test("pythonJsonLoads reads back what Python wrote, NaN and ±Infinity included (fixture from Python 3.11)", () => {
    VALUES.forEach((v, i) => assert.deepEqual(pythonJsonLoads(fixture.dumps[i]!), plain(v), `value ${i}`));
    assert.ok(Object.is(pythonJsonLoads("-0.0"), -0));
  });

  test("the reader takes Python's tokens in any position and other writers' compact separators", () => {
    // Newer Optuna writes separators=(",", ":"); optuna-dashboard's reader replaces the same three tokens.
    assert.deepEqual(pythonJsonLoads('{"a":[NaN,-Infinity,{"b":Infinity}],"s":"NaN \\" Infinity"}'), { a: [NaN, -Infinity, { b: Infinity }], s: 'NaN " Infinity' });
    assert.deepEqual(pythonJsonLoads(' [ NaN ] '), [NaN]);
    // A key named __proto__ is an own property, as JSON.parse makes it, not the object's prototype.
    const o = pythonJsonLoads('{"__proto__": NaN}') as Record<string, unknown>;
    assert.ok(Object.hasOwn(o, "__proto__") && Number.isNaN(o["__proto__"]) && Object.getPrototypeOf(o) === Object.prototype);
  });

  test("text that is not JSON is refused at the character where it stops being JSON", () => {
    const cases: [string, string][] = [
      ['{"a": Nan}', 'expected a JSON value, found "Nan}" at character 7'],
      ['{"a": NaN', 'expected , or } in an object, found the end of the line at character 10'],
      ['{"a": NaN} x', 'extra data after the value, found "x" at character 12'],
      ['{"op_code": 4, "wor', 'an unterminated string, found "\\"wor" at character 16'],
      ["[NaN, 'x']", 'expected a JSON value, found "\'x\']" at character 7'],
    ];
    for (const [text, message] of cases) assert.throws(() => pythonJsonLoads(text), (e: unknown) => e instanceof PythonJsonSyntaxError && e.message === message, text);
  });

  test("op lines: values, intermediate values and float/int params as floats, categorical indices as ints (Optuna 3.1's lines)", () => {
    // Expected lines: the forms Optuna 3.1's JournalStorage writes (journal-file-optuna.test.ts re-encodes a journal Optuna wrote, byte for byte).
    const cat = '{"name": "CategoricalDistribution", "attributes": {"choices": ["relu", "tanh", null]}}';
    const int = '{"name": "IntDistribution", "attributes": {"log": false, "step": 1, "low": 1, "high": 4}}';
    assert.equal(encodeOpLine({ op_code: 5, worker_id: "w", trial_id: 0, param_name: "act", param_value_internal: 2, distribution: cat }),
      `{"op_code": 5, "worker_id": "w", "trial_id": 0, "param_name": "act", "param_value_internal": 2, "distribution": ${JSON.stringify(cat)}}`);
    assert.equal(encodeOpLine({ op_code: 5, worker_id: "w", trial_id: 0, param_name: "layers", param_value_internal: 3, distribution: int }),
      `{"op_code": 5, "worker_id": "w", "trial_id": 0, "param_name": "layers", "param_value_internal": 3.0, "distribution": ${JSON.stringify(int)}}`);
    assert.equal(encodeOpLine({ op_code: 6, worker_id: "w", trial_id: 3, state: 1, values: [Infinity], datetime_complete: "2026-12-05T06:04:39.834485" }),
      '{"op_code": 6, "worker_id": "w", "trial_id": 3, "state": 1, "values": [Infinity], "datetime_complete": "2026-12-05T06:04:39.834485"}');
    assert.equal(encodeOpLine({ op_code: 7, worker_id: "w", trial_id: 1, step: 0, intermediate_value: 1 }), '{"op_code": 7, "worker_id": "w", "trial_id": 1, "step": 0, "intermediate_value": 1.0}');
    assert.equal(encodeOpLine({ op_code: 4, worker_id: "w", study_id: 0, datetime_start: null, state: 1, value: 2, values: null, distributions: { layers: int, act: cat }, params: { layers: 3, act: 1 }, user_attrs: { n: 1 }, system_attrs: {}, intermediate_values: { "0": 2, "3": -1.5 } }),
      `{"op_code": 4, "worker_id": "w", "study_id": 0, "datetime_start": null, "state": 1, "value": 2.0, "values": null, "distributions": {"layers": ${JSON.stringify(int)}, "act": ${JSON.stringify(cat)}}, "params": {"layers": 3.0, "act": 1}, "user_attrs": {"n": 1}, "system_attrs": {}, "intermediate_values": {"0": 2.0, "3": -1.5}}`);
  });
});
