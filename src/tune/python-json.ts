import { StorageError } from "../errors.js";
import { pythonFloat } from "./python-float.js";

/**
 * JSON as Python's json module writes and reads it, the form of Optuna's stored attrs (value_json):
 * json.dumps separators (", " and ": "), all but printable ASCII escaped (ensure_ascii), and NaN / Infinity /
 * -Infinity as bare tokens, where JSON.stringify would write null and JSON.parse would throw.
 */
export function pythonJsonDumps(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "number") {
    if (Number.isNaN(value)) return "NaN";
    if (value === Infinity) return "Infinity";
    if (value === -Infinity) return "-Infinity";
    // An integral number is written as Python writes an int; others as Python's float repr (1e-07).
    return Number.isInteger(value) && Math.abs(value) < 1e16 && !Object.is(value, -0) ? String(value) : pythonFloat(value);
  }
  if (typeof value === "string") return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  if (typeof value === "boolean") return value ? "true" : "false";
  if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(", ")}]`;
  if (typeof value === "object") {
    const json = (value as { toJSON?: () => unknown }).toJSON;
    if (typeof json === "function") return pythonJsonDumps(json.call(value));
    const entries = Object.entries(value).filter(([, v]) => v !== undefined && typeof v !== "function");
    return `{${entries.map(([k, v]) => `${pythonJsonDumps(k)}: ${pythonJsonDumps(v)}`).join(", ")}}`;
  }
  return "null";
}

/** Reads JSON with Python's extra tokens NaN, Infinity and -Infinity; `where` names the source in errors. */
export function pythonJsonLoads(text: string, where = "JSON"): unknown {
  let i = 0;
  const fail = (what: string): never => {
    throw new StorageError({ where, what: `${what} at position ${i} of stored JSON`, got: JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text) });
  };
  const space = () => {
    while (i < text.length && " \t\n\r".includes(text[i]!)) i++;
  };
  const value = (): unknown => {
    space();
    const c = text[i];
    if (c === "{") {
      i++;
      const out: Record<string, unknown> = {};
      space();
      if (text[i] === "}") return i++, out;
      for (;;) {
        space();
        if (text[i] !== '"') fail("a key was expected");
        const key = string();
        space();
        if (text[i++] !== ":") fail("':' was expected");
        out[key] = value();
        space();
        const next = text[i++];
        if (next === "}") return out;
        if (next !== ",") fail("',' or '}' was expected");
      }
    }
    if (c === "[") {
      i++;
      const out: unknown[] = [];
      space();
      if (text[i] === "]") return i++, out;
      for (;;) {
        out.push(value());
        space();
        const next = text[i++];
        if (next === "]") return out;
        if (next !== ",") fail("',' or ']' was expected");
      }
    }
    if (c === '"') return string();
    for (const [token, v] of [["NaN", NaN], ["Infinity", Infinity], ["-Infinity", -Infinity], ["true", true], ["false", false], ["null", null]] as const) {
      if (text.startsWith(token, i)) return (i += token.length), v;
    }
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (m === null) return fail("a value was expected");
    i += m[0].length;
    return Number(m[0]);
  };
  const string = (): string => {
    const start = i++;
    while (i < text.length && text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
    if (i >= text.length) fail("an unterminated string");
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const out = value();
  space();
  if (i !== text.length) fail("text after the value");
  return out;
}
