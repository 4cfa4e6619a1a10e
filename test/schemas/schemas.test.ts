import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv, type ValidateFunction } from "ajv";
import { generateSchemas, ROOT, SCHEMAS } from "./generate.js";

const MAIN = fileURLToPath(new URL("../../src/cli/main.js", import.meta.url));
/** Runs minima to its end; it must exit with `status` (a diverged run fails, 1). */
const minimaExiting = (status: number, ...args: string[]) => {
  const r = spawnSync(process.execPath, [MAIN, ...args], { encoding: "utf8", env: { ...process.env, MINIMA_BACKEND: process.env["MINIMA_BACKEND"] ?? "" } });
  assert.equal(r.status, status, r.stderr);
};
const minima = (...args: string[]) => minimaExiting(0, ...args);
const shipped = (file: string) => JSON.parse(readFileSync(join(ROOT, "schemas", file), "utf8")) as object;
// strictTuples off: the generator writes tuples as draft-07 item lists.
const validator = (file: string): ValidateFunction => new Ajv({ strictTuples: false, allErrors: true }).compile(shipped(file));
/** Asserts `value` is valid, showing ajv's errors and the value when not. */
const valid = (validate: ValidateFunction, value: unknown, what: string) =>
  assert.ok(validate(value), `${what}: ${JSON.stringify(validate.errors)} in ${JSON.stringify(value).slice(0, 300)}`);
const lines = (path: string) => readFileSync(path, "utf8").trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
const tmp = () => mkdtempSync(join(tmpdir(), "minima-schemas-"));

describe("JSON Schemas (schemas/)", () => {
  test("each shipped schema is the one ts-json-schema-generator makes now from its TypeScript type, and package.json ships the folder", () => {
    const fresh = generateSchemas();
    assert.deepEqual([...fresh.keys()].sort(), readdirSync(join(ROOT, "schemas")).sort());
    for (const [file, text] of fresh) {
      assert.equal(readFileSync(join(ROOT, "schemas", file), "utf8"), text,
        `schemas/${file} no longer matches its type: run \`npm run build && node dist/test/schemas/generate.js --write\``);
    }
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { files: string[] };
    assert.ok(pkg.files.includes("schemas"), `package.json "files": ${pkg.files.join(", ")}`);
    assert.deepEqual(SCHEMAS.map((s) => s.file).sort(), [...fresh.keys()].sort());
  });

  test("a real minima train run's files validate (ajv): config.json, every metrics.jsonl record, the checkpoints' JSON", () => {
    const out = join(tmp(), "run");
    minima("train", "--epochs", "2", "--train-size", "300", "--hidden", "16", "--batch-size", "50", "--optimizer", "adam", "--schedule", "cosine",
      "--early-stopping", "3", "--on-divergence", "rollback", "--checkpoint-every", "2", "--augment", "flip,shift:1", "--out", out);
    valid(validator("config.schema.json"), JSON.parse(readFileSync(join(out, "config.json"), "utf8")), "config.json");
    const record = validator("metrics-record.schema.json");
    const records = lines(join(out, "metrics.jsonl"));
    // "schedule": the cosine schedule and its interval; "event": the weights early stopping restored at the end; "confusion": the saved model on the test split.
    assert.deepEqual([...new Set(records.map((r) => r["kind"]))], ["header", "schedule", "step", "layer", "epoch", "event", "end", "confusion"]);
    records.forEach((r, i) => valid(record, r, `metrics.jsonl:${i + 1}`));
    const checkpoint = validator("checkpoint.schema.json");
    for (const name of ["last", "best"]) valid(checkpoint, JSON.parse(readFileSync(join(out, "checkpoints", `${name}.json`), "utf8")), `${name}.json`);
  });

  test("a diverging run's files, NaN and Infinity written as strings, validate too", () => {
    const out = join(tmp(), "nan");
    minimaExiting(1, "train", "--epochs", "1", "--train-size", "200", "--hidden", "16", "--batch-size", "50", "--optimizer", "sgd", "--lr", "1e30", "--on-divergence", "continue", "--out", out);
    const text = readFileSync(join(out, "metrics.jsonl"), "utf8");
    assert.match(text, /"(NaN|Infinity)"/, "the run diverged");
    const record = validator("metrics-record.schema.json");
    lines(join(out, "metrics.jsonl")).forEach((r, i) => valid(record, r, `metrics.jsonl:${i + 1}`));
    const json = readFileSync(join(out, "checkpoints", "last.json"), "utf8");
    assert.match(json, /"(NaN|Infinity)"/);
    valid(validator("checkpoint.schema.json"), JSON.parse(json), "last.json");
  });

  test("minima compare's config.json and metrics.jsonl validate (per-optimizer lrs, seeds)", () => {
    const out = join(tmp(), "compare");
    minima("compare", "--optimizers", "sgd,adam", "--lr", "sgd=0.1", "--seeds", "2", "--epochs", "1", "--train-size", "200", "--hidden", "8", "--out", out);
    valid(validator("config.schema.json"), JSON.parse(readFileSync(join(out, "config.json"), "utf8")), "config.json");
    const record = validator("metrics-record.schema.json");
    lines(join(out, "metrics.jsonl")).forEach((r, i) => valid(record, r, `metrics.jsonl:${i + 1}`));
  });

  test("they refuse what the types do not allow: a string loss, an unknown field, a record without kind, an unknown optimizer", () => {
    const record = validator("metrics-record.schema.json");
    const step = { kind: "step", step: 1, epoch: 1, loss: 2.3, lr: 0.1, gradNorm: 1 };
    valid(record, step, "a step");
    valid(record, { ...step, loss: "NaN" }, "a NaN step");
    for (const bad of [{ ...step, loss: "2.3" }, { ...step, extra: 1 }, { epoch: 1, trainLoss: 2 }, { ...step, gradNorm: undefined }]) {
      assert.equal(record(JSON.parse(JSON.stringify(bad))), false, JSON.stringify(bad));
    }
    const config = validator("config.schema.json");
    assert.equal(config({ command: "train", optimizer: "adamm" }), false);
    assert.ok(config.errors!.some((e) => e.instancePath === "/optimizer" && e.keyword === "enum"));
  });
});
