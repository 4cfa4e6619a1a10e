// Builds the native addon during `npm ci` / `npm install` (the package's install script). A failed build
// never fails the install: minima then runs on its js backend, and `minima info` gives the reason kept in
// native/build/status.json, with the fix.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const buildDir = join(here, "build");

/** node-gyp: npm's own copy (npm names it in npm_config_node_gyp), else the one beside this node. */
function nodeGyp() {
  const candidates = [process.env.npm_config_node_gyp, join(dirname(process.execPath), "../lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js")];
  return candidates.find((p) => p && existsSync(p));
}

/** Node's headers from the installed node (no download: installs must work offline). */
function nodeDir() {
  if (process.env.npm_config_nodedir) return process.env.npm_config_nodedir;
  const prefix = resolve(dirname(process.execPath), "..");
  return existsSync(join(prefix, "include/node/node_api.h")) ? prefix : undefined;
}

function writeStatus(status) {
  mkdirSync(buildDir, { recursive: true });
  const tmp = join(buildDir, "status.json.tmp");
  writeFileSync(tmp, JSON.stringify(status, null, 2) + "\n");
  renameSync(tmp, join(buildDir, "status.json"));
}

function build() {
  if (process.env.MINIMA_SKIP_NATIVE === "1") return { ok: false, reason: "skipped: MINIMA_SKIP_NATIVE=1 at install" };
  const gyp = nodeGyp();
  if (!gyp) return { ok: false, reason: "node-gyp not found (it ships with npm)" };
  const dir = nodeDir();
  const args = [gyp, "rebuild", ...(dir ? [`--nodedir=${dir}`] : [])];
  const r = spawnSync(process.execPath, args, { cwd: here, encoding: "utf8" });
  const log = `${r.stdout ?? ""}${r.stderr ?? ""}`;
  mkdirSync(buildDir, { recursive: true });
  writeFileSync(join(buildDir, "build.log"), log);
  if (r.status === 0) return { ok: true };
  // The first line that says what went wrong: a missing header or library, a missing compiler.
  const line = log.split("\n").find((l) => /fatal error|No such file|not found|cannot find|Package .* was not found|error:/i.test(l));
  return { ok: false, reason: `build failed: ${(line ?? `node-gyp exited with ${r.status}`).trim()}` };
}

const status = build();
writeStatus(status);
console.log(status.ok ? "minima: native backend built" : `minima: native backend not built (${status.reason}); minima will run on its js backend`);
