import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { explainFailure, loadNative } from "../../src/backend/native/addon.js";
import { wasmUnavailable } from "../../src/backend/wasm/module.js";

/** A package root laid out under `base` (a checkout, or an npm or pnpm node_modules), with native/build/ as given. */
function packageRoot(layout: "checkout" | "npm" | "pnpm", build: { status?: object; binary?: Uint8Array | string } = {}): { root: string; done(): void } {
  const base = mkdtempSync(join(tmpdir(), "minima-native-"));
  const root = layout === "checkout" ? join(base, "minima") : layout === "npm" ? join(base, "node_modules", "minima-ml")
    : join(base, "node_modules", ".pnpm", "minima-ml@0.1.0", "node_modules", "minima-ml");
  mkdirSync(join(root, "native", "build", "Release"), { recursive: true });
  if (build.status) writeFileSync(join(root, "native", "build", "status.json"), JSON.stringify(build.status));
  if (build.binary !== undefined) writeFileSync(join(root, "native", "build", "Release", "minima_native.node"), build.binary);
  return { root, done: () => rmSync(base, { recursive: true, force: true }) };
}

/** A real shared object linked against a library that is then removed, so dlopen fails as it does without OpenBLAS. */
function addonMissingALibrary(dir: string): { binary: Uint8Array; loadError: string } {
  const run = (cmd: string, args: string[]) => {
    const r = spawnSync(cmd, args, { cwd: dir, encoding: "utf8" });
    assert.equal(r.status, 0, `${cmd} ${args.join(" ")}: ${r.stderr}`);
  };
  writeFileSync(join(dir, "lib.c"), "int minima_test_fn(void) { return 1; }\n");
  writeFileSync(join(dir, "addon.c"), "int minima_test_fn(void);\nint use(void) { return minima_test_fn(); }\n");
  run("g++", ["-shared", "-fPIC", "-o", "libminimatestgone.so", "-x", "c", "lib.c", "-Wl,-soname,libminimatestgone.so"]);
  run("g++", ["-shared", "-fPIC", "-o", "addon.node", "-x", "c", "addon.c", "-L.", "-lminimatestgone"]);
  rmSync(join(dir, "libminimatestgone.so"));
  const r = spawnSync(process.execPath, ["-e", `try { require(${JSON.stringify(join(dir, "addon.node"))}) } catch (e) { process.stdout.write(e.message) }`], { encoding: "utf8" });
  return { binary: readFileSync(join(dir, "addon.node")), loadError: r.stdout };
}

describe("why the native addon did not load, and the fix for that cause", () => {
  test("install script never ran: in a checkout, from npm and from pnpm (exact texts)", () => {
    const reason = "the native addon was not built: minima-ml's install script did not run (npm ≥ 11 and pnpm ≥ 10 skip a dependency's install script until it is approved, as --ignore-scripts does)";
    const cases = [
      ["checkout", "node native/build.mjs in minima's folder"],
      ["npm", "npm install-scripts approve minima-ml, then npm rebuild minima-ml"],
      ["pnpm", "pnpm approve-builds (choose minima-ml), then pnpm rebuild minima-ml"],
    ] as const;
    for (const [layout, fix] of cases) {
      const r = packageRoot(layout);
      try {
        assert.deepEqual(loadNative(r.root), { loaded: false, reason, fix }, layout);
      } finally { r.done(); }
    }
  });

  test("the build failed: its recorded reason, with the packages it needs (exact texts)", () => {
    const cases = [
      [{ ok: false, reason: "build failed: Package openblas was not found in the pkg-config search path." },
        "apt-get install g++ make python3 pkg-config libopenblas-dev (and libdnnl-dev for oneDNN convolutions), then npm rebuild minima-ml"],
      [{ ok: false, reason: "skipped: MINIMA_SKIP_NATIVE=1 at install" }, "npm rebuild minima-ml without MINIMA_SKIP_NATIVE=1"],
      [{ ok: false, reason: "node-gyp not found (it ships with npm)" }, "npm install --global node-gyp, then npm rebuild minima-ml"],
    ] as const;
    for (const [status, fix] of cases) {
      const r = packageRoot("npm", { status });
      try {
        assert.deepEqual(loadNative(r.root), { loaded: false, reason: status.reason, fix });
      } finally { r.done(); }
    }
  });

  test("a library the built addon links is missing at run time: the real dlopen error, and the Debian package for OpenBLAS's", () => {
    const dir = mkdtempSync(join(tmpdir(), "minima-dlopen-"));
    try {
      const { binary, loadError } = addonMissingALibrary(dir);
      assert.match(loadError, /^libminimatestgone\.so: cannot open shared object file/);
      const r = packageRoot("npm", { status: { ok: true }, binary });
      try {
        assert.deepEqual(loadNative(r.root), {
          loaded: false, reason: "the native addon needs libminimatestgone.so, which is not installed",
          fix: "install the package that provides libminimatestgone.so, or rebuild against what is installed: npm rebuild minima-ml",
        });
        // The same message as the loader gives it, for the library the real addon links.
        assert.deepEqual(explainFailure(r.root, new Error(loadError.replace("libminimatestgone.so", "libopenblas.so.0"))), {
          reason: "the native addon needs libopenblas.so.0, which is not installed",
          fix: "apt-get install libopenblas0, or rebuild against what is installed: npm rebuild minima-ml",
        });
      } finally { r.done(); }
    } finally { rmSync(dir, { recursive: true, force: true }); }
  });

  test("any other load error is named, with the rebuild; a built addon that went missing is said so", () => {
    const bad = packageRoot("checkout", { status: { ok: true }, binary: "not an ELF file" });
    try {
      const status = loadNative(bad.root);
      assert.equal(status.loaded, false);
      assert.deepEqual(status, { loaded: false, reason: `the native addon did not load: ${join(bad.root, "native/build/Release/minima_native.node")}: file too short`, fix: "node native/build.mjs in minima's folder" });
    } finally { bad.done(); }
    const gone = packageRoot("npm", { status: { ok: true } });
    try {
      assert.deepEqual(loadNative(gone.root), { loaded: false, reason: "native/build/Release/minima_native.node is missing, though its build succeeded", fix: "npm rebuild minima-ml" });
    } finally { gone.done(); }
  });
});

describe("the notice when the preferred backend is missing", () => {
  const select = fileURLToPath(new URL("../../src/backend/select.js", import.meta.url));
  /** A fresh process that marks native unavailable (as the Node entry does when the addon fails), then runs two ops. */
  const run = (before: string, env: Record<string, string> = {}) => spawnSync(process.execPath, ["--input-type=module", "-e", `
    const s = await import(${JSON.stringify(select)});
    const { tensor } = await import(${JSON.stringify(fileURLToPath(new URL("../../src/tensor/create.js", import.meta.url)))});
    s.markUnavailable("native", { reason: "it was not built", fix: "build it" });
    ${before}
    tensor([1, 2]).add(tensor([3, 4])); tensor([1]).mul(2);
    console.log(s.getBackend());`], { encoding: "utf8", env: { ...process.env, MINIMA_BACKEND: "", ...env } });

  test("is one stderr line, once per process, naming the reason and the fix (exact text)", () => {
    const r = run("");
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, "js\n");
    assert.equal(r.stderr, "minima: running on the js backend, much slower than native: it was not built. Fix: build it. (MINIMA_BACKEND=js chooses js and silences this.)\n");
  });

  test("is silent when js is chosen on purpose: MINIMA_BACKEND=js or setBackend(\"js\")", () => {
    for (const r of [run("", { MINIMA_BACKEND: "js" }), run(`s.setBackend("js");`)]) {
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stderr, "");
      assert.equal(r.stdout, "js\n");
    }
  });

  test("setBackend(\"native\") and MINIMA_BACKEND=native fail with the reason and the fix (exact text)", () => {
    const expected = "setBackend: the native backend is not available: it was not built (fix: build it); expected one of js";
    const direct = run(`try { s.setBackend("native"); } catch (e) { console.log(e.message); }`);
    assert.equal(direct.stdout.split("\n")[0], expected);
    const env = run("", { MINIMA_BACKEND: "native" });
    assert.notEqual(env.status, 0);
    assert.match(env.stderr, new RegExp(`BackendError: ${expected.replace(/[()]/g, "\\$&")}`));
  });

  const wasmRegister = JSON.stringify(fileURLToPath(new URL("../../src/backend/wasm/register.js", import.meta.url)));

  test("a backend marked unavailable without a notice (wasm in Node) adds no line: only the preferred one's shows (exact text)", () => {
    const r = run(`s.markUnavailable("wasm", { reason: "no clang", fix: "install clang" }, { notice: false });`);
    assert.equal(r.stderr, "minima: running on the js backend, much slower than native: it was not built. Fix: build it. (MINIMA_BACKEND=js chooses js and silences this.)\n");
    const asked = run(`try { s.setBackend("wasm"); } catch (e) { console.log(e.message); }`.replace("try", `s.markUnavailable("wasm", { reason: "no clang", fix: "install clang" }, { notice: false }); try`));
    assert.equal(asked.stdout.split("\n")[0], "setBackend: the wasm backend is not available: no clang (fix: install clang); expected one of js");
  });

  test("says the wasm backend runs instead when it is built: Node without the addon prefers wasm (exact text)", { skip: wasmUnavailable() ?? false }, () => {
    const r = run(`(await import(${wasmRegister})).registerWasmBackend();`);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, "wasm\n");
    assert.equal(r.stderr, "minima: running on the wasm backend, slower than native: it was not built. Fix: build it. (MINIMA_BACKEND=wasm chooses wasm and silences this.)\n");
    const chosen = run(`(await import(${wasmRegister})).registerWasmBackend();`, { MINIMA_BACKEND: "wasm" });
    assert.equal(chosen.stderr, "");
    assert.equal(chosen.stdout, "wasm\n");
  });
});

