import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";
import { repoRoot } from "./helpers/repo-root.js";

// DESIGN.md's layering, checked on the TypeScript sources: each rule names the files it governs and
// the imports they must not make. A rule is a row of RULES; the checks below run every row.
const root = repoRoot();

/** An import of a source file: its specifier, and for a relative one the path it names (repository-relative, .ts). */
interface Import {
  specifier: string;
  path: string | null;
}

/**
 * Every import of a file's text, read from TypeScript's syntax tree: `import` (type-only too), `export … from`
 * (`export * as ns from` included), side-effect imports, `import()` and `require()`.
 */
function importsOf(file: string, text: string): Import[] {
  const specifiers: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      specifiers.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === "require"))
      && node.arguments.length === 1 && ts.isStringLiteral(node.arguments[0]!)) {
      specifiers.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS));
  return specifiers.map((specifier) => ({
    specifier,
    path: specifier.startsWith(".") ? relative(root, resolve(dirname(join(root, file)), specifier.replace(/\.js$/, ".ts"))) : null,
  }));
}

/** The .ts files under a folder of the repository, recursively, repository-relative. */
function sourcesUnder(dir: string): string[] {
  return readdirSync(join(root, dir), { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts")).map((f) => join(dir, f)).sort();
}

/** The source files an entry reaches through relative imports of any kind (type-only ones too: they shape its .d.ts). */
function reachableFrom(entry: string): string[] {
  const seen = new Set<string>([entry]);
  for (const file of seen) {
    for (const i of importsOf(file, readFileSync(join(root, file), "utf8"))) if (i.path !== null) seen.add(i.path);
  }
  return [...seen].sort();
}

/** Packages that only run in Node: the CLI's, the PNG renderer's, the config validator's, PostgreSQL's client. */
const NODE_ONLY_PACKAGES = ["commander", "cli-progress", "@resvg/resvg-js", "ajv", "pg"];
const NODE_BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

const under = (dir: string) => (path: string | null) => path !== null && (path === dir || path.startsWith(`${dir}/`));

interface Rule {
  /** What the rule forbids, as the test's name says it. */
  name: string;
  files: () => string[];
  forbidden: (i: Import) => boolean;
}

const RULES: Rule[] = [
  {
    name: "no file under src/backend imports from src/optim (backend sits below optim)",
    files: () => sourcesUnder("src/backend"),
    forbidden: (i) => under("src/optim")(i.path),
  },
  {
    name: "the browser core (every file src/index.ts reaches) imports no Node built-in, no Node-only package, nothing of backend/native or cli",
    files: () => reachableFrom("src/index.ts"),
    forbidden: (i) => NODE_BUILTINS.has(i.specifier) || i.specifier.startsWith("node:") || NODE_ONLY_PACKAGES.some((p) => i.specifier === p || i.specifier.startsWith(`${p}/`))
      || under("src/backend/native")(i.path) || under("src/cli")(i.path),
  },
];

/** "file: specifier" for each forbidden import of the rule's files. */
function violations(rule: Rule): string[] {
  return rule.files().flatMap((file) =>
    importsOf(file, readFileSync(join(root, file), "utf8")).filter(rule.forbidden).map((i) => `${file}: ${i.specifier}`));
}

describe("architecture", () => {
  for (const rule of RULES) {
    test(rule.name, () => {
      assert.ok(rule.files().length > 0, "the rule governs no file");
      assert.deepEqual(violations(rule), []);
    });
  }

  test("the browser-core rule sees a Node import where one is reached (a hand-written file)", () => {
    const core = RULES[1]!;
    const imports = importsOf("src/train/example.ts", 'import { readFileSync } from "fs";\nimport type { X } from "node:stream";\nimport cliProgress from "cli-progress";\nimport { nativeStatus } from "../backend/native/index.js";\nimport { fit } from "./fit.js";');
    assert.deepEqual(imports.filter(core.forbidden).map((i) => i.specifier), ["fs", "node:stream", "cli-progress", "../backend/native/index.js"]);
    assert.ok(core.files().includes("src/train/fit.ts") && !core.files().includes("src/train/checkpoint-files.ts"), "it follows the core's imports, and only those");
  });

  test("the import reader sees import type, export … from, export * as, side-effect and dynamic imports (a hand-written file)", () => {
    const text = [
      'import type { Rule } from "../optim/optimizer.js";',
      'import { jsKernels } from "./js/index.js";',
      'export { adam } from "../../optim/adam.js";',
      'import "../optim/side-effect.js";',
      'export * as rules from "../optim/index.js";',
      'const lazy = () => import("node:fs");',
      "// import { fake } from \"../optim/commented-out.js\";",
    ].join("\n");
    assert.deepEqual(importsOf("src/backend/native/example.ts", text), [
      { specifier: "../optim/optimizer.js", path: "src/backend/optim/optimizer.ts" },
      { specifier: "./js/index.js", path: "src/backend/native/js/index.ts" },
      { specifier: "../../optim/adam.js", path: "src/optim/adam.ts" },
      { specifier: "../optim/side-effect.js", path: "src/backend/optim/side-effect.ts" },
      { specifier: "../optim/index.js", path: "src/backend/optim/index.ts" },
      { specifier: "node:fs", path: null },
    ]);
    assert.deepEqual(importsOf("src/backend/kernels.ts", 'import type { Rule } from "../optim/optimizer.js";').filter((i) => under("src/optim")(i.path)),
      [{ specifier: "../optim/optimizer.js", path: "src/optim/optimizer.ts" }]);
  });
});
