import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import ts from "typescript";
import { repoRoot } from "../helpers/repo-root.js";

// What `import * as mn from "minima-ml"` offers, read from the published declarations of both entries (the browser's
// dist/src/index.d.ts and Node's dist/src/index.node.d.ts) with the TypeScript compiler: every name a user can call is
// documented, and the library's internal helpers are not among them.
const root = repoRoot();
const ENTRIES = { core: "dist/src/index.d.ts", node: "dist/src/index.node.d.ts" };
const program = ts.createProgram(Object.values(ENTRIES).map((f) => join(root, f)), {
  module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, types: [],
});
const checker = program.getTypeChecker();

/** An exported name (its dotted path from `mn`) and the declaration it stands for. */
interface Exported {
  path: string;
  symbol: ts.Symbol;
}

/** Every export of an entry, namespaces (`mn.nn.functional`) walked into. */
function exportsOf(entry: string): Exported[] {
  const out: Exported[] = [];
  const walk = (module: ts.Symbol, prefix: string): void => {
    for (const e of checker.getExportsOfModule(module)) {
      const symbol = e.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(e) : e;
      const decl = symbol.valueDeclaration;
      if (decl && ts.isSourceFile(decl)) walk(symbol, `${prefix}${e.name}.`);
      else out.push({ path: `${prefix}${e.name}`, symbol });
    }
  };
  walk(checker.getSymbolAtLocation(program.getSourceFile(join(root, entry))!)!, "mn.");
  return out;
}

const VALUE = ts.SymbolFlags.Function | ts.SymbolFlags.Class | ts.SymbolFlags.Variable | ts.SymbolFlags.Enum;
const functionDeclarations = (s: ts.Symbol) => (s.declarations ?? []).filter(ts.isFunctionDeclaration);

describe("the public exports", () => {
  for (const [name, entry] of Object.entries(ENTRIES)) {
    test(`${name} entry: every exported function, class and constant has a doc comment (its declaration in ${entry})`, () => {
      const exported = exportsOf(entry);
      assert.ok(exported.length > 200, `only ${exported.length} exports found in ${entry}`);
      const undocumented = exported.filter((e) => e.symbol.flags & VALUE && ts.displayPartsToString(e.symbol.getDocumentationComment(checker)).trim() === "");
      assert.deepEqual(undocumented.map((e) => e.path), []);
    });

    test(`${name} entry: no internal validation helper (a function whose first parameter is \`where\`, the caller's name for its message)`, () => {
      const helpers = exportsOf(entry).filter((e) => functionDeclarations(e.symbol).some((d) => d.parameters[0]?.name.getText() === "where"));
      assert.deepEqual(helpers.map((e) => e.path), []);
    });

    test(`${name} entry: none of the internal helpers issue 12 names or found (checkProbability, perGroup, scheduleOptions, showShape, linearActivated)`, () => {
      const internal = new Set(["checkProbability", "perGroup", "scheduleOptions", "showShape", "linearActivated"]);
      assert.deepEqual(exportsOf(entry).map((e) => e.path).filter((p) => internal.has(p.slice(p.lastIndexOf(".") + 1))), []);
    });

    test(`${name} entry: every error class of src/errors.ts is exported as mn.<Name>`, () => {
      const errors = program.getSourceFile(join(root, "dist/src/errors.d.ts"))!;
      const classes = checker.getExportsOfModule(checker.getSymbolAtLocation(errors)!).filter((s) => s.flags & ts.SymbolFlags.Class).map((s) => `mn.${s.name}`);
      assert.ok(classes.includes("mn.MinimaError") && classes.length >= 8, `errors.d.ts classes: ${classes.join(", ")}`);
      const exported = new Set(exportsOf(entry).map((e) => e.path));
      assert.deepEqual(classes.filter((c) => !exported.has(c)), []);
    });
  }
});
