import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import ts from "typescript";
import { repoRoot } from "../helpers/repo-root.js";

// Hovering a Tensor method in an editor shows its doc comment from the declaration files a package's user gets.
// This reads dist/src/tensor/tensor.d.ts (npm test builds first) through TypeScript's checker, as an editor
// does, and asks every public member of Tensor — each overload of a method separately, the constructor,
// getters and fields — for its doc comment.
const root = repoRoot();

function tensorClass(): { checker: ts.TypeChecker; decl: ts.ClassDeclaration } {
  const file = join(root, "dist/src/tensor/tensor.d.ts");
  const program = ts.createProgram([file], { strict: true, noEmit: true, module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, types: [] });
  const source = program.getSourceFile(file);
  assert.ok(source, `${file} not found: build first`);
  const decl = source.statements.find((s): s is ts.ClassDeclaration => ts.isClassDeclaration(s) && s.name?.text === "Tensor");
  assert.ok(decl, "no class Tensor in tensor.d.ts");
  return { checker: program.getTypeChecker(), decl };
}

const isPublic = (m: ts.ClassElement) => !(ts.getCombinedModifierFlags(m as ts.Declaration) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected));

describe("Tensor's doc comments", () => {
  const { checker, decl } = tensorClass();
  const members = decl.members.filter(isPublic);

  test("the class and every public member (each overload, the constructor, getters, fields) has a doc comment", () => {
    assert.ok(members.length >= 75, `only ${members.length} members of Tensor found`);
    const undocumented: string[] = [];
    const classSymbol = checker.getSymbolAtLocation(decl.name!)!;
    if (!ts.displayPartsToString(classSymbol.getDocumentationComment(checker)).trim()) undocumented.push("class Tensor");
    members.forEach((m, i) => {
      const name = m.name ? m.name.getText() : ts.isConstructorDeclaration(m) ? "constructor" : `member ${i}`;
      const signature = ts.isMethodDeclaration(m) || ts.isConstructorDeclaration(m) ? checker.getSignatureFromDeclaration(m) : undefined;
      const doc = signature
        ? signature.getDocumentationComment(checker)
        : checker.getSymbolAtLocation(m.name!)!.getDocumentationComment(checker);
      if (!ts.displayPartsToString(doc).trim()) undocumented.push(`${name} (line ${m.getSourceFile().getLineAndCharacterOfPosition(m.getStart()).line + 1})`);
    });
    assert.deepEqual(undocumented, []);
  });

  test("an overload's doc is its own: max(dim) documents { values, indices }, max() the all-element max", () => {
    const docs = members.filter((m) => m.name?.getText() === "max").map((m) =>
      ts.displayPartsToString(checker.getSignatureFromDeclaration(m as ts.MethodDeclaration)!.getDocumentationComment(checker)));
    assert.equal(docs.length, 2);
    assert.match(docs[0]!, /largest element/);
    assert.match(docs[1]!, /\{ values, indices \}/);
  });
});
