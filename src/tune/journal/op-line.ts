import { OP, type JournalOp } from "./ops.js";
import { PyFloat, pythonJsonDumps } from "./python-json.js";

/**
 * One journal op as the line Optuna 3.1 writes for it (`json.dumps(log)`, no newline): the fields
 * Python holds as floats — objective values, intermediate values, the internal values of float and
 * int parameters — are written as floats (1.0); a categorical parameter's internal value is its
 * index, an int. Everything else (attrs, ids, steps) as pythonJsonDumps writes it.
 * @example encodeOpLine({ op_code: 7, worker_id: "w", trial_id: 0, step: 1, intermediate_value: 2 })
 * // '{"op_code": 7, "worker_id": "w", "trial_id": 0, "step": 1, "intermediate_value": 2.0}'
 */
export function encodeOpLine(op: JournalOp): string {
  switch (op.op_code) {
    case OP.CREATE_TRIAL: {
      const distributions = (op["distributions"] ?? {}) as Record<string, string>;
      return pythonJsonDumps(withFields(op, {
        value: asFloat(op["value"]),
        values: floatList(op["values"]),
        params: mapValues(op["params"], (v, k) => (isCategorical(distributions[k]) ? v : asFloat(v))),
        intermediate_values: mapValues(op["intermediate_values"], asFloat),
      }));
    }
    case OP.SET_TRIAL_PARAM:
      return pythonJsonDumps(withFields(op, { param_value_internal: isCategorical(op["distribution"]) ? op["param_value_internal"] : asFloat(op["param_value_internal"]) }));
    case OP.SET_TRIAL_STATE_VALUES:
      return pythonJsonDumps(withFields(op, { values: floatList(op["values"]) }));
    case OP.SET_TRIAL_INTERMEDIATE_VALUE:
      return pythonJsonDumps(withFields(op, { intermediate_value: asFloat(op["intermediate_value"]) }));
    default:
      return pythonJsonDumps(op);
  }
}

/** The op with the given fields replaced where the op has them (the key order stays the op's). */
function withFields(op: JournalOp, fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(op)) out[k] = k in fields ? fields[k] : v;
  return out;
}

function asFloat(v: unknown): unknown {
  return typeof v === "number" ? new PyFloat(v) : v;
}

function floatList(v: unknown): unknown {
  return Array.isArray(v) ? v.map(asFloat) : v;
}

function mapValues(v: unknown, f: (value: unknown, key: string) => unknown): unknown {
  if (v === null || typeof v !== "object") return v;
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, f(x, k)]));
}

/** Whether a distribution's JSON (Optuna's distribution_to_json) is a categorical one. */
function isCategorical(json: unknown): boolean {
  if (typeof json !== "string") return false;
  try {
    return (JSON.parse(json) as { name?: unknown }).name === "CategoricalDistribution";
  } catch {
    return false;
  }
}
