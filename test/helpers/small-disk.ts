import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, statfsSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestContext } from "node:test";

/** A small file system of its own for a test: a tmpfs, unmounted when the test ends. */
export interface SmallDisk {
  /** Its mount point. */
  dir: string;
  /** Fills it with one hidden file (`.filler`) until only about `leaveBytes` bytes stay free. */
  fill(leaveBytes: number): void;
  /** Removes the filler: the space is free again. */
  free(): void;
  /** Bytes free now. */
  available(): number;
}

/**
 * Mounts a tmpfs of `size` (mount's syntax: "2m") for test `t`, with extra mount options (",ro"),
 * for tests of a full or read-only disk: that needs root (CI and the dev machine run as root).
 * Where it cannot mount, the test is skipped with a message on stderr and in the report (returns
 * null) — unless MINIMA_REQUIRE_TMPFS=1 (as .ci/run sets), where it fails instead.
 */
export function mountSmallDisk(t: TestContext, size = "2m", options = ""): SmallDisk | null {
  const dir = mkdtempSync(join(tmpdir(), "minima-disk-"));
  const r = spawnSync("mount", ["-t", "tmpfs", "-o", `size=${size}${options}`, "tmpfs", dir], { encoding: "utf8" });
  if (r.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    const why = `cannot mount a tmpfs for a full-disk test (${(r.stderr || r.error?.message || `exit ${r.status}`).trim()}); it needs root`;
    assert.notEqual(process.env["MINIMA_REQUIRE_TMPFS"], "1", `${why}, and MINIMA_REQUIRE_TMPFS=1 requires it`);
    process.stderr.write(`\nSKIPPED ${t.name}: ${why}\n`);
    t.skip(why);
    return null;
  }
  t.after(() => {
    spawnSync("umount", [dir]);
    rmSync(dir, { recursive: true, force: true });
  });
  const filler = join(dir, ".filler");
  const available = () => {
    const { bavail, bsize } = statfsSync(dir);
    return bavail * bsize;
  };
  return {
    dir,
    fill: (leaveBytes) => writeFileSync(filler, new Uint8Array(Math.max(0, available() - leaveBytes))),
    free: () => rmSync(filler, { force: true }),
    available,
  };
}
