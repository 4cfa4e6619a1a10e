import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createGenerator } from "ts-json-schema-generator";

/**
 * The JSON Schemas that ship in schemas/, generated from the TypeScript types of the files they
 * describe, so that the two cannot drift (test/schemas/schemas.test.ts regenerates and compares).
 * Rewrite them after changing a type: `npm run build && node dist/test/schemas/generate.js --write`.
 */
export const SCHEMAS: readonly { file: string; source: string; type: string; nonFinite: boolean }[] = [
  // config.json is written with plain JSON.stringify: its numbers are finite flags.
  { file: "config.schema.json", source: "src/cli/run-config.ts", type: "RunConfig", nonFinite: false },
  // metrics.jsonl and checkpoint JSON write NaN and ±Infinity as strings (io/non-finite-json.ts).
  { file: "metrics-record.schema.json", source: "src/io/run-log.ts", type: "RunRecord", nonFinite: true },
  { file: "checkpoint.schema.json", source: "src/train/checkpoint.ts", type: "CheckpointJSON", nonFinite: true },
];

/** The repository root, from dist/test/schemas/. */
export const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/** Each schema's text, by file name, as it should be in schemas/. */
export function generateSchemas(): Map<string, string> {
  const out = new Map<string, string>();
  for (const s of SCHEMAS) {
    const generator = createGenerator({ path: join(ROOT, s.source), tsconfig: join(ROOT, "tsconfig.json"), type: s.type, skipTypeCheck: true });
    const schema: Record<string, unknown> = { $comment: `Generated from the type ${s.type} in ${s.source} by test/schemas/generate.ts; do not edit.`, ...generator.createSchema(s.type) };
    if (s.nonFinite) {
      const { definitions, ...rest } = allowNonFinite(schema) as Record<string, unknown>;
      out.set(s.file, JSON.stringify({ ...rest, definitions: { ...(definitions as object), NonFinite: NON_FINITE } }, null, 2) + "\n");
    } else {
      out.set(s.file, JSON.stringify(schema, null, 2) + "\n");
    }
  }
  return out;
}

const NON_FINITE = { type: "string", enum: ["NaN", "Infinity", "-Infinity"], description: "A number JSON cannot hold, written as a string." };

/** Lets every number in the schema also be "NaN", "Infinity" or "-Infinity". */
function allowNonFinite(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(allowNonFinite);
  if (node === null || typeof node !== "object") return node;
  const walked = Object.fromEntries(Object.entries(node).map(([k, v]) => [k, allowNonFinite(v)])) as Record<string, unknown>;
  const { type, ...rest } = walked;
  const types = Array.isArray(type) ? (type as string[]) : [type];
  if (!types.includes("number")) return walked;
  return { ...rest, anyOf: [{ type: types.length === 1 ? types[0] : types }, { $ref: "#/definitions/NonFinite" }] };
}

if (process.argv.includes("--write")) {
  for (const [file, text] of generateSchemas()) writeFileSync(join(ROOT, "schemas", file), text);
}
