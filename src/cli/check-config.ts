import { readFileSync } from "node:fs";
import { Ajv, type ErrorObject } from "ajv";
import { DataFormatError } from "../errors.js";
import type { TrainConfig } from "./run-config.js";

interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  items?: JsonSchema | JsonSchema[];
  $ref?: string;
  properties?: Record<string, JsonSchema>;
  definitions?: Record<string, JsonSchema>;
}

/**
 * Checks a run's config.json against schemas/config.schema.json (generated from TrainConfig) and
 * names the first bad field: `<file>: field "epochs" is of the wrong type; expected a number, got "ten"`.
 */
export function checkTrainConfig(config: unknown, file: string): TrainConfig {
  // schemas/ sits at the package root, three folders above dist/src/cli.
  const schema = JSON.parse(readFileSync(new URL("../../../schemas/config.schema.json", import.meta.url), "utf8")) as JsonSchema;
  // strictTuples off: the generator writes tuples ([prefix, lr] pairs) as draft-07 item lists; verbose: errors carry their schema.
  const validate = new Ajv({ strictTuples: false, verbose: true }).compile({ ...schema, $ref: "#/definitions/TrainConfig" });
  if (validate(config)) return config as TrainConfig;
  throw new DataFormatError({ where: "--resume", ...describe(validate.errors![0]!, config, file, schema) });
}

function describe(e: ErrorObject, config: unknown, file: string, schema: JsonSchema): { what: string; expected?: string; got?: string } {
  const field = (path: string) => path.split("/").slice(1).map((p, i) => (/^\d+$/.test(p) ? `[${p}]` : i ? `.${p}` : p)).join("");
  if (e.keyword === "required") {
    const name = (e.params as { missingProperty: string }).missingProperty;
    const at = e.instancePath ? `${field(e.instancePath)}.${name}` : name;
    const wanted = expected((e.parentSchema as JsonSchema | undefined)?.properties?.[name], schema);
    return { what: `${file}: field "${at}" is missing`, ...(wanted !== undefined ? { expected: wanted } : {}) };
  }
  if (e.keyword === "additionalProperties") {
    const name = (e.params as { additionalProperty: string }).additionalProperty;
    return { what: `${file}: unknown field "${e.instancePath ? `${field(e.instancePath)}.` : ""}${name}"`, expected: "only the fields minima train writes" };
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
