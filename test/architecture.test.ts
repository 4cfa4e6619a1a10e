import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
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

/** Every import of a file's text that TypeScript sees: `import`, `import type`, `export … from`, `import()`, `require()`. */
function importsOf(file: string, text: string): Import[] {
  return ts.preProcessFile(text, true, true).importedFiles.map(({ fileName: specifier }) => ({
    specifier,
    path: specifier.startsWith(".") ? relative(root, resolve(dirname(join(root, file)), specifier.replace(/\.js$/, ".ts"))) : null,
  }));
}

/** The .ts files under a folder of the repository, recursively, repository-relative. */
function sourcesUnder(dir: string): string[] {
  return readdirSync(join(root, dir), { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts")).map((f) => join(dir, f)).sort();
}

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

  test("the import reader sees import type, export … from, side-effect and dynamic imports (a hand-written file)", () => {
    const text = [
      'import type { Rule } from "../optim/optimizer.js";',
      'import { jsKernels } from "./js/index.js";',
      'export { adam } from "../../optim/adam.js";',
      'import "../optim/side-effect.js";',
      'const lazy = () => import("node:fs");',
      "// import { fake } from \"../optim/commented-out.js\";",
    ].join("\n");
    assert.deepEqual(importsOf("src/backend/native/example.ts", text), [
      { specifier: "../optim/optimizer.js", path: "src/backend/optim/optimizer.ts" },
      { specifier: "./js/index.js", path: "src/backend/native/js/index.ts" },
      { specifier: "../../optim/adam.js", path: "src/optim/adam.ts" },
      { specifier: "../optim/side-effect.js", path: "src/backend/optim/side-effect.ts" },
      { specifier: "node:fs", path: null },
    ]);
    assert.deepEqual(importsOf("src/backend/kernels.ts", 'import type { Rule } from "../optim/optimizer.js";').filter((i) => under("src/optim")(i.path)),
      [{ specifier: "../optim/optimizer.js", path: "src/optim/optimizer.ts" }]);
  });
});
