import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ts from "typescript";
import { repoRoot } from "../helpers/repo-root.js";

/** The settings of the strictest consumer the README promises to serve (tools/check-package.mjs uses the same). */
export const STRICT_OPTIONS: ts.CompilerOptions = {
  strict: true,
  exactOptionalPropertyTypes: true,
  noUncheckedIndexedAccess: true,
  skipLibCheck: false,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  types: ["node"],
  allowJs: true,
  checkJs: true,
  noEmit: true,
};

/** A compile error: the consumer file, its 1-based line, and TypeScript's message. */
export interface ConsumerError {
  file: string;
  line: number;
  message: string;
}

/**
 * Type-checks `files` (name → source) in a fresh consumer project of its own: a package.json with "type": "module",
 * minima-ml in node_modules as a link to this repository (so `import * as mn from "minima-ml"` resolves through
 * package.json's "exports", "node" condition, to the built dist/src/index.node.d.ts, as an installed package does),
 * and @types/node. Returns every error, in file order; the project is removed afterwards.
 */
export function compileConsumer(files: Record<string, string>): ConsumerError[] {
  const root = repoRoot();
  const dir = mkdtempSync(join(tmpdir(), "minima-consumer-"));
  try {
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
    mkdirSync(join(dir, "node_modules", "@types"), { recursive: true });
    symlinkSync(root, join(dir, "node_modules", "minima-ml"), "dir");
    symlinkSync(join(root, "node_modules", "@types", "node"), join(dir, "node_modules", "@types", "node"), "dir");
    const names = Object.keys(files).map((name) => {
      writeFileSync(join(dir, name), files[name]!);
      return join(dir, name);
    });
    const program = ts.createProgram(names, STRICT_OPTIONS);
    return ts.getPreEmitDiagnostics(program).map((d) => {
      const message = ts.flattenDiagnosticMessageText(d.messageText, "\n");
      if (!d.file || d.start === undefined) return { file: "(project)", line: 0, message };
      const name = d.file.fileName;
      const file = name.startsWith(`${dir}/`) ? name.slice(dir.length + 1) : name.startsWith(`${root}/`) ? `minima-ml/${name.slice(root.length + 1)}` : name;
      return { file, line: d.file.getLineAndCharacterOfPosition(d.start).line + 1, message };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
