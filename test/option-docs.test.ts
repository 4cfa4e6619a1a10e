import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { join, relative } from "node:path";
import ts from "typescript";
import { repoRoot } from "./helpers/repo-root.js";

// Options are declared once, in a spec whose entries carry the docs (src/options.ts), and the public options
// types derive from it (`interface XOptions extends OptionsOf<typeof X_OPTIONS> {}`). Editors show an option's
// doc only if the derived type keeps it, in the declaration files a package's user gets: this reads every such
// type of the built .d.ts files (npm test builds first) as an editor does, through TypeScript's checker, and
// asks each of its options for its doc comment.
const root = repoRoot();

function derivedOptionTypes(): { program: ts.Program; types: [string, ts.InterfaceDeclaration][] } {
  const program = ts.createProgram([join(root, "dist/src/index.d.ts")], { strict: true, noEmit: true, module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, types: [] });
  const types: [string, ts.InterfaceDeclaration][] = [];
  for (const file of program.getSourceFiles()) {
    const path = relative(root, file.fileName);
    if (!path.startsWith("dist/src/")) continue;
    for (const s of file.statements) {
      if (ts.isInterfaceDeclaration(s) && s.heritageClauses?.some((h) => h.getText(file).includes("OptionsOf<"))) types.push([path, s]);
    }
  }
  return { program, types };
}

describe("option docs", () => {
  const { program, types } = derivedOptionTypes();
  const checker = program.getTypeChecker();

  test("every options type derived from a spec shows a doc comment on each of its options (as an editor's hover does)", () => {
    assert.ok(types.length >= 50, `only ${types.length} derived options types found`);
    const undocumented: string[] = [];
    for (const [path, decl] of types) {
      const props = checker.getPropertiesOfType(checker.getTypeAtLocation(decl.name));
      assert.ok(props.length > 0, `${path}: ${decl.name.text} has no options`);
      for (const p of props) {
        if (!ts.displayPartsToString(p.getDocumentationComment(checker)).trim()) undocumented.push(`${path}: ${decl.name.text}.${p.name}`);
      }
    }
    assert.deepEqual(undocumented, []);
  });

  test("the reader finds the options of AdamOptions with their docs, and a required option stays required", () => {
    const [, adam] = types.find(([, d]) => d.name.text === "AdamOptions")!;
    const lr = checker.getPropertyOfType(checker.getTypeAtLocation(adam.name), "lr")!;
    assert.equal(ts.displayPartsToString(lr.getDocumentationComment(checker)), "The learning rate (default 1e-3).");
    assert.ok(lr.flags & ts.SymbolFlags.Optional);
    const [, step] = types.find(([, d]) => d.name.text === "StepLROptions")!;
    const stepSize = checker.getPropertyOfType(checker.getTypeAtLocation(step.name), "stepSize")!;
    assert.equal(stepSize.flags & ts.SymbolFlags.Optional, 0);
  });
});
