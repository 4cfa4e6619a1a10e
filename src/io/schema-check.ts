import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Ajv as AjvClass, ErrorObject, ValidateFunction } from "ajv";

/**
 * Ajv, loaded the first time a file is checked, not with minima: the Node entry is imported by every
 * training script, and any sizable module loaded with it (ajv is one) tipped V8 into a full garbage
 * collection every ~30 ms of training — an MLP epoch 1.3× slower (bench/mlp.bench.ts, --trace-gc).
 */
const loadAjv = (): typeof AjvClass => (createRequire(import.meta.url)("ajv") as { Ajv: typeof AjvClass }).Ajv;

interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  items?: JsonSchema | JsonSchema[];
  $ref?: string;
  properties?: Record<string, JsonSchema>;
  definitions?: Record<string, JsonSchema>;
}

/** What is wrong with a JSON value, in an error's terms (see MinimaError). */
export interface SchemaFault {
  what: string;
  expected?: string;
  got?: string;
}

const compiled = new Map<string, { schema: JsonSchema; validate: ValidateFunction }>();

/**
 * Checks a JSON value against `schemas/<schemaFile>` (generated from a TypeScript type; see
 * test/schemas/generate.ts) as the type `type` that `writer` writes, and describes its first bad field, naming `file`:
 * `<file>: field "epochs" is of the wrong type`, expected "a number", got `"ten"`. null when valid.
 */
export function schemaFault(value: unknown, schema: { file: string; type: string; writer: string }, file: string): SchemaFault | null {
  const { file: schemaFile, type } = schema;
  const key = `${schemaFile}#${type}`;
  let entry = compiled.get(key);
  if (!entry) {
    // schemas/ sits at the package root, three folders above dist/src/io.
    const schema = JSON.parse(readFileSync(new URL(`../../../schemas/${schemaFile}`, import.meta.url), "utf8")) as JsonSchema;
    // strictTuples off: the generator writes tuples ([prefix, lr] pairs) as draft-07 item lists; verbose: errors carry their schema.
    entry = { schema, validate: new (loadAjv())({ strictTuples: false, verbose: true }).compile({ ...schema, $ref: `#/definitions/${type}` }) };
    compiled.set(key, entry);
  }
  if (entry.validate(value)) return null;
  return describe(entry.validate.errors![0]!, value, file, entry.schema, schema.writer);
}

function describe(e: ErrorObject, config: unknown, file: string, schema: JsonSchema, writer: string): SchemaFault {
  const field = (path: string) => path.split("/").slice(1).map((p, i) => (/^\d+$/.test(p) ? `[${p}]` : i ? `.${p}` : p)).join("");
  if (e.keyword === "required") {
    const name = (e.params as { missingProperty: string }).missingProperty;
    const at = e.instancePath ? `${field(e.instancePath)}.${name}` : name;
    const wanted = expected((e.parentSchema as JsonSchema | undefined)?.properties?.[name], schema);
    return { what: `${file}: field "${at}" is missing`, ...(wanted !== undefined ? { expected: wanted } : {}) };
  }
  if (e.keyword === "additionalProperties") {
    const name = (e.params as { additionalProperty: string }).additionalProperty;
    return { what: `${file}: unknown field "${e.instancePath ? `${field(e.instancePath)}.` : ""}${name}"`, expected: `only the fields ${writer} writes` };
  }
  const value = e.instancePath.split("/").slice(1).reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], config);
  const got = JSON.stringify(value);
  if (e.keyword === "enum") return { what: `${file}: field "${field(e.instancePath)}" is invalid`, expected: `one of ${(e.params as { allowedValues: unknown[] }).allowedValues.join(", ")}`, got };
  if (e.keyword === "type") return { what: `${file}: field "${field(e.instancePath)}" is of the wrong type`, expected: typeName((e.params as { type: string }).type), got };
  return { what: `${file}: field "${field(e.instancePath)}" is invalid (${e.message ?? e.keyword})`, got };
}

/** What a schema asks for, in words: "a number", "one of mlp, resmlp, cnn", "an array of numbers". */
function expected(schema: JsonSchema | undefined, root: JsonSchema): string | undefined {
  if (schema === undefined) return undefined;
  if (schema.$ref) return expected(root.definitions?.[schema.$ref.split("/").at(-1)!], root);
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.enum) return `one of ${schema.enum.join(", ")}`;
  if (schema.type === "array" && schema.items && !Array.isArray(schema.items)) return `an array of ${plural(expected(schema.items, root))}`;
  return typeof schema.type === "string" ? typeName(schema.type) : undefined;
}

const typeName = (type: string) => ({ number: "a number", integer: "an integer", string: "a string", boolean: "true or false", array: "an array", object: "an object", null: "null" })[type] ?? type;
const plural = (s: string | undefined) => (s === undefined ? "values" : /^an? /.test(s) ? s.replace(/^an? /, "") + "s" : `values (${s})`);
