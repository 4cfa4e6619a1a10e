import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { resolveUnder } from "../../src/serve/safe-path.js";

const top = realpathSync(mkdtempSync(join(tmpdir(), "minima-safe-path-")));
const root = join(top, "root");
mkdirSync(join(root, "sub"), { recursive: true });
writeFileSync(join(root, "ok.txt"), "ok");
writeFileSync(join(root, "sub", "ok.txt"), "ok");
writeFileSync(join(root, "%2e%2e"), "a file whose name is the six characters %2e%2e");
writeFileSync(join(top, "outside.txt"), "outside");
symlinkSync(join(top, "outside.txt"), join(root, "link-out"));
symlinkSync(top, join(root, "dir-out"));
symlinkSync(join(root, "sub", "ok.txt"), join(root, "link-in"));
after(() => rmSync(top, { recursive: true, force: true }));

describe("resolveUnder (the rule in its doc: each segment decoded once must be a plain name, and the real path must lie under root)", () => {
  test("plain names, percent-encoded plain names and links that stay inside resolve to their real path", () => {
    assert.equal(resolveUnder(root, "ok.txt"), join(root, "ok.txt"));
    assert.equal(resolveUnder(root, "/sub//ok.txt"), join(root, "sub", "ok.txt"));
    assert.equal(resolveUnder(root, "%73ub/%6Fk.txt"), join(root, "sub", "ok.txt"));
    assert.equal(resolveUnder(root, "link-in"), join(root, "sub", "ok.txt"));
    assert.equal(resolveUnder(root, ""), root);
  });

  test("decoded once only: %252e%252e names the file literally called %2e%2e, never the parent", () => {
    assert.equal(resolveUnder(root, "%252e%252e"), join(root, "%2e%2e"));
    assert.equal(resolveUnder(root, "%252e%252e%252foutside.txt"), null);
  });

  test("a dot segment, a slash, backslash or NUL inside a segment is refused even where the path would stay inside root", () => {
    for (const path of ["sub/../ok.txt", "sub/%2e%2e/ok.txt", "sub/%2E%2E/ok.txt", "./ok.txt", "%2e/ok.txt", "sub%2fok.txt", "sub%2Fok.txt", "sub%5cok.txt", "sub%5Cok.txt", "sub\\ok.txt", "ok.txt%00", "%00"]) {
      assert.equal(resolveUnder(root, path), null, path);
    }
  });

  test("a path out of root is null: parent segments, encoded or not, absolute names, links out, malformed percent-encoding", () => {
    for (const path of ["../outside.txt", "%2e%2e/outside.txt", "%2e%2e%2foutside.txt", "..%5coutside.txt", "link-out", "dir-out/outside.txt", "dir-out", "%2f" + top.slice(1) + "/outside.txt", "%", "%zz", "%c0%ae%c0%ae/outside.txt", "no-such-file"]) {
      assert.equal(resolveUnder(root, path), null, path);
    }
  });
});
