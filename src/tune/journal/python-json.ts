import { pythonFloat } from "../python-float.js";

/**
 * JSON in Python's dialect, the one Optuna's files hold: `json.dumps` writes NaN, Infinity and
 * -Infinity as bare tokens (JSON.stringify would write null), floats by their repr (1.0, 1e-05),
 * ", " and ": " between items, and every character outside printable ASCII as a \uXXXX escape.
 */

/** A number Python holds as a float: written 1.0, not 1 (a plain integral number is written as an int). */
export class PyFloat {
  constructor(readonly value: number) {}
}

/**
 * What Python's `json.dumps(value)` writes, for what JSON.stringify would write: the same values,
 * keys in the same order, toJSON honoured and undefined, functions and symbols left out of objects
 * (null in arrays). An integral number is an int unless wrapped in PyFloat or beyond 2^53.
 * @example pythonJsonDumps({ values: [new PyFloat(1), NaN], n: 3 }) // '{"values": [1.0, NaN], "n": 3}'
 */
export function pythonJsonDumps(value: unknown): string {
  const out = dump(value);
  if (out === undefined) throw new TypeError(`pythonJsonDumps: ${typeof value} is not JSON`);
  return out;
}

function dump(value: unknown): string | undefined {
  if (value instanceof PyFloat) return pythonFloat(value.value);
  if (value !== null && typeof value === "object" && typeof (value as { toJSON?: unknown }).toJSON === "function") {
    value = (value as { toJSON: () => unknown }).toJSON();
  }
  switch (typeof value) {
    case "string":
      return pyString(value);
    case "number":
      return Number.isSafeInteger(value) && !Object.is(value, -0) ? String(value) : pythonFloat(value);
    case "boolean":
      return value ? "true" : "false";
    case "bigint":
      throw new TypeError("pythonJsonDumps: a BigInt is not JSON (as in JSON.stringify)");
    case "object": {
      if (value === null) return "null";
      if (value instanceof Number || value instanceof String || value instanceof Boolean) return dump(value.valueOf());
      if (Array.isArray(value)) return `[${value.map((v) => dump(v) ?? "null").join(", ")}]`;
      const items: string[] = [];
      for (const [k, v] of Object.entries(value)) {
        const s = dump(v);
        if (s !== undefined) items.push(`${pyString(k)}: ${s}`);
      }
      return `{${items.join(", ")}}`;
    }
    default:
      return undefined; // undefined, functions, symbols: left out, as JSON.stringify does
  }
}

const SHORT_ESCAPES: Record<string, string> = { '"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/** Python's ensure_ascii string: every code unit outside space..~ escaped, in lower-case hex (so astral characters as surrogate pairs). */
function pyString(s: string): string {
  return `"${s.replace(/[\\"\u0000-\u001f\u007f-\uffff]/g, (c) => SHORT_ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)}"`;
}

/** Where a text stopped being JSON: the character offset and what was found there. */
export class PythonJsonSyntaxError extends Error {
  constructor(readonly offset: number, what: string) {
    super(`${what} at character ${offset + 1}`);
  }
}

/**
 * Reads what Python's `json.loads` reads: standard JSON plus the bare tokens NaN, Infinity and
 * -Infinity wherever a value may stand. Standard JSON goes to JSON.parse (fast); only text that it
 * refuses is parsed here. Throws PythonJsonSyntaxError at the first character that is not JSON.
 */
export function pythonJsonLoads(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return new Parser(text).document();
  }
}

/** A recursive-descent JSON parser that also takes Python's non-finite tokens; strings go to JSON.parse. */
class Parser {
  private at = 0;
  constructor(private readonly text: string) {}

  document(): unknown {
    const v = this.value();
    this.space();
    if (this.at < this.text.length) this.fail("extra data after the value");
    return v;
  }

  private fail(what: string): never {
    const found = this.at < this.text.length ? JSON.stringify(this.text.slice(this.at, this.at + 12)) : "the end of the line";
    throw new PythonJsonSyntaxError(this.at, `${what}, found ${found}`);
  }

  private space(): void {
    while (this.at < this.text.length && " \t\n\r".includes(this.text[this.at]!)) this.at++;
  }

  private literal(word: string, v: unknown): unknown {
    if (!this.text.startsWith(word, this.at)) this.fail("expected a JSON value");
    this.at += word.length;
    return v;
  }

  private value(): unknown {
    this.space();
    const c = this.text[this.at];
    switch (c) {
      case "{":
        return this.object();
      case "[":
        return this.array();
      case '"':
        return this.string();
      case "t":
        return this.literal("true", true);
      case "f":
        return this.literal("false", false);
      case "n":
        return this.literal("null", null);
      case "N":
        return this.literal("NaN", NaN);
      case "I":
        return this.literal("Infinity", Infinity);
      default:
        if (this.text.startsWith("-Infinity", this.at)) return this.literal("-Infinity", -Infinity);
        return this.number();
    }
  }

  private number(): number {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(this.text.slice(this.at, this.at + 400));
    if (m === null) this.fail("expected a JSON value");
    this.at += m[0].length;
    return Number(m[0]);
  }

  private string(): string {
    const start = this.at;
    for (this.at++; this.at < this.text.length; this.at++) {
      const c = this.text[this.at];
      if (c === "\\") this.at++;
      else if (c === '"') {
        this.at++;
        try {
          return JSON.parse(this.text.slice(start, this.at)) as string;
        } catch {
          this.at = start;
          this.fail("a string with a bad escape or a raw control character");
        }
      }
    }
    this.at = start;
    return this.fail("an unterminated string");
  }

  private array(): unknown[] {
    const out: unknown[] = [];
    this.at++;
    this.space();
    if (this.text[this.at] === "]") {
      this.at++;
      return out;
    }
    for (;;) {
      out.push(this.value());
      this.space();
      const c = this.text[this.at++];
      if (c === "]") return out;
      if (c !== ",") {
        this.at--;
        this.fail("expected , or ] in an array");
      }
    }
  }

  private object(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.at++;
    this.space();
    if (this.text[this.at] === "}") {
      this.at++;
      return out;
    }
    for (;;) {
      this.space();
      if (this.text[this.at] !== '"') this.fail("expected a key in quotes");
      const key = this.string();
      this.space();
      if (this.text[this.at++] !== ":") {
        this.at--;
        this.fail("expected : after a key");
      }
      const v = this.value();
      // JSON.parse's way for a key like __proto__: an own property, not the prototype.
      Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
      this.space();
      const c = this.text[this.at++];
      if (c === "}") return out;
      if (c !== ",") {
        this.at--;
        this.fail("expected , or } in an object");
      }
    }
  }
}
