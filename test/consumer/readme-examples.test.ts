import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { repoRoot } from "../helpers/repo-root.js";
import { compileConsumer } from "./strict-project.js";

// Every TypeScript and JavaScript example of README.md, taken from its code blocks as they stand, compiles in a strict
// consumer project (strict, exactOptionalPropertyTypes, noUncheckedIndexedAccess, NodeNext) against the package's
// published types: the README promises such projects are served, and a reader pastes these blocks.

/** A fenced code block of README.md in a language TypeScript checks, with the README line its code starts on. */
interface Example {
  line: number;
  language: "ts" | "js";
  code: string;
}

const LANGUAGES: Record<string, Example["language"]> = { ts: "ts", typescript: "ts", js: "js", javascript: "js", mjs: "js" };

function examplesOf(markdown: string): Example[] {
  const lines = markdown.split("\n");
  const out: Example[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w+)\s*$/.exec(lines[i]!);
    if (!open) continue;
    const end = lines.findIndex((l, j) => j > i && /^```\s*$/.test(l));
    assert.ok(end > i, `README.md:${i + 1}: a code block that never closes`);
    const language = LANGUAGES[open[1]!.toLowerCase()];
    if (language) out.push({ line: i + 2, language, code: lines.slice(i + 1, end).join("\n") });
    i = end;
  }
  return out;
}

/**
 * What the README's examples take from the text around them rather than define: the model of the first example, the
 * options of an earlier fit() call, a spec and a fitted scaler. Each is declared, with its public type, in front of an
 * example that uses the name without declaring it.
 */
const CONTEXT: Record<string, string> = {
  model: "mn.nn.Sequential",
  sameOptions: "mn.train.FitOptions",
  spec: "mn.nn.ModelSpec",
  scaler: "mn.data.Standardize",
};

/** The names an example declares at its top level (variables, destructured ones too, functions, classes, imports). */
function declaredNames(code: string): Set<string> {
  const names = new Set<string>();
  const bind = (n: ts.BindingName): void => {
    if (ts.isIdentifier(n)) names.add(n.text);
    else for (const e of n.elements) if (!ts.isOmittedExpression(e)) bind(e.name);
  };
  for (const s of ts.createSourceFile("example.ts", code, ts.ScriptTarget.Latest).statements) {
    if (ts.isVariableStatement(s)) for (const d of s.declarationList.declarations) bind(d.name);
    else if ((ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s)) && s.name) names.add(s.name.text);
    else if (ts.isImportDeclaration(s) && s.importClause) {
      if (s.importClause.name) names.add(s.importClause.name.text);
      const b = s.importClause.namedBindings;
      if (b && ts.isNamespaceImport(b)) names.add(b.name.text);
      else if (b) for (const e of b.elements) names.add(e.name.text);
    }
  }
  return names;
}

/** The example as a module of its own: `mn` imported unless it imports it, then the context it uses, then its code. */
function moduleOf(example: Example): { source: string; prelude: number } {
  const declared = declaredNames(example.code);
  const head = declared.has("mn") ? [] : ['import * as mn from "minima-ml";'];
  for (const [name, type] of Object.entries(CONTEXT)) {
    if (!declared.has(name) && new RegExp(`\\b${name}\\b`).test(example.code)) {
      head.push(example.language === "ts" ? `declare const ${name}: ${type};` : `/** @type {${type}} */ const ${name} = /** @type {any} */ (undefined);`);
    }
  }
  if (!head.some((l) => l.startsWith("import"))) head.push("export {};");
  return { source: [...head, example.code].join("\n") + "\n", prelude: head.length };
}

test("every TypeScript/JavaScript example of README.md compiles in a strict consumer project (tsc: strict, exactOptionalPropertyTypes, noUncheckedIndexedAccess, NodeNext)", () => {
  const examples = examplesOf(readFileSync(join(repoRoot(), "README.md"), "utf8"));
  assert.ok(examples.length >= 3, `README.md has ${examples.length} TypeScript/JavaScript examples; the library, fit and loadModel ones at least were expected`);
  const files: Record<string, string> = {};
  const where = new Map<string, { line: number; prelude: number }>();
  for (const e of examples) {
    const name = `readme-${e.line}.${e.language}`;
    const { source, prelude } = moduleOf(e);
    files[name] = source;
    where.set(name, { line: e.line, prelude });
  }
  const errors = compileConsumer(files).map((err) => {
    const at = where.get(err.file);
    return at ? { line: at.line + err.line - 1 - at.prelude, text: `README.md:${at.line + err.line - 1 - at.prelude}: ${err.message}` } : { line: Infinity, text: `${err.file}:${err.line}: ${err.message}` };
  }).sort((a, b) => a.line - b.line).map((e) => e.text);
  assert.deepEqual(errors, [], `${errors.length} errors:\n${errors.join("\n")}`);
});
